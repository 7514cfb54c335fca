"""Shared fixtures: a migrated database (SQLite, or PostgreSQL when configured), app, client."""

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Connection, text

from bot import create_app
from bot.config import Settings, settings_from_dict
from bot.runtime import Runtime
from bot.wechat.simulator import Platform
from crm_core.db import make_engine, upgrade
from crm_core.model import Base

# The official sample account (Tencent's WXBizMsgCrypt sample): a public test vector.
TOKEN = "spamtest"
AES_KEY = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG"
APP_ID = "wx2c2769f8efd9abc2"
PG_ENV = "BRANCHLINK_TEST_DATABASE_URL"
WEB_SECRET = "test-web-secret-0123456789abcdef0123456789"


@pytest.fixture(scope="session")
def _migrated_template(tmp_path_factory: pytest.TempPathFactory) -> str:
    """Migrate once per session: a SQLite template file, or the PostgreSQL database itself."""
    url = os.environ.get(PG_ENV)
    if url is None:
        url = f"sqlite:///{tmp_path_factory.mktemp('template') / 'template.db'}"
    elif os.environ.get("CI") and not url.startswith("postgresql"):
        pytest.fail(f"{PG_ENV} must name a PostgreSQL database in CI")
    _drop_everything(url)
    upgrade(url)
    return url


def _drop_everything(url: str) -> None:
    if not url.startswith("postgresql"):
        return
    engine = make_engine(url)
    with engine.begin() as connection:
        connection.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
    engine.dispose()


@pytest.fixture
def database_url(_migrated_template: str, tmp_path: Path) -> Iterator[str]:
    """Return a freshly migrated, empty database for one test."""
    if _migrated_template.startswith("sqlite"):
        target = tmp_path / "test.db"
        shutil.copy(_migrated_template.removeprefix("sqlite:///"), target)
        yield f"sqlite:///{target}"
        return
    engine = make_engine(_migrated_template)
    tables = ", ".join(t.name for t in Base.metadata.sorted_tables)
    with engine.begin() as connection:
        seeded = _seeded_rows(connection)
        connection.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
        for table, rows in seeded.items():
            connection.execute(Base.metadata.tables[table].insert(), rows)
    engine.dispose()
    yield _migrated_template


# Tables whose rows the migrations write (the dimension catalogue): a test starts with them
# as migrated, whatever the previous test changed. Captured once per session.
SEEDED_TABLES = ("dimensions",)
_SEEDS: dict[str, list[dict[str, object]]] = {}


def _seeded_rows(connection: Connection) -> dict[str, list[dict[str, object]]]:
    if not _SEEDS:
        for table in SEEDED_TABLES:
            result = connection.execute(Base.metadata.tables[table].select())
            _SEEDS[table] = [dict(row._mapping) for row in result]
    return _SEEDS


def make_settings(database_url: str, tmp_path: Path, **tables: dict[str, object]) -> Settings:
    """Build settings for the sample account, overriding whole tables' keys as given."""
    # Compatible mode lets tests post readable plaintext; safe mode, the default with a key,
    # is what tests/integration/test_webhook.py holds the gate to.
    data: dict[str, dict[str, object]] = {
        "wechat": {"app_id": APP_ID, "token": TOKEN, "encoding_aes_key": AES_KEY,
                   "mode": "compatible"},
        "web": {"secret_key": WEB_SECRET},
        "database": {"url": database_url},
        "webhook": {"spool_dir": str(tmp_path / "spool")},
        "talk": {"media_dir": str(tmp_path / "media")},
    }
    for name, values in tables.items():
        data.setdefault(name, {}).update(values)
    return settings_from_dict(data, {})


@pytest.fixture
def settings(database_url: str, tmp_path: Path) -> Settings:
    """Settings for the sample account on the test database."""
    return make_settings(database_url, tmp_path)


@pytest.fixture
def app(settings: Settings):  # type: ignore[no-untyped-def]
    """The Flask app under test."""
    app = create_app(settings)
    yield app
    runtime(app).engine.dispose()


@pytest.fixture
def client(app):  # type: ignore[no-untyped-def]
    """A test client of the app."""
    return app.test_client()


def runtime(app) -> Runtime:  # type: ignore[no-untyped-def]
    """Return the runtime the app was built with."""
    return app.extensions["branchlink"]


@pytest.fixture
def platform() -> Platform:
    """The platform's side of the sample account, to sign and encrypt callbacks."""
    return Platform(TOKEN, APP_ID, AES_KEY)


@pytest.fixture
def data_dir() -> Path:
    """Folder of real sample messages copied from public test suites."""
    return Path(__file__).parent / "data"
