"""Every console page has a browser title of its own ("客群 · BranchLink"), so a phone's tabs
and history tell the pages apart; none keeps the base template's generic one."""

import re

from flask import Flask
from flask.testing import FlaskClient

from tests.console_support import login
from tests.integration.test_console_chinese import enrich, pages

GENERIC = "BranchLink 客户经理工作台"
_TITLE = re.compile(r"<title>(.*?)</title>", re.S)


def titles(client: FlaskClient, urls: list[str]) -> dict[str, str]:
    """Fetch each full page; return its title (fragments and files have none)."""
    found = {}
    for url in urls:
        response = client.get(url, follow_redirects=True)
        title = _TITLE.search(response.text) if response.mimetype == "text/html" else None
        if response.status_code == 200 and title:
            found[url] = " ".join(title.group(1).split())
    return found


def test_every_console_page_has_its_own_title(app: Flask, client: FlaskClient) -> None:
    world = enrich(app)
    assert login(client, "admin").status_code == 302
    seen = titles(client, pages(app, world))
    assert len(seen) > 20
    generic = sorted(url for url, title in seen.items()
                     if title == GENERIC or not title.endswith(" · BranchLink"))
    assert generic == []
    assert seen["/console/talk"] == "会话 · BranchLink"
    assert seen["/console/segments"] == "客群 · BranchLink"
    assert seen["/console/talk/1"] == "会话 #1 · BranchLink"


def test_the_login_page_has_its_own_title(client: FlaskClient) -> None:
    assert titles(client, ["/console/login"]) == {"/console/login": "员工登录 · BranchLink"}
