"""Console registers and the wealth line: a branch head records and judges a complaint that
then deducts on the manager's card, which names the register; a manager sees complaints about
themselves only and records their own override; a head-office account on the wealth line
reads only wealth managers' cards and cannot run, import or export the whole bank's."""

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from bot.web.staff_auth import hash_password
from crm_core import services
from crm_core.model import AuditEvent, ManagerRole, Product, StaffRole, utcnow
from crm_core.services.performance import RunPolicy, run_month
from crm_core.services.suitability import record_staff_assessment
from tests.conftest import runtime
from tests.console_support import PASSWORD, csrf_token, login, populate
from tests.integration.test_console_chinese import english_words
from tests.performance_support import HEADER, NOVEMBER, import_text

BOOK = HEADER + """10000001,SH001-01,存款,1000000,1.5,2.5,,,,
10000002,SH002-W1,存款,360000,0.3,2.3,,,,
"""


def world(app: Flask) -> dict[str, int]:
    """The console's staff and customers, a wealth manager in SH002, a fund at R4 and a
    head-office account on the wealth line."""
    ids = populate(runtime(app)).customers
    with runtime(app).uow() as uow:
        services.add_manager(uow, "SH002-W1", "财富经理", "SH002",  # type: ignore[arg-type]
                             role=ManagerRole.WEALTH)
        uow.session.add(Product(code="FD001", name="进取混合基金", category="基金",  # type: ignore[attr-defined]
                                risk_level=4, summary="高波动"))
        services.add_staff(uow, "wealth", "财富条线", hash_password(PASSWORD),
                           StaffRole.HEAD_OFFICE, None, None, "test", utcnow())
        services.set_staff_line(uow, "wealth", ManagerRole.WEALTH, "test", utcnow())
        uow.commit()
    return ids


def _record(client: FlaskClient, customer: int, manager: str = "SH001-01") -> str:
    page = client.get("/console/complaints")
    return client.post("/console/complaints", data={
        "csrf_token": csrf_token(page.text), "customer": str(customer), "manager": manager,
        "received_on": "2026-11-20", "channel": "phone", "summary": "理财风险没讲清楚",
        "detail": "客户来电，留的号码 13812345678"}, follow_redirects=True).text


def test_a_substantiated_complaint_shows_on_the_list_and_deducts_on_the_card(
        app: Flask, client: FlaskClient) -> None:
    ids = world(app)
    login(client, "head")
    done = _record(client, ids["c1-sh001-01"])
    assert "已登记第 1 号投诉" in done and "138****5678" in done and "13812345678" not in done
    judged = client.post("/console/complaints/1/verdict", data={
        "csrf_token": csrf_token(done), "verdict": "substantiated", "reason": "录音证实"},
        follow_redirects=True)
    assert "已认定第 1 号投诉" in judged.text and "投诉成立" in judged.text
    assert english_words(judged.text) == []
    again = client.post("/console/complaints/1/verdict", data={
        "csrf_token": csrf_token(done), "verdict": "unsubstantiated", "reason": "改判"},
        follow_redirects=True)
    assert "网点负责人只能认定一次" in again.text
    with runtime(app).uow() as uow:
        import_text(uow, NOVEMBER, BOOK, utcnow())  # type: ignore[arg-type]
        run_month(uow, NOVEMBER, RunPolicy(), "test", utcnow())  # type: ignore[arg-type]
        uow.commit()
    login(client, "m1")
    assert "共 1 条" in client.get("/console/complaints").text
    assert 'id="complaint-form"' not in client.get("/console/complaints").text
    card = client.get("/console/scorecards/2026-11/SH001-01").text
    assert "投诉成立扣分" in card and "-5.00" in card
    assert 'href="/console/complaints?month=2026-11">投诉登记</a> 1 条：#1' in card
    login(client, "m2")
    assert "共 0 条" in client.get("/console/complaints").text


def test_a_manager_records_their_own_override_and_a_covered_sale_is_refused(
        app: Flask, client: FlaskClient) -> None:
    ids = world(app)
    login(client, "m1")
    page = client.get("/console/suitability-overrides")
    assert 'id="override-form"' in page.text and english_words(page.text) == []
    form = {"csrf_token": csrf_token(page.text), "customer": str(ids["c1-sh001-01"]),
            "product": "FD001", "occurred_on": "2026-11-12", "reason": "客户坚持购买，已签确认书"}
    done = client.post("/console/suitability-overrides", data=form, follow_redirects=True)
    assert "已登记第 1 号适当性突破" in done.text and "无有效评估 / R4" in done.text
    with runtime(app).uow() as uow:
        customer = uow.customers.by_openid("c1-sh001-01")
        record_staff_assessment(uow, customer, 5, NOVEMBER, "test", utcnow())  # type: ignore[arg-type]
        uow.commit()
    refused = client.post("/console/suitability-overrides", data=form, follow_redirects=True)
    assert "已覆盖产品风险等级（R4），这不是适当性突破" in refused.text
    login(client, "head")
    assert "共 1 条" in client.get("/console/suitability-overrides").text
    foreign = _record(client, ids["c3-sh002-01"], "SH002-01")
    assert "这位客户经理不在您的管辖范围内" in foreign and "共 0 条" in foreign
    with runtime(app).uow() as uow:
        actions = uow.session.scalars(select(AuditEvent.action).where(  # type: ignore[attr-defined]
            AuditEvent.action == "suitability_override")).all()
    assert actions == ["suitability_override"]


def test_the_wealth_line_reads_only_wealth_cards_and_not_the_whole_banks_tools(
        app: Flask, client: FlaskClient) -> None:
    ids = world(app)
    with runtime(app).uow() as uow:
        import_text(uow, NOVEMBER, BOOK, utcnow())  # type: ignore[arg-type]
        run_month(uow, NOVEMBER, RunPolicy(), "test", utcnow())  # type: ignore[arg-type]
        uow.commit()
    login(client, "admin")
    assert "总行 · 财富条线" in client.get("/console/staff").text
    _record(client, ids["c3-sh002-01"], "SH002-W1")
    _record(client, ids["c1-sh001-01"], "SH001-01")
    login(client, "wealth")
    page = client.get("/console/scorecards?month=2026-11")
    assert "考核卡（1 张）" in page.text and "财富经理" in page.text
    assert 'id="line-note"' in page.text
    assert 'id="import"' not in page.text and "审批并冻结" not in page.text
    assert 'id="league-wealth"' in page.text and 'id="league-retail"' not in page.text
    assert english_words(page.text) == []
    assert client.get("/console/scorecards/2026-11/SH001-01").status_code == 403
    assert client.get("/console/scorecards/2026-11/SH002-W1").status_code == 200
    assert client.post("/console/scorecards/2026-11/run",
                       data={"csrf_token": csrf_token(page.text)}).status_code == 403
    assert client.get("/console/scorecards/2026-11/payroll.csv").status_code == 403
    listed = client.get("/console/complaints").text
    assert "共 1 条" in listed and "财富经理" in listed
