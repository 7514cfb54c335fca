"""Staff accounts, logins, API tokens and the scope each account may see."""

import hashlib
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from crm_core.model import (
    ApiToken,
    AuditEvent,
    ManagerRole,
    Scope,
    SealedPhone,
    StaffAccount,
    StaffRole,
)
from crm_core.unit_of_work import UnitOfWork


def scope_of(account: StaffAccount) -> Scope:
    """Return the scope of an account (a manager's branch comes from their manager record)."""
    branch_id = account.branch_id or (account.manager.branch_id if account.manager else None)
    line = account.line if account.role is StaffRole.HEAD_OFFICE else None
    return Scope(account.id, account.username, account.display_name, account.role,
                 account.manager_id, branch_id, line)


def add_staff(uow: UnitOfWork, username: str, display_name: str, password_hash: str,
              role: StaffRole, manager_code: str | None, branch_code: str | None,
              actor: str, now: datetime) -> StaffAccount:
    """Create a staff account, checking that its role has what its scope needs."""
    manager = uow.managers.by_code(manager_code) if manager_code else None
    branch = uow.branches.by_code(branch_code) if branch_code else None
    if (manager_code and manager is None) or (branch_code and branch is None):
        raise LookupError(f"unknown manager {manager_code!r} or branch {branch_code!r}")
    if role is StaffRole.MANAGER and manager is None:
        raise ValueError("a manager account needs --manager")
    if role is StaffRole.BRANCH_HEAD and branch is None:
        raise ValueError("a branch head account needs --branch")
    if uow.staff.by_username(username) is not None:
        raise ValueError(f"staff account {username!r} exists")
    account = StaffAccount(username=username, display_name=display_name, role=role,
                           password_hash=password_hash, manager=manager, branch=branch,
                           active=True, created_at=now)
    uow.staff.add(account)
    audit(uow, now, actor, "staff_added", username, {"role": role.value})
    return account


def set_staff_line(uow: UnitOfWork, username: str, line: ManagerRole | None, actor: str,
                   now: datetime) -> StaffAccount:
    """Put a head-office account on a business line, or back on the whole bank (audited)."""
    account = uow.staff.by_username(username)
    if account is None:
        raise LookupError(f"no staff account {username!r}")
    if line is not None and account.role is not StaffRole.HEAD_OFFICE:
        raise ValueError("only a head-office account can be on a business line")
    before, account.line = account.line, line
    audit(uow, now, actor, "staff_line", username,
          {"line": line.value if line else "", "previous_line": before.value if before else ""})
    return account


def set_customer_details(uow: UnitOfWork, openid: str, name: str | None,
                         phone: SealedPhone | None, actor: str, now: datetime) -> None:
    """Set a customer's staff-given name and/or phone (sealed: encrypted, last 4, keyed hash)."""
    customer = uow.customers.by_openid(openid)
    if customer is None:
        raise LookupError(f"no customer with openid {openid!r}")
    if name is not None:
        customer.display_name = name[:50]
    if phone is not None:
        customer.set_phone(phone)
        audit(uow, now, actor, "phone_recorded", openid)


@dataclass(frozen=True)
class RotationBatch:
    """One batch of re-encrypted phone numbers: where it ended and what it did."""

    last_id: int
    rotated: int
    unreadable: int


def rotate_phones(uow: UnitOfWork, reseal: Callable[[str], tuple[str, str] | None],
                  after_id: int, limit: int) -> RotationBatch | None:
    """Re-encrypt and re-hash the stored phone numbers of the next `limit` customers after
    `after_id` under the current key (`reseal` returns the ciphertext and keyed hash, or None
    for a number under no known key, left as it is); None when no customer is left."""
    customers = uow.customers.with_phone(after_id, limit)
    if not customers:
        return None
    rotated = unreadable = 0
    for customer in customers:
        fresh = reseal(customer.phone_cipher or "")
        if fresh is None:
            unreadable += 1
        else:
            (customer.phone_cipher, customer.phone_hash), rotated = fresh, rotated + 1
    return RotationBatch(customers[-1].id, rotated, unreadable)


def issue_api_token(uow: UnitOfWork, username: str, name: str, now: datetime,
                    actor: str) -> str:
    """Create an API token for a staff account; the token is shown once, its hash stored."""
    account = uow.staff.by_username(username)
    if account is None:
        raise LookupError(f"no staff account {username!r}")
    token = "blk_" + secrets.token_urlsafe(32)
    uow.staff.add(ApiToken(staff=account, name=name, token_hash=_hash(token), created_at=now))
    audit(uow, now, actor, "api_token_issued", username, {"name": name})
    return token


def staff_for_token(uow: UnitOfWork, token: str, now: datetime) -> StaffAccount | None:
    """Return the active account a valid, unrevoked token belongs to."""
    row = uow.staff.token(_hash(token))
    if row is None or row.revoked_at is not None or not row.staff.active:
        return None
    row.last_used_at = now
    return row.staff


def audit(uow: UnitOfWork, now: datetime, actor: str, action: str, subject: str,
          detail: dict[str, Any] | None = None) -> None:
    """Append one event to the audit trail."""
    uow.audit.add(AuditEvent(at=now, actor=actor, action=action, subject=subject, detail=detail))


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()
