"""What the sandbox offers tests: platform-shaped answers, request log, faults, reset, inbox page
and signed event pushes."""

from __future__ import annotations

import hashlib
import json
import threading
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

import pytest
import requests
from werkzeug.serving import make_server

from sandbox import push_template_finish
from tests.sandbox_support import (
    CUSTOM_SEND,
    TEMPLATE_SEND,
    RawClient,
    SandboxHandle,
    fake_openid,
    running_sandbox,
)

ALICE = fake_openid("alice")
BOB = fake_openid("bob")
FIXTURES = Path(__file__).parent.parent / "fixtures" / "wechat_api"
WEBHOOK_TOKEN = "webhook-token"
NOTICE = {"touser": ALICE, "template_id": "TPL-1", "data": {"thing1": {"value": "开户预约"}}}


@pytest.fixture
def platform(sandbox: SandboxHandle, http: requests.Session) -> RawClient:
    return RawClient(sandbox, http).login()


def fixture_keys(name: str) -> set[str]:
    return set(json.loads((FIXTURES / name).read_text(encoding="utf-8")))


# --- answers shaped like the platform's --------------------------------------------------------


def test_token_and_message_answers_have_the_platform_shapes(sandbox, platform):
    sandbox.act(ALICE, "message")
    sandbox.follow(BOB)
    text = {"touser": ALICE, "msgtype": "text", "text": {"content": "hi"}}
    mass = {"touser": [ALICE, BOB], "msgtype": "mpnews", "mpnews": {"media_id": "m"}}

    assert set(platform.stable_token()) == fixture_keys("token.json")
    assert set(platform.post(CUSTOM_SEND, text)) == fixture_keys("message_custom_send.json")
    assert set(platform.post("/cgi-bin/message/mass/send", mass)) == fixture_keys(
        "message_mass_send.json")


def test_qrcode_tag_and_user_answers_have_the_platform_shapes(sandbox, platform):
    sandbox.follow(ALICE)
    tag_id = platform.post("/cgi-bin/tags/create", {"tag": {"name": "VIP"}})["tag"]["id"]
    platform.post("/cgi-bin/tags/members/batchtagging", {"tagid": tag_id, "openid_list": [ALICE]})
    scene = {"action_name": "QR_STR_SCENE", "action_info": {"scene": {"scene_str": "s"}},
             "expire_seconds": 60}

    assert set(platform.post("/cgi-bin/qrcode/create", scene)) == fixture_keys("qrcode_create.json")
    members = platform.post("/cgi-bin/user/tag/get", {"tagid": tag_id})
    assert set(members) == fixture_keys("user_tag_get.json")
    assert members["data"]["openid"] == [ALICE]
    profile = platform.get("/cgi-bin/user/info", openid=ALICE).json()
    # Since 2021-12-27 the platform no longer returns nickname, sex, city or avatar.
    assert {"subscribe", "openid", "language", "subscribe_time"} <= fixture_keys("user_info.json")
    assert {"subscribe", "openid", "language", "subscribe_time"} <= set(profile)


# --- log, faults, reset, page ------------------------------------------------------------------


def test_every_platform_request_is_recorded_with_body_and_answer(sandbox, platform):
    sandbox.follow(ALICE)
    answer = platform.post(TEMPLATE_SEND, NOTICE)

    entry = sandbox.requests(TEMPLATE_SEND)[-1]

    assert entry["method"] == "POST" and entry["status"] == 200
    assert entry["json"] == NOTICE
    assert entry["response"] == answer
    assert entry["query"]["access_token"] == platform.token


def test_faults_hit_only_the_next_n_matching_requests(sandbox, platform):
    sandbox.follow(ALICE)
    sandbox.inject({"path": TEMPLATE_SEND, "http_status": 503, "times": 2},
                   {"path": TEMPLATE_SEND, "errcode": -1})
    url, params = sandbox.base_url + TEMPLATE_SEND, {"access_token": platform.token}

    statuses = [platform.http.post(url, params=params, json=NOTICE, timeout=5).status_code
                for _ in range(2)]

    assert statuses == [503, 503]
    assert platform.post(TEMPLATE_SEND, NOTICE)["errcode"] == -1
    assert platform.post(TEMPLATE_SEND, NOTICE)["errcode"] == 0
    assert [entry["kind"] for entry in sandbox.inbox(ALICE)] == ["template"]


