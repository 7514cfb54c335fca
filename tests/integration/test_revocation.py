"""Taking access away: logout, new passwords, deactivation and API tokens, all audited."""

import pytest
from click.testing import CliRunner, Result
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from bot.cli.base import Cli
from bot.cli.staff import staff
from crm_core import services
from crm_core.model import AuditEvent, utcnow
from tests.conftest import runtime
from tests.console_support import PASSWORD, csrf_token, login, populate

NEW_PASSWORD = "a brand new passphrase"


@pytest.fixture
def populated(app: Flask) -> Flask:
    populate(runtime(app))
    return app


def logged_in(app: Flask, username: str = "m1") -> FlaskClient:
    client = app.test_client()
    assert login(client, username).status_code == 302
    return client


def in_session(client: FlaskClient) -> bool:
    return client.get("/console/leads").status_code == 200


def token_for(app: Flask, username: str = "m1", name: str = "tests") -> str:
    with runtime(app).uow() as uow:
        token = services.issue_api_token(uow, username, name, utcnow(), "test")
        uow.commit()
    return token


def api_status(app: Flask, token: str) -> int:
    return app.test_client().get("/api/v1/me",
                                 headers={"Authorization": f"Bearer {token}"}).status_code


def branchlink_staff(app: Flask, *args: str, stdin: str | None = None) -> Result:
    cli = Cli(None)
    cli.__dict__["runtime"] = runtime(app)
    cli.__dict__["settings"] = runtime(app).settings
    return CliRunner().invoke(staff, list(args), obj=cli, input=stdin)


def actions(app: Flask, subject: str) -> list[str]:
    with runtime(app).engine.connect() as connection:
        return list(connection.scalars(select(AuditEvent.action).where(
            AuditEvent.subject == subject).order_by(AuditEvent.id)))


def log_out(client: FlaskClient, token: str | None = None) -> int:
    token = token or csrf_token(client.get("/console/customers").text)
    return client.post("/console/logout", data={"csrf_token": token}).status_code


def test_a_session_cookie_no_longer_works_after_logout(populated: Flask) -> None:
    client = logged_in(populated)
    cookie = client.get_cookie("session")
    assert cookie is not None
    assert log_out(client) == 302
    replayed = populated.test_client()
    replayed.set_cookie("session", cookie.value)
    assert not in_session(replayed)
    assert actions(populated, "m1") == ["staff_added", "login", "logout"]


def test_the_csrf_token_of_the_login_form_is_replaced_at_login(populated: Flask) -> None:
    client = populated.test_client()
    before = csrf_token(client.get("/console/login").text)
    client.post("/console/login", data={"username": "m1", "password": PASSWORD,
                                        "csrf_token": before})
    assert in_session(client)
    assert log_out(client, before) == 400
    assert in_session(client)


def test_a_new_password_ends_the_accounts_sessions_and_tokens(populated: Flask) -> None:
    client, token = logged_in(populated), token_for(populated)
    assert api_status(populated, token) == 200
    result = branchlink_staff(populated, "password", "m1", stdin=f"{NEW_PASSWORD}\n" * 2)
    assert result.exit_code == 0, result.output
    assert not in_session(client) and api_status(populated, token) == 401
    assert in_session(logged_in(populated, "m2"))  # other accounts keep theirs
    assert login(populated.test_client(), "m1", NEW_PASSWORD).status_code == 302


def test_deactivation_shuts_an_account_out_and_reactivation_lets_only_its_login_back(
        populated: Flask) -> None:
    client, token = logged_in(populated), token_for(populated)
    assert branchlink_staff(populated, "deactivate", "m1").exit_code == 0
    assert not in_session(client) and api_status(populated, token) == 401
    assert login(populated.test_client(), "m1").status_code == 401
    assert branchlink_staff(populated, "reactivate", "m1").exit_code == 0
    assert in_session(logged_in(populated)) and api_status(populated, token) == 401
    assert {"staff_deactivated", "api_token_revoked", "staff_reactivated"} <= set(
        actions(populated, "m1"))


def test_api_tokens_are_revoked_by_id_or_all_at_once(populated: Flask) -> None:
    first, second = token_for(populated, name="crm-sync"), token_for(populated, name="report")
    listing = branchlink_staff(populated, "tokens", "list", "m1").output
    ids = [line.split("\t")[0] for line in listing.splitlines()]
    assert len(ids) == 2 and "crm-sync" in listing and "live" in listing
    assert branchlink_staff(populated, "tokens", "revoke", "m1", ids[0]).exit_code == 0
    assert (api_status(populated, first), api_status(populated, second)) == (401, 200)
    assert branchlink_staff(populated, "tokens", "revoke", "m1", ids[0]).exit_code != 0
    assert branchlink_staff(populated, "tokens", "revoke", "m1", "--all").exit_code == 0
    assert api_status(populated, second) == 401
    assert actions(populated, "m1").count("api_token_revoked") == 2


def test_head_office_deactivates_and_revokes_in_the_console(populated: Flask) -> None:
    admin, manager = logged_in(populated, "admin"), logged_in(populated, "m1")
    token = token_for(populated)
    page = admin.get("/console/staff")
    assert page.status_code == 200 and 'data-staff="m1"' in page.text
    form = {"csrf_token": csrf_token(page.text)}
    assert admin.post("/console/staff/m1/tokens/revoke", data=form).status_code == 302
    assert api_status(populated, token) == 401 and in_session(manager)
    assert admin.post("/console/staff/m1/deactivate", data=form).status_code == 302
    assert not in_session(manager)
    admin.post("/console/staff/admin/deactivate", data=form)
    assert "不能停用自己的账号" in admin.get("/console/staff").text and in_session(admin)
    assert logged_in(populated, "m2").get("/console/staff").status_code == 403
