"""Parsing real callback samples into typed messages, and refusing what is not one."""

from pathlib import Path

import pytest

from bot.wechat.messages import MalformedMessage, parse_message


@pytest.mark.parametrize(("sample", "kind", "dedupe"), [
    ("text_message.xml", "text", "msg:1234567890123456"),
    ("subscribe_event.xml", "event:subscribe", "evt:FromUser:123456789:subscribe"),
    ("unsubscribe_event.xml", "event:unsubscribe", None),
    ("subscribe_scan_event.xml", "event:subscribe", None),
    ("scan_event.xml", "event:scan", None),
    ("click_event.xml", "event:click", None),
    ("view_event.xml", "event:view", None),
    ("location_event.xml", "event:location", None),
    ("location_message.xml", "location", None),
    ("image_message.xml", "image", None),
    ("link_message.xml", "link", None),
    ("unknown_message.xml", "notsure", "msg:1234567890123456"),
    ("template_send_job_finish_event.xml", "event:templatesendjobfinish", None),
])
def test_real_samples_parse_to_their_kind(data_dir: Path, sample: str, kind: str,
                                          dedupe: str | None) -> None:
    msg = parse_message((data_dir / sample).read_bytes())
    assert msg.kind == kind
    if dedupe:
        assert msg.dedupe_key == dedupe


def test_scene_comes_without_the_qrscene_prefix(data_dir: Path) -> None:
    assert parse_message((data_dir / "subscribe_scan_event.xml").read_bytes()).scene == "123123"
    assert parse_message((data_dir / "scan_event.xml").read_bytes()).scene == "123123"
    assert parse_message((data_dir / "subscribe_event.xml").read_bytes()).scene is None


def test_location_fields_are_numbers(data_dir: Path) -> None:
    msg = parse_message((data_dir / "location_event.xml").read_bytes())
    assert (msg.latitude, msg.longitude) == (23.137466, 113.352425)


def test_events_of_one_user_at_one_second_are_told_apart_by_event() -> None:
    base = ("<xml><ToUserName>a</ToUserName><FromUserName>u</FromUserName>"
            "<CreateTime>5</CreateTime><MsgType>event</MsgType><Event>{}</Event></xml>")
    keys = {parse_message(base.format(e)).dedupe_key for e in ("subscribe", "SCAN", "CLICK")}
    assert len(keys) == 3


@pytest.mark.parametrize(("body", "reason"), [
    (b"not xml at all", "unreadable XML"),
    (b"<xml><MsgType>text</MsgType>", "unreadable XML"),
    (b'<!DOCTYPE xml [<!ENTITY x "boom">]><xml><MsgType>&x;</MsgType></xml>', "DTD"),
    (b'<!DOCTYPE xml SYSTEM "http://example.invalid/x.dtd"><xml><MsgType>text</MsgType>'
     b"</xml>", "DTD"),
    (b"<xml><FromUserName>u</FromUserName><ToUserName>a</ToUserName></xml>", "MsgType"),
    (b"<xml><Encrypt>abc</Encrypt></xml>", "MsgType"),
    (b"<root><MsgType>text</MsgType></root>", "root element"),
    (b"<xml>text</xml>", "root element"),
    (b"<xml><MsgType>text</MsgType><FromUserName>u</FromUserName><ToUserName>a</ToUserName>"
     b"<CreateTime>soon</CreateTime></xml>", "CreateTime"),
])
def test_malformed_bodies_are_refused_with_the_reason(body: bytes, reason: str) -> None:
    with pytest.raises(MalformedMessage, match=reason):
        parse_message(body)


def callback(sender: str = "u", msg_type: str = "event", event: str = "subscribe",
             key: str = "", msg_id: str = "", created: str = "5") -> bytes:
    return (f"<xml><ToUserName>a</ToUserName><FromUserName>{sender}</FromUserName>"
            f"<CreateTime>{created}</CreateTime><MsgType>{msg_type}</MsgType>"
            f"<Event>{event}</Event><EventKey>{key}</EventKey><MsgId>{msg_id}</MsgId>"
            "</xml>").encode()


@pytest.mark.parametrize(("body", "reason"), [
    (callback(sender="o" * 65), "FromUserName is longer than 64 characters"),
    (callback(msg_type="x" * 33), "MsgType is longer than 32 characters"),
    (callback(event="e" * 65), "Event is longer than 64 characters"),
    (callback(msg_id="9" * 21), "MsgId is longer than 20 characters"),
    (callback(created="1" * 21), "CreateTime is longer than 20 characters"),
])
def test_fields_beyond_the_platforms_limits_are_refused_by_name(body: bytes,
                                                                reason: str) -> None:
    with pytest.raises(MalformedMessage, match=reason):
        parse_message(body)


def test_fields_at_the_limits_are_accepted_whole() -> None:
    msg = parse_message(callback(sender="o" * 64, event="e" * 64, msg_id="9" * 20))
    assert (len(msg.sender), msg.event, msg.msg_id) == (64, "e" * 64, "9" * 20)


def test_a_scene_longer_than_the_platform_allows_is_no_scene() -> None:
    assert parse_message(callback(key="qrscene_" + "s" * 64)).scene == "s" * 64
    assert parse_message(callback(key="qrscene_" + "s" * 65)).scene is None
    assert parse_message(callback(event="SCAN", key="s" * 65)).scene is None
