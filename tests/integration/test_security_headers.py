"""Security headers: no framing, a nonce-based content security policy, no sniffing, no
referrer to other sites, and no-store on the console's and the API's answers."""

import re

from flask import Flask

from crm_core import services
from crm_core.model import utcnow
from tests.conftest import runtime
from tests.console_support import login, populate
from tests.product_support import handed_link, share_shop

ALWAYS = {"X-Frame-Options": "DENY", "X-Content-Type-Options": "nosniff",
          "Referrer-Policy": "same-origin"}


def directives(policy: str) -> dict[str, str]:
    return {part.split(" ", 1)[0]: part.split(" ", 1)[1] if " " in part else ""
            for part in (p.strip() for p in policy.split(";"))}


def test_console_pages_cannot_be_framed_or_cached_and_run_only_their_own_styles(
        app: Flask) -> None:
    populate(runtime(app))
    client = app.test_client()
    login(client, "head")
    for path in ("/console/login", "/console/transfer", "/console/leads"):
        response = client.get(path)
        assert response.status_code == 200
        assert {k: response.headers.get(k) for k in ALWAYS} == ALWAYS
        assert response.headers["Cache-Control"] == "no-store"
        policy = directives(response.headers["Content-Security-Policy"])
        assert policy["frame-ancestors"] == "'none'" and policy["object-src"] == "'none'"
        assert re.fullmatch(r"'self' 'nonce-[\w-]+'", policy["style-src"])
        assert "<style" not in response.text and "<script>" not in response.text
        assert "unsafe-inline" not in str(policy) and "res.wx.qq.com" not in str(policy)
        assert ' style="' not in response.text


def test_each_answer_has_its_own_nonce(app: Flask) -> None:
    client = app.test_client()
    first, second = (client.get("/console/login").headers["Content-Security-Policy"]
                     for _ in range(2))
    assert first != second


def test_api_answers_are_not_stored(app: Flask) -> None:
    populate(runtime(app))
    with runtime(app).uow() as uow:
        token = services.issue_api_token(uow, "admin", "tests", utcnow(), "test")
        uow.commit()
    response = app.test_client().get("/api/v1/leads",
                                     headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_product_pages_may_load_the_wechat_js_sdk_and_nothing_else(
        app: Flask, platform) -> None:  # type: ignore[no-untyped-def]
    client = app.test_client()
    page = client.get(handed_link(share_shop(app, platform), platform), follow_redirects=True)
    assert page.status_code == 200
    policy = directives(page.headers["Content-Security-Policy"])
    nonce = re.search(r"<style nonce=\"([^\"]+)\">", page.text)
    assert nonce is not None
    assert policy["script-src"] == f"'self' 'nonce-{nonce.group(1)}' https://res.wx.qq.com"
    assert policy["img-src"] == "'self' data: https://open.weixin.qq.com"
    assert page.headers["X-Frame-Options"] == "DENY"
    assert page.headers["Cache-Control"] == "no-store"
