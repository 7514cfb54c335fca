"""/healthz says the process is up; /readyz whether it can serve: database, schema, companions."""

from pathlib import Path

from alembic.script import ScriptDirectory
from flask import Flask
from flask.testing import FlaskClient

from bot import create_app
from bot.web.health import COMPANIONS
from crm_core.db import alembic_config, head_revision, upgrade
from tests.conftest import make_settings, runtime


class Companions:
    """What `serve` would report: the worker down after one restart."""

    def states(self) -> dict[str, dict[str, object]]:
        return {"worker": {"running": False, "restarts": 1}}


def test_a_migrated_database_is_ready(client: FlaskClient) -> None:
    response = client.get("/readyz")
    assert response.status_code == 200 and response.json["status"] == "ready"
    assert response.json["checks"] == {
        "database": {"ok": True},
        "migrations": {"ok": True, "current": head_revision(), "head": head_revision()}}


def test_a_stopped_worker_under_serve_makes_the_process_not_ready(
        app: Flask, client: FlaskClient) -> None:
    app.extensions[COMPANIONS] = Companions()
    response = client.get("/readyz")
    assert response.status_code == 503 and response.json["status"] == "not_ready"
    assert response.json["checks"]["worker"] == {"ok": False, "running": False, "restarts": 1}


def test_a_schema_behind_the_code_is_not_ready(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'old.db'}"
    scripts = ScriptDirectory.from_config(alembic_config(url))
    previous = scripts.get_revision(head_revision()).down_revision
    upgrade(url, str(previous))
    app = create_app(make_settings(url, tmp_path))
    response = app.test_client().get("/readyz")
    assert response.status_code == 503
    assert response.json["checks"]["migrations"] == {
        "ok": False, "current": previous, "head": head_revision()}
    runtime(app).engine.dispose()


def test_an_unreachable_database_is_not_ready_while_the_process_is_up(tmp_path: Path) -> None:
    app = create_app(make_settings("postgresql+psycopg://nobody@127.0.0.1:9/none", tmp_path))
    client = app.test_client()
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json["checks"]["database"] == {"ok": False, "error": "OperationalError"}
    assert client.get("/healthz").json == {"status": "ok"}
