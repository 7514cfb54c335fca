"""The staff API's classification (/api/v1/classification, a customer's classification): the
dimension catalogue with its counts in the caller's scope, a customer's current values, and
the bank's imports (head office: listed, and uploaded as the console and the CLI do)."""

import tempfile
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from flask import Response, jsonify, request

from bot import labels, refusals, texts
from bot.extract_refusals import keep_refused
from bot.extracts import FileKeys, batch_work, open_extract
from bot.web.console.support import phone_cipher, work
from bot.web.edge import current_runtime
from bot.web.openapi import ROW_ID
from bot.web.staff_api import ApiError, _scope, bp
from crm_core import services
from crm_core.model import Refusal, StaffRole, utcnow
from crm_core.queries.classification import recent_batches
from crm_core.services import ImportRejected

SUFFIXES = (".csv", ".xlsx")

BATCHES_LISTED = 50


@bp.get("/classification/dimensions")
def dimensions() -> Response:
    """Every dimension in words, with its values counted in the caller's scope."""
    with work() as uow:
        cards = services.classification.catalogue(uow, _scope())
    return jsonify(dimensions=[_dimension(card) for card in cards])


@bp.get(f"/customers/<{ROW_ID}:customer_id>/classification")
def customer_classification(customer_id: int) -> Response:
    """A customer's current values on each stored dimension, and their staff tags."""
    with work() as uow:
        found = services.classification.customer_classes(uow, _scope(), customer_id)
    numbers = int(found.pop("customer_numbers") or 0)
    return jsonify(customer_id=customer_id, customer_numbers=numbers,
                   dimensions={code: [_value(row) for row in rows]
                               for code, rows in found.items()})


@bp.get("/classification/batches")
def batches() -> Response:
    """The latest imports of the bank's extracts, refused ones too, newest first (head office)."""
    _head_office_only()
    with work() as uow:
        rows = recent_batches(uow.session, BATCHES_LISTED)
    return jsonify(batches=[{name: _plain(value) for name, value in row.items()}
                            | {"status_text": labels.label("batch_status", row["status"]),
                               "errors": row["errors"] or []}
                            for row in rows])


@bp.post("/classification/imports")
def upload_import() -> tuple[Response, int]:
    """Check a whole extract (multipart: file, kind, month, list_name), then apply it all."""
    _head_office_only()
    upload = request.files.get("file")
    suffix = Path(upload.filename or "").suffix.lower() if upload else ""
    if upload is None or suffix not in SUFFIXES:
        raise ApiError(400, "bad_request", texts.CLASSIFY_PICK_FILE)
    kind = request.form.get("kind", "")
    if kind == "list":
        kind = f"list:{request.form.get('list_name', '').strip()}"
    try:
        spec = services.classification.parse_spec(kind, request.form.get("month", ""))
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / f"extract{suffix}"
            upload.save(path)
            report = _run(spec, path, upload.filename or path.name)
    except ImportRejected as rejected:
        return jsonify(error={"code": "invalid", "message": texts.CLASSIFY_API_REJECTED},
                       rows=[{"line": e.line, "reason": refusals.say(e.code, e.params)}
                             for e in rejected.errors]), 422
    except Refusal as error:
        raise ApiError(400, "bad_request", refusals.explain(error)) from error
    return jsonify(batch_id=report.batch_id, rows=report.rows, matched=report.matched,
                   unmatched=report.unmatched, unmatched_by_branch=[
                       {"branch": name, "rows": count}
                       for name, count in report.unmatched_by_branch]), 201


def _run(spec: services.classification.ExtractSpec, path: Path,
         filename: str) -> services.classification.ExtractReport:
    # Its own engine without the request timeouts: a month of balances is a batch job.
    url = current_runtime().settings.database.url
    try:
        with batch_work(url) as uow, open_extract(path, filename) as extract:
            report = services.classification.import_extract(
                uow, spec, extract, FileKeys(phone_cipher()), _scope().username, utcnow())
            uow.commit()
    except ImportRejected as rejected:  # rolled back; the refusal is kept on record
        keep_refused(url, spec, path, filename, rejected, _scope().username, utcnow())
        raise
    return report


def _head_office_only() -> None:
    if _scope().role is not StaffRole.HEAD_OFFICE:
        raise ApiError(403, "forbidden", texts.CLASSIFY_BATCHES_HEAD_OFFICE_ONLY)


def _dimension(card: dict[str, Any]) -> dict[str, Any]:
    plain = {name: _plain(card[name]) for name in (
        "code", "name", "definition", "standard", "coverage", "source", "profiling",
        "settings", "updated_at", "updated_by", "month")}
    return plain | {"counts": [{"value": str(v), "customers": int(n)}
                               for v, n in card["counts"]]}


def _value(row: dict[str, Any]) -> dict[str, Any]:
    return {"value": str(row["value"]), "amount": _plain(row.get("amount")),
            "by": row.get("by"), "at": _plain(row.get("at"))}


def _plain(value: Any) -> Any:
    # Amounts as exact decimal text; times in UTC with their Z; months as YYYY-MM-DD.
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    if isinstance(value, datetime):
        return value.isoformat(timespec="seconds") + "Z"
    if isinstance(value, date):
        return value.isoformat()
    return value
