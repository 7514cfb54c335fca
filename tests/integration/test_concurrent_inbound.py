"""Callbacks of one customer arriving at once: every one recorded, nothing doubled.

The races only exist where writers run side by side (PostgreSQL); on SQLite the writer queue
serialises them and these tests show the same guarantees hold there too.
"""

import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

import pytest
from flask import Flask
from sqlalchemy import func, select

from bot.wechat.messages import parse_document
from bot.wechat.simulator import Platform
from bot.worker.scheduler import record_deferred
from crm_core.model import (
    Customer,
    InboundDelivery,
    Interaction,
    Lead,
    ManagerLink,
    Notice,
    NoticeKind,
)
from tests.builders import event_xml, org, subscribe_xml, text_xml
from tests.conftest import runtime

TRIALS = 10


@pytest.fixture
def seeded(app: Flask) -> Flask:
    with runtime(app).uow() as uow:
        org(uow, {"SH001": ["SH001-01", "SH001-02"]})
        uow.commit()
    return app


def all_at_once(app: Flask, platform: Platform, callbacks: list[str]) -> list[str]:
    """Post the callbacks from as many threads, released together; return the replies."""
    gate = threading.Barrier(len(callbacks), timeout=30)

    def send(xml: str) -> str:
        client = app.test_client()
        signed = platform.sign(xml)  # signed before the gate opens, so only the posts race
        gate.wait()
        response = client.post("/wechat", query_string=signed.query, data=signed.body)
        assert response.status_code == 200, response.text
        return response.text

    with ThreadPoolExecutor(max_workers=len(callbacks)) as pool:
        return list(pool.map(send, callbacks))


def content(reply: str) -> str | None:
    return None if reply == "success" else parse_document(reply)["Content"]


def counted(app: Flask, query: Callable[[], object]) -> int:
    with runtime(app).engine.connect() as connection:
        return int(connection.scalar(query()) or 0)  # type: ignore[call-overload]


def test_a_new_customers_first_messages_arriving_together_are_all_recorded(
        seeded: Flask, platform: Platform) -> None:
    now = int(time.time())
    for trial in range(TRIALS):
        openid = f"o-first-{trial}"
        follow, hello, question = all_at_once(seeded, platform, [
            subscribe_xml(openid, "b:SH001", at=now),
            text_xml(openid, "你好", msg_id=10_000 + 2 * trial, at=now),
            text_xml(openid, "在吗", msg_id=10_001 + 2 * trial, at=now)])
        welcome = content(follow)
        assert welcome is not None and "欢迎关注" in welcome and "经理SH001-0" in welcome
        assert content(hello) is not None and content(question) is not None

    def of_trials(model, column):  # type: ignore[no-untyped-def]
        return lambda: (select(func.count()).select_from(model)
                        .where(column.in_(select(Customer.id)
                                          .where(Customer.openid.like("o-first-%")))))

    assert counted(seeded, lambda: select(func.count()).select_from(Customer)) == TRIALS
    assert counted(seeded, lambda: select(func.count()).select_from(InboundDelivery)
                   .where(InboundDelivery.reply.is_not(None))) == 3 * TRIALS
    record_deferred(runtime(seeded))  # the worker puts what waits on the timelines
    assert counted(seeded, of_trials(Interaction, Interaction.customer_id)) == 6 * TRIALS
    assert counted(seeded, of_trials(ManagerLink, ManagerLink.customer_id)) == TRIALS
    assert counted(seeded, lambda: select(func.count()).select_from(Notice)
                   .where(Notice.kind == NoticeKind.NEW_CUSTOMER)) == TRIALS
    assert counted(seeded, lambda: select(func.count()).select_from(Lead)) == 0


def test_contact_requests_sent_together_open_one_lead_with_one_notice(
        seeded: Flask, platform: Platform) -> None:
    customers = [f"o-asks-{trial}" for trial in range(TRIALS // 2)]
    for openid in customers:
        all_at_once(seeded, platform, [subscribe_xml(openid, "m:SH001-02")])
    for trial, openid in enumerate(customers):
        replies = [content(reply) or "" for reply in all_at_once(seeded, platform, [
            text_xml(openid, "联系客户经理", msg_id=20_000 + 8 * trial + i) for i in range(8)])]
        assert sum("已收到您的预约" in reply for reply in replies) == 1, replies
        assert sum("已经收到" in reply for reply in replies) == 7, replies
    assert counted(seeded, lambda: select(func.count()).select_from(Lead)) == len(customers)
    assert counted(seeded, lambda: select(func.count()).select_from(Notice)
                   .where(Notice.kind == NoticeKind.NEW_LEAD)) == len(customers)
    assert counted(seeded, lambda: select(func.count()).select_from(InboundDelivery)
                   .where(InboundDelivery.reply.is_not(None))) == 9 * len(customers)


def test_two_codes_scanned_together_link_a_known_customer_once(
        seeded: Flask, platform: Platform) -> None:
    now = int(time.time())
    for trial in range(TRIALS):
        openid = f"o-scans-{trial}"
        all_at_once(seeded, platform, [text_xml(openid, "你好", msg_id=30_000 + trial)])
        first, second = all_at_once(seeded, platform, [  # distinct times: not twins
            event_xml(openid, "SCAN", "m:SH001-01", at=now),
            event_xml(openid, "SCAN", "m:SH001-02", at=now + 1)])
        assert content(first) is not None and content(second) is not None
    assert counted(seeded, lambda: select(func.count()).select_from(ManagerLink)) == TRIALS
    assert counted(seeded, lambda: select(func.count()).select_from(Notice)
                   .where(Notice.kind == NoticeKind.NEW_CUSTOMER)) == TRIALS
    assert counted(seeded, lambda: select(func.count()).select_from(InboundDelivery)
                   .where(InboundDelivery.reply.is_not(None))) == 3 * TRIALS


def test_questions_answered_at_once_together_each_get_their_own_answer_kept_once(
        seeded: Flask, platform: Platform) -> None:
    # Written in groups (several threads' deliveries in one commit): each reply is its
    # sender's, twins get the same one, and every delivery is kept once.
    customers = {f"o-ask-{n}": f"m:SH001-0{n % 2 + 1}" for n in range(6)}
    for openid, code in customers.items():
        all_at_once(seeded, platform, [subscribe_xml(openid, code)])
    for trial in range(TRIALS // 2):
        callbacks = [text_xml(openid, "我的客户经理", msg_id=40_000 + 10 * trial + n)
                     for n, openid in enumerate(customers)]
        replies = all_at_once(seeded, platform, [*callbacks, callbacks[0], callbacks[3]])
        assert replies[6] == replies[0] and replies[7] == replies[3]
        for reply, code in zip(replies, customers.values(), strict=False):
            assert f"经理{code[2:]}" in (content(reply) or ""), reply
    assert counted(seeded, lambda: select(func.count()).select_from(InboundDelivery)
                   .where(InboundDelivery.reply.is_not(None))) == 6 + 6 * (TRIALS // 2)
