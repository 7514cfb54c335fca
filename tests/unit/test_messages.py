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
