"""The product catalogue and share tracking in memory."""

from datetime import datetime
from typing import Any

from crm_core.model import (
    Customer,
    Manager,
    Product,
    ProductVersion,
    RecommendationPref,
    RiskAssessment,
    ShareEvent,
    ShareLink,
)
from crm_core.repositories.products import CATALOGUE_REVISION
from tests.fakes.store import FakeStore
from tests.fakes.system import FakeSharedValues


class FakeProducts:
    """The catalogue, assessments and preferences in memory."""

    def __init__(self, store: FakeStore) -> None:
        self.store = store
        self.shared = FakeSharedValues(store)

    @property
    def versions(self) -> list[ProductVersion]:
        """Return every version kept (for assertions)."""
        return self.store.rows(ProductVersion)

    def stamp(self) -> str | None:
        row = self.shared.get(CATALOGUE_REVISION)
        return row.value if row else None

    def new_revision(self, revision: str) -> None:
        self.shared.ensure(CATALOGUE_REVISION).value = revision

    def current(self) -> list[Product]:
        return sorted(self.store.rows(Product), key=lambda p: p.code)

    def by_code(self, code: str) -> Product | None:
        return next((p for p in self.store.rows(Product) if p.code == code), None)

    def add(self, item: Product | ProductVersion | RiskAssessment | RecommendationPref) -> None:
        self.store.add(item)

    def latest_assessment(self, customer: Customer) -> RiskAssessment | None:
        mine = [a for a in self.store.rows(RiskAssessment) if a.customer_id == customer.id]
        return max(mine, key=lambda a: (a.assessed_on, a.id), default=None)

    def profile(self, customer: Customer) -> tuple[RiskAssessment | None,
                                                   RecommendationPref | None]:
        return self.latest_assessment(customer), self.pref(customer)

    def pref(self, customer: Customer) -> RecommendationPref | None:
        return self.store.get(RecommendationPref, customer.id)

    def by_codes(self, codes: list[str]) -> dict[str, Product]:
        return {p.code: p for p in self.store.rows(Product) if p.code in codes}

    def version_of(self, product: Product, version: int) -> dict[str, Any] | None:
        return next((v.data for v in self.versions
                     if (v.product_id, v.version) == (product.id, version)), None)

    def customers(self, ids: list[int]) -> dict[int, Customer]:
        return {c.id: c for c in self.store.rows(Customer) if c.id in ids}


class FakeShares:
    """Share links and their events in memory; twins collapse on the same unique keys."""

    def __init__(self, store: FakeStore) -> None:
        self.store = store

    @property
    def events(self) -> list[ShareEvent]:
        """Return every event recorded (for assertions)."""
        return self.store.rows(ShareEvent)

    def by_key(self, key: str) -> ShareLink | None:
        return next((s for s in self.store.rows(ShareLink) if s.key == key), None)

    def ensure(self, values: dict[str, Any]) -> ShareLink:
        link = self.by_key(values["key"])
        if link is None:
            link = ShareLink(**values)
            self.store.add(link)
            self.store.flush()
        return link

    def record(self, values: dict[str, Any]) -> bool:
        same = (values["share_id"], values["kind"], values["visitor"])
        event = next((e for e in self.events if (e.share_id, e.kind, e.visitor) == same), None)
        if event is None:
            self.store.add(ShareEvent(**values, hits=1))
            self.store.flush()
            return True
        event.hits, event.last_at = event.hits + 1, values["last_at"]
        return False

    def unique_opens(self, root_customer_id: int, product_code: str) -> int:
        return len({e.visitor for e, share in self._joined() if e.kind == "open"
                    and (share.root_customer_id, share.product_code)
                    == (root_customer_id, product_code)})

    def last_opened_by(self, visitor: str, since: datetime) -> ShareLink | None:
        opens = [(e.first_at, e.id, share) for e, share in self._joined()
                 if (e.visitor, e.kind) == (visitor, "open") and e.first_at >= since]
        return max(opens, key=lambda row: row[:2], default=(None, None, None))[2]

    def has_events(self, share: ShareLink) -> bool:
        return any(e.share_id == share.id for e in self.events)

    def board(self, by: str, manager_id: int | None = None,
              branch_id: int | None = None) -> list[tuple[Any, ...]]:
        groups: dict[tuple[int, str], tuple[set[str], set[int]]] = {}
        for event, share in self._joined():
            root = share.root_manager_id if by == "manager" else share.root_customer_id
            if root is None or not self._credited(share, manager_id, branch_id):
                continue
            visitors, links = groups.setdefault((root, event.kind), (set(), set()))
            visitors.add(event.visitor)
            links.add(share.id)
        return [(root, kind, len(visitors), len(links))
                for (root, kind), (visitors, links) in groups.items()]

    def _credited(self, share: ShareLink, manager_id: int | None, branch_id: int | None) -> bool:
        if manager_id is not None and share.root_manager_id != manager_id:
            return False
        if branch_id is None:
            return True
        manager = self.store.get(Manager, share.root_manager_id)
        return manager is not None and manager.branch_id == branch_id

    def _joined(self) -> list[tuple[ShareEvent, ShareLink]]:
        links = {link.id: link for link in self.store.rows(ShareLink)}
        return [(e, links[e.share_id]) for e in self.events]
