"""Managers bind their own WeChat account with a one-time code, so notices can reach them."""

import enum
import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from crm_core.model import AuditEvent, BindCode, Manager, ManagerCard
from crm_core.services.notices import release_held
from crm_core.unit_of_work import UnitOfWork

CODE_DIGITS = 8


class BindResult(enum.StrEnum):
    """How a binding attempt ended."""

    BOUND = "bound"
    WRONG = "wrong"          # unknown, used or expired code
    THROTTLED = "throttled"  # too many wrong codes from this account lately
    TAKEN = "taken"          # this WeChat account is bound to another manager


@dataclass(frozen=True)
class BindOutcome:
    """The result of a binding attempt, with the manager when bound."""

    result: BindResult
    manager: ManagerCard | None = None


def issue_bind_code(uow: UnitOfWork, manager_code: str, now: datetime, ttl: timedelta,
                    actor: str) -> str:
    """Issue a one-time numeric code for a manager; only its hash is stored."""
    manager = _manager(uow, manager_code)
    code = "".join(secrets.choice("0123456789") for _ in range(CODE_DIGITS))
    uow.audit.add(BindCode(manager_id=manager.id, code_hash=_hash(code), expires_at=now + ttl))
    _audit(uow, now, actor, "bind_code_issued", manager.code)
    return code


def bind_manager(uow: UnitOfWork, openid: str, code: str, now: datetime,
                 max_failures: int, window: timedelta) -> BindOutcome:
    """Bind the WeChat account `openid` to the manager whose valid code this is."""
    if uow.audit.count("bind_failed", openid, now - window) >= max_failures:
        return BindOutcome(BindResult.THROTTLED)
    bind_code = uow.audit.bind_code(_hash(code.strip()))
    if bind_code is None or bind_code.used_at is not None or bind_code.expires_at <= now:
        _audit(uow, now, openid, "bind_failed", openid)
        return BindOutcome(BindResult.WRONG)
    manager = uow.managers.get(bind_code.manager_id)
    if manager is None:
        raise LookupError(f"bind code for missing manager {bind_code.manager_id}")
    holder = uow.managers.bound_to(openid)
    if holder is not None and holder is not manager:
        return BindOutcome(BindResult.TAKEN, ManagerCard.of(holder))
    bind_code.used_at = now
    manager.openid, manager.bound_at = openid, now
    release_held(uow, manager, now)
    _audit(uow, now, openid, "manager_bound", manager.code)
    return BindOutcome(BindResult.BOUND, ManagerCard.of(manager))


def unbind_manager(uow: UnitOfWork, manager_code: str, now: datetime, actor: str) -> None:
    """Undo a manager's binding (their notices wait until they bind again)."""
    manager = _manager(uow, manager_code)
    manager.openid, manager.bound_at = None, None
    _audit(uow, now, actor, "manager_unbound", manager.code)


def bound_manager(uow: UnitOfWork, openid: str) -> ManagerCard | None:
    """Return the manager this WeChat account is bound to, if any."""
    manager = uow.managers.bound_to(openid)
    return ManagerCard.of(manager) if manager else None


def _hash(code: str) -> str:
    return hashlib.sha256(code.encode()).hexdigest()


def _manager(uow: UnitOfWork, code: str) -> Manager:
    manager = uow.managers.by_code(code)
    if manager is None:
        raise LookupError(f"no manager with code {code!r}")
    return manager


def _audit(uow: UnitOfWork, now: datetime, actor: str, action: str, subject: str) -> None:
    uow.audit.add(AuditEvent(at=now, actor=actor, action=action, subject=subject))
