"""The platform rules the sandbox enforces, spoken to over raw HTTP as the platform is."""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Any

import pytest
import requests
from PIL import Image
from pyzbar.pyzbar import decode

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


@pytest.fixture(scope="module")
def module_sandbox() -> Iterator[SandboxHandle]:
    with running_sandbox(token_grace_seconds=300, permanent_qr_limit=3) as sandbox:
        yield sandbox


def custom_text(platform: RawClient, openid: str = ALICE) -> int:
    body = {"touser": openid, "msgtype": "text", "text": {"content": "您好"}}
    return int(platform.post(CUSTOM_SEND, body)["errcode"])


def template(platform: RawClient, openid: str = ALICE, template_id: str = "TPL-1",
             **extra: Any) -> dict[str, Any]:
    body = {"touser": openid, "template_id": template_id,
            "data": {"thing1": {"value": "开户预约"}}, **extra}
    return platform.post(TEMPLATE_SEND, body)


def qrcode(platform: RawClient, action: str, scene: dict[str, Any], **extra: Any) -> dict:
    body = {"action_name": action, "action_info": {"scene": scene}, **extra}
    return platform.post("/cgi-bin/qrcode/create", body)


@pytest.fixture
def platform(sandbox: SandboxHandle, http: requests.Session) -> RawClient:
    return RawClient(sandbox, http).login()


# --- customer-service window -------------------------------------------------------------------


def test_custom_message_without_any_user_action_gets_45015(sandbox, platform):
    sandbox.follow(ALICE)

    assert custom_text(platform) == 45015


def test_a_user_message_allows_five_replies_within_48_hours(sandbox, platform):
    sandbox.act(ALICE, "message")

    assert [custom_text(platform) for _ in range(6)] == [0, 0, 0, 0, 0, 45015]
    sandbox.act(ALICE, "message")
    sandbox.advance_clock(48 * 3600 + 1)
    assert custom_text(platform.login()) == 45015  # (a 7200 s token does not last 48 h)


def test_a_follow_scan_or_click_allows_three_replies_within_one_minute(sandbox, platform):
    sandbox.act(ALICE, "follow")

    assert [custom_text(platform) for _ in range(4)] == [0, 0, 0, 45015]
    sandbox.act(ALICE, "click")
    assert custom_text(platform) == 0
    sandbox.advance_clock(61)
    assert custom_text(platform) == 45015


def test_an_unfollowed_user_gets_45015_for_custom_and_43004_for_templates(sandbox, platform):
    sandbox.act(ALICE, "message")
    sandbox.act(ALICE, "unfollow")

    assert custom_text(platform) == 45015
    assert template(platform)["errcode"] == 43004


def test_a_news_message_may_carry_only_one_article(sandbox, platform):
    sandbox.act(ALICE, "message")
    article = {"title": "t", "description": "d", "url": "https://example.invalid", "picurl": ""}
    body = {"touser": ALICE, "msgtype": "news", "news": {"articles": [article, article]}}

    assert platform.post(CUSTOM_SEND, body)["errcode"] == 45008


# --- template messages -------------------------------------------------------------------------


def test_template_rules_bad_openid_unknown_template_and_success(sandbox, platform):
    sandbox.follow(ALICE)
    sandbox.register_templates("TPL-1")

    assert template(platform, openid="not-an-openid")["errcode"] == 40003
    assert template(platform, template_id="TPL-unknown")["errcode"] == 40037
    answer = template(platform)
    assert answer["errcode"] == 0 and answer["errmsg"] == "ok" and answer["msgid"] > 0


def test_a_template_resent_with_its_client_msg_id_is_delivered_once(sandbox, platform):
    sandbox.follow(ALICE)

    first = template(platform, client_msg_id="lead-7")
    again = template(platform, client_msg_id="lead-7")

    assert again["msgid"] == first["msgid"]
    assert len(sandbox.inbox(ALICE)) == 1


# --- QR codes ----------------------------------------------------------------------------------


def test_scene_str_longer_than_64_characters_gets_40053(platform):
    assert qrcode(platform, "QR_STR_SCENE", {"scene_str": "s" * 65})["errcode"] == 40053
    assert "ticket" in qrcode(platform, "QR_STR_SCENE", {"scene_str": "s" * 64})


def test_temporary_codes_live_at_most_30_days(platform):
    answer = qrcode(platform, "QR_STR_SCENE", {"scene_str": "x"}, expire_seconds=9_999_999)

    assert answer["expire_seconds"] == 2_592_000
    assert answer["url"].startswith("http://weixin.qq.com/q/")


def test_permanent_codes_are_capped_per_account_but_a_scene_reuses_its_code(platform):
    tickets = [qrcode(platform, "QR_LIMIT_STR_SCENE", {"scene_str": f"b{i}"}) for i in range(3)]
    again = qrcode(platform, "QR_LIMIT_STR_SCENE", {"scene_str": "b0"})
    over = qrcode(platform, "QR_LIMIT_STR_SCENE", {"scene_str": "b3"})

    assert again == tickets[0] and "expire_seconds" not in again
    assert over["errcode"] == 45009


