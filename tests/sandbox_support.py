"""Run the WeChat sandbox on a free loopback port for one test (or module) and drive it over HTTP.

    with running_sandbox(followers=(openid,)) as sandbox:
        api = WeChatApi(api_base_url=sandbox.base_url, app_id=sandbox.app_id, ...)
        sandbox.inject({"path": "/cgi-bin/message/template/send", "errcode": 45009})
        assert sandbox.inbox(openid)[0]["kind"] == "template"
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any

import requests
from werkzeug.serving import make_server

from bot.wechat.api import WeChatApi
from bot.wechat.token_store import InMemoryTokenStore, TokenStore
from sandbox import SandboxConfig, create_sandbox_app
from sandbox.cli import MaskingRequestHandler

SANDBOX_APP_ID = "wx5a4db0c000000001"
SANDBOX_APP_SECRET = "sandbox-secret-for-tests-only"
TEMPLATE_SEND = "/cgi-bin/message/template/send"
CUSTOM_SEND = "/cgi-bin/message/custom/send"
STABLE_TOKEN = "/cgi-bin/stable_token"
GETTICKET = "/cgi-bin/ticket/getticket"
_TIMEOUT = 5.0


def fake_openid(name: str) -> str:
    """Return a stable, well-formed 28-character openid for a test user."""
    return ("o" + hashlib.sha256(name.encode()).hexdigest())[:28]


class SandboxHandle:
    """A running sandbox: its base URL and the /_sandbox controls as methods."""

    def __init__(self, base_url: str, config: SandboxConfig) -> None:
        self.base_url = base_url
        self.app_id = config.app_id
        self.app_secret = config.app_secret
        self.config = config
        self._http = requests.Session()

    def reset(self) -> None:
        """Forget tokens, users, messages, the request log and pending faults."""
        self._post("/_sandbox/reset")

    def inject(self, *faults: dict[str, Any]) -> None:
        """Queue faults for the next matching requests (see sandbox/faults.py)."""
        self._post("/_sandbox/faults", list(faults))

    def requests(self, path: str | None = None) -> list[dict[str, Any]]:
        """Return the recorded platform requests, optionally only those to `path`."""
        params = {"path": path} if path else None
        return self._get("/_sandbox/requests", params=params)  # type: ignore[no-any-return]

    def count(self, path: str) -> int:
        """Return how many requests reached `path`."""
        return len(self.requests(path))

    def tickets(self) -> list[str]:
        """Return the JS-SDK tickets the sandbox has issued, oldest first."""
        return [entry["ticket"] for entry in self._get("/_sandbox/tickets")]

    def inbox(self, openid: str) -> list[dict[str, Any]]:
        """Return what `openid` has received, oldest first."""
        return self._get(f"/_sandbox/inbox/{openid}")  # type: ignore[no-any-return]

    def wait_for_inbox(self, openid: str, count: int, timeout: float = 3.0) -> list[dict[str, Any]]:
        """Poll until `openid` has at least `count` messages; return them (or what is there)."""
        deadline = time.monotonic() + timeout
        while len(entries := self.inbox(openid)) < count and time.monotonic() < deadline:
            time.sleep(0.02)
        return entries

    def follow(self, *openids: str) -> None:
        """Make users followers without opening a customer-service window."""
        self._post("/_sandbox/followers", {"openids": list(openids)})

    def act(self, openid: str, kind: str, scene: str = "") -> None:
        """Record a user action: message, follow, scan, click or unfollow."""
        self._post(f"/_sandbox/users/{openid}/act", {"kind": kind, "scene": scene})

    def oauth_user(self, openid: str | None) -> None:
        """Choose whose browser the authorize page answers for (None: nobody, no code)."""
        self._post("/_sandbox/oauth-user", {"openid": openid})

    def register_templates(self, *template_ids: str) -> None:
        """Make only registered template ids acceptable (others get 40037)."""
        self._post("/_sandbox/templates", {"template_ids": list(template_ids)})

    def advance_clock(self, seconds: float) -> None:
        """Age tokens, QR codes and reply windows without sleeping."""
        self._post("/_sandbox/clock", {"advance_seconds": seconds})

    def expire_tokens(self) -> None:
        """Invalidate every access token the sandbox has issued."""
        self._post("/_sandbox/expire-tokens")

    def close(self) -> None:
        """Close the control connection."""
        self._http.close()

    def _get(self, path: str, params: dict[str, str] | None = None) -> Any:
        response = self._http.get(self.base_url + path, params=params, timeout=_TIMEOUT)
        response.raise_for_status()
        return response.json()

    def _post(self, path: str, body: Any = None) -> Any:
        response = self._http.post(self.base_url + path, json=body, timeout=_TIMEOUT)
        response.raise_for_status()
        return response.json()


def api_for(
    sandbox: SandboxHandle,
    token_store: TokenStore | None = None,
    *,
    timeout: float = 0.3,
    **overrides: Any,
) -> WeChatApi:
    """Return a WeChatApi wired to the sandbox (short timeouts keep failure tests fast)."""
    settings: dict[str, Any] = {
        "app_id": sandbox.app_id, "app_secret": sandbox.app_secret,
        "api_base_url": sandbox.base_url, "connect_timeout": timeout, "read_timeout": timeout,
        "max_token_refreshes": 1, "token_store": token_store or InMemoryTokenStore(),
    }
    return WeChatApi(**{**settings, **overrides})


class RawClient:
    """Plain platform calls with an access token, for tests of the sandbox's own rules."""

    def __init__(self, sandbox: SandboxHandle, http: requests.Session) -> None:
        self.sandbox = sandbox
        self.http = http
        self.token = ""

    def stable_token(self, force: bool = False, secret: str | None = None) -> dict[str, Any]:
        """Call /cgi-bin/stable_token with the sandbox's (or the given) secret."""
        body = {"grant_type": "client_credential", "appid": self.sandbox.app_id,
                "secret": secret or self.sandbox.app_secret, "force_refresh": force}
        url = f"{self.sandbox.base_url}{STABLE_TOKEN}"
        return self.http.post(url, json=body, timeout=_TIMEOUT).json()  # type: ignore[no-any-return]

    def login(self) -> RawClient:
        """Fetch the stable token and use it from now on."""
        self.token = self.stable_token()["access_token"]
        return self

    def post(self, path: str, body: Any, token: str | None = None) -> dict[str, Any]:
        """POST JSON to a platform path with the access token; return the JSON answer."""
        params = {"access_token": token or self.token}
        response = self.http.post(self.sandbox.base_url + path, params=params, json=body,
                                  timeout=_TIMEOUT)
        return response.json()  # type: ignore[no-any-return]

    def get(self, path: str, token: str | None = None, **params: str) -> requests.Response:
        """GET a platform path with the access token and query parameters."""
        query = {"access_token": token or self.token, **params}
        return self.http.get(self.sandbox.base_url + path, params=query, timeout=_TIMEOUT)


