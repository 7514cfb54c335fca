"""Keeping a refused extract on record, for the CLI, the console and the API alike.

The import's own transaction is rolled back when a file is refused, so the refusal is stored
by a second, short one: the batch (status refused) with the reasons the uploader read.
"""

import hashlib
from dataclasses import replace
from datetime import datetime
from pathlib import Path

from bot import refusals
from bot.extracts import batch_work
from crm_core.services import ImportRejected
from crm_core.services import classification as classify_services

CHUNK = 1 << 20


def keep_refused(url: str, spec: classify_services.ExtractSpec, path: Path, filename: str,
                 rejected: ImportRejected, staff: str, now: datetime) -> int:
    """Store a refused extract as a batch with its first errors in Chinese; return its id."""
    errors = [replace(e, reason=refusals.say(e.code, e.params)) for e in rejected.errors]
    refused = classify_services.RefusedFile(filename, _sha256(path), rejected.rows)
    with batch_work(url) as uow:
        batch_id = classify_services.record_refused(uow, spec, refused, errors, staff, now)
        uow.commit()
    return batch_id


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()
