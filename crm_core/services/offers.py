"""What a customer may be offered: sales window, branch, placement and suitability gates.

Every answer passes here. Products off sale, not offered at the customer's branch or sold by
private placement (never marketed in public) are dropped; products above the customer's valid
risk assessment are withheld with the reason. Every decision is logged as one audit event.
The suitability gate applies whether or not the customer accepts personalisation: it is a
legal duty, not a recommendation. Personalisation only changes the order of what is shown.
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from crm_core.model import AuditEvent, Customer, Product
from crm_core.model.products import INVESTMENT, Assessment, suitability
from crm_core.services.customers import ensure_customer
from crm_core.services.suitability import assessment_of
from crm_core.unit_of_work import UnitOfWork


@dataclass(frozen=True)
class ProductCard:
    """A product version as channels show it."""

    code: str
    name: str
    category: str
    risk_level: int
    rate: str
    term: str
    min_amount: int | None
    summary: str
    details: str
    past_performance: str | None
    keywords: str | None
    private_placement: bool
    version: int

    @property
    def investment(self) -> bool:
        """Return True for wealth, fund and insurance products (they carry the disclosure)."""
        return self.category in INVESTMENT

    @classmethod
    def of(cls, product: Product) -> "ProductCard":
        """Describe a product as it currently stands."""
        return cls(product.code, product.name, product.category, product.risk_level,
                   product.rate, product.term, product.min_amount, product.summary,
                   product.details, product.past_performance, product.keywords,
                   product.private_placement, product.version)


@dataclass(frozen=True)
class Offer:
    """The products a customer is shown, those withheld and why, and on what basis."""

    shown: tuple[ProductCard, ...]
    withheld: tuple[tuple[ProductCard, str], ...]
    assessment: Assessment
    personalised: bool


@dataclass(frozen=True)
class OfferPolicy:
    """The rules an offer is made under."""

    today: date
    validity: timedelta
    limit: int = 5


def catalogue(uow: UnitOfWork) -> tuple[str | None, list[ProductCard]]:
    """Return the catalogue's stamp and every product, for channels that index it."""
    return uow.products.stamp(), [ProductCard.of(p) for p in uow.products.current()]


def catalogue_stamp(uow: UnitOfWork) -> str | None:
    """Return a value that changes whenever the catalogue does (one cheap query)."""
    return uow.products.stamp()


def offer_products(uow: UnitOfWork, openid: str, ranked: list[tuple[str, float]],
                   policy: OfferPolicy, now: datetime) -> Offer:
    """Decide which of the ranked product codes the customer may be shown, and log it."""
    customer = ensure_customer(uow, openid, now, source="direct")
    latest, pref = uow.products.profile(customer)
    assessment = assessment_of(latest, policy.today, policy.validity)
    personal = pref is None or pref.personalised
    products = uow.products.by_codes([code for code, _ in ranked])
    branch = customer_branch(customer)
    shown: list[tuple[Product, float]] = []
    withheld: list[tuple[ProductCard, str]] = []
    decisions: list[dict[str, Any]] = []
    for code, score in ranked:
        product = products.get(code)
        reason = _gate(product, branch, policy.today) if product else "unknown"
        reason = reason or (suitability(product, assessment) if product else None)
        decisions.append({"code": code, "version": product.version if product else None,
                          "risk": product.risk_level if product else None,
                          "outcome": reason or "shown"})
        if product is not None and reason is None:
            shown.append((product, score))
        elif product is not None and reason not in _DROPPED:
            withheld.append((ProductCard.of(product), reason or ""))
    ordered = _order(shown, assessment, branch, personal)[:policy.limit]
    _log(uow, openid, assessment, personal, decisions, now)
    return Offer(tuple(ordered), tuple(withheld), assessment, personal)


_DROPPED = frozenset({"off_sale", "not_at_branch", "private_placement", "unknown"})


def _gate(product: Product, branch: str | None, today: date) -> str | None:
    if not product.on_sale(today):
        return "off_sale"
    if not product.offered_at(branch):
        return "not_at_branch"
    return "private_placement" if product.private_placement else None


def customer_branch(customer: Customer) -> str | None:
    """Return the branch that serves the customer: their manager's, else their home branch."""
    link = customer.current_link
    if link is not None:
        return link.manager.branch.code
    return customer.home_branch.code if customer.home_branch else None


def _order(shown: list[tuple[Product, float]], assessment: Assessment, branch: str | None,
           personal: bool) -> list[ProductCard]:
    # Relevance decides; with personalisation on, ties (within 5 points) go to products close
    # to the customer's risk level and to those offered at their own branch.
    def key(item: tuple[Product, float]) -> tuple[float, int, int, str]:
        product, score = item
        if not personal:
            return (-score, 0, 0, product.code)
        distance = abs((assessment.level or 1) - product.risk_level)
        local = 0 if product.branches and branch in product.branches else 1
        return (-round(score / 5), distance, local, product.code)
    return [ProductCard.of(product) for product, _ in sorted(shown, key=key)]


def _log(uow: UnitOfWork, openid: str, assessment: Assessment, personal: bool,
         decisions: list[dict[str, Any]], now: datetime) -> None:
    uow.audit.add(AuditEvent(at=now, actor="products", action="suitability",
                             subject=openid[:64], detail={
                                 "customer_level": assessment.level,
                                 "assessed_on": assessment.assessed_on.isoformat()
                                 if assessment.assessed_on else None,
                                 "expired": assessment.expired, "personalised": personal,
                                 "decisions": decisions}))


def product_card(uow: UnitOfWork, code: str) -> ProductCard | None:
    """Return a product as it currently stands, whatever the gates say (staff and pages)."""
    product = uow.products.by_code(code.upper())
    return ProductCard.of(product) if product else None
