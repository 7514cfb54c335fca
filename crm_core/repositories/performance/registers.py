"""Reading the complaints and suitability-override registers for a month's run."""

from collections import defaultdict
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from crm_core.model.performance.registers import (
    Complaint,
    ComplaintVerdict,
    SuitabilityOverride,
)


def breaches(session: Session, start: date, end: date) -> dict[int, dict[str, list[int]]]:
    """Return per manager the ids of the substantiated complaints received and the overrides
    made between `start` and `end` (exclusive), under their penalty's fact."""
    found: dict[int, dict[str, list[int]]] = defaultdict(lambda: defaultdict(list))
    complaints = (select(Complaint.manager_id, Complaint.id)
                  .where(Complaint.verdict == ComplaintVerdict.SUBSTANTIATED,
                         Complaint.received_on >= start, Complaint.received_on < end)
                  .order_by(Complaint.id))
    for manager_id, id_ in session.execute(complaints):
        found[manager_id]["complaints"].append(id_)
    overrides = (select(SuitabilityOverride.manager_id, SuitabilityOverride.id)
                 .where(SuitabilityOverride.occurred_on >= start,
                        SuitabilityOverride.occurred_on < end)
                 .order_by(SuitabilityOverride.id))
    for manager_id, id_ in session.execute(overrides):
        found[manager_id]["suitability"].append(id_)
    return found
