"""The /wechat endpoint over a real database: modes, refusals, dedupe and replies."""

import time
from pathlib import Path
from urllib.parse import urlencode

import pytest
from sqlalchemy import func, select

from bot import create_app
from bot.wechat.crypto import sign
from bot.wechat.messages import parse_document
from bot.wechat.simulator import Platform
from bot.worker.scheduler import record_deferred
from crm_core.model import Customer, InboundDelivery, Interaction, Touch
from tests.builders import event_xml, org, post, subscribe_xml, text_xml
from tests.conftest import TOKEN, make_settings, runtime

MODES = ["plain", "compat", "safe"]


@pytest.fixture
def seeded(app):  # type: ignore[no-untyped-def]
    with runtime(app).uow() as uow:
        org(uow, {"SH001": ["SH001-01", "SH001-02"], "BJ001": ["BJ001-01"]})
        uow.commit()
    return app


def reply_content(platform: Platform, response) -> str | None:  # type: ignore[no-untyped-def]
    assert response.status_code == 200, response.text
    plaintext = platform.read_reply(response.text)
    return None if plaintext == "success" else parse_document(plaintext)["Content"]


def count(app, model) -> int:  # type: ignore[no-untyped-def]
    with runtime(app).engine.connect() as connection:
        return int(connection.scalar(select(func.count()).select_from(model)) or 0)


def test_url_verification_echoes_only_for_a_valid_signature(client) -> None:
    ts, nonce = str(int(time.time())), "42"
    good = {"signature": sign(TOKEN, ts, nonce), "timestamp": ts, "nonce": nonce,
            "echostr": "e123"}
    assert client.get("/wechat", query_string=good).text == "e123"
    forged = good | {"signature": "0" * 40}
    assert client.get("/wechat", query_string=forged).status_code == 403


@pytest.mark.parametrize("mode", MODES)
def test_follow_through_a_branch_code_greets_with_the_manager_in_every_mode(
        seeded, platform: Platform, mode: str) -> None:
    response = post(seeded.test_client(), platform, subscribe_xml("o-new", "b:SH001"), mode)
    content = reply_content(platform, response)
    assert content is not None and "SH001支行" in content and "经理SH001-0" in content
    if mode != "plain":
        assert "<Encrypt>" in response.text and "<Content>" not in response.text


@pytest.mark.parametrize("mode", MODES)
def test_my_manager_text_answers_with_name_and_branch(seeded, platform: Platform,
                                                      mode: str) -> None:
    client = seeded.test_client()
    post(client, platform, subscribe_xml("o1", "m:BJ001-01"))
    content = reply_content(platform, post(client, platform, text_xml("o1", "我的客户经理"), mode))
    assert content is not None and "经理BJ001-01" in content and "BJ001支行" in content


def test_official_sample_vector_is_accepted_through_the_webhook(app, client,
                                                                 data_dir: Path) -> None:
    runtime(app).gate.clock = lambda: 1409735669
    query = {"timestamp": "1409735669", "nonce": "1320562132", "encrypt_type": "aes",
             "msg_signature": "5d197aaffba7e9b25a30732f161a50dee96bd5fa"}
    body = (data_dir / "official_sample_encrypted_request.xml").read_bytes()
    response = client.post(f"/wechat?{urlencode(query)}", data=body)
    assert response.status_code == 200 and "<Encrypt>" in response.text
    with runtime(app).uow() as uow:
        assert uow.deliveries.get("wechat", "msg:6054768590064713728") is not None


@pytest.mark.parametrize("mode", MODES)
def test_four_deliveries_of_one_follow_are_processed_once_with_identical_replies(
        seeded, platform: Platform, mode: str) -> None:
    client = seeded.test_client()
    xml = subscribe_xml("o-retry", "b:SH001", at=int(time.time()))
    replies = {reply_content(platform, post(client, platform, xml, mode)) for _ in range(4)}
    assert len(replies) == 1
    assert count(seeded, Touch) == 1 and count(seeded, InboundDelivery) == 1
    assert record_deferred(runtime(seeded)) == 1  # one exchange waited for the timeline
    assert count(seeded, Interaction) == 2  # the follow and the welcome, once each


def test_retried_text_is_answered_alike_even_when_the_answer_would_change(
        seeded, platform: Platform) -> None:
    client = seeded.test_client()
    ask = text_xml("o2", "我的客户经理", msg_id=777)
    first = reply_content(platform, post(client, platform, ask))
    post(client, platform, subscribe_xml("o2", "m:SH001-02"))
    assert reply_content(platform, post(client, platform, ask)) == first
    fresh = reply_content(platform, post(client, platform, text_xml("o2", "我的客户经理")))
    assert fresh != first and fresh is not None and "经理SH001-02" in fresh


@pytest.mark.parametrize(("tamper", "status"), [
    (lambda q, b: (q | {"signature": "f" * 40}, b), 403),
    (lambda q, b: (q | {"timestamp": str(int(q["timestamp"]) - 301)}, b), 403),
    (lambda q, b: ({k: v for k, v in q.items() if k != "signature"}, b), 403),
])
def test_forged_or_replayed_plain_callbacks_are_refused_and_store_nothing(
        app, client, platform: Platform, tamper, status: int) -> None:
    signed = platform.sign(text_xml("o3", "hi"))
    query, body = tamper(signed.query, signed.body)
    assert client.post(f"/wechat?{urlencode(query)}", data=body).status_code == status
    assert count(app, Interaction) == 0 and count(app, Customer) == 0


