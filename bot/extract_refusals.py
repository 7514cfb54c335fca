"""Keeping a refused extract on record, for the CLI, the console and the API alike.

The import's own transaction is rolled back when a file is refused, so the refusal is stored
by a second, short one: the batch (status refused) with the reasons the uploader read. If
that fails, the failure is logged and the uploader still reads every bad row.
"""

import hashlib
import logging
from dataclasses import replace
from datetime import datetime
from pathlib import Path

from sqlalchemy.exc import SQLAlchemyError

from bot import refusals
from bot.extracts import batch_work
from crm_core.services import ImportRejected
from crm_core.services import classification as classify_services

CHUNK = 1 << 20
log = logging.getLogger(__name__)


def keep_refused(url: str, spec: classify_services.ExtractSpec, path: Path, filename: str,
                 rejected: ImportRejected, staff: str, now: datetime) -> int | None:
    """Store a refused extract as a batch with its first errors in Chinese; return its id
    (None: the record could not be written, which is logged)."""
    errors = [replace(e, reason=refusals.say(e.code, e.params)) for e in rejected.errors]
    refused = classify_services.RefusedFile(filename, _sha256(path), rejected.rows)
    try:
        with batch_work(url) as uow:
            batch_id = classify_services.record_refused(uow, spec, refused, errors, staff, now)
            uow.commit()
    except SQLAlchemyError:  # the uploader's answer (every bad row) matters more
        log.exception("a refused %s import of %s could not be recorded", spec.kind.value,
                      f"{spec.month:%Y-%m}")
        return None
    return batch_id


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()
