"""Leads: a customer asked for contact; a manager must follow up by the due time."""

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from crm_core.model.base import Base, str_enum, utcnow
from crm_core.model.customer import Customer
from crm_core.model.org import Branch, Manager


class LeadStatus(enum.StrEnum):
    """Where a lead stands."""

    NEW = "new"
    CONTACTED = "contacted"
    CONVERTED = "converted"
    LOST = "lost"


OPEN_STATUSES = (LeadStatus.NEW, LeadStatus.CONTACTED)
_OPEN = "status IN ('new', 'contacted')"
NOTE_MAX_LENGTH = 500  # one follow-up's note: a few sentences, not a document


class BadNote(ValueError):
    """A note too long to keep or with characters no database stores (NUL)."""


class Lead(Base):
    """A customer's request to be contacted, owned by a manager until closed."""

    __tablename__ = "leads"
    __table_args__ = (
        Index("ix_leads_manager_status", "manager_id", "status"),
        Index("ix_leads_status_due", "status", "due_at"),
        # The leads list: a manager's or a branch's, by status, due or created first.
        Index("ix_leads_manager_status_due", "manager_id", "status", "due_at"),
        Index("ix_leads_branch_status_due", "branch_id", "status", "due_at"),
        # One open lead per customer and request (source, product), enforced by the database
        # itself: two indexes, as NULL products would never collide in one.
        Index("uq_leads_open_request", "customer_id", "source", unique=True,
              sqlite_where=text(f"product_code IS NULL AND {_OPEN}"),
              postgresql_where=text(f"product_code IS NULL AND {_OPEN}")),
        Index("uq_leads_open_product", "customer_id", "source", "product_code", unique=True,
              sqlite_where=text(_OPEN), postgresql_where=text(_OPEN)),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"), index=True)
    manager_id: Mapped[int | None] = mapped_column(ForeignKey("managers.id"))
    branch_id: Mapped[int | None] = mapped_column(ForeignKey("branches.id"), index=True)
    source: Mapped[str] = mapped_column(String(32))
    product_code: Mapped[str | None] = mapped_column(String(32))
    status: Mapped[LeadStatus] = mapped_column(str_enum(LeadStatus), default=LeadStatus.NEW)
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    due_at: Mapped[datetime] = mapped_column(index=True)
    contacted_at: Mapped[datetime | None]
    closed_at: Mapped[datetime | None]
    reminded_at: Mapped[datetime | None]
    escalated_at: Mapped[datetime | None]
    note: Mapped[str | None] = mapped_column(Text)

    customer: Mapped[Customer] = relationship()
    manager: Mapped[Manager | None] = relationship()
    branch: Mapped[Branch | None] = relationship()

    def move_to(self, status: LeadStatus, at: datetime) -> None:
        """Change status, stamping when it was contacted or closed."""
        self.status = status
        if status is LeadStatus.CONTACTED and self.contacted_at is None:
            self.contacted_at = at
        if status in (LeadStatus.CONVERTED, LeadStatus.LOST):
            self.contacted_at = self.contacted_at or at
            self.closed_at = at

    def add_note(self, note: str) -> None:
        """Append one follow-up's note under the earlier ones."""
        if len(note) > NOTE_MAX_LENGTH or "\x00" in note:
            raise BadNote(f"a note is 1..{NOTE_MAX_LENGTH} characters without NUL")
        self.note = f"{self.note}\n{note}" if self.note else note
