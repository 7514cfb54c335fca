"""Customers and their link to a customer manager, with history."""

import enum
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from crm_core.model.base import Base, str_enum, utcnow
from crm_core.model.org import Branch, Manager


class FollowState(enum.StrEnum):
    """Whether the customer follows the official account."""

    FOLLOWING = "following"
    UNFOLLOWED = "unfollowed"
    UNKNOWN = "unknown"


class LinkReason(enum.StrEnum):
    """Why a customer–manager link started or ended."""

    FIRST_TOUCH = "first_touch"
    MANAGER_LEFT = "manager_left"
    TRANSFER = "transfer"


@dataclass(frozen=True)
class SealedPhone:
    """A mobile number as stored: ciphertext, last four digits, keyed hash of the 11 digits."""

    cipher: str
    last4: str
    digest: str


@dataclass(frozen=True)
class ManagerCard:
    """What a customer is told about their manager."""

    code: str
    name: str
    title: str
    branch_name: str

    @classmethod
    def of(cls, manager: Manager) -> "ManagerCard":
        """Describe a manager."""
        return cls(manager.code, manager.name, manager.title, manager.branch.name)


class Customer(Base):
    """A person known to the bank through a channel (today: a WeChat openid)."""

    __tablename__ = "customers"
    __table_args__ = (
        # Prefix search (LIKE 'x%') with an index under any collation on PostgreSQL.
        Index("ix_customers_display_name_prefix", "display_name",
              postgresql_ops={"display_name": "varchar_pattern_ops"}),
        Index("ix_customers_openid_prefix", "openid",
              postgresql_ops={"openid": "varchar_pattern_ops"}),
        # A manager's customers, latest contact first (the customers list's default order).
        Index("ix_customers_manager_touch", "current_manager_id", "last_touch_at"),
        # Sorting by name (the prefix index above cannot give the collation's order).
        Index("ix_customers_name_order", "display_name", "id"),
        Index("ix_customers_followed_order", "followed_at", "id"),
        # A branch's customers without any manager (the branch overview lists them).
        Index("ix_customers_branch_unmanaged", "home_branch_id", "id",
              postgresql_where=text("current_manager_id IS NULL"),
              sqlite_where=text("current_manager_id IS NULL")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    openid: Mapped[str] = mapped_column(String(64), unique=True)
    unionid: Mapped[str | None] = mapped_column(String(64), index=True)
    follow_state: Mapped[FollowState] = mapped_column(
        str_enum(FollowState), default=FollowState.UNKNOWN
    )
    followed_at: Mapped[datetime | None]
    unfollowed_at: Mapped[datetime | None]
    first_touch_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    first_touch_source: Mapped[str] = mapped_column(String(64))
    last_touch_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    home_branch_id: Mapped[int | None] = mapped_column(ForeignKey("branches.id"), index=True)
    # The current manager and their branch (None: no current link), copied from the links by
    # crm_core.model.manager_branch: lists find a manager's or a branch's customers by index.
    current_manager_id: Mapped[int | None] = mapped_column(ForeignKey("managers.id"))
    manager_branch_id: Mapped[int | None] = mapped_column(ForeignKey("branches.id"),
                                                          index=True)
    # Staff's name for the customer (备注名): WeChat no longer tells us nicknames.
    display_name: Mapped[str | None] = mapped_column(String(50))
    # A mobile number is C2 data: stored encrypted by the channel layer; the last 4 digits
    # alone are kept clear so staff can search by them.
    phone_cipher: Mapped[str | None] = mapped_column(String(255))
    phone_last4: Mapped[str | None] = mapped_column(String(4), index=True)
    # HMAC-SHA256 (hex) of the 11 digits under a key derived from the service secret: a whole
    # number can be searched for without storing it in clear (see SealedPhone).
    phone_hash: Mapped[str | None] = mapped_column(String(64), index=True)

    home_branch: Mapped[Branch | None] = relationship(foreign_keys=[home_branch_id])
    links: Mapped[list["ManagerLink"]] = relationship(
        back_populates="customer", order_by="ManagerLink.started_at"
    )

    def set_phone(self, phone: "SealedPhone") -> None:
        """Record the customer's mobile number: encrypted, its last four, its keyed hash."""
        self.phone_cipher, self.phone_last4, self.phone_hash = \
            phone.cipher, phone.last4, phone.digest

    def touch(self, at: datetime) -> None:
        """Note that the customer was in contact at `at`."""
        if at > self.last_touch_at:  # an unchanged value would still make the row dirty
            self.last_touch_at = at

    @property
    def current_link(self) -> "ManagerLink | None":
        """Return the link in force, if any."""
        return next((link for link in self.links if link.ended_at is None), None)


class ManagerLink(Base):
    """A period during which a manager owned a customer; ended links are history."""

    __tablename__ = "manager_links"
    __table_args__ = (
        # At most one link in force per customer, enforced by the database itself.
        Index(
            "uq_manager_links_current", "customer_id", unique=True,
            sqlite_where=text("ended_at IS NULL"), postgresql_where=text("ended_at IS NULL"),
        ),
        # A manager's customers in force, newest first: their home page reads these.
        Index(
            "ix_manager_links_manager_current", "manager_id", "started_at",
            sqlite_where=text("ended_at IS NULL"), postgresql_where=text("ended_at IS NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"), index=True)
    manager_id: Mapped[int] = mapped_column(ForeignKey("managers.id"), index=True)
    source: Mapped[str] = mapped_column(String(64))
    reason: Mapped[LinkReason] = mapped_column(str_enum(LinkReason))
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    ended_at: Mapped[datetime | None]
    end_reason: Mapped[LinkReason | None] = mapped_column(str_enum(LinkReason))

    customer: Mapped[Customer] = relationship(back_populates="links")
    manager: Mapped[Manager] = relationship()

    def end(self, at: datetime, reason: LinkReason) -> None:
        """Close this link, keeping it as history."""
        self.ended_at = at
        self.end_reason = reason


class CustomerNote(Base):
    """A note staff wrote about a customer (a call, a visit, what they asked for)."""

    __tablename__ = "customer_notes"
    __table_args__ = (Index("ix_customer_notes_customer_time", "customer_id", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"))
    author: Mapped[str] = mapped_column(String(64))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
