"""Referrals between staff: a manager hands a customer (a person or an organisation) to
another line of the bank and is credited for what comes of it.

The first referral of a subject to a line holds it for the lock period: a second one inside
it is answered with the first, so two managers never race for one business owner. Each step
is stamped, which is what the SLAs, the referrer's record and the credit are computed from.
"""

import enum
from datetime import datetime

from sqlalchemy import BigInteger, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from crm_core.model.base import Base, str_enum, utcnow
from crm_core.model.customer import Customer
from crm_core.model.org import Branch, Manager, ManagerRole
from crm_core.model.organisations import Organisation


class ReferralStatus(enum.StrEnum):
    """Where a referral stands."""

    SUBMITTED = "submitted"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    CONTACTED = "contacted"
    QUALIFIED = "qualified"
    CONVERTED = "converted"
    NOT_CONVERTED = "not_converted"
    EXPIRED = "expired"


OPEN_REFERRALS = (ReferralStatus.SUBMITTED, ReferralStatus.ACCEPTED, ReferralStatus.CONTACTED,
                  ReferralStatus.QUALIFIED)
CLOSED_REFERRALS = (ReferralStatus.DECLINED, ReferralStatus.CONVERTED,
                    ReferralStatus.NOT_CONVERTED, ReferralStatus.EXPIRED)
# The steps a receiver may take from each open status (conversions come from outcomes too).
NEXT_STEPS: dict[ReferralStatus, tuple[ReferralStatus, ...]] = {
    ReferralStatus.SUBMITTED: (ReferralStatus.ACCEPTED, ReferralStatus.DECLINED),
    ReferralStatus.ACCEPTED: (ReferralStatus.CONTACTED, ReferralStatus.NOT_CONVERTED),
    ReferralStatus.CONTACTED: (ReferralStatus.QUALIFIED, ReferralStatus.CONVERTED,
                               ReferralStatus.NOT_CONVERTED),
    ReferralStatus.QUALIFIED: (ReferralStatus.CONVERTED, ReferralStatus.NOT_CONVERTED),
}


class Referral(Base):
    """One manager's referral of a customer or organisation to another line."""

    __tablename__ = "referrals"
    __table_args__ = (Index("ix_referrals_subject_line", "subject", "line", "created_at"),
                      Index("ix_referrals_status_due", "status", "due_at"),
                      Index("ix_referrals_receiver_status", "receiver_id", "status"),
                      Index("ix_referrals_referrer_status", "referrer_id", "status"))

    id: Mapped[int] = mapped_column(primary_key=True)
    # "c<customer id>" or "o<organisation id>": the key the lock period holds.
    subject: Mapped[str] = mapped_column(String(24))
    customer_id: Mapped[int | None] = mapped_column(ForeignKey("customers.id"))
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id"))
    line: Mapped[ManagerRole] = mapped_column(str_enum(ManagerRole))
    referrer_id: Mapped[int] = mapped_column(ForeignKey("managers.id"))
    # None: waiting in the receiving branch's queue for its head to assign.
    receiver_id: Mapped[int | None] = mapped_column(ForeignKey("managers.id"))
    branch_id: Mapped[int] = mapped_column(ForeignKey("branches.id"), index=True)
    product_interest: Mapped[str] = mapped_column(String(64), default="")
    potential_value: Mapped[int | None] = mapped_column(BigInteger)  # yuan
    note: Mapped[str | None] = mapped_column(Text)
    status: Mapped[ReferralStatus] = mapped_column(str_enum(ReferralStatus),
                                                   default=ReferralStatus.SUBMITTED)
    decline_reason: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    lock_until: Mapped[datetime]
    # The next SLA: acceptance while submitted, first contact once accepted.
    due_at: Mapped[datetime | None]
    reminded_at: Mapped[datetime | None]
    escalated_at: Mapped[datetime | None]
    accepted_at: Mapped[datetime | None]
    contacted_at: Mapped[datetime | None]
    qualified_at: Mapped[datetime | None]
    closed_at: Mapped[datetime | None]
    outcome: Mapped[str | None] = mapped_column(String(32))
    converted_value: Mapped[int | None] = mapped_column(BigInteger)  # yuan

    customer: Mapped[Customer | None] = relationship()
    organisation: Mapped[Organisation | None] = relationship()
    referrer: Mapped[Manager] = relationship(foreign_keys=[referrer_id])
    receiver: Mapped[Manager | None] = relationship(foreign_keys=[receiver_id])
    branch: Mapped[Branch] = relationship()

    @property
    def is_open(self) -> bool:
        """Say whether the referral is still being worked."""
        return self.status in OPEN_REFERRALS

    def holds_lock(self, now: datetime) -> bool:
        """Say whether this referral still holds its subject and line against later ones."""
        return self.status is not ReferralStatus.DECLINED and now < self.lock_until


__all__ = ["CLOSED_REFERRALS", "NEXT_STEPS", "OPEN_REFERRALS", "Referral", "ReferralStatus"]
