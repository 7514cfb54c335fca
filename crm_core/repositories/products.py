"""The product catalogue and share tracking in SQL."""

from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, func, select, update
from sqlalchemy.orm import Session

from crm_core.model import (
    Customer,
    Manager,
    Product,
    ProductVersion,
    RecommendationPref,
    RiskAssessment,
    SharedValue,
    ShareEvent,
    ShareLink,
)
from crm_core.repositories.base import insert_or_skip

# The shared value that changes with every change to the catalogue (channels cache indexes).
CATALOGUE_REVISION = "catalogue:revision"


# What a product answer needs to know of the customer, in one statement built once: their
# latest assessment (a correlated subquery picks it) and their personalisation switch.
_LATEST = (select(RiskAssessment.id).where(RiskAssessment.customer_id == Customer.id)
           .order_by(RiskAssessment.assessed_on.desc(), RiskAssessment.id.desc()).limit(1)
           .correlate(Customer).scalar_subquery())
_PROFILE = (select(RiskAssessment, RecommendationPref).select_from(Customer)
            .outerjoin(RiskAssessment, RiskAssessment.id == _LATEST)
            .outerjoin(RecommendationPref, RecommendationPref.customer_id == Customer.id)
            .where(Customer.id == bindparam("customer_id")))


class SqlProducts:
    """The catalogue in SQL."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def stamp(self) -> str | None:
        """Return the catalogue's revision: one row read by its key, whatever the history."""
        stmt = select(SharedValue.value).where(SharedValue.key == CATALOGUE_REVISION)
        value: str | None = self.session.scalar(stmt)
        return value

    def new_revision(self, revision: str) -> None:
        """Record that the catalogue changed (concurrent imports queue on the row's lock)."""
        self.session.execute(insert_or_skip(self.session, SharedValue)
                             .values(key=CATALOGUE_REVISION)
                             .on_conflict_do_nothing(index_elements=["key"]))
        self.session.execute(update(SharedValue).where(SharedValue.key == CATALOGUE_REVISION)
                             .values(value=revision))

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

    def profile(self, customer: Customer) -> tuple[RiskAssessment | None,
                                                   RecommendationPref | None]:
        """Return the latest assessment and the preference together (one statement)."""
        row = self.session.execute(_PROFILE, {"customer_id": customer.id}).one()
        return row[0], row[1]

    def pref(self, customer: Customer) -> RecommendationPref | None:
        """Return the customer's recommendation preference, if they ever set one."""
        return self.session.get(RecommendationPref, customer.id)

    def by_codes(self, codes: list[str]) -> dict[str, Product]:
        """Return the products with these codes, by code, in one query."""
        stmt = select(Product).where(Product.code.in_(codes))
        return {p.code: p for p in self.session.scalars(stmt)} if codes else {}

    def version_of(self, product: Product, version: int) -> dict[str, Any] | None:
        """Return the data of one version of a product."""
        stmt = select(ProductVersion.data).where(ProductVersion.product_id == product.id,
                                                 ProductVersion.version == version)
        data: dict[str, Any] | None = self.session.scalar(stmt)
        return data

    def customers(self, ids: list[int]) -> dict[int, Customer]:
        """Return the customers with these ids."""
        stmt = select(Customer).where(Customer.id.in_(ids))
        return {c.id: c for c in self.session.scalars(stmt)} if ids else {}


class SqlShares:
    """Share links and their events in SQL; concurrent twins collapse on unique keys."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def by_key(self, key: str) -> ShareLink | None:
        """Return the share link with this key."""
        return self.session.scalar(select(ShareLink).where(ShareLink.key == key))

    def ensure(self, values: dict[str, Any]) -> ShareLink:
        """Insert the share link unless its key exists, and return it."""
        stmt = insert_or_skip(self.session, ShareLink).values(**values)
        self.session.execute(stmt.on_conflict_do_nothing(index_elements=["key"]))
        link = self.by_key(values["key"])
        assert link is not None  # noqa: S101 - inserted or already there
        return link

    def record(self, values: dict[str, Any]) -> bool:
        """Record one visitor's event on a share; True if it is their first, else count a hit."""
        stmt = insert_or_skip(self.session, ShareEvent).values(**values, hits=1)
        stmt = stmt.on_conflict_do_nothing(index_elements=["share_id", "kind", "visitor"])
        if self.session.execute(stmt.returning(ShareEvent.id)).first() is not None:
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

    def last_opened_by(self, visitor: str, since: datetime) -> ShareLink | None:
        """Return the share a visitor opened most recently since `since`, if any."""
        stmt = (select(ShareLink).join(ShareEvent, ShareEvent.share_id == ShareLink.id)
                .where(ShareEvent.visitor == visitor, ShareEvent.kind == "open",
                       ShareEvent.first_at >= since)
                .order_by(ShareEvent.first_at.desc(), ShareEvent.id.desc()).limit(1))
        return self.session.scalar(stmt)

    def has_events(self, share: ShareLink) -> bool:
        """Return True if anything was ever recorded on this share."""
        stmt = select(ShareEvent.id).where(ShareEvent.share_id == share.id).limit(1)
        return self.session.scalar(stmt) is not None

    def board(self, by: str, manager_id: int | None = None,
              branch_id: int | None = None) -> list[tuple[Any, ...]]:
        """Return (root id, event kind, distinct visitors, links) per root customer or manager,
        of the shares credited to one manager or to the managers of one branch if given."""
        root = ShareLink.root_manager_id if by == "manager" else ShareLink.root_customer_id
        stmt = (select(root, ShareEvent.kind, func.count(func.distinct(ShareEvent.visitor)),
                       func.count(func.distinct(ShareLink.id)))
                .join(ShareEvent, ShareEvent.share_id == ShareLink.id)
                .where(root.is_not(None)).group_by(root, ShareEvent.kind))
        if manager_id is not None:
            stmt = stmt.where(ShareLink.root_manager_id == manager_id)
        if branch_id is not None:
            stmt = stmt.join(Manager, Manager.id == ShareLink.root_manager_id).where(
                Manager.branch_id == branch_id)
        return [tuple(row) for row in self.session.execute(stmt)]
