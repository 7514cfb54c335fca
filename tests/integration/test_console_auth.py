"""Console logins: hashed passwords, CSRF on the form, throttling, idle timeout, audit."""

from pathlib import Path

from flask import Flask
from sqlalchemy import select

from bot import create_app
from crm_core.model import AuditEvent, StaffAccount
from tests.conftest import make_settings, runtime
from tests.console_support import PASSWORD, login, populate


def test_passwords_are_stored_hashed_and_a_good_login_opens_the_console(app: Flask) -> None:
    populate(runtime(app))
    with runtime(app).engine.connect() as connection:
        stored = connection.scalar(select(StaffAccount.password_hash).limit(1))
    assert stored is not None and PASSWORD not in stored and stored.startswith("scrypt:")
    client = app.test_client()
    assert login(client, "m1", PASSWORD).status_code == 302
    assert client.get("/console/leads").status_code == 200


def test_login_form_without_csrf_token_is_rejected(app: Flask) -> None:
    populate(runtime(app))
    response = app.test_client().post("/console/login",
                                      data={"username": "m1", "password": PASSWORD})
    assert response.status_code == 400


def test_repeated_failures_lock_the_account_even_for_the_right_password(app: Flask) -> None:
    populate(runtime(app))
    client = app.test_client()
    for _ in range(5):
        assert login(client, "m1", "wrong password!").status_code == 401
    assert login(client, "m1", PASSWORD).status_code == 401
    assert login(app.test_client(), "m2", PASSWORD).status_code == 302  # others unaffected
    with runtime(app).engine.connect() as connection:
        actions = connection.scalars(select(AuditEvent.action).where(
            AuditEvent.subject == "m1")).all()
    assert actions.count("login_failed") == 5 and actions.count("login_throttled") == 1


def test_pages_need_a_login_and_sessions_expire_when_idle(app: Flask) -> None:
    populate(runtime(app))
    client = app.test_client()
    assert client.get("/console/leads").status_code == 302
    login(client, "m1", PASSWORD)
    cookie = client.get_cookie("session")
    assert cookie is not None and cookie.expires is not None
    assert app.permanent_session_lifetime.total_seconds() == 30 * 60


def _login_address(app: Flask, forwarded_for: str) -> str:
    populate(runtime(app))
    client = app.test_client()
    client.environ_base["HTTP_X_FORWARDED_FOR"] = forwarded_for
    assert login(client, "m1", PASSWORD).status_code == 302
    with runtime(app).engine.connect() as connection:
        detail = connection.scalar(select(AuditEvent.detail).where(AuditEvent.action == "login"))
    assert detail is not None
    return str(detail["ip"])


def test_a_forged_forwarded_for_is_not_the_audited_address_without_trusted_proxies(
        app: Flask) -> None:
    assert _login_address(app, "6.6.6.6") == "127.0.0.1"


def test_behind_one_trusted_proxy_the_address_it_appended_is_audited(
        database_url: str, tmp_path: Path) -> None:
    app = create_app(make_settings(database_url, tmp_path, web={"trusted_proxies": 1}))
    try:
        assert _login_address(app, "6.6.6.6, 203.0.113.7") == "203.0.113.7"
    finally:
        runtime(app).engine.dispose()
