"""Each route's cap on request bodies, over real HTTP: the callback keeps its small one, the
catalogue import its large one, and staff are told in Chinese when a file is too large."""

from collections.abc import Iterator
from urllib.parse import urlencode

import pytest
import requests
from flask import Flask
from sqlalchemy import func, select

from bot import texts
from bot.web.console.products import MAX_IMPORT_BYTES
from bot.wechat.simulator import Platform
from crm_core.model import InboundDelivery, Product
from tests.builders import text_xml
from tests.conftest import runtime
from tests.console_support import PASSWORD, csrf_token, live_server, populate
from tests.product_support import catalogue_text, rows

CALLBACK_CAP = 65536  # [webhook] max_body_bytes by default
FORM_CAP = 1024 * 1024  # every other route's


@pytest.fixture
def served(app: Flask) -> Iterator[str]:
    populate(runtime(app))
    with live_server(app) as base:
        yield base


@pytest.fixture
def admin(served: str) -> Iterator[requests.Session]:
    with requests.Session() as session:
        form = session.get(f"{served}/console/login", timeout=5).text
        session.post(f"{served}/console/login", timeout=5, data={
            "username": "admin", "password": PASSWORD, "csrf_token": csrf_token(form)})
        yield session


def catalogue_of(size: int) -> bytes:
    """The sample catalogue's first product copied under new codes up to `size` bytes."""
    header, first, *_ = catalogue_text().splitlines()
    lines, total = [header], len(header) + 1
    while total < size:
        line = first.replace("WM001", f"WX{len(lines):04d}", 1).replace(
            "稳盈90天理财", f"稳盈理财{len(lines)}号", 1)
        lines.append(line)
        total += len(line.encode()) + 1
    return "\n".join(lines).encode()


def upload(session: requests.Session, base: str, data: bytes) -> requests.Response:
    form = session.get(f"{base}/console/products", timeout=5).text
    return session.post(f"{base}/console/products", data={"csrf_token": csrf_token(form)},
                        files={"file": ("catalogue.csv", data, "text/csv")}, timeout=30)


def test_a_160_kb_catalogue_imports_through_the_console(app, served, admin) -> None:
    data = catalogue_of(160 * 1024)
    answer = upload(admin, served, data)
    assert answer.status_code == 200, answer.text[:500]
    products = data.count(b"\n")
    assert texts.IMPORT_DONE.format(created=products, updated=0, unchanged=0) in answer.text
    assert rows(app, select(func.count(Product.code))) == [(products,)]


def test_a_file_over_the_import_cap_is_refused_in_chinese(app, served, admin) -> None:
    answer = upload(admin, served, b"x" * (MAX_IMPORT_BYTES + 1))
    assert answer.status_code == 413
    assert texts.too_large(MAX_IMPORT_BYTES) in answer.text and "5 MB" in answer.text
    assert "Request Entity Too Large" not in answer.text
    assert rows(app, select(func.count(Product.code))) == [(0,)]


def test_another_console_form_keeps_the_default_cap(served, admin) -> None:
    form = admin.get(f"{served}/console/transfer", timeout=5).text
    answer = admin.post(f"{served}/console/transfer", timeout=30, data={
        "csrf_token": csrf_token(form), "customers": "1" * (FORM_CAP + 1)})
    assert answer.status_code == 413 and texts.too_large(FORM_CAP) in answer.text


@pytest.mark.parametrize(("size", "status"), [(CALLBACK_CAP - 2048, 200),
                                              (CALLBACK_CAP + 1024, 413)])
def test_a_callback_over_the_webhook_cap_is_still_refused(app, served, platform: Platform,
                                                          size: int, status: int) -> None:
    xml = text_xml("o-big", "你好")
    padded = xml.replace("你好", "你好" + " " * (size - len(xml.encode())))
    signed = platform.sign(padded, "plain")
    answer = requests.post(f"{served}/wechat?{urlencode(signed.query)}", timeout=10,
                           data=signed.body)
    assert answer.status_code == status
    stored = rows(app, select(func.count(InboundDelivery.id)))
    assert stored == [(1 if status == 200 else 0,)]
