"""The sample catalogue and helpers shared by the product tests."""

from pathlib import Path

from crm_core import services
from crm_core.model import utcnow
from crm_core.services import ProductCard, read_rows
from crm_core.services.catalogue import product_values
from crm_core.unit_of_work import UnitOfWork
from tests.builders import post as post  # the product tests import it from here

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


def reply_of(platform, response) -> dict:  # type: ignore[no-untyped-def,type-arg]
    """Return the reply's fields: Content for text; Title/Description/Url for a news card."""
    from bot.wechat.messages import parse_document

    assert response.status_code == 200, response.text
    fields = parse_document(platform.read_reply(response.text))
    if "Articles" in fields:
        item = fields["Articles"]["item"]
        return item[0] if isinstance(item, list) else item
    return fields


def answer_text(platform, response) -> str:  # type: ignore[no-untyped-def]
    """Return everything the customer reads in a reply, as one string."""
    fields = reply_of(platform, response)
    return "\n".join(str(fields.get(k) or "") for k in ("Content", "Title", "Description"))
