"""Managers bind their WeChat; customers ask for contact; notices are queued with the event."""

import time
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from bot.wechat.messages import parse_document
from bot.wechat.simulator import Platform
from crm_core import services
from crm_core.model import (
    AuditEvent,
    Lead,
    ManagerState,
    Notice,
    NoticeKind,
    NoticeStatus,
    utcnow,
)
from tests.builders import event_xml, org, post, subscribe_xml, text_xml
from tests.conftest import runtime

MANAGER_WECHAT = "o" + "m" * 27


@pytest.fixture
def seeded(app):  # type: ignore[no-untyped-def]
    with runtime(app).uow() as uow:
        org(uow, {"SH001": ["SH001-01", "SH001-02"], "BJ001": ["BJ001-01"]})
        uow.commit()
    return app


def say(app, platform: Platform, xml: str) -> str:  # type: ignore[no-untyped-def]
    response = post(app.test_client(), platform, xml)
    assert response.status_code == 200, response.text
    return "" if response.text == "success" else parse_document(response.text)["Content"]


def bind_code(app, manager: str = "SH001-01", ttl: timedelta = timedelta(minutes=30)) -> str:  # type: ignore[no-untyped-def]
    with runtime(app).uow() as uow:
        code = services.issue_bind_code(uow, manager, utcnow(), ttl, "test")
        uow.commit()
    return code


def notices(app) -> list[dict]:  # type: ignore[no-untyped-def,type-arg]
    with runtime(app).uow() as uow:
        return sorted(services.list_notices(uow, None, 100), key=lambda n: n["id"])


def test_manager_binds_with_a_one_time_code_and_held_notices_are_released(
        seeded, platform: Platform) -> None:
    say(seeded, platform, subscribe_xml("c1", "m:SH001-01"))
    [held] = notices(seeded)
    assert (held["kind"], held["status"]) == (NoticeKind.NEW_CUSTOMER, NoticeStatus.HELD)
    code = bind_code(seeded)
    assert "绑定成功" in say(seeded, platform, text_xml(MANAGER_WECHAT, f"绑定 {code}"))
    assert notices(seeded)[0]["status"] == NoticeStatus.PENDING
    other = "o" + "x" * 27
    assert "无效" in say(seeded, platform, text_xml(other, f"绑定 {code}"))  # used once only


def test_expired_code_is_refused(seeded, platform: Platform) -> None:
    code = bind_code(seeded, ttl=timedelta(seconds=-1))
    assert "无效" in say(seeded, platform, text_xml(MANAGER_WECHAT, f"绑定 {code}"))


def test_repeated_wrong_codes_are_throttled_even_before_a_right_one(seeded,
                                                                    platform: Platform) -> None:
    for attempt in range(5):
        assert "无效" in say(seeded, platform, text_xml(MANAGER_WECHAT, f"绑定 0000000{attempt}"))
    code = bind_code(seeded)
    assert "次数过多" in say(seeded, platform, text_xml(MANAGER_WECHAT, f"绑定 {code}"))


def test_binding_is_audited_never_stores_the_code_and_can_be_undone(seeded,
                                                                     platform: Platform) -> None:
    code = bind_code(seeded)
    say(seeded, platform, text_xml(MANAGER_WECHAT, f"绑定 {code}"))
    assert "解除绑定" in say(seeded, platform, text_xml(MANAGER_WECHAT, "解除绑定"))
    with runtime(seeded).engine.connect() as connection:
        actions = connection.scalars(select(AuditEvent.action).order_by(AuditEvent.id)).all()
        stored = connection.exec_driver_sql("SELECT summary FROM interactions").scalars().all()
    assert actions == ["bind_code_issued", "manager_bound", "manager_unbound"]
    assert not any(code in summary for summary in stored)
    with runtime(seeded).uow() as uow:
        assert services.bound_manager(uow, MANAGER_WECHAT) is None


def test_contact_request_opens_one_lead_for_the_linked_manager_and_notifies_once(
        seeded, platform: Platform) -> None:
    say(seeded, platform, subscribe_xml("c2", "m:SH001-02"))
    first = say(seeded, platform, text_xml("c2", "联系客户经理"))
    again = say(seeded, platform, text_xml("c2", "联系客户经理"))
    assert "经理SH001-02" in first and "已经收到" in again
    kinds = [(n["kind"], n["manager"]) for n in notices(seeded)]
    assert kinds == [(NoticeKind.NEW_CUSTOMER, "SH001-02"), (NoticeKind.NEW_LEAD, "SH001-02")]
    with runtime(seeded).uow() as uow:
        [lead] = uow.leads.listing(None, None, 10)
        assert lead.due_at - lead.created_at == timedelta(minutes=120)


def test_appointment_menu_opens_a_lead_through_the_branch_round_robin_without_a_manager(
        seeded, platform: Platform) -> None:
    say(seeded, platform, subscribe_xml("c3", "b:BJ001"))
    with runtime(seeded).uow() as uow:
        services.set_manager_state(uow, "BJ001-01", ManagerState.LEFT)
        uow.commit()
    reply = say(seeded, platform, event_xml("c3", "CLICK", "APPOINTMENT"))
    assert "尽快安排" in reply  # nobody active in BJ001: the customer is told honestly
    with runtime(seeded).engine.connect() as connection:
        source = connection.scalar(select(Lead.source))
    assert source == "menu_appointment"


def test_follow_delivered_four_times_queues_one_new_customer_notice(seeded,
                                                                    platform: Platform) -> None:
    xml = subscribe_xml("c4", "b:SH001", at=int(time.time()))
    replies = {say(seeded, platform, xml) for _ in range(4)}
    assert len(replies) == 1
    with runtime(seeded).engine.connect() as connection:
        assert connection.scalar(select(func.count()).select_from(Notice)) == 1
