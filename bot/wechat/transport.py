"""The HTTP layer under wechatpy's API classes: one base URL, explicit timeouts, typed errors.

Why not `wechatpy.WeChatClient` itself: in 1.8.18 it defaults to no timeout, fetches tokens from a
hard-coded URL without any timeout, recurses without bound on 40001 (wechatpy #629), keeps the
token expiry per instance, and some of its URLs ignore `API_BASE_URL`. Overriding all of that would
leave little of it. wechatpy's API classes (`WeChatMessage`, `WeChatTag`, ...) only need an object
with `get(endpoint, **kw)` / `post(endpoint, **kw)`, and they know the payload shape of every
endpoint: that is what wechatpy does well, so `Transport` plays that client and owns the wire.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from typing import Any

import requests
from urllib3.exceptions import MaxRetryError, NewConnectionError

from bot.wechat.access_token import AccessTokenSource
from bot.wechat.errors import (
    TOKEN_ERRCODES,
    PermanentError,
    TokenError,
    TransientError,
    UnknownOutcomeError,
    WeChatApiError,
    error_for_errcode,
)

Timeout = tuple[float, float]  # (connect, read) seconds, as requests takes them
_JSON = {"Content-Type": "application/json; charset=utf-8"}
# The platform takes credentials in query strings; requests names the URL in some errors.
_CREDENTIAL = re.compile(r"\b(access_token|secret)=[^&\s'\")]+")


class Transport:
    """What wechatpy's API classes call as their client; every request goes to `base_url`."""

    def __init__(
        self,
        session: requests.Session,
        base_url: str,
        timeout: Timeout,
        tokens: AccessTokenSource,
        max_token_refreshes: int,
        sends_messages: bool,
    ) -> None:
        self._session = session
        self._base_url = base_url
        self._timeout = timeout
        self._tokens = tokens
        self._max_refreshes = max_token_refreshes
        # A lost answer to a message send may hide a delivered message; to a read it hides nothing.
        self._sends_messages = sends_messages

    def get(self, url: str, **kwargs: Any) -> Any:
        """Call a GET endpoint relative to /cgi-bin/ (wechatpy client interface)."""
        return self._call("GET", url, **kwargs)

    def post(self, url: str, **kwargs: Any) -> Any:
        """Call a POST endpoint relative to /cgi-bin/ (wechatpy client interface)."""
        return self._call("POST", url, **kwargs)

    def download(self, endpoint: str, params: Mapping[str, Any],
                 max_bytes: int) -> tuple[str, bytes]:
        """Fetch a file (media/get): its content type and bytes, refusing a file larger than
        `max_bytes` as soon as it is (MediaRefused); platform errors raise as for JSON calls."""
        token = self._tokens.current()
        for attempt in range(self._max_refreshes + 1):
            if attempt:
                token = self._tokens.replace(stale=token)
            url = f"{self._base_url}/cgi-bin/{endpoint}"
            try:
                with self._session.get(url, params={**params, "access_token": token},
                                       timeout=self._timeout, stream=True) as response:
                    kind = response.headers.get("Content-Type", "").split(";")[0].strip()
                    if kind not in ("application/json", "text/plain"):
                        return kind, _capped(response, max_bytes)
                    result = _decode(response, False)
            except requests.RequestException as exc:
                raise _error_for_exception(exc, False) from exc
            errcode, errmsg = int(result.get("errcode", 0)), str(result.get("errmsg", ""))
            if errcode not in TOKEN_ERRCODES:
                raise error_for_errcode(errcode or -1, errmsg, result)
        raise TokenError(errcode, errmsg, result)

    def upload(self, endpoint: str, params: Mapping[str, Any], name: str, content_type: str,
               data: bytes) -> dict[str, Any]:
        """Post a file as multipart field `media` (media/upload); errors raise as for JSON."""
        url = f"{self._base_url}/cgi-bin/{endpoint}"
        token = self._tokens.current()
        for attempt in range(self._max_refreshes + 1):
            if attempt:
                token = self._tokens.replace(stale=token)
            result = request_json(self._session, "POST", url, self._timeout, False,
                                  params={**params, "access_token": token},
                                  files={"media": (name, data, content_type)})
            errcode, errmsg = int(result.get("errcode", 0)), str(result.get("errmsg", ""))
            if errcode not in TOKEN_ERRCODES:
                if errcode:
                    raise error_for_errcode(errcode, errmsg, result)
                return result
        raise TokenError(errcode, errmsg, result)

    def _call(
        self,
        method: str,
        endpoint: str,
        params: Mapping[str, Any] | None = None,
        data: Any = None,
        result_processor: Callable[[Any], Any] | None = None,
        **unexpected: Any,
    ) -> Any:
        if endpoint.startswith(("http://", "https://", "/")) or unexpected:
            # wechatpy passes absolute URLs or `api_base_url` only for hosts other than ours.
            raise ValueError(f"refusing a request outside the configured base: {endpoint}")
        result = self._call_with_token(method, endpoint, dict(params or {}), data)
        return result_processor(result) if result_processor else result

    def _call_with_token(
        self, method: str, endpoint: str, params: dict[str, Any], data: Any
    ) -> dict[str, Any]:
        token = self._tokens.current()
        for attempt in range(self._max_refreshes + 1):
            if attempt:
                token = self._tokens.replace(stale=token)
            result = self._once(method, endpoint, {**params, "access_token": token}, data)
            errcode, errmsg = int(result.get("errcode", 0)), str(result.get("errmsg", ""))
            if errcode not in TOKEN_ERRCODES:
                if errcode:
                    raise error_for_errcode(errcode, errmsg, result)
                return result
        # Bounded on purpose: wechatpy's unbounded retry ends in RecursionError (wechatpy #629).
        raise TokenError(errcode, errmsg, result)

    def _once(
        self, method: str, endpoint: str, params: dict[str, Any], data: Any
    ) -> dict[str, Any]:
        url = f"{self._base_url}/cgi-bin/{endpoint}"
        body = None if data is None else json.dumps(data, ensure_ascii=False).encode()
        return request_json(
            self._session, method, url, self._timeout, self._sends_messages,
            params=params, data=body, headers=_JSON if body is not None else None,
        )


