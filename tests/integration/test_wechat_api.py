"""WeChatApi against the loopback sandbox over real HTTP: tokens, sends and error classes."""

from __future__ import annotations

import socket
import threading
from collections.abc import Callable, Iterator

import pytest

from bot.wechat.api import WeChatApi
from bot.wechat.errors import (
    PermanentError,
    QuotaExceededError,
    TokenError,
    TransientError,
    UnknownOutcomeError,
)
from bot.wechat.token_store import InMemoryTokenStore, TokenStore
from tests.sandbox_support import (
    STABLE_TOKEN,
    TEMPLATE_SEND,
    SandboxHandle,
    api_for,
    fake_openid,
)

ALICE = fake_openid("alice")
BOB = fake_openid("bob")
TIMEOUT = 0.3
SLOWER_THAN_READ_TIMEOUT = 0.6

MakeApi = Callable[..., WeChatApi]


@pytest.fixture
def make_api(sandbox: SandboxHandle) -> Iterator[MakeApi]:
    made: list[WeChatApi] = []

    def make(store: TokenStore | None = None, **overrides: object) -> WeChatApi:
        api = api_for(sandbox, store, timeout=TIMEOUT, **overrides)
        made.append(api)
        return api

    yield make
    for api in made:
        api.close()


def send_notice(api: WeChatApi, openid: str = ALICE) -> int:
    return api.send_template(openid, "TPL-visit", {"thing1": "开户预约", "time2": "10:30"})


def token_fetches(sandbox: SandboxHandle) -> list[bool]:
    """Return the force_refresh flag of every stable_token request, in order."""
    return [entry["json"]["force_refresh"] for entry in sandbox.requests(STABLE_TOKEN)]


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


# --- happy paths -------------------------------------------------------------------------------


def test_template_send_delivers_the_notice_and_returns_its_msgid(sandbox, make_api):
    sandbox.follow(ALICE)

    msgid = make_api().send_template(
        ALICE, "TPL-visit", {"thing1": "开户预约"}, url="https://example.invalid/v/1",
        client_msg_id="lead-42",
    )

    [received] = sandbox.inbox(ALICE)
    assert received["kind"] == "template" and received["msgid"] == msgid
    assert received["payload"]["data"] == {"thing1": {"value": "开户预约"}}
    assert received["payload"]["url"] == "https://example.invalid/v/1"
    assert received["payload"]["client_msg_id"] == "lead-42"


def test_the_token_comes_from_stable_token_without_forcing_a_refresh(sandbox, make_api):
    sandbox.follow(ALICE)

    send_notice(make_api())

    [fetch] = sandbox.requests(STABLE_TOKEN)
    assert fetch["method"] == "POST"
    assert fetch["json"] == {"grant_type": "client_credential", "appid": sandbox.app_id,
                             "secret": sandbox.app_secret, "force_refresh": False}
    [send] = sandbox.requests(TEMPLATE_SEND)
    assert send["query"]["access_token"] == fetch["response"]["access_token"]


def test_two_clients_sharing_a_store_fetch_the_token_once(sandbox, make_api):
    sandbox.follow(ALICE)
    store = InMemoryTokenStore()

    send_notice(make_api(store))
    send_notice(make_api(store))

    assert sandbox.count(STABLE_TOKEN) == 1
    assert len(sandbox.inbox(ALICE)) == 2


def test_concurrent_clients_sharing_a_store_fetch_the_token_once(sandbox, make_api):
    sandbox.follow(ALICE)
    store = InMemoryTokenStore()
    apis = [make_api(store) for _ in range(6)]
    start = threading.Barrier(len(apis))
    errors: list[Exception] = []

    def send(api: WeChatApi) -> None:
        start.wait()
        try:
            send_notice(api)
        except Exception as exc:  # collected and asserted below
            errors.append(exc)

    threads = [threading.Thread(target=send, args=(api,)) for api in apis]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert sandbox.count(STABLE_TOKEN) == 1
    assert len(sandbox.inbox(ALICE)) == len(apis)


def test_a_token_the_platform_revoked_is_replaced_once_and_the_call_retried(sandbox, make_api):
    sandbox.follow(ALICE)
    api = make_api()
    send_notice(api)
    sandbox.expire_tokens()

    send_notice(api)

    assert len(sandbox.inbox(ALICE)) == 2
    # The plain fetch already returns a new token, so no forced refresh is spent.
    assert token_fetches(sandbox) == [False, False]


def test_custom_text_reaches_a_user_who_just_wrote(sandbox, make_api):
    sandbox.act(ALICE, "message")

    make_api().send_custom_text(ALICE, "您好，客户经理稍后联系您。")

    [text] = sandbox.inbox(ALICE)
    assert text["payload"]["text"] == {"content": "您好，客户经理稍后联系您。"}


