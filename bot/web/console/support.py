"""Helpers shared by the console views: the scope, units of work, errors and auditing."""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import wraps
from typing import Any, TypeVar

from flask import abort, request
from flask_login import current_user

from bot.phone_cipher import PhoneCipher
from bot.web.edge import current_runtime
from crm_core.model import OutOfScope, Scope, StaffRole
from crm_core.unit_of_work import SqlUnitOfWork

F = TypeVar("F", bound=Callable[..., Any])


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


def client_ip() -> str:
    """Return the caller's address: the peer's, or what `[web] trusted_proxies` saw."""
    return request.remote_addr or ""


def phone_cipher() -> PhoneCipher:
    """Return the cipher for personal data."""
    web = current_runtime().settings.web
    return PhoneCipher(web.secret_key, web.previous_secret_key)
