"""`branchlink demo seed`: the packaged demo catalogue, imported like any other, idempotently."""

from datetime import date
from pathlib import Path

from click.testing import CliRunner, Result
from sqlalchemy import func, select

from bot import create_app
from bot.cli.base import Cli
from bot.cli.demo import BRANCHES, catalogue_rows
from bot.cli.main import demo
from crm_core import services
from crm_core.model import Category, Product, ProductVersion, utcnow
from tests.builders import subscribe_xml, text_xml
from tests.conftest import make_settings, runtime
from tests.product_support import answer_text, post

RISK = "理财非存款、产品有风险、投资须谨慎"


def seed(app) -> Result:  # type: ignore[no-untyped-def]
    """Run `branchlink demo seed` on the app's own runtime (no second engine)."""
    cli = Cli(None)
    cli.__dict__["runtime"] = runtime(app)
    cli.__dict__["settings"] = runtime(app).settings
    result = CliRunner().invoke(demo, ["seed"], obj=cli)
    assert result.exit_code == 0, result.output
    return result


def count(app, model) -> int:  # type: ignore[no-untyped-def]
    with runtime(app).engine.connect() as connection:
        return int(connection.scalar(select(func.count()).select_from(model)) or 0)


def products(app) -> list[dict]:  # type: ignore[no-untyped-def,type-arg]
    """The current catalogue as plain data, with whether each product is on sale today."""
    with runtime(app).uow() as uow:
        return [{**p.snapshot(), "version": p.version, "on_sale": p.on_sale(date.today())}
                for p in uow.products.current()]


def ask(app, platform, openid: str, text: str) -> str:  # type: ignore[no-untyped-def]
    return answer_text(platform, post(app.test_client(), platform, text_xml(openid, text)))


def test_demo_seed_imports_the_packaged_catalogue_and_says_how_many(app) -> None:
    result = seed(app)
    total = len(catalogue_rows())
    assert f"demo catalogue: {total} products loaded ({total} new" in result.output
    assert count(app, Product) == total == count(app, ProductVersion)


def test_the_demo_catalogue_shows_every_category_level_and_gate(app) -> None:
    seed(app)
    catalogue = products(app)
    assert {p["category"] for p in catalogue} == {c.value for c in Category}
    assert {p["risk_level"] for p in catalogue} == {1, 2, 3, 4, 5}
    assert any(p["private_placement"] for p in catalogue)
    assert any(not p["on_sale"] for p in catalogue)
    limited = {code for p in catalogue for code in p["branches"] or ()}
    assert limited == {code for code, _name in BRANCHES}


def test_seeding_twice_adds_no_product_version(app) -> None:
    seed(app)
    versions = count(app, ProductVersion)
    again = seed(app)
    total = len(catalogue_rows())
    assert f"(0 new, 0 updated, {total} unchanged)" in again.output
    assert count(app, ProductVersion) == versions
    assert {p["version"] for p in products(app)} == {1}


def test_a_demo_follower_gets_answers_naming_demo_products(app, platform) -> None:
    seed(app)
    post(app.test_client(), platform, subscribe_xml("o-demo-1", "b:SH001"))
    deposits = ask(app, platform, "o-demo-1", "大额存单利率")
    assert "DP001" in deposits and RISK not in deposits
    with runtime(app).uow() as uow:
        services.set_risk_level(uow, "o-demo-1", 3, date.today(), "test", utcnow())
        uow.commit()
    wealth = ask(app, platform, "o-demo-1", "理财")
    assert "WM001" in wealth and RISK in wealth
    assert "WM008" not in wealth and "WM005" not in wealth  # out of its window; private


def test_demo_seed_points_at_this_configuration_and_its_sandbox(
        database_url: str, tmp_path: Path) -> None:
    settings = make_settings(database_url, tmp_path,
                             sandbox={"enabled": True, "bind": "127.0.0.1:18091"})
    app = create_app(settings)
    cli = Cli(str(tmp_path / "trial.toml"))
    cli.__dict__["runtime"], cli.__dict__["settings"] = runtime(app), settings
    result = CliRunner().invoke(demo, ["seed"], obj=cli)
    assert result.exit_code == 0, result.output
    assert f"BRANCHLINK_CONFIG={tmp_path / 'trial.toml'}" in result.output
    assert "http://127.0.0.1:18091/_sandbox/" in result.output
    assert "instance/branchlink.toml" not in result.output and ":8081" not in result.output
    runtime(app).engine.dispose()