class _InFlight:
    """WSGI middleware counting requests being served, so shutdown can let them finish."""

    def __init__(self, app: Any) -> None:
        self._app = app
        self._lock = threading.Lock()
        self.count = 0

    def __call__(self, environ: Any, start_response: Any) -> Iterable[bytes]:
        with self._lock:
            self.count += 1
        try:
            return list(self._app(environ, start_response))
        finally:
            with self._lock:
                self.count -= 1


@contextmanager
def running_sandbox(**config: Any) -> Iterator[SandboxHandle]:
    """Serve a sandbox (SandboxConfig fields as keywords) on 127.0.0.1 for the `with` block."""
    settings = SandboxConfig(**{"app_id": SANDBOX_APP_ID, "app_secret": SANDBOX_APP_SECRET,
                                **config})
    app = _InFlight(create_sandbox_app(settings))
    server = make_server("127.0.0.1", 0, app, threaded=True,
                         request_handler=MaskingRequestHandler)
    thread = threading.Thread(target=server.serve_forever, name="wechat-sandbox", daemon=True)
    thread.start()
    handle = SandboxHandle(f"http://127.0.0.1:{server.port}", settings)
    try:
        yield handle
    finally:
        handle.close()
        server.shutdown()
        _wait_until_idle(app)
        server.server_close()
        thread.join(timeout=_TIMEOUT)


def _wait_until_idle(app: _InFlight) -> None:
    # Delayed answers (fault injection) may still be sleeping; let them finish writing.
    deadline = time.monotonic() + _TIMEOUT
    while app.count and time.monotonic() < deadline:
        time.sleep(0.02)
