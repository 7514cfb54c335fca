"""Getting in: login limits counted in the database, and the audit of every attempt.

Failed logins are counted per account and per client address, each in a fixed window that
starts with its first attempt. An attempt is counted *before* its password is checked, by one
atomic statement, so a burst of concurrent guesses gets no more checks than the limit (a
read-then-write count let about twice as many through on PostgreSQL). Attempts refused while a
limit holds are counted but never move the window: a lock ends when its window does, however
often it is hammered meanwhile. The per-address limit slows one password sprayed across many
accounts, which a per-account limit never sees. A success clears the account's count and takes
back the address's attempt.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from crm_core.model import StaffAccount
from crm_core.services.staff import audit
from crm_core.unit_of_work import UnitOfWork


@dataclass(frozen=True)
class LoginLimits:
    """Attempts an account and a client address each get per window."""

    per_account: int
    per_address: int
    window: timedelta


def admit_login(uow: UnitOfWork, username: str, address: str, now: datetime,
                limits: LoginLimits) -> str | None:
    """Count an attempt against its address and account; return the limit that refuses it
    ("address" or "account"), or None when its password may be checked. Commit before
    checking, so that concurrent attempts see the count."""
    if uow.staff.count_login(_address_key(address), now, limits.window) > limits.per_address:
        return "address"
    account = uow.staff.by_username(username)
    if account is not None and uow.staff.count_login(
            _account_key(account), now, limits.window) > limits.per_account:
        return "account"
    return None


def record_refused_login(uow: UnitOfWork, username: str, address: str, limit: str,
                         now: datetime) -> None:
    """Audit an attempt refused by a limit (its password was never checked)."""
    audit(uow, now, username, "login_throttled", username, {"ip": address, "limit": limit})


def record_login(uow: UnitOfWork, username: str, address: str, ok: bool, now: datetime,
                 window: timedelta) -> None:
    """Audit a checked login; a success clears the account's failures and the address's try."""
    audit(uow, now, username, "login" if ok else "login_failed", username, {"ip": address})
    account = uow.staff.by_username(username)
    if ok and account is not None:
        account.last_login_at = now
        uow.staff.clear_login(_account_key(account))
        uow.staff.forgive_login(_address_key(address))
    uow.staff.purge_logins(now - window)


def _account_key(account: StaffAccount) -> str:
    return f"staff:{account.id}"


def _address_key(address: str) -> str:
    return f"ip:{address}"[:100]
