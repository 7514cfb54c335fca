"""Repositories of the product catalogue, risk assessments, preferences and shares."""

from typing import Any, Protocol

from sqlalchemy import Insert, func, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from crm_core.model import (
    Customer,
    Product,
    ProductVersion,
    RecommendationPref,
    RiskAssessment,
    ShareEvent,
    ShareLink,
)


class ProductRepository(Protocol):
    """Products, their versions, customers' assessments and recommendation preferences."""

    def stamp(self) -> tuple[int, int]: ...
    def current(self) -> list[Product]: ...
    def by_code(self, code: str) -> Product | None: ...
    def add(self, item: Product | ProductVersion | RiskAssessment | RecommendationPref) -> None: ...
    def latest_assessment(self, customer: Customer) -> RiskAssessment | None: ...
    def pref(self, customer: Customer) -> RecommendationPref | None: ...
    def customers_by_openid(self, openids: list[str]) -> dict[str, Customer]: ...


class ShareRepository(Protocol):
    """Share links and what they brought."""

    def by_key(self, key: str) -> ShareLink | None: ...
    def ensure(self, values: dict[str, Any]) -> ShareLink: ...
    def record(self, values: dict[str, Any]) -> bool: ...
    def unique_opens(self, root_customer_id: int, product_code: str) -> int: ...
    def board(self, by: str) -> list[tuple[Any, ...]]: ...


def _insert(session: Session, table: Any) -> Insert:
    bind = session.get_bind()
    dialect = postgresql if bind.dialect.name == "postgresql" else sqlite
    return dialect.insert(table)  # type: ignore[no-any-return]


class SqlProducts:
    """The catalogue in SQL."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def stamp(self) -> tuple[int, int]:
        """Return (newest version id, version count): changes whenever the catalogue does."""
        row = self.session.execute(select(func.max(ProductVersion.id), func.count())
                                   .select_from(ProductVersion)).one()
        return int(row[0] or 0), int(row[1] or 0)

    def current(self) -> list[Product]:
        """Return every product, by code."""
        return list(self.session.scalars(select(Product).order_by(Product.code)))

    def by_code(self, code: str) -> Product | None:
        """Return the product with this code."""
        return self.session.scalar(select(Product).where(Product.code == code))

    def add(self, item: Product | ProductVersion | RiskAssessment | RecommendationPref) -> None:
        """Add a product, version, assessment or preference."""
        self.session.add(item)

    def latest_assessment(self, customer: Customer) -> RiskAssessment | None:
        """Return the customer's most recent assessment."""
        stmt = (select(RiskAssessment).where(RiskAssessment.customer_id == customer.id)
                .order_by(RiskAssessment.assessed_on.desc(), RiskAssessment.id.desc()).limit(1))
        return self.session.scalar(stmt)

    def pref(self, customer: Customer) -> RecommendationPref | None:
        """Return the customer's recommendation preference, if they ever set one."""
        return self.session.get(RecommendationPref, customer.id)

    def customers_by_openid(self, openids: list[str]) -> dict[str, Customer]:
        """Return the known customers among `openids`."""
        stmt = select(Customer).where(Customer.openid.in_(openids))
        return {c.openid: c for c in self.session.scalars(stmt)}


class SqlShares:
    """Share links and their events in SQL; concurrent twins collapse on unique keys."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def by_key(self, key: str) -> ShareLink | None:
        """Return the share link with this key."""
        return self.session.scalar(select(ShareLink).where(ShareLink.key == key))

    def ensure(self, values: dict[str, Any]) -> ShareLink:
        """Insert the share link unless its key exists, and return it."""
        stmt = _insert(self.session, ShareLink).values(**values)
        self.session.execute(stmt.on_conflict_do_nothing(index_elements=["key"]))
        link = self.by_key(values["key"])
        assert link is not None  # noqa: S101 - inserted or already there
        return link

    def record(self, values: dict[str, Any]) -> bool:
        """Record one visitor's event on a share; True if it is their first, else count a hit."""
        stmt = _insert(self.session, ShareEvent).values(**values, hits=1)
        stmt = stmt.on_conflict_do_nothing(index_elements=["share_id", "kind", "visitor"])
        if getattr(self.session.execute(stmt), "rowcount", 0) == 1:
            return True
        self.session.execute(
            update(ShareEvent).where(ShareEvent.share_id == values["share_id"],
                                     ShareEvent.kind == values["kind"],
                                     ShareEvent.visitor == values["visitor"])
            .values(hits=ShareEvent.hits + 1, last_at=values["last_at"]),
            execution_options={"synchronize_session": False})
        return False

    def unique_opens(self, root_customer_id: int, product_code: str) -> int:
        """Count the distinct visitors who opened a customer's shares of one product."""
        stmt = (select(func.count(func.distinct(ShareEvent.visitor)))
                .join(ShareLink, ShareLink.id == ShareEvent.share_id)
                .where(ShareLink.root_customer_id == root_customer_id,
                       ShareLink.product_code == product_code, ShareEvent.kind == "open"))
        return int(self.session.scalar(stmt) or 0)

    def board(self, by: str) -> list[tuple[Any, ...]]:
        """Return (root id, event kind, distinct visitors, links) grouped by root customer or manager."""
        root = ShareLink.root_manager_id if by == "manager" else ShareLink.root_customer_id
        stmt = (select(root, ShareEvent.kind, func.count(func.distinct(ShareEvent.visitor)),
                       func.count(func.distinct(ShareLink.id)))
                .join(ShareEvent, ShareEvent.share_id == ShareLink.id)
                .where(root.is_not(None)).group_by(root, ShareEvent.kind))
        return [tuple(row) for row in self.session.execute(stmt)]