def test_a_delayed_send_is_answered_late_but_delivered_at_once(sandbox, platform):
    sandbox.follow(ALICE)
    sandbox.inject({"path": TEMPLATE_SEND, "delay_seconds": 1})
    url, params = sandbox.base_url + TEMPLATE_SEND, {"access_token": platform.token}

    with pytest.raises(requests.ReadTimeout):
        platform.http.post(url, params=params, json=NOTICE, timeout=0.2)

    assert len(sandbox.inbox(ALICE)) == 1


def test_malformed_faults_are_refused(sandbox, http):
    answer = http.post(f"{sandbox.base_url}/_sandbox/faults", json=[{"errcode": 1}], timeout=5)

    assert answer.status_code == 400


def test_reset_forgets_messages_faults_and_log(sandbox, platform):
    sandbox.follow(ALICE)
    platform.post(TEMPLATE_SEND, NOTICE)
    sandbox.inject({"path": TEMPLATE_SEND, "errcode": -1})

    sandbox.reset()

    assert sandbox.inbox(ALICE) == [] and sandbox.requests() == []
    assert platform.login().post(TEMPLATE_SEND, NOTICE)["errcode"] == 43004  # no follower, no fault


def test_the_inbox_page_lists_each_openid_in_chinese(sandbox, platform, http):
    sandbox.follow(ALICE)
    platform.post(TEMPLATE_SEND, NOTICE)

    page = http.get(f"{sandbox.base_url}/_sandbox/", timeout=5)

    assert page.headers["Content-Type"].startswith("text/html")
    assert "微信沙箱收件箱" in page.text and ALICE in page.text and "模板消息" in page.text


# --- pushed events -----------------------------------------------------------------------------


class WebhookReceiver:
    """A loopback webhook that answers `success` and keeps what it received."""

    def __init__(self) -> None:
        self.received: list[tuple[dict[str, str], bytes]] = []
        self.arrived = threading.Event()

    def __call__(self, environ: dict[str, Any], start_response: Any) -> list[bytes]:
        query = {k: v[0] for k, v in parse_qs(environ.get("QUERY_STRING", "")).items()}
        length = int(environ.get("CONTENT_LENGTH") or 0)
        self.received.append((query, environ["wsgi.input"].read(length)))
        self.arrived.set()
        start_response("200 OK", [("Content-Type", "text/plain")])
        return [b"success"]


@pytest.fixture
def webhook() -> Iterator[tuple[str, WebhookReceiver]]:
    receiver = WebhookReceiver()
    server = make_server("127.0.0.1", 0, receiver, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.port}/wechat", receiver
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)


def assert_signed_finish_event(query: dict[str, str], body: bytes, msgid: int) -> None:
    parts = sorted([WEBHOOK_TOKEN, query["timestamp"], query["nonce"]])
    # sha1 is the platform's choice of signature, not ours.
    assert query["signature"] == hashlib.sha1("".join(parts).encode()).hexdigest()  # noqa: S324
    event = ET.fromstring(body)  # noqa: S314 - our own sandbox's output
    assert event.findtext("MsgType") == "event"
    assert event.findtext("Event") == "TEMPLATESENDJOBFINISH"
    assert event.findtext("FromUserName") == ALICE
    assert event.findtext("MsgID") == str(msgid)
    assert event.findtext("Status") == "success"


def test_push_event_posts_a_signed_template_finish_event(sandbox, http, webhook):
    url, receiver = webhook
    body = {"webhook_url": url, "token": WEBHOOK_TOKEN, "openid": ALICE, "msgid": 2001}

    answer = http.post(f"{sandbox.base_url}/_sandbox/push-event", json=body, timeout=5).json()

    assert (answer["status_code"], answer["body"]) == (200, "success")
    [(query, xml)] = receiver.received
    assert_signed_finish_event(query, xml, 2001)


def test_push_template_finish_is_usable_as_a_function(webhook):
    url, receiver = webhook

    result = push_template_finish(url, WEBHOOK_TOKEN, ALICE, 7, status="failed:user block")

    assert result.status_code == 200
    [(_, xml)] = receiver.received
    assert ET.fromstring(xml).findtext("Status") == "failed:user block"  # noqa: S314


def test_a_template_send_pushes_its_finish_event_when_a_webhook_is_configured(http, webhook):
    url, receiver = webhook
    with running_sandbox(webhook_url=url, webhook_token=WEBHOOK_TOKEN,
                         followers=(ALICE,)) as sandbox:
        answer = RawClient(sandbox, http).login().post(TEMPLATE_SEND, NOTICE)

        assert receiver.arrived.wait(timeout=5)
        [(query, xml)] = receiver.received
        assert_signed_finish_event(query, xml, answer["msgid"])
