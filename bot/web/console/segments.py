"""Console pages of segments: the list, the rule builder with its live count, a masked
preview with breakdowns by branch, manager and tier, snapshots and the audited export.

Counts are computed by the database for the whole audience in scope (a branch head's
segment never leaves the branch); the builder posts its rule as JSON on every change and
htmx swaps in the count, or the refusal with the JSON path of the fault.
"""

import csv
import io
from collections.abc import Iterator
from typing import Any

from flask import Response, abort, flash, redirect, render_template, request, stream_with_context
from flask.typing import ResponseReturnValue
from flask_login import login_required

from bot.web.console.blueprint import bp
from bot.web.console.listing import EXPORTERS, may_export
from bot.web.console.segment_support import (
    breakdown_charts,
    builder_options,
    read_rule,
    refusal,
    segment_moment,
)
from bot.web.console.support import local_stamp, roles, scope, work
from crm_core import services
from crm_core.model import ID_MAX
from crm_core.model.segments import RuleError

EXPORT_COLUMNS = ("编号", "客户", "手机", "网点", "客户经理", "资产层级")
REFUSED = (RuleError, services.segments.SegmentRefused)
_FORMULA = ("=", "+", "-", "@", "\t", "\r")


@bp.get("/segments")
@login_required
def segments() -> str:
    """The segments the caller sees, each counted as the page loads (htmx)."""
    with work() as uow:
        cards = services.segments.segment_cards(uow, scope())
        lists = services.segments.list_names(uow)
    return render_template("console/segments.html", cards=cards, lists=lists)


@bp.get("/segments/new")
@login_required
def segment_new() -> str:
    """An empty rule builder."""
    return _builder(None)


@bp.get(f"/segments/<int(max={ID_MAX}):segment_id>")
@login_required
def segment(segment_id: int) -> str:
    """A segment's builder, its count, preview, breakdowns and snapshots."""
    return _builder(segment_id)


@bp.post("/segments")
@login_required
def segment_save() -> ResponseReturnValue:
    """Save a new rule segment, an imported list as a static one, or a changed rule."""
    form, at = request.form, segment_moment()
    with work() as uow:
        try:
            card = _save(uow, form, at.now)
        except REFUSED as error:
            flash(refusal(error)["message"])
            return redirect(request.referrer or "/console/segments")
        uow.commit()
    flash("客群已保存。")
    return redirect(f"/console/segments/{card.id}")


@bp.post("/segments/count")
@login_required
def segment_count() -> str:
    """The live count of the builder's rule (an htmx fragment)."""
    with work() as uow:
        try:
            count = services.segments.count_rule(uow, scope(), read_rule(request.form.get("rule")),
                                                 segment_moment(), _segment_id())
        except REFUSED as error:
            return render_template("console/_segment_count.html", refused=refusal(error))
    return render_template("console/_segment_count.html", count=count)


@bp.post("/segments/preview")
@login_required
def segment_preview() -> str:
    """The first members (masked) and the breakdown charts of the builder's rule (htmx)."""
    rule, at, segment_id = read_rule(request.form.get("rule")), segment_moment(), _segment_id()
    with work() as uow:
        try:
            rows = services.segments.preview_rule(uow, scope(), rule, at, segment_id)
            charts = breakdown_charts(services.segments.breakdown_rule(uow, scope(), rule, at,
                                                                       segment_id))
        except REFUSED as error:
            return render_template("console/_segment_count.html", refused=refusal(error))
    return render_template("console/_segment_preview.html", rows=rows, charts=charts)


@bp.get(f"/segments/<int(max={ID_MAX}):segment_id>/count")
@login_required
def saved_count(segment_id: int) -> str:
    """A saved segment's count as it stands (an htmx fragment of the list)."""
    with work() as uow:
        try:
            count = services.segments.count_segment(uow, scope(), segment_id, segment_moment())
        except REFUSED as error:
            return render_template("console/_segment_count.html", refused=refusal(error))
    return render_template("console/_segment_count.html", count=count, brief=True)


@bp.post(f"/segments/<int(max={ID_MAX}):segment_id>/snapshot")
@login_required
def segment_snapshot(segment_id: int) -> ResponseReturnValue:
    """Freeze the segment's members as they are now."""
    with work() as uow:
        try:
            snapshot = services.segments.take_snapshot(uow, scope(), segment_id,
                                                       segment_moment())
        except services.segments.SegmentRefused:
            abort(404)
        uow.commit()
    flash(f"已冻结名单：{snapshot.members:,} 位客户"
          + (f"（{snapshot.excluded:,} 位因关闭个性化推荐未纳入）" if snapshot.excluded else "")
          + "。")
    return redirect(f"/console/segments/{segment_id}")


@bp.get(f"/segments/<int(max={ID_MAX}):segment_id>.csv")
@login_required
@roles(*EXPORTERS)
def segment_export(segment_id: int) -> Response:
    """The segment's members as a CSV file, masked (an audited export), streamed."""
    with work() as uow:  # refused before the first byte: an unknown segment is a 404
        try:
            services.segments.visible_segment(uow, scope(), segment_id)
        except services.segments.SegmentRefused:
            abort(404)
    stamp = local_stamp(segment_moment().now, "%Y%m%d-%H%M")
    return Response(stream_with_context(_export_lines(segment_id)), mimetype="text/csv",
                    headers={"Content-Disposition":
                             f'attachment; filename="segment-{segment_id}-{stamp}.csv"'})


def _export_lines(segment_id: int) -> Iterator[str]:
    with work() as uow:
        _, rows = services.segments.export_segment(uow, scope(), segment_id, segment_moment())
        uow.commit()  # the audit event is written before the first row goes out
        yield "\ufeff" + _line(EXPORT_COLUMNS)
        for row in rows:
            yield _line(row)


def _line(values: Any) -> str:
    buffer = io.StringIO()
    csv.writer(buffer).writerow(["'" + v if v.startswith(_FORMULA) else v for v in values])
    return buffer.getvalue()


def _builder(segment_id: int | None) -> str:
    with work() as uow:
        try:
            found = services.segments.segment_card(uow, scope(), segment_id) \
                if segment_id is not None else None
        except services.segments.SegmentRefused:
            abort(404)
        snapshots = services.segments.snapshots_of(uow, scope(), found.id) if found else []
        options = builder_options(uow, scope())
    return render_template("console/segment.html", segment=found, snapshots=snapshots,
                           options=options, may_export=may_export())


def _save(uow: Any, form: Any, now: Any) -> services.segments.SegmentCard:
    name, segment_id = form.get("name", ""), _segment_id()
    if form.get("list"):
        return services.segments.create_static_segment(uow, scope(), name, form["list"], now)
    rule = read_rule(form.get("rule"))
    if segment_id is not None:
        return services.segments.update_segment(uow, scope(), segment_id, name, rule, now)
    return services.segments.create_segment(uow, scope(), name, rule, now)


def _segment_id() -> int | None:
    value = request.form.get("segment", "")
    return int(value) if value.isdigit() and 0 < int(value) <= ID_MAX else None
