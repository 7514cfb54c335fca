"""Every HTTP error a person can meet is a Chinese page saying what to do: the console's inside
its layout, the customer-facing one on product and share links (and any other address), the
staff API a JSON error with a Chinese message. Never werkzeug's English "Not Found"."""

import pytest
from flask import Flask
from flask.testing import FlaskClient

from bot import create_app, texts
from tests.conftest import make_settings, runtime
from tests.console_support import csrf_token, login, populate
from tests.integration.test_console_chinese import english_words


@pytest.fixture
def breakable(app: Flask) -> Flask:
    """The app with an address under the console and one customers open that fail with an
    unexpected exception, answered as a 500 (as in production, not raised into the test)."""
    def broken() -> str:
        raise RuntimeError("boom")
    app.add_url_rule("/console/broken", "console_broken", broken)
    app.add_url_rule("/p/WM001/broken", "page_broken", broken)
    app.config["PROPAGATE_EXCEPTIONS"] = False
    populate(runtime(app))
    return app


def console_error(response, status: int) -> str:  # type: ignore[no-untyped-def]
    """Check a console error page: its status, title, sentence, layout, and no English."""
    assert response.status_code == status
    html = response.text
    assert texts.HTTP_ERROR_TITLES[status] in html and 'id="error"' in html
    assert "Not Found" not in html and english_words(html) == []
    return html


@pytest.mark.parametrize(("username", "path", "status"), [
    ("m1", "/console/no-such-page", 404),
    ("m1", "/console/customers/999999", 404),
    ("m1", "/console/audit", 403),
    ("m1", "/console/logout", 405),
    ("admin", "/console/broken", 500),
])
def test_console_errors_are_chinese_pages_in_the_console(breakable: Flask, client: FlaskClient,
                                                         username: str, path: str,
                                                         status: int) -> None:
    login(client, username)
    html = console_error(client.get(path), status)
    assert texts.HTTP_ERRORS[status] in html
    assert "返回工作台" in html and "aria-current" not in html.split('id="error"')[1]


def test_a_form_without_its_token_and_an_oversized_one_are_chinese_too(
        breakable: Flask, client: FlaskClient) -> None:
    login(client, "head")
    html = console_error(client.post("/console/transfer", data={"from": "SH001-01"}), 400)
    assert texts.HTTP_ERRORS[400] in html
    console_error(client.post("/console/transfer", data={"x": "y" * (2 * 1024 * 1024)}), 413)


def test_before_login_an_unknown_console_page_offers_the_login(client: FlaskClient) -> None:
    html = console_error(client.get("/console/nothing-here"), 404)
    assert "前往登录" in html


@pytest.mark.parametrize(("method", "path", "status"), [
    ("GET", "/p/NOPE", 404),
    ("GET", "/s/not-a-token", 404),
    ("GET", "/p/WM001/contact", 405),
    ("POST", "/p/WM001/contact", 400),  # no CSRF token: the page was left open too long
    ("GET", "/p/WM001/broken", 500),
    ("GET", "/", 404),
    ("GET", "/favicon.ico", 404),
])
def test_customer_facing_errors_are_the_chinese_page(breakable: Flask, client: FlaskClient,
                                                     method: str, path: str,
                                                     status: int) -> None:
    response = client.open(path, method=method)
    assert response.status_code == status
    assert texts.PAGE_ERROR_TITLE in response.text and texts.PAGE_ERRORS[status] in response.text
    assert english_words(response.text) == [] and "console" not in response.text


def test_the_staff_api_answers_json_errors_in_chinese(breakable: Flask,
                                                      client: FlaskClient) -> None:
    unknown = client.get("/api/v1/nothing")
    assert unknown.status_code == 404 and unknown.json == {
        "error": {"code": "not_found", "message": texts.API_HTTP_ERRORS[404]}}
    assert client.get("/api/v1/me").json == {"error": {"code": "unauthorized",
                                                       "message": texts.API_UNAUTHORIZED}}
    wrong = client.delete("/api/v1/openapi.json")
    assert wrong.status_code == 405 and wrong.json["error"]["message"] == texts.API_HTTP_ERRORS[405]
    assert "GET" in wrong.headers["Allow"]


def test_with_the_database_gone_staff_still_read_chinese(tmp_path) -> None:  # type: ignore[no-untyped-def]
    app = create_app(make_settings(f"sqlite:///{tmp_path}/missing/branchlink.db", tmp_path))
    app.config["PROPAGATE_EXCEPTIONS"] = False
    client = app.test_client()
    form = client.get("/console/login")
    response = client.post("/console/login", data={
        "username": "m1", "password": "x" * 12, "csrf_token": csrf_token(form.text)})
    assert response.status_code == 500 and texts.HTTP_ERRORS[500] in response.text
    assert english_words(response.text) == []
