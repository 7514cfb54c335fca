"""The sample catalogue and helpers shared by the product tests."""

from datetime import date
from urllib.parse import urlsplit

from flask import Flask

from bot.search import evaluation
from bot.search.evaluation import cards_from_csv
from crm_core import services
from crm_core.model import utcnow
from crm_core.services import ProductCard, read_rows
from crm_core.unit_of_work import UnitOfWork
from tests.builders import org, subscribe_xml, text_xml
from tests.builders import post as post  # the product tests import it from here
from tests.conftest import runtime

QUESTION_SETS = evaluation.SETS
CATALOGUE = QUESTION_SETS / "catalogue.csv"
SHARER = "o-sharer"  # follows SH001-01's code, assessed C3
SHARED = "稳盈90天理财"  # WM001, R2: shown to the sharer


def catalogue_text() -> str:
    """Return the sample catalogue as CSV text."""
    return CATALOGUE.read_text(encoding="utf-8")


def sample_cards() -> list[ProductCard]:
    """Return the sample catalogue as cards, without a database."""
    return cards_from_csv(CATALOGUE)


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


def share_shop(app: Flask, platform) -> Flask:  # type: ignore[no-untyped-def]
    """Two branches, the sample catalogue and a sharer linked to SH001-01 (C3)."""
    with runtime(app).uow() as uow:
        org(uow, {"SH001": ["SH001-01"], "SH002": ["SH002-01"]})
        import_sample(uow)
        uow.commit()
    post(app.test_client(), platform, subscribe_xml(SHARER, "m:SH001-01"))
    with runtime(app).uow() as uow:
        services.set_risk_level(uow, SHARER, 3, date.today(), "test", utcnow())
        uow.commit()
    return app


def handed_link(app: Flask, platform) -> str:  # type: ignore[no-untyped-def]
    """The path of the share link the bot hands the sharer asking about WM001 (not opened)."""
    card = reply_of(platform, post(app.test_client(), platform, text_xml(SHARER, SHARED)))
    return urlsplit(card["Url"]).path


def open_link(client, link: str, **headers: str):  # type: ignore[no-untyped-def]
    """Open a share link or page as a browser does (it is given its cookie first); return the
    page it lands on."""
    return client.get(link, follow_redirects=True, headers=headers)


def rows(app: Flask, stmt) -> list[tuple]:  # type: ignore[no-untyped-def,type-arg]
    """Run a SELECT against the app's database; return plain tuples."""
    with runtime(app).engine.connect() as connection:
        return [tuple(row) for row in connection.execute(stmt)]


def board(app: Flask) -> dict:  # type: ignore[type-arg]
    """Return the share leaderboard as the console's JSON has it."""
    with runtime(app).uow() as uow:
        return services.share_leaderboard(uow)
