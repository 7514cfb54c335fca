"""Conversations with a person: opened from the chat, routed to the right person, answered
within the platform's rules through the outbox, rated after close."""

import threading
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from flask import Flask

from bot import create_app, texts
from bot.config import Settings
from bot.runtime import Runtime, build_runtime
from bot.wechat.messages import parse_document
from bot.wechat.simulator import Platform
from bot.worker.outbox import Outbox
from crm_core import services
from crm_core.model import NoticeKind, NoticeStatus, OutOfScope, StaffRole, utcnow
from crm_core.model.conversations import ConversationRefused, Delivery, Presence
from crm_core.services import conversations as talk
from tests.builders import org, post, text_xml
from tests.conftest import make_settings, runtime
from tests.console_support import csrf_token, login
from tests.product_support import import_sample
from tests.sandbox_support import SandboxHandle, api_for, fake_openid, running_sandbox
from tests.talk_support import C1, open_for, populate, scope_of, set_presence

TEMPLATES = {"talk_waiting_template": "TPL_WAIT", "talk_page_template": "TPL_PAGE",
             "talk_escalation_template": "TPL_ESC"}


@pytest.fixture
def sandbox() -> Iterator[SandboxHandle]:
    with running_sandbox() as handle:
        yield handle


@pytest.fixture
def settings(database_url: str, tmp_path: Path, sandbox: SandboxHandle) -> Settings:
    return make_settings(
        database_url, tmp_path, notifications=TEMPLATES,
        wechat={"app_id": sandbox.app_id, "app_secret": sandbox.app_secret,
                "api_base_url": sandbox.base_url, "mode": "compatible"})


@pytest.fixture
def world(settings: Settings) -> Iterator[Runtime]:
    runtime = build_runtime(settings)
    populate(runtime)
    yield runtime
    runtime.engine.dispose()


@pytest.fixture
def chat(world: Runtime) -> Iterator[Flask]:
    """The app serving the webhook over the world's database."""
    app = create_app(world.settings)
    yield app
    runtime(app).engine.dispose()


def deliver(runtime: Runtime, sandbox: SandboxHandle) -> dict[int, str]:
    return Outbox(runtime.uow, api_for(sandbox, timeout=1.0), runtime.settings,
                  "w1").deliver_due().outcomes


def notices(runtime: Runtime, kind: NoticeKind) -> list[dict]:  # type: ignore[type-arg]
    with runtime.uow() as uow:
        return [n for n in services.list_notices(uow, None, 100) if n["kind"] == kind.value]


def say(app, platform: Platform, openid: str, text: str) -> str:  # type: ignore[no-untyped-def]
    response = post(app.test_client(), platform, text_xml(openid, text))
    assert response.status_code == 200, response.text
    return "" if response.text == "success" else parse_document(response.text)["Content"]


def test_asking_for_a_person_opens_one_conversation_and_relays_messages_but_not_commands(
        world: Runtime, platform: Platform, chat: Flask) -> None:
    app = chat
    answer = say(app, platform, C1, "人工")
    assert "经理SH001-01" in answer or "员工m1" in answer
    assert say(app, platform, C1, "转人工").startswith("您的会话仍在进行中")
    assert say(app, platform, C1, "我想问一下理财的事") == ""
    assert "个性化" in say(app, platform, C1, "关闭个性化推荐")
    with world.uow() as uow:
        live = talk.live_conversation(uow, C1)
        assert live is not None
        bodies = [m.body for m in uow.conversations.messages(live)]
    assert bodies == ["我想问一下理财的事"]
    assert len(notices(world, NoticeKind.TALK_WAITING)) == 1


def test_a_reply_inside_the_window_reaches_the_customer_once_as_a_custom_message(
        world: Runtime, sandbox: SandboxHandle) -> None:
    sandbox.follow(C1)
    sandbox.act(C1, "message")
    conversation, m1 = open_for(world, C1), scope_of(world, "m1")
    with world.uow() as uow:
        replied = talk.reply(uow, m1, conversation, "您好，我是您的客户经理。",
                             utcnow())
        uow.commit()
    assert replied.delivery is Delivery.CUSTOM
    deliver(world, sandbox)
    deliver(world, sandbox)
    custom = [m for m in sandbox.inbox(C1) if m["kind"] == "custom"]
    assert [m["payload"]["text"]["content"] for m in custom] == ["您好，我是您的客户经理。"]


