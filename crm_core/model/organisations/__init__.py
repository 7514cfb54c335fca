"""Organisations the bank works with: companies, merchants and partner units, their contact
persons, and the trade relationships between them (the chains marketed along).

Kinds and product families are stored as the words staff write in their files (as the FAQ's
topics are), so an import reads them as they are and a page shows them as they are.
"""

import enum
from datetime import date, datetime

from sqlalchemy import (
    JSON,
    BigInteger,
    CheckConstraint,
    ForeignKey,
    Index,
    String,
    Text,
    UniqueConstraint,
    false,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from crm_core.model.base import Base, BigId, str_enum, utcnow
from crm_core.model.customer import Customer
from crm_core.model.leads import LeadStatus
from crm_core.model.org import Branch, Manager
from crm_core.model.organisations.credit_code import (
    check_character,
    normalise_credit_code,
)


class OrgKind(enum.StrEnum):
    """What kind of unit an organisation is."""

    MERCHANT = "商户"
    LOGISTICS = "物流快递"
    MANUFACTURER = "生产企业"
    PAYROLL = "代发单位"
    ASSOCIATION = "协会/商会"
    INTERNAL = "行内部门"
    OTHER = "其他"


class ProductFamily(enum.StrEnum):
    """The corporate product families an organisation may hold with the bank."""

    SETTLEMENT = "结算"
    FINANCING = "融资"
    CARDS = "银行卡"
    CASH = "现金管理"
    PAYROLL = "代发"


class TradeKind(enum.StrEnum):
    """What the counterparty is to the organisation a relationship starts from."""

    SUPPLIER = "供应商"
    BUYER = "采购方"
    LOGISTICS = "物流服务商"
    LANDLORD = "出租方"


class Organisation(Base):
    """A company, merchant or partner unit, owned by a corporate manager of a branch."""

    __tablename__ = "organisations"
    __table_args__ = (Index("ix_organisations_branch_name", "branch_id", "name"),
                      Index("ix_organisations_manager_name", "manager_id", "name"))

    id: Mapped[int] = mapped_column(primary_key=True)
    # The bank's own short code: names the unit in files, commands and its QR scene (u:code).
    code: Mapped[str] = mapped_column(String(24), unique=True)
    name: Mapped[str] = mapped_column(String(100), index=True)
    credit_code: Mapped[str | None] = mapped_column(String(18), unique=True)
    kind: Mapped[str] = mapped_column(String(16))
    market: Mapped[str | None] = mapped_column(String(100), index=True)
    industry: Mapped[str | None] = mapped_column(String(50))
    branch_id: Mapped[int] = mapped_column(ForeignKey("branches.id"))
    manager_id: Mapped[int | None] = mapped_column(ForeignKey("managers.id"))
    key_link: Mapped[bool] = mapped_column(default=False, server_default=false())
    # The product families held, in ProductFamily order (a short list, never queried inside).
    products: Mapped[list[str]] = mapped_column(JSON, default=list)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)

    branch: Mapped[Branch] = relationship()
    manager: Mapped[Manager | None] = relationship()

    def lacks(self, family: ProductFamily) -> bool:
        """Say whether the organisation does not hold a product family."""
        return family.value not in self.products


class OrgContact(Base):
    """A contact person of an organisation; a follower is linked to their customer record."""

    __tablename__ = "organisation_contacts"
    __table_args__ = (UniqueConstraint("organisation_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"))
    name: Mapped[str] = mapped_column(String(50))
    title: Mapped[str] = mapped_column(String(50), default="")
    customer_id: Mapped[int | None] = mapped_column(ForeignKey("customers.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    customer: Mapped[Customer | None] = relationship()


class OrgMember(Base):
    """A customer who belongs to an organisation: followed through its partner-unit code, or
    listed on its payroll (the 单位 dimension of segments)."""

    __tablename__ = "organisation_members"
    __table_args__ = (UniqueConstraint("organisation_id", "customer_id"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"))
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"), index=True)
    source: Mapped[str] = mapped_column(String(100))  # "code", or the payroll file's name
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class TradeRelationship(Base):
    """One organisation's trade with a counterparty, as of a date, with its monthly volume."""

    __tablename__ = "trade_relationships"
    __table_args__ = (
        UniqueConstraint("organisation_id", "counterparty_id", "kind"),
        CheckConstraint("organisation_id <> counterparty_id", name="not_self"),
        # The chain around one organisation is read from both ends.
        Index("ix_trade_relationships_counterparty", "counterparty_id", "organisation_id"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"))
    counterparty_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"))
    kind: Mapped[str] = mapped_column(String(16))
    monthly_volume: Mapped[int | None] = mapped_column(BigInteger)  # yuan
    source: Mapped[str] = mapped_column(String(100))  # the extract's file name, or staff:<user>
    as_of: Mapped[date]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


_OPEN = "status IN ('new', 'contacted')"


class ChainLead(Base):
    """A counterparty of a key link worth approaching, for a corporate manager, with its
    reason in words; it keeps the lead's statuses and service levels."""

    __tablename__ = "chain_leads"
    __table_args__ = (
        # One open chain lead per organisation: a second run finds it and adds nothing.
        Index("uq_chain_leads_open", "organisation_id", unique=True,
              sqlite_where=text(_OPEN), postgresql_where=text(_OPEN)),
        Index("ix_chain_leads_manager_status", "manager_id", "status", "due_at"),
        Index("ix_chain_leads_status_due", "status", "due_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"))
    key_link_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"))
    manager_id: Mapped[int | None] = mapped_column(ForeignKey("managers.id"))
    branch_id: Mapped[int] = mapped_column(ForeignKey("branches.id"), index=True)
    reason: Mapped[str] = mapped_column(Text)
    # The families the organisation lacks (empty: it is no customer of the bank at all).
    missing: Mapped[list[str]] = mapped_column(JSON, default=list)
    monthly_volume: Mapped[int | None] = mapped_column(BigInteger)
    status: Mapped[LeadStatus] = mapped_column(str_enum(LeadStatus), default=LeadStatus.NEW)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    due_at: Mapped[datetime]
    contacted_at: Mapped[datetime | None]
    closed_at: Mapped[datetime | None]
    reminded_at: Mapped[datetime | None]
    escalated_at: Mapped[datetime | None]

    organisation: Mapped[Organisation] = relationship(foreign_keys=[organisation_id])
    key_link: Mapped[Organisation] = relationship(foreign_keys=[key_link_id])
    manager: Mapped[Manager | None] = relationship()


__all__ = [
    "ChainLead",
    "OrgContact",
    "OrgKind",
    "OrgMember",
    "Organisation",
    "ProductFamily",
    "TradeKind",
    "TradeRelationship",
    "check_character",
    "normalise_credit_code",
]
