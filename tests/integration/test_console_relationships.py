"""Staff enter a trade relationship by hand on an organisation's page, the counterparty picked
by name; the import's checks refuse it the same way (itself, an unknown organisation, a
circle), in Chinese, and nothing is saved; what is saved is audited."""

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from crm_core.model import AuditEvent, TradeRelationship
from tests.conftest import runtime
from tests.console_support import csrf_token, login
from tests.integration.test_console_organisations import staffed as staffed
from tests.integration.test_console_organisations import upload
from tests.organisation_support import ORGS_CSV


def enter(client: FlaskClient, code: str, **form: str) -> str:
    page = client.get(f"/console/organisations/{code}").text
    return client.post(f"/console/organisations/{code}/relationships",
                       data={"csrf_token": csrf_token(page), **form}, follow_redirects=True).text


def relationships(app: Flask) -> list[tuple[int, int, str, int | None, str]]:
    with runtime(app).uow() as uow:
        return [(r.organisation_id, r.counterparty_id, r.kind, r.monthly_volume, r.source)
                for r in uow.session.scalars(select(TradeRelationship))]


def test_a_manager_enters_a_relationship_picked_by_name_and_it_is_audited(
        staffed: Flask, client: FlaskClient) -> None:
    login(client, "admin")
    upload(client, ORGS_CSV.encode(), "单位.csv")
    login(client, "c1")
    page = client.get("/console/organisations/M001").text
    assert 'id="relationship-form"' in page and 'data-picker="/console/pick/organisations"' in page
    assert [row["value"] for row in client.get("/console/pick/organisations?q=李氏").json] == [
        "M002"]
    saved = enter(client, "M001", counterparty="M002", kind="采购方",
                  monthly_volume="12,000", as_of="2026-11-01")
    assert "交易关系已保存" in saved and "李氏干货" in saved and "12,000" in saved
    assert [r[2:] for r in relationships(staffed)] == [("采购方", 12000, "staff:c1")]
    with runtime(staffed).uow() as uow:
        audited = uow.session.scalars(select(AuditEvent).where(
            AuditEvent.action == "relationship_entered")).all()
        assert [(e.actor, e.subject) for e in audited] == [("c1", "M001")]


def test_itself_an_unknown_counterparty_and_a_circle_are_refused_and_nothing_is_saved(
        staffed: Flask, client: FlaskClient) -> None:
    login(client, "admin")
    upload(client, ORGS_CSV.encode(), "单位.csv")
    assert "交易关系已保存" in enter(client, "M001", counterparty="M002", kind="采购方")
    assert "不能与自己建立交易关系" in enter(client, "M001", counterparty="M001", kind="采购方")
    assert "找不到单位代码“X9”" in enter(client, "M001", counterparty="X9", kind="供应商")
    circle = enter(client, "M002", counterparty="M001", kind="采购方")
    assert "会让货物循环流动" in circle
    assert len(relationships(staffed)) == 1
    login(client, "c1")
    assert client.post("/console/organisations/F001/relationships", data={
        "csrf_token": csrf_token(client.get("/console/organisations").text),
        "counterparty": "M001", "kind": "采购方"}).status_code == 403
