"""Console pages for classification: the dimension catalogue (every role reads it with counts
in their scope; head office rewords it and tunes the tier thresholds), the upload of the bank's
extracts (head office), and staff tags on the customer page (managers and branch heads)."""

import tempfile
from dataclasses import replace
from pathlib import Path

from flask import flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import login_required

from bot import refusals, texts
from bot.extract_refusals import keep_refused
from bot.extracts import FileKeys, batch_work, open_extract
from bot.web.console.blueprint import bp
from bot.web.console.customer import _answer
from bot.web.console.support import now, phone_cipher, scope, work
from bot.web.edge import current_runtime
from crm_core.model import OutOfScope, Refusal, StaffRole
from crm_core.queries.classification import recent_batches
from crm_core.services import ImportRejected, RowError
from crm_core.services import classification as classify_services
from crm_core.services.classification.tags import TAGGERS

# An extract of a million rows is ~60 MB as CSV; the route names its own cap (bot/web/app.py).
MAX_EXTRACT_BYTES = 200 * 1024 * 1024
SUFFIXES = (".csv", ".xlsx")
KINDS = ("balances", "holdings", "media", "employers", "mobile", "mapping", "list")
BATCHES_SHOWN = 10


@bp.route("/classification", methods=["GET", "POST"])
@login_required
def classification() -> tuple[str, int]:
    """The catalogue with counts in the caller's scope; head office uploads extracts here."""
    errors: list[RowError] = []
    status = 200
    if request.method == "POST":
        errors, status = _import()
    head_office = scope().role is StaffRole.HEAD_OFFICE
    with work() as uow:
        cards = classify_services.catalogue(uow, scope())
        batches = recent_batches(uow.session, BATCHES_SHOWN) if head_office else []
    return render_template("console/classification.html", cards=cards, errors=errors,
                           batches=batches, head_office=head_office, kinds=KINDS,
                           form=request.form), status


@bp.post("/classification/<code>")
@login_required
def dimension_edit(code: str) -> ResponseReturnValue:
    """Head office rewords a dimension (and sets the tier thresholds); audited."""
    with work() as uow:
        try:
            classify_services.update_dimension(uow, scope(), code, dict(request.form), now())
        except OutOfScope:
            flash(texts.CLASSIFY_HEAD_OFFICE_ONLY)
            return redirect(url_for("console.classification"), 303)
        except Refusal as error:
            flash(refusals.explain(error))
            return redirect(url_for("console.classification", _anchor=f"dim-{code}"), 303)
        changed = bool(uow.session.dirty)
        uow.commit()
    flash(texts.DIMENSION_SAVED.format(name=request.form.get("name", code)) if changed
          else texts.DIMENSION_UNCHANGED)
    return redirect(url_for("console.classification", _anchor=f"dim-{code}"), 303)


def _import() -> tuple[list[RowError], int]:
    if scope().role is not StaffRole.HEAD_OFFICE:
        return [RowError(0, texts.CLASSIFY_HEAD_OFFICE_ONLY)], 403
    upload = request.files.get("file")
    suffix = Path(upload.filename or "").suffix.lower() if upload else ""
    if upload is None or suffix not in SUFFIXES:
        return [RowError(0, texts.CLASSIFY_PICK_FILE)], 400
    kind = request.form.get("kind", "")
    if kind == "list":
        kind = f"list:{request.form.get('list_name', '').strip()}"
    try:
        spec = classify_services.parse_spec(kind, request.form.get("month", ""))
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / f"extract{suffix}"
            upload.save(path)
            report = _run(spec, path, upload.filename or path.name)
    except ImportRejected as rejected:
        return [replace(e, reason=refusals.say(e.code, e.params)) for e in rejected.errors], 422
    except Refusal as error:
        return [RowError(0, refusals.explain(error))], 400
    flash(texts.CLASSIFY_IMPORT_DONE.format(rows=report.rows, matched=report.matched,
                                            unmatched=report.unmatched))
    if report.unmatched_by_branch:
        flash(texts.CLASSIFY_UNMATCHED_BRANCHES.format(branches="、".join(
            f"{name or texts.CLASSIFY_NO_BRANCH} {count}"
            for name, count in report.unmatched_by_branch)))
    return [], 200


def _run(spec: classify_services.ExtractSpec, path: Path,
         filename: str) -> classify_services.ExtractReport:
    # Its own engine without the request timeouts: a month of balances is a batch job.
    url = current_runtime().settings.database.url
    try:
        with batch_work(url) as uow, open_extract(path, filename) as extract:
            report = classify_services.import_extract(
                uow, spec, extract, FileKeys(phone_cipher()), scope().username, now())
            uow.commit()
    except ImportRejected as rejected:  # rolled back; the refusal is kept on record
        keep_refused(url, spec, path, filename, rejected, scope().username, now())
        raise
    return report


@bp.post("/customers/<int:customer_id>/tags")
@login_required
def customer_tag(customer_id: int) -> ResponseReturnValue:
    """Tag a customer in the caller's scope (managers and branch heads)."""
    text = request.form.get("tag", "")
    with work() as uow:  # another's customer: 403 (OutOfScope through work())
        if scope().role not in TAGGERS:
            return _answer(uow, customer_id, "classes", texts.TAG_READ_ONLY, ok=False)
        try:
            added = classify_services.tag_customer(uow, scope(), customer_id, text, now())
        except Refusal:
            return _answer(uow, customer_id, "classes", texts.TAG_REFUSED, ok=False)
        uow.commit()
        tag = classify_services.clean_tag(text)
        message = (texts.TAG_ADDED if added else texts.TAG_EXISTS).format(tag=tag)
        return _answer(uow, customer_id, "classes", message)


@bp.post("/customers/<int:customer_id>/number")
@login_required
def customer_number(customer_id: int) -> ResponseReturnValue:
    """Record a follower's bank customer number (kept only as its keyed hash)."""
    with work() as uow:
        if scope().role not in TAGGERS:
            return _answer(uow, customer_id, "classes", texts.TAG_READ_ONLY, ok=False)
        try:
            classify_services.record_customer_number(
                uow, scope(), customer_id, request.form.get("number", ""),
                FileKeys(phone_cipher()), now())
        except Refusal as error:
            return _answer(uow, customer_id, "classes", refusals.explain(error), ok=False)
        uow.commit()
        return _answer(uow, customer_id, "classes", texts.CUSTOMER_NUMBER_RECORDED)


@bp.post("/customers/<int:customer_id>/tags/remove")
@login_required
def customer_untag(customer_id: int) -> ResponseReturnValue:
    """Remove a customer's tag (managers and branch heads in scope)."""
    tag = request.form.get("tag", "")
    with work() as uow:
        if scope().role not in TAGGERS:
            return _answer(uow, customer_id, "classes", texts.TAG_READ_ONLY, ok=False)
        classify_services.untag_customer(uow, scope(), customer_id, tag, now())
        uow.commit()
        return _answer(uow, customer_id, "classes", texts.TAG_REMOVED.format(tag=tag))
