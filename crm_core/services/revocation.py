"""Taking access away: logouts, deactivation, password changes and API token revocation.

A console session is a signed cookie the server does not keep, so ending one server-side
means changing what the cookie must match: each account has a session generation, written
into its sessions at login and compared on every request. Bumping it ends every session of
the account at once (a logout ends the account's sessions on every device). A new password
or a deactivation also revokes the account's API tokens, since whoever held the old password
may have issued them. Every step is audited.
"""

from collections.abc import Collection
from datetime import datetime
from typing import Any

from crm_core.model import StaffAccount
from crm_core.services.staff import audit
from crm_core.unit_of_work import UnitOfWork


def log_out(uow: UnitOfWork, staff_id: int, address: str, now: datetime) -> None:
    """End every console session of an account and audit the logout."""
    account = uow.staff.get(staff_id)
    if account is None:
        raise LookupError(f"no staff account {staff_id}")
    account.session_generation += 1
    audit(uow, now, account.username, "logout", account.username, {"ip": address})


def set_staff_password(uow: UnitOfWork, username: str, password_hash: str, actor: str,
                       now: datetime) -> int:
    """Replace an account's password, ending its sessions and revoking its API tokens
    (returns how many were revoked)."""
    account = _account(uow, username)
    account.password_hash = password_hash
    revoked = _cut_off(uow, account, actor, now)
    audit(uow, now, actor, "password_set", username, {"tokens_revoked": revoked})
    return revoked


def deactivate_staff(uow: UnitOfWork, username: str, actor: str, now: datetime) -> int:
    """Shut an account out: no more logins, its sessions ended, its API tokens revoked
    (returns how many). No one deactivates their own account (the last head office)."""
    account = _account(uow, username)
    if account.username == actor:
        raise ValueError("an account cannot deactivate itself")
    account.active = False
    revoked = _cut_off(uow, account, actor, now)
    audit(uow, now, actor, "staff_deactivated", username, {"tokens_revoked": revoked})
    return revoked


def reactivate_staff(uow: UnitOfWork, username: str, actor: str, now: datetime) -> None:
    """Let a deactivated account log in again (its revoked tokens stay revoked)."""
    _account(uow, username).active = True
    audit(uow, now, actor, "staff_reactivated", username)


def revoke_api_tokens(uow: UnitOfWork, username: str, token_ids: Collection[int] | None,
                      actor: str, now: datetime) -> int:
    """Revoke an account's live API tokens with these ids (all of them for None); an id
    that is not a live token of the account is a LookupError. Returns how many."""
    live = [t for t in uow.staff.tokens_of(_account(uow, username).id) if t.revoked_at is None]
    if token_ids is not None:
        missing = set(token_ids) - {t.id for t in live}
        if missing:
            raise LookupError(f"{username!r} has no live API token {sorted(missing)}")
        live = [t for t in live if t.id in token_ids]
    for token in live:
        token.revoked_at = now
        audit(uow, now, actor, "api_token_revoked", username, {"token": token.id,
                                                               "name": token.name})
    return len(live)


def api_tokens_of(uow: UnitOfWork, username: str) -> list[dict[str, Any]]:
    """Return an account's API tokens (never their secret), oldest first."""
    return [{"id": t.id, "name": t.name, "created_at": t.created_at,
             "last_used_at": t.last_used_at, "revoked_at": t.revoked_at}
            for t in uow.staff.tokens_of(_account(uow, username).id)]


def staff_listing(uow: UnitOfWork) -> list[dict[str, Any]]:
    """Every staff account with its state and its number of live API tokens."""
    live = uow.staff.live_token_counts()
    return [{"id": a.id, "username": a.username, "display_name": a.display_name,
             "role": a.role.value, "line": a.line.value if a.line else None,
             "active": a.active, "last_login_at": a.last_login_at,
             "live_tokens": live.get(a.id, 0)} for a in uow.staff.listing()]


def _cut_off(uow: UnitOfWork, account: StaffAccount, actor: str, now: datetime) -> int:
    account.session_generation += 1
    return revoke_api_tokens(uow, account.username, None, actor, now)


def _account(uow: UnitOfWork, username: str) -> StaffAccount:
    account = uow.staff.by_username(username)
    if account is None:
        raise LookupError(f"no staff account {username!r}")
    return account
