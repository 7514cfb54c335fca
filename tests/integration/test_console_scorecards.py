"""Console scorecard pages: a manager sees their own card, its lines, trend and source rows,
never another's; a branch head the branch's; head office approves a draft month, after which
it is frozen; every page reads in Chinese."""

import io
from datetime import datetime, timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from crm_core import services
from crm_core.model import AuditEvent, ManagerRole, utcnow
from crm_core.model.campaigns import CampaignRecipient, RecipientStatus
from crm_core.model.performance import MonthState, PerformanceMonth
from crm_core.services.performance import RunPolicy, run_month, save_template
from tests.conftest import runtime
from tests.console_support import csrf_token, login, populate
from tests.integration.test_console_chinese import english_words
from tests.performance_support import HEADER, NOVEMBER, import_text

BOOK = HEADER + """10000001,SH001-01,存款,1000000,1.5,2.5,,,,
10000002,SH001-02,存款,360000,0.3,2.3,,,,
10000003,SH002-01,贷款,1200000,4.2,2.7,,,10000,
"""


@pytest.fixture
def ran(app: Flask) -> Flask:
    populate(runtime(app))
    with runtime(app).uow() as uow:
        import_text(uow, NOVEMBER, BOOK, utcnow())  # type: ignore[arg-type]
        run_month(uow, NOVEMBER, RunPolicy(), "test", utcnow())  # type: ignore[arg-type]
        uow.commit()
    return app


def test_a_manager_sees_their_own_card_explained_and_not_anothers(
        ran: Flask, client: FlaskClient) -> None:
    login(client, "m1")
    listed = client.get("/console/scorecards")
    assert listed.status_code == 200
    assert "我的考核卡（1 张）" in listed.text and "考核与模拟网点" in listed.text
    card = client.get("/console/scorecards/2026-11/SH001-01")
    assert card.status_code == 200
    assert "833.33" in card.text and "****0001" in card.text and "得分与模拟利润走势" in card.text
    assert english_words(card.text) == [] and english_words(listed.text) == []
    assert client.get("/console/scorecards/2026-11/SH001-02").status_code == 403


def test_a_branch_head_sees_the_branch_managers_cards_only(
        ran: Flask, client: FlaskClient) -> None:
    login(client, "head")
    assert "考核卡（2 张）" in client.get("/console/scorecards").text
    assert client.get("/console/scorecards/2026-11/SH002-01").status_code == 403


def test_head_office_approves_a_draft_month_and_it_is_frozen(
        ran: Flask, client: FlaskClient) -> None:
    login(client, "admin")
    page = client.get("/console/scorecards?month=2026-11")
    assert "审批并冻结" in page.text and "考核卡（3 张）" in page.text
    assert "考核卡（3 张）" in client.get("/console/scorecards?month=2026-11&role=retail").text
    assert "考核卡（0 张）" in client.get("/console/scorecards?month=2026-11&role=wealth").text
    done = client.post("/console/scorecards/2026-11/approve",
                       data={"csrf_token": csrf_token(page.text)}, follow_redirects=True)
    assert "已审批 2026-11 的考核卡" in done.text and "审批并冻结" not in done.text
    with runtime(ran).uow() as uow:
        month = uow.session.get(PerformanceMonth, NOVEMBER)  # type: ignore[attr-defined]
        assert month is not None and month.state is MonthState.FROZEN
    again = client.post("/console/scorecards/2026-11/run",
                        data={"csrf_token": csrf_token(page.text)}, follow_redirects=True)
    assert "已经总行审批冻结" in again.text
    assert "导出绩效薪酬" in again.text
    exported = client.get("/console/scorecards/2026-11/payroll.csv")
    assert exported.status_code == 200 and exported.mimetype == "text/csv"
    assert exported.text.lstrip("\ufeff").startswith("客户经理代码,姓名,网点,条线")
    with runtime(ran).uow() as uow:
        events = uow.session.scalars(select(AuditEvent).where(  # type: ignore[attr-defined]
            AuditEvent.action == "payroll_export")).all()
        assert [e.subject for e in events] == ["payroll:2026-11"]


def test_only_head_office_runs_approves_or_exports(ran: Flask, client: FlaskClient) -> None:
    login(client, "head")
    page = client.get("/console/scorecards")
    assert client.get("/console/scorecards/2026-11/payroll.csv").status_code == 403
    assert client.post("/console/scorecards/2026-11/approve",
                       data={"csrf_token": csrf_token(page.text)}).status_code == 403


def test_head_office_imports_a_month_and_a_bad_file_is_refused_row_by_row(
        ran: Flask, client: FlaskClient) -> None:
    login(client, "admin")
    page = client.get("/console/scorecards")
    bad = HEADER + "10000009,NOBODY,存款,100,1,2,,,,\n"
    refused = client.post("/console/scorecards", data={
        "csrf_token": csrf_token(page.text), "table": "book", "month": "2026-12",
        "file": (io.BytesIO(bad.encode("gbk")), "book.csv")},
        content_type="multipart/form-data")
    assert refused.status_code == 422
    assert "找不到客户经理代码“NOBODY”" in refused.text
    done = client.post("/console/scorecards", data={
        "csrf_token": csrf_token(page.text), "table": "book", "month": "2026-12",
        "file": (io.BytesIO(BOOK.encode("utf-8-sig")), "book.csv")},
        content_type="multipart/form-data", follow_redirects=True)
    assert done.status_code == 200 and "已导入 2026-12：3 行" in done.text
    login(client, "head")
    page = client.get("/console/scorecards")
    assert "id=\"import\"" not in page.text
    assert client.post("/console/scorecards", data={
        "csrf_token": csrf_token(page.text), "table": "book", "month": "2026-12",
        "file": (io.BytesIO(BOOK.encode()), "book.csv")},
        content_type="multipart/form-data").status_code == 403


def test_a_card_names_the_campaign_leads_it_counted(app: Flask, client: FlaskClient) -> None:
    populate(runtime(app))
    at = datetime(2026, 11, 10, 2, 0)
    lines = [{"metric": "campaign_leads", "weight": 60, "target": 1},
             {"metric": "share_follows", "weight": 40, "target": 1}]
    with runtime(app).uow() as uow:
        services.follow(uow, "reached-web", "m:SH001-01", at)  # type: ignore[arg-type]
        customer = uow.customers.by_openid("reached-web")
        assert customer is not None
        uow.session.add(CampaignRecipient(campaign_id=1, customer_id=customer.id, channel="mass",
                                          status=RecipientStatus.SENT, due_at=at))
        lead = services.open_lead(uow, "reached-web", "contact_request",  # type: ignore[arg-type]
                                  at + timedelta(days=1), timedelta(hours=2)).lead_id
        save_template(uow, ManagerRole.RETAIL, {"lines": lines}, "head", at)  # type: ignore[arg-type]
        run_month(uow, NOVEMBER, RunPolicy(), "test", utcnow())  # type: ignore[arg-type]
        uow.commit()
    login(client, "m1")
    card = client.get("/console/scorecards/2026-11/SH001-01")
    assert "活动带来线索" in card.text and f"线索 1 条：#{lead}" in card.text
    assert "分享记录 0 条" in card.text and english_words(card.text) == []
