"""The product catalogue, its versions, and the pure rules of what may be offered to whom."""

import enum
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from crm_core.model.base import Base, BigId, utcnow
from crm_core.model.customer import Customer
from crm_core.model.org import Manager


class Category(enum.StrEnum):
    """Product categories, named as the bank names them (the values are catalogue data)."""

    WEALTH = "理财"
    DEPOSIT = "存款"
    LOAN = "贷款"
    CREDIT_CARD = "信用卡"
    FUND = "基金"
    INSURANCE = "保险"


# Investment products: they carry the risk disclosure and pass the suitability gate.
INVESTMENT = frozenset({Category.WEALTH, Category.FUND, Category.INSURANCE})
# Borrowing products: their rate is always shown as an annual rate.
BORROWING = frozenset({Category.LOAN, Category.CREDIT_CARD})
RISK_LEVELS = range(1, 6)
# Fields of a product that make up one catalogue version (what a customer can be told).
VERSIONED_FIELDS = ("name", "category", "risk_level", "rate", "term", "min_amount",
                    "sale_start", "sale_end", "branches", "summary", "details", "link",
                    "past_performance", "keywords", "private_placement")


class Product(Base):
    """A product in the catalogue, as currently described (earlier versions are kept)."""

    __tablename__ = "products"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    category: Mapped[str] = mapped_column(String(16))
    risk_level: Mapped[int] = mapped_column(Integer)
    rate: Mapped[str] = mapped_column(String(100), default="")
    term: Mapped[str] = mapped_column(String(50), default="")
    min_amount: Mapped[int | None] = mapped_column(Integer)
    sale_start: Mapped[date | None] = mapped_column(Date)
    sale_end: Mapped[date | None] = mapped_column(Date)
    # Branch codes that offer the product; None: every branch.
    branches: Mapped[list[str] | None] = mapped_column(JSON)
    summary: Mapped[str] = mapped_column(String(200))
    details: Mapped[str] = mapped_column(Text, default="")
    link: Mapped[str | None] = mapped_column(String(500))
    past_performance: Mapped[str | None] = mapped_column(String(200))
    keywords: Mapped[str | None] = mapped_column(String(200))
    private_placement: Mapped[bool] = mapped_column(default=False, server_default=false())
    version: Mapped[int] = mapped_column(Integer, default=1)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)

    def snapshot(self) -> dict[str, Any]:
        """Return the versioned fields as JSON-ready data."""
        data = {name: getattr(self, name) for name in VERSIONED_FIELDS}
        for name in ("sale_start", "sale_end"):
            data[name] = data[name].isoformat() if data[name] else None
        return data

    def on_sale(self, today: date) -> bool:
        """Return True if `today` is inside the sales window."""
        return ((self.sale_start is None or self.sale_start <= today)
                and (self.sale_end is None or today <= self.sale_end))

    def offered_at(self, branch_code: str | None) -> bool:
        """Return True if the product is offered at the branch (None: only nationwide ones)."""
        return self.branches is None or (branch_code is not None and branch_code in self.branches)


class ProductVersion(Base):
    """One version of a product's description, kept so any past answer can be reconstructed."""

    __tablename__ = "product_versions"
    __table_args__ = (UniqueConstraint("product_id", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"))
    version: Mapped[int] = mapped_column(Integer)
    data: Mapped[dict[str, Any]] = mapped_column(JSON)
    source: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class RiskAssessment(Base):
    """A customer's risk tolerance assessment (C1–C5 stored as 1–5); the latest one counts."""

    __tablename__ = "risk_assessments"
    __table_args__ = (Index("ix_risk_assessments_customer_date", "customer_id", "assessed_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"))
    level: Mapped[int] = mapped_column(Integer)
    assessed_on: Mapped[date] = mapped_column(Date)
    source: Mapped[str] = mapped_column(String(100))
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)


class RecommendationPref(Base):
    """Whether a customer accepts answers personalised with their profile (PIPL art. 24)."""

    __tablename__ = "recommendation_prefs"

    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"), primary_key=True)
    personalised: Mapped[bool] = mapped_column(default=True)
    changed_at: Mapped[datetime] = mapped_column(default=utcnow)


class ShareLink(Base):
    """One sharer's link to one product; `parent` is the share through which they came."""

    __tablename__ = "share_links"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(16), unique=True)
    product_code: Mapped[str] = mapped_column(String(32), index=True)
    sharer: Mapped[str] = mapped_column(String(40))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("share_links.id"))
    # Who is credited for everything this link and the links it spawned bring.
    root_customer_id: Mapped[int | None] = mapped_column(ForeignKey("customers.id"), index=True)
    root_manager_id: Mapped[int | None] = mapped_column(ForeignKey("managers.id"), index=True)
    # A campaign's own link (sharer k<campaign>[-<customer>]): its opens are the campaign's.
    campaign_id: Mapped[int | None] = mapped_column(ForeignKey("campaigns.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    root_customer: Mapped[Customer | None] = relationship()
    root_manager: Mapped[Manager | None] = relationship()


class ShareEventKind(enum.StrEnum):
    """What a share brought."""

    OPEN = "open"
    SELF = "self"  # the sharer opening their own link: identifies their browser, never counted
    FOLLOW = "follow"
    LEAD = "lead"


class ShareEvent(Base):
    """One visitor's opens (or follow, or lead) through one share link: unique per visitor."""

    __tablename__ = "share_events"
    __table_args__ = (UniqueConstraint("share_id", "kind", "visitor"),
                      # a follower's earlier opens, found by their visitor reference
                      Index("ix_share_events_visitor", "visitor", "kind", "first_at"))

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    share_id: Mapped[int] = mapped_column(ForeignKey("share_links.id"))
    kind: Mapped[str] = mapped_column(String(16))
    visitor: Mapped[str] = mapped_column(String(40))
    customer_id: Mapped[int | None] = mapped_column(ForeignKey("customers.id"))
    hits: Mapped[int] = mapped_column(Integer, default=1)
    first_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_at: Mapped[datetime] = mapped_column(default=utcnow)


@dataclass(frozen=True)
class Assessment:
    """A customer's risk level as it stands today: None when missing or expired."""

    level: int | None
    assessed_on: date | None
    expired: bool


def suitability(product: Product, assessment: Assessment) -> str | None:
    """Return why `product` may not be recommended to this customer, or None if it may."""
    if product.category not in INVESTMENT and product.risk_level <= 1:
        return None  # deposits, loans and cards at R1 are not investment sales
    if assessment.level is None:
        return "assessment_expired" if assessment.expired else "no_assessment"
    return "risk_above_assessment" if product.risk_level > assessment.level else None