def test_outside_the_window_the_reply_waits_on_its_page_behind_one_service_notice(
        world: Runtime, sandbox: SandboxHandle) -> None:
    sandbox.follow(C1)
    conversation = open_for(world, C1, utcnow() - timedelta(hours=49))
    m1 = scope_of(world, "m1")
    with world.uow() as uow:
        for text in ("第一条回复", "第二条回复"):
            assert talk.reply(uow, m1, conversation, text,
                              utcnow()).delivery is Delivery.PAGE
        uow.commit()
    deliver(world, sandbox)
    sent = sandbox.inbox(C1)
    assert [m["kind"] for m in sent] == ["template"]
    assert f"/talk/{conversation}?k=" in sent[0]["payload"]["url"]


def test_a_manager_away_sends_the_customer_to_the_queue_and_silence_escalates(
        world: Runtime) -> None:
    set_presence(world, "m1", Presence.AWAY)
    conversation = open_for(world, C1)
    with world.uow() as uow:
        held = uow.conversations.get(conversation)
        assert held is not None and held.assignee_id is None
        assert talk.escalate_unanswered(uow, utcnow(), timedelta(minutes=10)) == 0
        assert talk.escalate_unanswered(uow, utcnow() + timedelta(minutes=11),
                                        timedelta(minutes=10)) == 1
        uow.commit()
    assert len(notices(world, NoticeKind.TALK_ESCALATION)) == 1
    agent = scope_of(world, "agent")
    with world.uow() as uow:  # an agent answers from the queue and takes the conversation
        talk.reply(uow, agent, conversation, "您好，在线客服为您服务。",
                   utcnow())
        uow.commit()
        assert uow.conversations.get(conversation).assignee.username == "agent"  # type: ignore[union-attr]


def test_silence_in_the_network_queue_escalates_to_head_office(world: Runtime,
                                                               chat: Flask) -> None:
    nobodys = fake_openid("talk-network")
    with world.uow() as uow:
        org(uow, {"HQ": ["HQ-01"]})
        services.add_staff(uow, "hq", "总行值班", "x", StaffRole.HEAD_OFFICE, "HQ-01", None,
                           "test", utcnow())
        services.follow(uow, nobodys, "", utcnow())  # no manager, no branch
        uow.commit()
    conversation = open_for(world, nobodys)
    with world.uow() as uow:
        assert talk.escalate_unanswered(uow, utcnow() + timedelta(minutes=11),
                                        timedelta(minutes=10)) == 1
        uow.commit()
    [escalation] = notices(world, NoticeKind.TALK_ESCALATION)
    assert escalation["manager"] == "HQ-01"
    login(client := chat.test_client(), "admin")
    listed = client.get("/console/talk?tab=waiting").text
    assert f'data-conversation="{conversation}"' in listed and "已超时上报" in listed


def test_a_manager_on_leave_hands_customers_to_their_delegate(world: Runtime) -> None:
    set_presence(world, "m2", Presence.ONLINE)
    set_presence(world, "m1", Presence.AWAY, delegate="m2")
    conversation = open_for(world, C1)
    with world.uow() as uow:
        assert uow.conversations.get(conversation).assignee.username == "m2"  # type: ignore[union-attr]


def test_a_banned_promise_is_refused_with_the_phrase_named(world: Runtime) -> None:
    conversation, m1 = open_for(world, C1), scope_of(world, "m1")
    with world.uow() as uow, pytest.raises(ConversationRefused) as refused:
        talk.reply(uow, m1, conversation, "这款产品保本，放心买", utcnow())
    assert (refused.value.code, refused.value.detail) == ("banned_phrase", "保本")


def test_each_role_sees_only_its_conversations(world: Runtime) -> None:
    conversation = open_for(world, C1)
    scopes = {name: scope_of(world, name) for name in ("m1", "m2", "agent", "head", "admin")}
    with world.uow() as uow:
        for name in ("m1", "agent", "head", "admin"):
            assert talk.visible(uow, scopes[name], conversation).id == conversation
        with pytest.raises(OutOfScope):
            talk.visible(uow, scopes["m2"], conversation)


def test_a_digit_after_close_rates_the_conversation(world: Runtime, platform: Platform,
                                                    chat: Flask) -> None:
    app = chat
    say(app, platform, C1, "人工")
    m1 = scope_of(world, "m1")
    with world.uow() as uow:
        conversation = talk.live_conversation(uow, C1)
        assert conversation is not None
        talk.close(uow, m1, conversation, utcnow())
        uow.commit()
    assert say(app, platform, C1, "5") == "感谢您的评价！"
    with world.uow() as uow:
        assert uow.conversations.get(conversation).rating == 5  # type: ignore[union-attr]


