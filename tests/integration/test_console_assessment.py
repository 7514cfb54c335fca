"""Branch staff record a customer's risk assessment in the console; product answers follow it."""

from datetime import date, timedelta

from flask import Flask
from sqlalchemy import select

from crm_core.model import AuditEvent, RiskAssessment
from tests.builders import text_xml
from tests.conftest import runtime
from tests.console_support import csrf_token, login, populate
from tests.product_support import answer_text, import_sample, post

CUSTOMER = "c1-sh001-01"  # linked to SH001-01, who logs in as m1


def assess(client, customer_id: int, level: str, assessed_on: str):  # type: ignore[no-untyped-def]
    page = client.get(f"/console/customers/{customer_id}")
    return client.post(f"/console/customers/{customer_id}/risk", data={
        "level": level, "assessed_on": assessed_on, "csrf_token": csrf_token(page.text)})


def test_a_manager_records_an_assessment_and_wealth_answers_follow_it(app: Flask,
                                                                      platform) -> None:
    world = populate(runtime(app))
    with runtime(app).uow() as uow:
        import_sample(uow)
        uow.commit()
    ask = app.test_client()
    before = answer_text(platform, post(ask, platform, text_xml(CUSTOMER, "理财")))
    assert "还没有有效的风险承受能力评估" in before and "WM001" not in before
    staff = app.test_client()
    login(staff, "m1")
    customer = world.customers[CUSTOMER]
    assert "未评估" in staff.get(f"/console/customers/{customer}").text

    done = assess(staff, customer, "3", date.today().isoformat())
    assert done.status_code == 302
    page = staff.get(done.headers["Location"]).text
    assert "已记录风险承受能力评估：C3" in page and "C3（" in page

    after = answer_text(platform, post(ask, platform, text_xml(CUSTOMER, "理财")))
    assert "WM001" in after
    with runtime(app).engine.connect() as connection:
        row = connection.execute(select(RiskAssessment.level, RiskAssessment.source)).one()
        event = connection.execute(select(AuditEvent.actor, AuditEvent.subject, AuditEvent.detail)
                                   .where(AuditEvent.action == "risk_assessed")).one()
    assert tuple(row) == (3, "staff:m1")
    assert event.actor == "m1" and event.subject == str(customer)
    assert event.detail == {"level": 3, "assessed_on": date.today().isoformat()}


def test_an_old_assessment_shows_as_expired(app: Flask) -> None:
    world = populate(runtime(app))
    staff = app.test_client()
    login(staff, "head")
    customer = world.customers[CUSTOMER]
    old = (date.today() - timedelta(days=400)).isoformat()
    assert assess(staff, customer, "4", old).status_code == 302
    assert f"已过期（{old}评估）" in staff.get(f"/console/customers/{customer}").text


def test_bad_levels_dates_and_other_scopes_are_refused(app: Flask) -> None:
    world = populate(runtime(app))
    staff = app.test_client()
    login(staff, "m1")
    mine, theirs = world.customers[CUSTOMER], world.customers["c2-sh001-02"]
    tomorrow = (date.today() + timedelta(days=2)).isoformat()
    for level, on in (("6", date.today().isoformat()), ("C3", "2026-01-01"), ("3", "yesterday"),
                      ("3", tomorrow)):
        assert assess(staff, mine, level, on).status_code == 400, (level, on)
    page = staff.get(f"/console/customers/{mine}").text
    assert staff.post(f"/console/customers/{theirs}/risk", data={
        "level": "3", "assessed_on": "2026-01-01", "csrf_token": csrf_token(page)}
        ).status_code == 403
    assert staff.post(f"/console/customers/{mine}/risk",
                      data={"level": "3", "assessed_on": "2026-01-01"}).status_code == 400
    with runtime(app).engine.connect() as connection:
        assert connection.execute(select(RiskAssessment.id)).first() is None


def test_head_office_sees_the_assessment_but_does_not_record_one(app: Flask) -> None:
    world = populate(runtime(app))
    staff = app.test_client()
    login(staff, "admin")
    customer = world.customers[CUSTOMER]
    page = staff.get(f"/console/customers/{customer}").text
    assert "未评估" in page and 'id="assess"' not in page
    response = staff.post(f"/console/customers/{customer}/risk", data={
        "level": "3", "assessed_on": "2026-01-01", "csrf_token": csrf_token(page)})
    assert response.status_code == 403
