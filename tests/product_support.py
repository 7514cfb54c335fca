"""The sample catalogue and helpers shared by the product tests."""

from pathlib import Path

from crm_core import services
from crm_core.model import utcnow
from crm_core.services import ProductCard, read_rows
from crm_core.services.catalogue import product_values
from crm_core.unit_of_work import UnitOfWork

CATALOGUE = Path(__file__).parent / "data" / "products" / "catalogue.csv"


def catalogue_text() -> str:
    """Return the sample catalogue as CSV text."""
    return CATALOGUE.read_text(encoding="utf-8")


def sample_cards() -> list[ProductCard]:
    """Return the sample catalogue as cards, without a database."""
    cards = []
    for row in read_rows(catalogue_text(), "csv", "product"):
        values = product_values(row.fields, lambda _code: True)
        cards.append(ProductCard(values["code"], values["name"], values["category"],
                                 values["risk_level"], values["rate"], values["term"],
                                 values["min_amount"], values["summary"], values["details"],
                                 values["past_performance"], values["keywords"],
                                 values["private_placement"], 1))
    return cards


def import_sample(uow: UnitOfWork) -> None:
    """Import the sample catalogue (the org with SH002 must exist)."""
    rows = read_rows(catalogue_text(), "csv", "product")
    services.import_products(uow, rows, "catalogue.csv", utcnow())
