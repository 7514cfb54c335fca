"""Console pages for QR codes: issue, list, scans and follows per code, poster download."""

import io
import re
import zipfile
from typing import Any

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import login_required

from bot import refusals, texts
from bot.qrcodes.issuer import CodeIssuer
from bot.qrcodes.posters import PosterTexts, poster_spec
from bot.web.console.blueprint import HEADS, bp
from bot.web.console.listing import page_request
from bot.web.console.support import roles, scope, work
from bot.web.edge import current_runtime
from bot.web.filters import remember_scene_names
from bot.wechat.errors import WeChatApiError
from crm_core import services
from crm_core.model import Scene, SceneError, StaffRole, format_scene, parse_scene, utcnow
from crm_core.queries.paging import ListSpec, page_in_memory
from crm_core.unit_of_work import SqlUnitOfWork
from qr import FontNotFoundError, load_fonts, qr_png, render_pdf

CODES = ListSpec(sorts=("created", "scene", "follows"), filters=("kind",),
                 default_descending=True)
_CODE = re.compile(r"[A-Za-z0-9_-]{1,24}")  # a code a scene may carry (crm_core.model.scene)
ISSUE_ERRORS = (services.CodeLimitReached, services.UnknownRecord, SceneError, ValueError,
                WeChatApiError)


@bp.get("/codes")
@login_required
@roles(*HEADS)
def codes() -> str:
    """The branch's codes with follows and scans per code, as a bar chart."""
    branch = _branch_code()
    with work() as uow:
        if branch and uow.branches.by_code(branch) is None:  # typed, not picked: say so
            flash(texts.CODE_UNKNOWN_CHOICE.format(name=branch[:20]))
            branch = None
        rows = services.list_codes(uow, branch)
        stats = services.channel_stats(uow, branch=branch, by="code")
        remember_scene_names(uow, [code["scene"] for code in rows])  # one query for the page
    totals: dict[str, dict[str, int]] = {}
    for row in stats:
        total = totals.setdefault(row["code"], {"follows": 0, "scans": 0})
        total["follows"] += row["follows"]
        total["scans"] += row["scans"]
    peak = max((t["follows"] + t["scans"] for t in totals.values()), default=1) or 1
    wanted = page_request(CODES)
    kind = wanted.get("kind")
    page = page_in_memory([r for r in rows if not kind or r["kind"] == kind], wanted, {
        "created": lambda r: (r["created_at"] or "", r["scene"]), "scene": lambda r: r["scene"],
        "follows": lambda r: totals.get(r["scene"], {}).get("follows", 0)})
    return render_template("console/codes.html", page=page, totals=totals, peak=peak,
                           branch=branch)


@bp.post("/codes")
@login_required
@roles(*HEADS)
def issue_code() -> ResponseReturnValue:
    """Issue (or reuse) the code of the chosen branch, manager and campaign."""
    try:
        scene = _chosen_scene(request.form)
    except _BadChoice as refusal:
        flash(texts.CODE_FAILED.format(reason=refusal))
        return redirect(url_for("console.codes")), 303
    days = request.form.get("days") or "30"
    rt = current_runtime()
    try:
        with CodeIssuer(rt.uow, rt.api) as issuer:
            issuer.issue(scene, days=(int(days) if days.isdigit() else 0)
                         if "c:" in scene else None, scope=scope())
    except ISSUE_ERRORS as error:
        flash(texts.CODE_FAILED.format(reason=refusals.explain(error)))
        return redirect(url_for("console.codes")), 303
    flash(texts.CODE_READY.format(scene=scene))
    return redirect(url_for("console.codes")), 303


@bp.get("/codes/preview.png")
@login_required
@roles(*HEADS)
def preview() -> Response:
    """The code itself as a PNG, for a preview on the page."""
    branch = _branch_code()
    with work() as uow:
        _, url = _target(uow, request.args.get("scene", ""), branch)
    return Response(qr_png(url, box_size=4), mimetype="image/png")


@bp.get("/codes/poster.pdf")
@login_required
@roles(*HEADS)
def poster() -> Response:
    """Download the A4 poster of one code; every download is recorded as an export."""
    scene, branch = request.args.get("scene", ""), _branch_code()
    with work() as uow:
        target, url = _target(uow, scene, branch)
        services.audit(uow, utcnow(), scope().username, "poster_exported", scene)
        uow.commit()
    return _attachment(_render(target, url), _filename(scene) + ".pdf", "application/pdf")


@bp.get("/codes/posters.zip")
@login_required
@roles(*HEADS)
def posters_zip() -> Response:
    """Download every current code's A4 poster of the branch as one ZIP (an audited export)."""
    branch = _branch_code()
    with work() as uow:
        scenes = sorted({code["scene"] for code in services.list_codes(uow, branch)})
        targets = [_target(uow, scene, branch) for scene in scenes]
        services.audit(uow, utcnow(), scope().username, "posters_exported", branch or "all",
                       {"files": len(scenes)})
        uow.commit()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for scene, (target, url) in zip(scenes, targets, strict=True):
            archive.writestr(_filename(scene) + ".pdf", _render(target, url))
    return _attachment(buffer.getvalue(), f"posters-{branch or 'all'}.zip",
                       "application/zip")


class _BadChoice(ValueError):
    """What was chosen cannot make a scene; the message says why in Chinese."""


def _chosen_scene(form: Any) -> str:
    branch, manager = form.get("branch", "").strip(), form.get("manager", "").strip()
    campaign = form.get("campaign", "").strip()
    if not branch and not manager:
        raise _BadChoice(texts.CODE_PICK_BRANCH_OR_MANAGER)
    for value in (branch, manager):
        if value and not _CODE.fullmatch(value):
            raise _BadChoice(texts.CODE_UNKNOWN_CHOICE.format(name=value[:20]))
    if campaign and not _CODE.fullmatch(campaign):
        raise _BadChoice(texts.CODE_BAD_CAMPAIGN)
    return format_scene(Scene(branch=branch or None, manager=manager or None,
                              campaign=campaign or None))


def _render(target: services.PosterTarget, url: str) -> bytes:
    settings = current_runtime().settings.posters
    try:
        fonts = load_fonts(settings.font_path or None)
    except FontNotFoundError as error:
        abort(500, str(error))
    words = PosterTexts.from_settings(settings, None)
    return render_pdf(poster_spec(target, url, words, "A4"), fonts)


def _filename(scene: str) -> str:
    return scene.replace(":", "-").replace(";", "_")


def _attachment(body: bytes, filename: str, mimetype: str) -> Response:
    return Response(body, mimetype=mimetype,
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})


def _branch_code() -> str | None:
    if scope().role is StaffRole.HEAD_OFFICE:
        return request.args.get("branch") or None
    with work() as uow:
        return services.branch_code_of(uow, scope().branch_id or 0)


def _target(uow: SqlUnitOfWork, scene: str,
            branch: str | None) -> tuple[services.PosterTarget, str]:
    # `branch` is looked up before the unit of work opens: a second one in the same thread
    # would wait for the first on SQLite's writer queue.
    code = next((c for c in services.list_codes(uow, branch) if c["scene"] == scene), None)
    if code is None:
        abort(404)
    # A manager's code prints the manager's poster, whether or not it names the branch too.
    parsed = parse_scene(scene)
    base = format_scene(Scene(branch=None if parsed.manager else parsed.branch,
                              manager=parsed.manager))
    target = next((t for t in services.poster_targets(uow, None) if t.scene == base), None)
    if target is None:
        abort(404)
    return target, str(code["url"])
