"""Console logins: hashed passwords, CSRF on the form, throttling, idle timeout, audit."""

from flask import Flask
from sqlalchemy import select

from crm_core.model import AuditEvent, StaffAccount
from tests.conftest import runtime
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
    assert actions.count("login_failed") == 6


def test_pages_need_a_login_and_sessions_expire_when_idle(app: Flask) -> None:
    populate(runtime(app))
    client = app.test_client()
    assert client.get("/console/leads").status_code == 302
    login(client, "m1", PASSWORD)
    cookie = client.get_cookie("session")
    assert cookie is not None and cookie.expires is not None
    assert app.permanent_session_lifetime.total_seconds() == 30 * 60
