"""Import files as staff make them: a CSV saved by Excel on Chinese Windows is GBK, others are
UTF-8 with or without a byte-order mark; both import, and any other file is refused in Chinese
with what to do. Bad rows are reported in Chinese, naming the column."""

import io
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from bot.web.staff_auth import hash_password
from crm_core import services
from crm_core.model import utcnow
from crm_core.services import catalogue_listing
from tests.builders import org
from tests.conftest import runtime
from tests.console_support import STAFF, csrf_token, login
from tests.integration.test_product_import import HEADER, invoke
from tests.product_support import catalogue_text

GBK = catalogue_text().encode("gbk")
BOM = "\ufeff".encode() + catalogue_text().encode("utf-8")
TOML = ('[[product]]\ncode = "WM201"\nname = "稳益半年"\ncategory = "理财"\nrisk = "R2"\n'
        'summary = "固收类"\n')


@pytest.fixture
def head_office(app: Flask, client: FlaskClient) -> FlaskClient:
    """The console logged in as head office, over the organisation the catalogue names."""
    with runtime(app).uow() as uow:
        org(uow, {"SH001": ["SH001-01"], "SH002": ["SH002-01"]})
        role, manager, branch = STAFF["admin"]
        services.add_staff(uow, "admin", "总行", hash_password("correct horse battery"), role,
                           manager, branch, "test", utcnow())
        uow.commit()
    login(client, "admin")
    return client


def upload(client: FlaskClient, data: bytes, name: str = "产品.csv"):  # type: ignore[no-untyped-def]
    token = csrf_token(client.get("/console/products").text)
    return client.post("/console/products", data={"csrf_token": token,
                                                  "file": (io.BytesIO(data), name)},
                       content_type="multipart/form-data")


def products_of(app: Flask) -> list[str]:
    with runtime(app).uow() as uow:
        return [p["code"] for p in catalogue_listing(uow)]


@pytest.mark.parametrize("data", [GBK, BOM, catalogue_text().encode("gb18030")],
                         ids=["gbk", "utf8-bom", "gb18030"])
def test_the_console_imports_a_csv_saved_as_gbk_or_utf8_with_bom(
        app: Flask, head_office: FlaskClient, data: bytes) -> None:
    response = upload(head_office, data)
    assert response.status_code == 200 and "导入完成" in response.text
    assert "WM001" in products_of(app)
    listed = head_office.get("/console/products?category=理财&sort=code&order=asc").text
    assert "稳盈90天理财" in listed  # WM001, the first of its category


@pytest.mark.parametrize(("data", "name", "said"), [
    (b"code,name\n\xff\xfe\xff,x\n", "产品.csv", "无法识别文件的编码"),
    (b"PK\x03\x04\x14\x00\x06\x00", "产品.csv", "这是 Excel 工作簿"),
    ("code,name\n".encode("utf-16"), "产品.csv", "这不是文本文件"),
])
def test_a_file_in_no_known_encoding_is_refused_saying_what_to_do(
        app: Flask, head_office: FlaskClient, data: bytes, name: str, said: str) -> None:
    response = upload(head_office, data, name)
    assert response.status_code == 422 and said in response.text
    assert "codec" not in response.text and products_of(app) == []


def test_bad_rows_are_reported_in_chinese_naming_the_column(
        app: Flask, head_office: FlaskClient) -> None:
    bad = f"{HEADER}\nWM102,稳益,理财,R2,2.9%,180天,本产品保本保息,,,,false\n".encode("gbk")
    response = upload(head_office, bad)
    assert response.status_code == 422
    assert "“简介（summary）”中含有违规用语“保本”" in response.text
    assert "banned phrase" not in response.text and products_of(app) == []


def test_the_cli_imports_gbk_csv_and_gb18030_toml(app: Flask, tmp_path: Path) -> None:
    with runtime(app).uow() as uow:
        org(uow, {"SH001": ["SH001-01"], "SH002": ["SH002-01"]})
        uow.commit()
    (tmp_path / "excel.csv").write_bytes(GBK)
    (tmp_path / "more.toml").write_bytes(TOML.encode("gb18030"))
    (tmp_path / "bad.csv").write_bytes(b"code,name\n\xff\xff\n")
    assert invoke(app, "import", str(tmp_path / "excel.csv")).exit_code == 0
    assert invoke(app, "import", str(tmp_path / "more.toml")).exit_code == 0
    refused = invoke(app, "import", str(tmp_path / "bad.csv"))
    assert refused.exit_code == 1 and "无法识别文件的编码" in refused.output
    assert {"WM001", "WM201"} <= set(products_of(app))
