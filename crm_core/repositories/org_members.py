"""Payroll members on the 单位 (employer) dimension of segments: a payroll list says where a
customer works as surely as the bank's employer extract does."""

from datetime import date
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from crm_core.model import DimensionValue
from crm_core.repositories.base import insert_or_skip

EMPLOYER = "employer"


class MemberValues:
    """Employer values written for an organisation's payroll members (mixed into the
    organisations' store)."""

    session: Session

    def employer_month(self, fallback: date) -> date:
        """Return the month segments read the employer dimension in (the latest one stored),
        or `fallback` when there is none yet."""
        stmt = select(func.max(DimensionValue.month)).where(DimensionValue.dimension == EMPLOYER)
        latest: date | None = self.session.scalar(stmt)
        return latest or fallback

    def add_employers(self, pairs: list[tuple[int, str]], month: date) -> None:
        """Record each (customer, organisation name) as the customer's employer in the month,
        keeping values already there."""
        rows: list[dict[str, Any]] = [
            {"customer_id": customer_id, "dimension": EMPLOYER, "month": month,
             "value": name[:64], "amount": None, "batch_id": None}
            for customer_id, name in dict.fromkeys(pairs)]
        if rows:
            self.session.execute(insert_or_skip(self.session, DimensionValue)
                                 .on_conflict_do_nothing(), rows)