def test_qrcodes_are_temporary_for_thirty_days_by_default_or_permanent(sandbox, make_api):
    api = make_api()

    temporary = api.create_qrcode("branch-0101", permanent=False)
    permanent = api.create_qrcode("branch-0101", permanent=True)

    assert temporary.expire_seconds == 2_592_000
    assert permanent.expire_seconds is None
    assert permanent.url.startswith("http://weixin.qq.com/q/")
    [_, permanent_request] = sandbox.requests("/cgi-bin/qrcode/create")
    assert permanent_request["json"]["action_name"] == "QR_LIMIT_STR_SCENE"


# --- error classes -----------------------------------------------------------------------------


def test_a_token_storm_ends_in_token_error_after_one_bounded_refresh(sandbox, make_api):
    sandbox.follow(ALICE)
    sandbox.inject({"path": TEMPLATE_SEND, "errcode": 40001, "times": 50})

    with pytest.raises(TokenError) as raised:
        send_notice(make_api())

    assert raised.value.errcode == 40001
    # initial fetch, plain re-fetch (same token back), then one forced refresh: nothing more
    assert token_fetches(sandbox) == [False, False, True]
    assert sandbox.count(TEMPLATE_SEND) == 2


@pytest.mark.parametrize("errcode", [-1, 45011])
def test_busy_and_per_minute_limit_are_transient(sandbox, make_api, errcode):
    sandbox.follow(ALICE)
    sandbox.inject({"path": TEMPLATE_SEND, "errcode": errcode})

    with pytest.raises(TransientError) as raised:
        send_notice(make_api())

    assert raised.value.errcode == errcode


def test_http_503_is_transient(sandbox, make_api):
    sandbox.follow(ALICE)
    sandbox.inject({"path": TEMPLATE_SEND, "http_status": 503})

    with pytest.raises(TransientError) as raised:
        send_notice(make_api())

    assert raised.value.errcode is None
    assert "503" in raised.value.errmsg


def test_a_send_whose_answer_times_out_is_unknown_yet_went_out(sandbox, make_api):
    sandbox.follow(ALICE)
    sandbox.inject({"path": TEMPLATE_SEND, "delay_seconds": SLOWER_THAN_READ_TIMEOUT})

    with pytest.raises(UnknownOutcomeError):
        send_notice(make_api())

    assert len(sandbox.wait_for_inbox(ALICE, 1)) == 1


def test_a_read_whose_answer_times_out_is_transient(sandbox, make_api):
    sandbox.inject({"path": "/cgi-bin/ticket/getticket", "delay_seconds": SLOWER_THAN_READ_TIMEOUT})

    with pytest.raises(TransientError):
        make_api().jsapi_ticket()


def test_daily_quota_exceeded_is_its_own_class(sandbox, make_api):
    sandbox.follow(ALICE)
    sandbox.inject({"path": TEMPLATE_SEND, "errcode": 45009})

    with pytest.raises(QuotaExceededError) as raised:
        send_notice(make_api())

    assert raised.value.errcode == 45009


def test_a_template_to_a_non_follower_is_permanent_with_errcode_43004(sandbox, make_api):
    with pytest.raises(PermanentError) as raised:
        send_notice(make_api())

    assert (raised.value.errcode, raised.value.errmsg) == (43004, "require subscribe")


def test_custom_text_outside_the_reply_window_is_permanent_45015(sandbox, make_api):
    sandbox.follow(ALICE)

    with pytest.raises(PermanentError) as raised:
        make_api().send_custom_text(ALICE, "您好")

    assert raised.value.errcode == 45015


def test_an_errcode_the_client_does_not_know_is_permanent(sandbox, make_api):
    sandbox.inject({"path": TEMPLATE_SEND, "errcode": 99999, "errmsg": "new rule"})

    with pytest.raises(PermanentError) as raised:
        send_notice(make_api())

    assert (raised.value.errcode, raised.value.errmsg) == (99999, "new rule")


def test_a_wrong_secret_is_permanent(sandbox, make_api):
    with pytest.raises(PermanentError) as raised:
        send_notice(make_api(app_secret="not-the-secret"))

    assert raised.value.errcode == 40125


def test_connection_refused_on_the_token_fetch_is_transient(make_api):
    api = make_api(api_base_url=f"http://127.0.0.1:{closed_port()}")

    with pytest.raises(TransientError):
        send_notice(api)


def test_connection_refused_on_a_send_is_transient_not_unknown(make_api):
    store = InMemoryTokenStore()
    owner = store.try_lock(5)
    assert owner is not None
    store.save_token("cached-token", 7200, owner)
    api = make_api(store, api_base_url=f"http://127.0.0.1:{closed_port()}")

    with pytest.raises(TransientError):
        send_notice(api)


def test_a_failed_request_never_puts_the_access_token_into_its_error(make_api):
    store = InMemoryTokenStore()
    owner = store.try_lock(5)
    assert owner is not None
    store.save_token("cached-token-0123456789", 7200, owner)
    api = make_api(store, api_base_url=f"http://127.0.0.1:{closed_port()}")

    with pytest.raises(TransientError) as failure:
        send_notice(api)

    # The message goes to the log and into the notice's error column.
    assert "access_token=***" in str(failure.value)
    assert "cached-token-0123456789" not in str(failure.value)