def test_stale_callback_with_a_valid_signature_is_refused(app, client,
                                                          platform: Platform) -> None:
    old = int(time.time()) - 3600
    signed = platform.sign(text_xml("o3", "hi"), timestamp=old)
    assert client.post(f"/wechat?{urlencode(signed.query)}", data=signed.body).status_code == 403
    assert count(app, Interaction) == 0


@pytest.mark.parametrize("mode", ["compat", "safe"])
def test_encrypted_callback_with_forged_msg_signature_is_refused(app, client,
                                                                 platform: Platform,
                                                                 mode: str) -> None:
    signed = platform.sign(text_xml("o3", "hi"), mode)
    query = signed.query | {"msg_signature": "0" * 40}
    assert client.post(f"/wechat?{urlencode(query)}", data=signed.body).status_code == 403
    assert count(app, Interaction) == 0


def test_message_encrypted_with_a_foreign_key_is_refused(app, client) -> None:
    stranger = Platform(TOKEN, "wx2c2769f8efd9abc2", "Z" * 43)
    signed = stranger.sign(text_xml("o3", "hi"), "safe")
    assert client.post(f"/wechat?{urlencode(signed.query)}", data=signed.body).status_code == 403


@pytest.mark.parametrize(("body", "status"), [
    (b"garbage", 400),
    (b'<!DOCTYPE xml [<!ENTITY x "y">]><xml><MsgType>&x;</MsgType></xml>', 400),
    (b"<!DOCTYPE xml><xml><MsgType>text</MsgType></xml>", 400),
    (b"<xml><FromUserName>u</FromUserName><ToUserName>a</ToUserName><CreateTime>1"
     b"</CreateTime></xml>", 400),
    ("<xml>\udcff</xml>".encode("utf-8", "surrogateescape"), 400),
    (b"<xml><Content>" + b"x" * (2 * 1024 * 1024) + b"</Content></xml>", 413),
])
def test_bad_bodies_get_a_precise_status_and_store_nothing(app, client, body: bytes,
                                                           status: int) -> None:
    ts, nonce = str(int(time.time())), "7"
    query = {"timestamp": ts, "nonce": nonce, "signature": sign(TOKEN, ts, nonce)}
    assert client.post(f"/wechat?{urlencode(query)}", data=body).status_code == status
    assert count(app, Interaction) == 0 and count(app, InboundDelivery) == 0


def test_unhandled_kind_is_answered_success_and_recorded(app, client,
                                                         platform: Platform,
                                                         data_dir: Path) -> None:
    xml = (data_dir / "unknown_message.xml").read_text().replace("1348831860",
                                                                 str(int(time.time())))
    response = post(client, platform, xml)
    assert response.text == "success"
    assert record_deferred(runtime(app)) == 1  # answered at once: the worker records it
    assert count(app, Interaction) == 1


@pytest.mark.parametrize(("xml", "expect_reply"), [
    (event_xml("o5", "CLICK", "MY_MANAGER"), True),
    (event_xml("o5", "VIEW", "https://bank.example/"), False),
    (event_xml("o5", "LOCATION", extra="<Latitude>31.2</Latitude><Longitude>121.5</Longitude>"),
     False),
    (event_xml("o5", "SCAN", "b:SH001"), True),
    (event_xml("o5", "unsubscribe"), False),
    (text_xml("o5", "你好"), True),
])
def test_every_kind_records_an_interaction(seeded, platform: Platform, xml: str,
                                           expect_reply: bool) -> None:
    content = reply_content(platform, post(seeded.test_client(), platform, xml))
    assert (content is not None) == expect_reply
    record_deferred(runtime(seeded))  # what was answered at once, the worker records
    assert count(seeded, Interaction) == (2 if expect_reply else 1)


def test_unfollow_and_refollow_keep_the_manager(seeded, platform: Platform) -> None:
    client = seeded.test_client()
    first = reply_content(platform, post(client, platform, subscribe_xml("o6", "b:SH001")))
    post(client, platform, event_xml("o6", "unsubscribe"))
    again = reply_content(platform, post(client, platform, subscribe_xml("o6", "b:BJ001",
                                                                         at=int(time.time()) + 1)))
    assert first is not None and again is not None
    assert again.startswith("欢迎回来") and first.split("！", 1)[1] == again.split("！", 1)[1]


def test_personal_numbers_in_messages_are_masked_at_rest(app, client, platform: Platform) -> None:
    post(client, platform, text_xml("o7", "我的手机13812345678，身份证110101199003071234"))
    for table in (InboundDelivery, Interaction):  # waiting for the timeline, then on it
        with runtime(app).engine.connect() as connection:
            stored = " ".join(str(row) for row in connection.execute(select(table)))
        assert "13812345678" not in stored and "110101199003071234" not in stored
        assert "138****5678" in stored and "1234" in stored
        record_deferred(runtime(app))


