"""Helpers shared by the console views: the scope, units of work, errors and auditing."""

import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from functools import wraps
from typing import Any, Literal, TypeVar

from flask import Flask, abort, request
from flask_login import current_user

from bot import texts
from bot.labels import label
from bot.phone_cipher import PhoneCipher
from bot.web.edge import current_runtime
from crm_core import services
from crm_core.model import (
    ID_MAX,
    NoticeStatus,
    OutOfScope,
    Scope,
    StaffRole,
    local_date,
    local_time,
    utcnow,
)
from crm_core.unit_of_work import SqlUnitOfWork

F = TypeVar("F", bound=Callable[..., Any])
_ID_SEPARATORS = re.compile(r"[,，；、\s]+")
_CUSTOMER_ID = re.compile(r"[1-9][0-9]{0,9}", re.ASCII)
_RELATIVE_DAYS = 30  # older (or further ahead) than this, a time is shown as its local date


def scope() -> Scope:
    """Return the logged-in staff member's scope."""
    value: Scope = current_user.scope
    return value


@contextmanager
def work() -> Iterator[SqlUnitOfWork]:
    """Open a unit of work; an out-of-scope record becomes 403, an unknown one 404."""
    with current_runtime().uow() as uow:
        assert isinstance(uow, SqlUnitOfWork)  # noqa: S101 - the console reads SQL
        try:
            yield uow
        except OutOfScope:
            abort(403)
        except LookupError:
            abort(404)


def roles(*allowed: StaffRole) -> Callable[[F], F]:
    """Allow a view only to the given roles (403 for the others)."""
    def decorate(view: F) -> F:
        @wraps(view)
        def guarded(*args: Any, **kwargs: Any) -> Any:
            if scope().role not in allowed:
                abort(403)
            return view(*args, **kwargs)
        return guarded  # type: ignore[return-value]
    return decorate


def now() -> datetime:
    """Return the time (naive UTC) by the app's clock."""
    return current_runtime().clock()


def today() -> date:
    """Return today's date where the bank is (`[leads] timezone`, Beijing)."""
    return local_date(now(), current_runtime().settings.leads.timezone)


def htmx() -> bool:
    """Say whether htmx sent the request (it then wants a fragment, not a page)."""
    return request.headers.get("HX-Request") == "true"


def client_ip() -> str:
    """Return the caller's address: the peer's, or what `[web] trusted_proxies` saw."""
    return request.remote_addr or ""


def phone_cipher() -> PhoneCipher:
    """Return the cipher for personal data."""
    web = current_runtime().settings.web
    return PhoneCipher(web.secret_key, web.previous_secret_key)


def customer_choice(listed: str, every: bool) -> list[int] | Literal["all"]:
    """Read a transfer's customers: ids split by commas, 、, ； or spaces, or explicitly all.

    Any token that is not an id refuses the whole list: a typo never widens a transfer.
    """
    tokens = [token for token in _ID_SEPARATORS.split(listed) if token]
    if every:
        if tokens:
            raise services.TransferRefused("all_and_list")
        return services.ALL_CUSTOMERS
    bad = next((token for token in tokens if not _CUSTOMER_ID.fullmatch(token)
                or int(token) > ID_MAX), None)
    if bad is not None:
        raise services.TransferRefused("bad_token", bad[:20])
    return [int(token) for token in tokens]


def transfer_refusal(error: services.TransferRefused) -> str:
    """Say in Chinese why a transfer was refused."""
    return texts.TRANSFER_REFUSALS[error.code].format(detail=error.detail)


def retry_refusal(notice_id: int, error: services.NotRetryable) -> str:
    """Say in Chinese why a notice cannot be sent again from the console or the API."""
    if error.status is NoticeStatus.UNKNOWN:
        return texts.NOTICE_OUTCOME_UNKNOWN.format(id=notice_id)
    return texts.NOTICE_NOT_RETRYABLE.format(id=notice_id,
                                             status=label("notice", error.status.value))


def local_stamp(at: datetime | str | None, fmt: str = "%Y-%m-%d %H:%M") -> str:
    """Show a stored (naive UTC) time in the configured local time (Beijing), or "—"."""
    at = _as_time(at)
    if at is None:
        return "—"
    return local_time(at, current_runtime().settings.leads.timezone).strftime(fmt)


def relative_time(at: datetime | str | None, now: datetime | None = None) -> str:
    """Say how long ago (or ahead) a stored time is: "刚刚", "3 小时前", "2 天后"; beyond a
    month, its local (Beijing) date."""
    at = _as_time(at)
    if at is None:
        return "—"
    seconds = ((now or utcnow()) - at).total_seconds()
    if abs(seconds) >= timedelta(days=_RELATIVE_DAYS).total_seconds():
        return local_stamp(at, "%Y-%m-%d")
    if abs(seconds) < 60:
        return "刚刚"
    return f"{span(abs(seconds))}{'前' if seconds > 0 else '后'}"


def countdown(due: datetime | str | None, now: datetime | None = None) -> str:
    """Say how long is left until a due time ("剩余 25 分钟"), or how late it is ("已超时 2 小时")
    once past."""
    due = _as_time(due)
    if due is None:
        return "—"
    seconds = (due - (now or utcnow())).total_seconds()
    return f"剩余 {span(seconds)}" if seconds > 0 else f"已超时 {span(-seconds)}"


def span(seconds: float) -> str:
    """Say a length of time in its largest whole unit: "25 分钟", "2 小时", "3 天"."""
    if seconds < 3600:
        return f"{max(1, int(seconds // 60))} 分钟"
    if seconds < 2 * 86400:
        return f"{int(seconds // 3600)} 小时"
    return f"{int(seconds // 86400)} 天"


def init_time_filters(app: Flask) -> None:
    """Give the templates `stamp` (Beijing time), `ago` and `countdown` (relative times)."""
    app.jinja_env.filters.update(stamp=local_stamp, ago=relative_time, countdown=countdown)


def _as_time(at: datetime | str | None) -> datetime | None:
    # Stored times are naive UTC; some views hand them over as ISO text ("…Z" or "+00:00").
    if isinstance(at, str):
        if not at:
            return None
        at = datetime.fromisoformat(at.removesuffix("Z"))
    if at is not None and at.tzinfo is not None:
        at = at.astimezone(UTC).replace(tzinfo=None)
    return at
