"""Keeping a refused extract: nothing of it applied, but the attempt is on record.

Head office should see every import tried, not only those that went in, and why one was
refused. A refused file is stored as a batch with status `refused`: kind, month, file, who,
when, the rows checked, how many were bad, and the first row errors with their line and the
reason the uploader read. Those reasons may quote a cell; any mobile, ID or customer number in
them is masked before it is stored, so the record holds no personal data.
"""

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from crm_core.model import BatchStatus, ClassificationBatch
from crm_core.pii import mask_text
from crm_core.services.catalogue_files import RowError
from crm_core.services.classification.extracts import ExtractSpec
from crm_core.services.staff import audit
from crm_core.unit_of_work import SqlUnitOfWork

STORED_ERRORS = 20  # row errors kept with a refused batch (the count says how many in all)
_LONG_NUMBER = re.compile(r"\d{8,}")  # a customer number (8-20 digits) or any longer run


@dataclass(frozen=True)
class RefusedFile:
    """A refused file as the channel read it: name, digest and the rows checked."""

    filename: str
    sha256: str
    rows: int


def record_refused(uow: SqlUnitOfWork, spec: ExtractSpec, refused: RefusedFile,
                   errors: Sequence[RowError], staff: str, now: datetime) -> int:
    """Store a refused extract as a batch with its first (masked) errors; return its id."""
    count = error_count(errors)
    batch = ClassificationBatch(
        kind=spec.kind.value, list_name=spec.list_name, month=spec.month,
        filename=refused.filename[:255], sha256=refused.sha256, rows=refused.rows,
        staff=staff, created_at=now, status=BatchStatus.REFUSED.value, error_count=count,
        errors=[{"line": e.line, "code": e.code, "reason": masked(e.reason)}
                for e in errors[:STORED_ERRORS]])
    uow.session.add(batch)
    uow.flush()
    audit(uow, now, staff, "classify_import_refused",
          f"{spec.kind.value}:{spec.month:%Y-%m}"[:64],
          {"file": masked(refused.filename), "sha256": refused.sha256, "list": spec.list_name,
           "rows": refused.rows, "errors": count})
    return batch.id


def error_count(errors: Sequence[RowError]) -> int:
    """Return how many problems a refusal found (its "more rows" line counts those unlisted)."""
    return sum(int(str(e.params.get("count", 0))) if e.code == "more_rows" else 1
               for e in errors)


def masked(text: str) -> str:
    """Mask mobiles and ID numbers (crm_core.pii), then any customer number, keeping 4 digits."""
    return _LONG_NUMBER.sub(lambda m: "*" * (len(m.group()) - 4) + m.group()[-4:],
                            mask_text(text))
