"""Branches and the customer managers who work in them."""

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from crm_core.model.base import Base, str_enum, utcnow


class ManagerRole(enum.StrEnum):
    """Line of business a manager serves."""

    RETAIL = "retail"
    WEALTH = "wealth"
    LOAN = "loan"
    CORPORATE = "corporate"


class ManagerState(enum.StrEnum):
    """Whether a manager can take new customers."""

    ACTIVE = "active"
    ON_LEAVE = "on_leave"
    LEFT = "left"


class Branch(Base):
    """A bank branch (网点)."""

    __tablename__ = "branches"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(24), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    # Monotonic ticket for round-robin assignment; bumped atomically by the repository.
    rr_counter: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    managers: Mapped[list["Manager"]] = relationship(back_populates="branch")


class Manager(Base):
    """A customer manager (客户经理)."""

    __tablename__ = "managers"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(24), unique=True)
    name: Mapped[str] = mapped_column(String(50))
    title: Mapped[str] = mapped_column(String(50), default="客户经理")
    role: Mapped[ManagerRole] = mapped_column(str_enum(ManagerRole), default=ManagerRole.RETAIL)
    state: Mapped[ManagerState] = mapped_column(
        str_enum(ManagerState), default=ManagerState.ACTIVE
    )
    branch_id: Mapped[int] = mapped_column(ForeignKey("branches.id"), index=True)
    is_branch_head: Mapped[bool] = mapped_column(default=False, server_default=false())
    # The manager's own WeChat account, bound with a one-time code; notices go there.
    openid: Mapped[str | None] = mapped_column(String(64), unique=True)
    bound_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    branch: Mapped[Branch] = relationship(back_populates="managers")

    @property
    def takes_customers(self) -> bool:
        """Return True if round robin may hand this manager a new customer."""
        return self.state is ManagerState.ACTIVE


def pick_round_robin(candidates: list[Manager], ticket: int) -> Manager | None:
    """Pick the manager whose turn `ticket` is among those who take customers, in id order."""
    eligible = sorted((m for m in candidates if m.takes_customers), key=lambda m: m.id)
    return eligible[ticket % len(eligible)] if eligible else None