def test_a_long_real_event_name_is_recorded_whole(app, client, platform: Platform) -> None:
    response = post(client, platform, event_xml("o8", "qualification_verify_success"))
    assert response.text == "success"
    record_deferred(runtime(app))
    with runtime(app).engine.connect() as connection:
        assert connection.scalar(select(Interaction.kind)) == "event:qualification_verify_success"
    assert runtime(app).inbound.spool.waiting("failed") == []


def test_a_follow_through_a_scene_longer_than_the_platform_allows_is_a_plain_follow(
        seeded, platform: Platform) -> None:
    scene = "b:SH001;c:" + "X" * 60
    content = reply_content(platform, post(seeded.test_client(), platform,
                                           subscribe_xml("o9", scene)))
    assert content is not None and content.startswith("欢迎关注")
    assert count(seeded, Touch) == 0
    with runtime(seeded).engine.connect() as connection:
        assert connection.scalar(select(Customer.first_touch_source)) == "direct"
    assert runtime(seeded).inbound.spool.waiting("failed") == []


@pytest.mark.parametrize(("xml", "reason"), [
    (text_xml("o" * 65, "你好"), "FromUserName is longer than 64 characters"),
    (text_xml("o10", "你好").replace("<![CDATA[text]]>", "x" * 33),
     "MsgType is longer than 32 characters"),
])
def test_identifiers_beyond_the_platforms_limits_are_refused_with_400(
        app, client, platform: Platform, xml: str, reason: str) -> None:
    response = post(client, platform, xml)
    assert (response.status_code, response.text) == (400, reason)
    assert count(app, Interaction) == 0 and count(app, InboundDelivery) == 0


def test_a_reply_echoing_the_end_of_cdata_is_well_formed(app, client,
                                                         platform: Platform) -> None:
    code = "]]></CONTENT><MSGTYPE>NEWS</MSGTYPE>"  # product codes are read in capitals
    content = reply_content(platform, post(client, platform, text_xml("o11", f"详情 {code}"),
                                           "safe"))
    assert content is not None and f"「{code}」" in content


@pytest.fixture
def safe_app(database_url: str, tmp_path: Path):  # type: ignore[no-untyped-def]
    """The app with the key set and the mode left to its default (safe)."""
    app = create_app(make_settings(database_url, tmp_path, wechat={"mode": ""}))
    with runtime(app).uow() as uow:
        org(uow, {"SH001": ["SH001-01"]})
        uow.commit()
    yield app
    runtime(app).engine.dispose()


@pytest.mark.parametrize("encrypt_type", [None, "raw", "RAW"])
def test_a_forged_plaintext_follow_on_a_captured_query_string_is_refused_in_safe_mode(
        safe_app, platform: Platform, encrypt_type: str | None) -> None:
    captured = platform.sign(text_xml("o-genuine", "你好"), "safe").query
    query = {k: v for k, v in captured.items() if k not in ("encrypt_type", "msg_signature")}
    if encrypt_type is not None:
        query["encrypt_type"] = encrypt_type
    forged = subscribe_xml("o-forged", "b:SH001").encode()
    response = safe_app.test_client().post(f"/wechat?{urlencode(query)}", data=forged)
    assert response.status_code == 403
    assert count(safe_app, Customer) == 0 and count(safe_app, InboundDelivery) == 0


def test_safe_mode_still_takes_encrypted_callbacks(safe_app, platform: Platform) -> None:
    assert runtime(safe_app).settings.wechat.mode == "safe"
    response = post(safe_app.test_client(), platform, subscribe_xml("o-real", "b:SH001"), "safe")
    assert "SH001支行" in (reply_content(platform, response) or "")


def test_compatible_mode_reads_only_the_encrypted_part(app, platform: Platform) -> None:
    signed = platform.sign(subscribe_xml("o-real"), "compat")
    forged_plain = signed.body.replace(b"o-real", b"o-forged")
    stripped = {k: v for k, v in signed.query.items()
                if k not in ("encrypt_type", "msg_signature")}
    client = app.test_client()
    assert client.post(f"/wechat?{urlencode(stripped)}", data=forged_plain).status_code == 403
    assert client.post(f"/wechat?{urlencode(signed.query)}", data=forged_plain).status_code == 200
    with runtime(app).uow() as uow:
        assert uow.customers.by_openid("o-forged") is None
        assert uow.customers.by_openid("o-real") is not None


@pytest.mark.parametrize("msgid", ["18446744073709551615", "99999999999999999999", "0"])
def test_a_job_finish_event_with_a_msgid_we_never_sent_is_acknowledged_and_changes_nothing(
        seeded, platform: Platform, msgid: str) -> None:
    xml = event_xml("o-mgr", "TEMPLATESENDJOBFINISH",
                    extra=f"<MsgID>{msgid}</MsgID><Status><![CDATA[success]]></Status>")
    response = post(seeded.test_client(), platform, xml)
    assert response.status_code == 200 and platform.read_reply(response.text) == "success"
    assert count(seeded, InboundDelivery) == 1
