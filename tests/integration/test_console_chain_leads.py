"""Staff move a chain lead on from the console (contacted, converted, lost), audited; only its
manager, its branch's head or head office may, and only along the lead's steps."""

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from crm_core.model import AuditEvent, ChainLead, LeadStatus
from tests.conftest import runtime
from tests.console_support import csrf_token, login
from tests.integration.test_chain_leads import RELATIONSHIPS
from tests.integration.test_console_organisations import staffed as staffed
from tests.integration.test_console_organisations import upload
from tests.organisation_support import ORGS_CSV


def made_lead(client: FlaskClient) -> None:
    login(client, "admin")
    upload(client, ORGS_CSV.encode(), "单位.csv")
    rows = "\n".join(line for line in RELATIONSHIPS.splitlines() if "NEW" not in line) + "\n"
    upload(client, rows.encode("gbk"), "关系.csv", "relationship")
    token = csrf_token(client.get("/console/organisations").text)
    client.post("/console/organisations/chain-leads", data={"csrf_token": token})
    client.post("/console/logout", data={"csrf_token": token})


def step(client: FlaskClient, status: str, back: str = "list") -> str:
    token = csrf_token(client.get("/console/organisations").text)
    return client.post("/console/organisations/chain-leads/1/status",
                       data={"csrf_token": token, "status": status, "back": back},
                       follow_redirects=True).text


def test_the_leads_manager_marks_it_contacted_then_converted_and_each_step_is_audited(
        staffed: Flask, client: FlaskClient) -> None:
    made_lead(client)
    login(client, "c1")
    listed = client.get("/console/organisations").text
    assert 'data-chain-step="1"' in listed and "已联系" in listed
    assert "链条线索“李氏干货”已更新为“已联系”" in step(client, "contacted")
    assert "链条线索“李氏干货”已更新为“已成交”" in step(client, "converted", back="M002")
    assert "不能改为所选状态" in step(client, "lost")
    with runtime(staffed).uow() as uow:
        lead = uow.session.get(ChainLead, 1)
        assert lead is not None and lead.status is LeadStatus.CONVERTED
        audited = uow.session.scalars(select(AuditEvent).where(
            AuditEvent.action == "chain_lead_moved").order_by(AuditEvent.id)).all()
        assert [(e.actor, e.detail["status"]) for e in audited] == [
            ("c1", "contacted"), ("c1", "converted")]


def test_a_branch_head_of_another_branch_cannot_move_the_lead(
        staffed: Flask, client: FlaskClient) -> None:
    made_lead(client)
    login(client, "head2")
    assert "只有这条链条线索的客户经理" in step(client, "lost")
    assert "请选择下一步" in step(client, "reopened")
    with runtime(staffed).uow() as uow:
        lead = uow.session.get(ChainLead, 1)
        assert lead is not None and lead.status is LeadStatus.NEW


def test_the_leads_manager_opens_the_organisation_it_is_about_and_others_may_not(
        staffed: Flask, client: FlaskClient) -> None:
    made_lead(client)  # lead 1: 李氏干货 (M002, owned by no one) for c1 of SH001
    login(client, "c1")
    page = client.get("/console/organisations/M002")
    assert page.status_code == 200 and "李氏干货" in page.text
    client.post("/console/logout", data={"csrf_token": csrf_token(page.text)})
    login(client, "head2")
    assert client.get("/console/organisations/M002").status_code == 403
