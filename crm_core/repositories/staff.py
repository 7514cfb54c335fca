"""Staff accounts, their API tokens and the login counters in SQL."""

from datetime import datetime, timedelta

from sqlalchemy import case, delete, func, select, update
from sqlalchemy.orm import Session

from crm_core.model import ApiToken, LoginCounter, StaffAccount
from crm_core.repositories.base import insert_or_skip


class SqlStaff:
    """Staff accounts in SQL."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, item: StaffAccount | ApiToken) -> None:
        """Add an account or a token."""
        self.session.add(item)

    def by_username(self, username: str) -> StaffAccount | None:
        """Return the account with this username."""
        return self.session.scalar(select(StaffAccount).where(StaffAccount.username == username))

    def get(self, staff_id: int) -> StaffAccount | None:
        """Return an account by id."""
        return self.session.get(StaffAccount, staff_id)

    def token(self, token_hash: str) -> ApiToken | None:
        """Return the API token with this hash."""
        return self.session.scalar(select(ApiToken).where(ApiToken.token_hash == token_hash))

    def listing(self) -> list[StaffAccount]:
        """Return every account by username."""
        return list(self.session.scalars(select(StaffAccount).order_by(StaffAccount.username)))

    def live_token_counts(self) -> dict[int, int]:
        """Return the number of unrevoked API tokens per account id."""
        stmt = (select(ApiToken.staff_id, func.count()).where(ApiToken.revoked_at.is_(None))
                .group_by(ApiToken.staff_id))
        return {staff_id: int(count) for staff_id, count in self.session.execute(stmt)}

    def tokens_of(self, staff_id: int) -> list[ApiToken]:
        """Return an account's API tokens, oldest first."""
        stmt = select(ApiToken).where(ApiToken.staff_id == staff_id).order_by(ApiToken.id)
        return list(self.session.scalars(stmt))

    def count_login(self, key: str, now: datetime, window: timedelta) -> int:
        """Count one attempt against `key` and return the attempts in its window, in one
        statement: concurrent attempts queue on the row, none reads a stale count."""
        over = LoginCounter.window_start <= now - window
        stmt = (insert_or_skip(self.session, LoginCounter)
                .values(key=key, window_start=now, attempts=1)
                .on_conflict_do_update(index_elements=["key"], set_={
                    "attempts": case((over, 1), else_=LoginCounter.attempts + 1),
                    "window_start": case((over, now), else_=LoginCounter.window_start)})
                .returning(LoginCounter.attempts))
        return int(self.session.execute(stmt).scalar_one())

    def forgive_login(self, key: str) -> None:
        """Take back one attempt counted against `key`."""
        stmt = (update(LoginCounter)
                .where(LoginCounter.key == key, LoginCounter.attempts > 0)
                .values(attempts=LoginCounter.attempts - 1))
        self.session.execute(stmt, execution_options={"synchronize_session": False})

    def clear_login(self, key: str) -> None:
        """Forget every attempt counted against `key`."""
        stmt = delete(LoginCounter).where(LoginCounter.key == key)
        self.session.execute(stmt, execution_options={"synchronize_session": False})

    def purge_logins(self, before: datetime) -> None:
        """Drop the counters whose window started before `before` (they count nothing)."""
        stmt = delete(LoginCounter).where(LoginCounter.window_start < before)
        self.session.execute(stmt, execution_options={"synchronize_session": False})