def test_a_reply_to_a_customer_who_left_is_marked_not_retried(
        world: Runtime, sandbox: SandboxHandle) -> None:
    sandbox.follow(C1)
    sandbox.act(C1, "message")
    sandbox.act(C1, "unfollow")
    conversation, m1 = open_for(world, C1), scope_of(world, "m1")
    with world.uow() as uow:
        talk.reply(uow, m1, conversation, "您好", utcnow())
        uow.commit()
    assert list(deliver(world, sandbox).values()) == ["failed"]
    [sent] = notices(world, NoticeKind.TALK_REPLY)
    assert (sent["status"], sent["error_code"]) == (NoticeStatus.FAILED.value, 45015)


def test_two_staff_replying_at_once_both_get_through_in_order(
        world: Runtime, sandbox: SandboxHandle) -> None:
    sandbox.follow(C1)
    sandbox.act(C1, "message")
    conversation = open_for(world, C1)
    scopes = [scope_of(world, "m1"), scope_of(world, "head")]
    barrier = threading.Barrier(2)

    def answer(who: int) -> None:
        barrier.wait()
        with world.uow() as uow:
            talk.reply(uow, scopes[who], conversation, f"回复{who}", utcnow())
            uow.commit()

    threads = [threading.Thread(target=answer, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    deliver(world, sandbox)
    with world.uow() as uow:
        written = [m.body for m in uow.conversations.messages(conversation)]
    received = [m["payload"]["text"]["content"] for m in sandbox.inbox(C1)]
    assert sorted(written) == ["回复0", "回复1"] and received == written


def test_the_bot_failing_twice_hands_the_customer_to_a_person(
        world: Runtime, platform: Platform, chat: Flask) -> None:
    app = chat
    assert say(app, platform, C1, "今天天气怎么样") == texts.HELP
    assert say(app, platform, C1, "你们食堂几点开饭").startswith(texts.TALK_FROM_FALLBACK)
    with world.uow() as uow:
        assert talk.live_conversation(uow, C1) is not None


def test_voice_and_location_reach_the_conversation_as_words(
        world: Runtime, platform: Platform, chat: Flask) -> None:
    app = chat
    say(app, platform, C1, "人工")
    head = (f"<xml><ToUserName>gh</ToUserName><FromUserName>{C1}</FromUserName>"
            f"<CreateTime>1700000000</CreateTime>")
    voice = (f"{head}<MsgType>voice</MsgType><MediaId>v1</MediaId><Format>amr</Format>"
             f"<Recognition>我想办信用卡</Recognition><MsgId>71</MsgId></xml>")
    place = (f"{head}<MsgType>location</MsgType><Location_X>31.2</Location_X><Location_Y>121.5"
             f"</Location_Y><Scale>15</Scale><Label>上海市浦东新区</Label><MsgId>72</MsgId></xml>")
    for xml in (voice, place):
        assert post(app.test_client(), platform, xml).text == "success"
    with world.uow() as uow:
        live = talk.live_conversation(uow, C1)
        assert live is not None
        said = [(m.kind, m.body) for m in uow.conversations.messages(live)]
    assert said == [("voice", "我想办信用卡"), ("location", "上海市浦东新区")]


def test_a_product_card_passes_the_suitability_gate_and_carries_its_tracked_link(
        world: Runtime, sandbox: SandboxHandle, chat: Flask) -> None:
    with world.uow() as uow:
        services.add_branch(uow, "SH002", "SH002支行")
        uow.flush()
        import_sample(uow)
        uow.commit()
    sandbox.follow(C1)
    sandbox.act(C1, "message")
    conversation = open_for(world, C1)
    client = chat.test_client()
    login(client, "m1")
    token = csrf_token(client.get(f"/console/talk/{conversation}").text)
    withheld = client.post(f"/console/talk/{conversation}/product", data={
        "code": "WM001", "csrf_token": token}, follow_redirects=True)
    assert "适当性" in withheld.text  # wealth without a risk assessment: never sent
    sent = client.post(f"/console/talk/{conversation}/product", data={
        "code": "DP001", "csrf_token": token}, follow_redirects=True)
    assert "已发送" in sent.text
    deliver(world, sandbox)
    [card] = [m["payload"]["news"]["articles"][0] for m in sandbox.inbox(C1)]
    assert "/s/" in card["url"] and "存单" in card["title"]