def test_permanent_scene_ids_run_from_1_to_100000(platform):
    assert qrcode(platform, "QR_LIMIT_SCENE", {"scene_id": 100_001})["errcode"] == 40053
    assert "ticket" in qrcode(platform, "QR_LIMIT_SCENE", {"scene_id": 100_000})


def test_showqrcode_returns_a_png_encoding_the_ticket_url(sandbox, platform):
    answer = qrcode(platform, "QR_STR_SCENE", {"scene_str": "branch-0101"}, expire_seconds=60)

    image = platform.get("/cgi-bin/showqrcode", ticket=answer["ticket"])

    assert image.headers["Content-Type"] == "image/png"
    assert image.content.startswith(b"\x89PNG\r\n\x1a\n")
    [symbol] = decode(Image.open(io.BytesIO(image.content)))
    assert symbol.data.decode() == answer["url"]
    sandbox.advance_clock(61)
    assert platform.get("/cgi-bin/showqrcode", ticket=answer["ticket"]).status_code == 404


# --- access tokens -----------------------------------------------------------------------------


def test_the_stable_token_is_the_same_for_every_caller_until_forced(platform):
    first, second = platform.stable_token(), platform.stable_token()
    forced = platform.stable_token(force=True)

    assert first["access_token"] == second["access_token"] != forced["access_token"]
    assert forced["expires_in"] == 7200


def test_a_replaced_token_keeps_working_for_the_grace_period_only(sandbox, platform):
    old = platform.token
    new = platform.stable_token(force=True)["access_token"]

    assert platform.get("/cgi-bin/user/info", token=old, openid=ALICE).json()["subscribe"] == 0
    sandbox.advance_clock(301)
    assert platform.get("/cgi-bin/user/info", token=old, openid=ALICE).json()["errcode"] == 40001
    assert platform.get("/cgi-bin/user/info", token=new, openid=ALICE).json()["subscribe"] == 0


def test_each_classic_token_call_replaces_the_previous_token(sandbox, http):
    params = {"grant_type": "client_credential", "appid": sandbox.app_id,
              "secret": sandbox.app_secret}
    url = f"{sandbox.base_url}/cgi-bin/token"

    first = http.get(url, params=params, timeout=5).json()
    second = http.get(url, params=params, timeout=5).json()

    assert first["access_token"] != second["access_token"]


def test_bad_credentials_get_the_platform_errcodes(sandbox, platform):
    url = f"{sandbox.base_url}/cgi-bin/stable_token"
    other_app = {"grant_type": "client_credential", "appid": "wx-other", "secret": "x"}
    bad_grant = {"grant_type": "password", "appid": sandbox.app_id, "secret": "x"}

    assert platform.stable_token(secret="wrong")["errcode"] == 40125
    assert platform.http.post(url, json=other_app, timeout=5).json()["errcode"] == 40013
    assert platform.http.post(url, json=bad_grant, timeout=5).json()["errcode"] == 40002


def test_missing_unknown_and_expired_tokens_are_refused(sandbox, platform):
    user_info = "/cgi-bin/user/info"

    assert platform.http.get(sandbox.base_url + user_info, timeout=5).json()["errcode"] == 41001
    assert platform.get(user_info, token="forged", openid=ALICE).json()["errcode"] == 40001
    sandbox.advance_clock(7200)
    assert platform.get(user_info, openid=ALICE).json()["errcode"] == 42001


# --- mass send and tags ------------------------------------------------------------------------


def test_mass_send_needs_two_openids_and_dedupes_by_clientmsgid(sandbox, platform):
    sandbox.follow(ALICE, BOB)
    body = {"touser": [ALICE, BOB], "msgtype": "text", "text": {"content": "通知"},
            "clientmsgid": "m-1"}

    assert platform.post("/cgi-bin/message/mass/send", {**body, "touser": [ALICE]})[
        "errcode"] == 40130
    first = platform.post("/cgi-bin/message/mass/send", body)
    again = platform.post("/cgi-bin/message/mass/send", body)

    assert first["errmsg"] == "send job submission success"
    assert (again["errcode"], again["msg_id"]) == (45065, first["msg_id"])


def test_a_user_receives_at_most_four_mass_messages_a_month(sandbox, platform):
    sandbox.follow(ALICE, BOB)
    for i in range(5):
        body = {"touser": [ALICE, BOB], "msgtype": "text", "text": {"content": f"第{i}期"}}
        assert platform.post("/cgi-bin/message/mass/send", body)["errcode"] == 0

    assert len(sandbox.inbox(ALICE)) == 4


def test_tag_names_are_unique_and_at_most_30_characters(platform):
    assert platform.post("/cgi-bin/tags/create", {"tag": {"name": "贵宾"}})["tag"]["id"] >= 100
    assert platform.post("/cgi-bin/tags/create", {"tag": {"name": "贵宾"}})["errcode"] == 45157
    too_long = {"tag": {"name": "长" * 31}}
    assert platform.post("/cgi-bin/tags/create", too_long)["errcode"] == 45158


