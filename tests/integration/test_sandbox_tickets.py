"""The sandbox's `ticket/getticket`: token checks, type validation, 7200 s tickets, recorded."""

import pytest
import requests

from tests.sandbox_support import GETTICKET, RawClient, SandboxHandle


@pytest.fixture
def platform(sandbox: SandboxHandle, http: requests.Session) -> RawClient:
    return RawClient(sandbox, http).login()


def getticket(platform: RawClient, token: str | None = None, **params: str) -> dict:  # type: ignore[type-arg]
    return platform.get(GETTICKET, token, **{"type": "jsapi", **params}).json()  # type: ignore[no-any-return]


def test_a_ticket_lives_7200_seconds_and_is_the_same_until_then(platform, sandbox) -> None:
    first = getticket(platform)
    assert (first["errcode"], first["errmsg"], first["expires_in"]) == (0, "ok", 7200)
    sandbox.advance_clock(7000)
    again = getticket(platform)
    assert again["ticket"] == first["ticket"] and 199 <= again["expires_in"] <= 200
    sandbox.advance_clock(200)
    platform.login()  # the access token has expired meanwhile
    assert getticket(platform)["ticket"] != first["ticket"]
    assert sandbox.tickets() == [first["ticket"], getticket(platform)["ticket"]]
    assert sandbox.count(GETTICKET) == 4


def test_getticket_needs_a_valid_access_token(platform, sandbox, http) -> None:
    missing = http.get(sandbox.base_url + GETTICKET, params={"type": "jsapi"}).json()
    assert missing["errcode"] == 41001
    assert getticket(platform, token="not-a-token")["errcode"] == 40001
    sandbox.advance_clock(7200)
    assert getticket(platform)["errcode"] == 42001
    assert sandbox.tickets() == []


def test_an_unknown_type_is_refused(platform, sandbox) -> None:
    assert getticket(platform, type="card")["errcode"] == 40097
    assert getticket(platform, type="wx_card")["errcode"] == 0


def test_faults_apply_to_getticket(platform, sandbox) -> None:
    sandbox.inject({"path": GETTICKET, "errcode": -1}, {"path": GETTICKET, "errcode": 40014})
    assert [getticket(platform)["errcode"] for _ in range(3)] == [-1, 40014, 0]
