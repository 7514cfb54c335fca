"""The sandbox's web authorisation: the authorize page's checks and single-use codes."""

from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
import requests

from tests.sandbox_support import SandboxHandle

AUTHORIZE = "/connect/oauth2/authorize"
EXCHANGE = "/sns/oauth2/access_token"
BACK = "https://bank.example/oauth/wechat?next=%2Fs%2Fabc"


def authorize(sandbox: SandboxHandle, http: requests.Session, **changes: str):  # type: ignore[no-untyped-def]
    params = {"appid": sandbox.app_id, "redirect_uri": BACK, "response_type": "code",
              "scope": "snsapi_base", "state": "s1", **changes}
    query = urlencode({k: v for k, v in params.items() if v is not None})
    return http.get(f"{sandbox.base_url}{AUTHORIZE}?{query}", allow_redirects=False, timeout=5)


def code_for(sandbox: SandboxHandle, http: requests.Session, openid: str) -> str:
    answer = authorize(sandbox, http, sandbox_openid=openid)
    return parse_qs(urlsplit(answer.headers["Location"]).query)["code"][0]


def exchange(sandbox: SandboxHandle, http: requests.Session, code: str, **changes: str):  # type: ignore[no-untyped-def]
    params = {"appid": sandbox.app_id, "secret": sandbox.app_secret, "code": code,
              "grant_type": "authorization_code", **changes}
    return http.get(f"{sandbox.base_url}{EXCHANGE}", params=params, timeout=5).json()


def test_authorize_returns_to_the_redirect_uri_with_a_code_and_the_state(sandbox, http) -> None:
    sandbox.oauth_user("o-chosen")
    answer = authorize(sandbox, http)
    assert answer.status_code == 302
    back = urlsplit(answer.headers["Location"])
    query = parse_qs(back.query)
    assert back.netloc == "bank.example" and back.path == "/oauth/wechat"
    assert query["next"] == ["/s/abc"] and query["state"] == ["s1"] and query["code"]
    body = exchange(sandbox, http, query["code"][0])
    assert body["openid"] == "o-chosen" and body["scope"] == "snsapi_base"
    assert {"access_token", "expires_in", "refresh_token"} <= body.keys()


def test_without_a_current_user_the_browser_returns_without_a_code(sandbox, http) -> None:
    query = parse_qs(urlsplit(authorize(sandbox, http).headers["Location"]).query)
    assert "code" not in query and query["state"] == ["s1"]


@pytest.mark.parametrize(("changes", "message"), [
    ({"appid": ""}, "10012 appid不能为空"),
    ({"appid": "wx0000000000000000"}, "appid参数错误"),
    ({"redirect_uri": ""}, "10011 redirect_uri不能为空"),
    ({"redirect_uri": "/oauth/wechat"}, "10003 redirect_uri域名与后台配置不一致"),
    ({"response_type": "token"}, "response_type参数错误"),
    ({"scope": ""}, "10010 scope不能为空"),
    ({"scope": "snsapi_login"}, "10005 此公众号并没有这些scope的权限"),
    ({"state": "x" * 129}, "state参数错误"),
])
def test_bad_authorize_requests_show_the_platform_error_page(sandbox, http, changes,
                                                            message) -> None:
    answer = authorize(sandbox, http, sandbox_openid="o-chosen", **changes)
    assert answer.status_code == 200 and "Location" not in answer.headers
    assert "Oops! Something went wrong" in answer.text and message in answer.text


def test_a_code_works_once(sandbox, http) -> None:
    code = code_for(sandbox, http, "o-chosen")
    assert exchange(sandbox, http, code)["openid"] == "o-chosen"
    assert exchange(sandbox, http, code) == {"errcode": 40163, "errmsg": "code been used"}


def test_an_unknown_or_expired_code_is_invalid(sandbox, http) -> None:
    assert exchange(sandbox, http, "made-up")["errcode"] == 40029
    code = code_for(sandbox, http, "o-chosen")
    sandbox.advance_clock(301)
    assert exchange(sandbox, http, code) == {"errcode": 40029, "errmsg": "invalid code"}


@pytest.mark.parametrize(("changes", "errcode"), [({"secret": "wrong"}, 40125),
                                                   ({"appid": "wx0000000000000000"}, 40013),
                                                   ({"grant_type": "client_credential"}, 40002)])
def test_bad_credentials_are_refused_without_using_the_code(sandbox, http, changes,
                                                           errcode) -> None:
    code = code_for(sandbox, http, "o-chosen")
    assert exchange(sandbox, http, code, **changes)["errcode"] == errcode
    assert exchange(sandbox, http, code)["openid"] == "o-chosen"


def test_redirect_domains_can_be_restricted() -> None:
    from tests.sandbox_support import running_sandbox

    with running_sandbox(oauth_domains=("bank.example",)) as sandbox, requests.Session() as http:
        assert authorize(sandbox, http).status_code == 302
        other = authorize(sandbox, http, redirect_uri="https://evil.example/cb")
        assert "10003" in other.text


def test_the_exchange_is_recorded_and_takes_faults(sandbox, http) -> None:
    sandbox.inject({"path": EXCHANGE, "errcode": -1})
    assert exchange(sandbox, http, code_for(sandbox, http, "o-chosen"))["errcode"] == -1
    assert [r["path"] for r in sandbox.requests(EXCHANGE)] == [EXCHANGE]