class MediaRefused(ValueError):
    """A media file BranchLink will not keep: `reason` is too_large or bad_type."""

    def __init__(self, reason: str, limit: int = 0) -> None:
        super().__init__(reason)
        self.reason, self.limit = reason, limit


def _capped(response: requests.Response, max_bytes: int) -> bytes:
    declared = response.headers.get("Content-Length", "")
    if declared.isdigit() and int(declared) > max_bytes:
        raise MediaRefused("too_large", max_bytes)
    chunks, size = [], 0
    for chunk in response.iter_content(64 * 1024):
        size += len(chunk)
        if size > max_bytes:
            raise MediaRefused("too_large", max_bytes)
        chunks.append(chunk)
    return b"".join(chunks)


def fetch_stable_token(
    session: requests.Session,
    base_url: str,
    timeout: Timeout,
    credentials: tuple[str, str],
    force_refresh: bool,
) -> tuple[str, int]:
    """Fetch the account's stable access token; return (token, expires_in)."""
    app_id, secret = credentials
    payload = {"grant_type": "client_credential", "appid": app_id, "secret": secret,
               "force_refresh": force_refresh}
    result = request_json(
        session, "POST", f"{base_url}/cgi-bin/stable_token", timeout, False, json=payload
    )
    errcode = int(result.get("errcode", 0))
    errmsg = str(result.get("errmsg", ""))
    if errcode in TOKEN_ERRCODES:
        # The token endpoint answering 40001 means bad credentials, not a stale token: permanent.
        raise PermanentError(errcode, errmsg, result)
    if errcode != 0:
        raise error_for_errcode(errcode, errmsg, result)
    if not isinstance(result.get("access_token"), str):
        raise TransientError(None, "token response without access_token", result)
    return result["access_token"], int(result.get("expires_in", 7200))


def request_json(
    session: requests.Session,
    method: str,
    url: str,
    timeout: Timeout,
    outcome_matters: bool,
    **kwargs: Any,
) -> dict[str, Any]:
    """Send one request and return its JSON object, mapping every failure to a typed error."""
    try:
        response = session.request(method, url, timeout=timeout, **kwargs)
    except requests.RequestException as exc:
        raise _error_for_exception(exc, outcome_matters) from exc
    if response.status_code >= 500:
        raise TransientError(None, f"HTTP {response.status_code}")
    if response.status_code >= 400:
        raise PermanentError(None, f"HTTP {response.status_code}")
    return _decode(response, outcome_matters)


def _decode(response: requests.Response, outcome_matters: bool) -> dict[str, Any]:
    try:
        result = response.json()
    except ValueError:
        result = None
    if isinstance(result, dict):
        return result
    error = UnknownOutcomeError if outcome_matters else TransientError
    raise error(None, f"HTTP {response.status_code} without a JSON object")


def _error_for_exception(exc: requests.RequestException, outcome_matters: bool) -> WeChatApiError:
    # The message is logged and stored with the notice: never with the credentials.
    message = mask_credentials(f"{type(exc).__name__}: {exc}")
    if _never_sent(exc) or not outcome_matters:
        return TransientError(None, message)
    # The request may have reached the platform and been acted on before the answer was lost.
    return UnknownOutcomeError(None, message)


def mask_credentials(text: str) -> str:
    """Replace the values of `access_token=` and `secret=` in `text` with ***."""
    return _CREDENTIAL.sub(r"\1=***", text)


def _never_sent(exc: requests.RequestException) -> bool:
    if isinstance(exc, requests.ConnectTimeout):
        return True
    if isinstance(exc, requests.ConnectionError) and exc.args:
        reason = exc.args[0]
        return isinstance(reason, MaxRetryError) and isinstance(reason.reason, NewConnectionError)
    return False
