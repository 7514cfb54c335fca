"""The conversations inbox in the console: scoped per role, masked for all but the customer's
own manager, replies checked, new messages as fragments, exports audited."""

from datetime import date

import pytest

from crm_core import services
from crm_core.model import utcnow
from crm_core.model.classification import DimensionValue
from crm_core.services import conversations as talk
from tests.conftest import runtime
from tests.console_support import csrf_token, login
from tests.talk_support import C1, open_for, populate, scope_of


@pytest.fixture
def world(app):  # type: ignore[no-untyped-def]
    populate(runtime(app))
    conversation = open_for(runtime(app), C1)
    with runtime(app).uow() as uow:
        talk.customer_message(uow, C1, "text", "我的手机是13812345678，想问问理财", None,
                              utcnow())
        uow.commit()
    return conversation


def test_the_own_manager_reads_the_number_others_see_it_masked(app, world) -> None:  # type: ignore[no-untyped-def]
    manager, agent = app.test_client(), app.test_client()
    login(manager, "m1")
    login(agent, "agent")
    assert "13812345678" in manager.get(f"/console/talk/{world}").text
    page = agent.get(f"/console/talk/{world}").text
    assert "13812345678" not in page and "138****5678" in page


def test_a_manager_without_the_customer_gets_403(app, world) -> None:  # type: ignore[no-untyped-def]
    client = app.test_client()
    login(client, "m2")
    assert client.get(f"/console/talk/{world}").status_code == 403
    assert client.get(f"/console/talk/{world}/messages?after=0").status_code == 403
    assert f'data-conversation="{world}"' not in client.get("/console/talk").text


def test_the_inbox_lists_waiting_conversations_and_the_poll_returns_only_new_ones(
        app, world) -> None:  # type: ignore[no-untyped-def]
    client = app.test_client()
    login(client, "m1")
    assert f'data-conversation="{world}"' in client.get("/console/talk").text
    fragment = client.get(f"/console/talk/{world}/messages?after=0").text
    assert "想问问理财" in fragment
    with runtime(app).uow() as uow:
        last = uow.conversations.messages(world)[-1].id
    assert "想问问理财" not in client.get(f"/console/talk/{world}/messages?after={last}").text


def test_a_banned_promise_is_refused_with_the_phrase_named(app, world) -> None:  # type: ignore[no-untyped-def]
    client = app.test_client()
    login(client, "m1")
    token = csrf_token(client.get(f"/console/talk/{world}").text)
    answer = client.post(f"/console/talk/{world}/reply", data={
        "body": "这款产品保证收益", "csrf_token": token}, follow_redirects=True)
    assert "违规用语“保证收益”" in answer.text
    with runtime(app).uow() as uow:
        assert [m.author.value for m in uow.conversations.messages(world)] == ["customer"]


def test_a_reply_from_the_console_is_kept_and_queued(app, world) -> None:  # type: ignore[no-untyped-def]
    client = app.test_client()
    login(client, "m1")
    token = csrf_token(client.get(f"/console/talk/{world}").text)
    answer = client.post(f"/console/talk/{world}/reply", data={
        "body": "您好，我来为您介绍。", "csrf_token": token}, follow_redirects=True)
    assert "已发送" in answer.text and "您好，我来为您介绍。" in answer.text
    with runtime(app).uow() as uow:
        customer = uow.customers.by_openid(C1)
        assert customer is not None
        customer_id = customer.id
    timeline = client.get(f"/console/customers/{customer_id}").text
    assert "您好，我来为您介绍。" in timeline  # kept with the customer's timeline


def test_exporting_a_transcript_is_audited(app, world) -> None:  # type: ignore[no-untyped-def]
    client = app.test_client()
    login(client, "head")
    answer = client.get(f"/console/talk/{world}/export.csv")
    assert answer.status_code == 200 and "138****5678" in answer.text
    admin = scope_of(runtime(app), "admin")
    with runtime(app).uow() as uow:
        found = services.audit_trail(uow, admin, "conversation_exported")
    assert [e["subject"] for e in found] == [str(world)]


def test_the_customers_tier_shows_beside_the_transcript(app, world) -> None:  # type: ignore[no-untyped-def]
    client = app.test_client()
    login(client, "agent")
    assert '<dd class="col-7" id="talk-tier">暂无</dd>' in client.get(f"/console/talk/{world}").text
    with runtime(app).uow() as uow:
        customer = uow.customers.by_openid(C1)
        uow.session.add(DimensionValue(customer_id=customer.id, dimension="tier",  # type: ignore[union-attr]
                                       month=date(2026, 11, 1), value="vip"))
        uow.commit()
    assert '<dd class="col-7" id="talk-tier">贵宾</dd>' in client.get(f"/console/talk/{world}").text
