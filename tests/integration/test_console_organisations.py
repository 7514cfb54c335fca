"""The console's organisations: head office imports a list (CSV or workbook) and contacts,
everyone sees the organisations of their scope, paged and filtered, and each one's page."""

import io

import pytest
from flask import Flask
from flask.testing import FlaskClient

from bot.web.staff_auth import hash_password
from crm_core import services
from crm_core.model import ManagerRole, StaffRole, utcnow
from tests.conftest import runtime
from tests.console_support import PASSWORD, csrf_token, login
from tests.integration.test_chain_leads import RELATIONSHIPS
from tests.integration.test_orgs_cli import workbook
from tests.organisation_support import CONTACTS_CSV, MANAGERS, ORGS_CSV, staff_market

ACCOUNTS = {"admin": (StaffRole.HEAD_OFFICE, None, None),
            "c1": (StaffRole.MANAGER, "SH001-C1", None),
            "head2": (StaffRole.BRANCH_HEAD, None, "SH002")}


@pytest.fixture
def staffed(app: Flask) -> Flask:
    with runtime(app).uow() as uow:
        staff_market(uow, "boss-zhang")
        for name, (role, manager, branch) in ACCOUNTS.items():
            services.add_staff(uow, name, f"员工{name}", hash_password(PASSWORD), role, manager,
                               branch, "test", utcnow())
        uow.commit()
    assert MANAGERS["SH001-C1"][1] is ManagerRole.CORPORATE
    return app


def upload(client: FlaskClient, data: bytes, name: str, table: str = "organisation"):  # type: ignore[no-untyped-def]
    token = csrf_token(client.get("/console/organisations").text)
    return client.post("/console/organisations",
                       data={"csrf_token": token, "table": table,
                             "file": (io.BytesIO(data), name)},
                       content_type="multipart/form-data")


def test_head_office_imports_a_workbook_and_contacts_then_reads_an_organisations_page(
        staffed: Flask, client: FlaskClient) -> None:
    login(client, "admin")
    assert "导入完成：新增 4" in upload(client, workbook(ORGS_CSV), "单位.xlsx").text
    assert upload(client, CONTACTS_CSV.encode("gbk"), "联系人.csv", "contact").status_code == 200
    listed = client.get("/console/organisations?market=江桥批发市场").text
    assert "张记水产" in listed and "李氏干货" in listed and "顺达物流" not in listed
    page = client.get("/console/organisations/M001").text
    assert "张老板" in page and "店主" in page and "客户…-zhang" in page
    assert "江桥批发市场" in page and "经理SH001-C1" in page


def test_a_bad_file_lists_each_row_in_chinese_and_imports_nothing(
        staffed: Flask, client: FlaskClient) -> None:
    login(client, "admin")
    bad = ORGS_CSV.replace("91350100M000100Y43", "91350100M000100Y42").encode("gbk")
    response = upload(client, bad, "单位.csv")
    assert response.status_code == 422
    assert "校验码不对" in response.text and "整个文件都没有导入" in response.text
    assert "没有找到单位" in client.get("/console/organisations").text


def test_managers_and_branch_heads_see_only_their_organisations_and_cannot_import(
        staffed: Flask, client: FlaskClient) -> None:
    login(client, "admin")
    upload(client, ORGS_CSV.encode(), "单位.csv")
    client.post("/console/logout", data={"csrf_token": csrf_token(
        client.get("/console/organisations").text)})
    login(client, "c1")
    listed = client.get("/console/organisations").text
    assert "张记水产" in listed and "东海食品厂" not in listed
    assert client.get("/console/organisations/F001").status_code == 403
    assert client.get("/console/organisations/NOPE").status_code == 404
    assert upload(client, ORGS_CSV.encode(), "单位.csv").status_code == 403


def test_head_office_imports_relationships_draws_the_chain_and_makes_chain_leads(
        staffed: Flask, client: FlaskClient) -> None:
    login(client, "admin")
    upload(client, ORGS_CSV.encode(), "单位.csv")
    bad = upload(client, "organisation,counterparty,kind\nM001,M001,供应商\n".encode(),
                 "关系.csv", "relationship")
    assert bad.status_code == 422 and "不能与自己建立交易关系" in bad.text
    rows = "\n".join(line for line in RELATIONSHIPS.splitlines() if "NEW" not in line) + "\n"
    assert upload(client, rows.encode("gbk"), "关系.csv", "relationship").status_code == 200
    page = client.get("/console/organisations/LOG01").text
    assert 'data-chart="chain-options"' in page and "物流服务商" in page and "80,000" in page
    token = csrf_token(client.get("/console/organisations").text)
    made = client.post("/console/organisations/chain-leads", data={"csrf_token": token},
                       follow_redirects=True).text
    assert "已生成 1 条链条线索" in made
    assert "顺达物流有限公司的物流客户，月交易额约 12 万元，尚未在我行开户" in made
