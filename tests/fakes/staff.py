"""Staff accounts, their API tokens and the login counters in memory."""

from collections import Counter
from datetime import datetime, timedelta

from crm_core.model import ApiToken, LoginCounter, StaffAccount
from tests.fakes.store import FakeStore


class FakeStaff:
    """Staff accounts, API tokens and login counters in memory."""

    def __init__(self, store: FakeStore) -> None:
        self.store = store

    def add(self, item: StaffAccount | ApiToken) -> None:
        self.store.add(item)

    def by_username(self, username: str) -> StaffAccount | None:
        return next((a for a in self.store.rows(StaffAccount) if a.username == username),
                    None)

    def get(self, staff_id: int) -> StaffAccount | None:
        return self.store.get(StaffAccount, staff_id)

    def token(self, token_hash: str) -> ApiToken | None:
        return next((t for t in self.store.rows(ApiToken) if t.token_hash == token_hash),
                    None)

    def listing(self) -> list[StaffAccount]:
        return sorted(self.store.rows(StaffAccount), key=lambda a: a.username)

    def live_token_counts(self) -> dict[int, int]:
        return dict(Counter(t.staff_id for t in self.store.rows(ApiToken)
                            if t.revoked_at is None))

    def tokens_of(self, staff_id: int) -> list[ApiToken]:
        return sorted((t for t in self.store.rows(ApiToken) if t.staff_id == staff_id),
                      key=lambda t: t.id)

    def count_login(self, key: str, now: datetime, window: timedelta) -> int:
        counter = self.store.get(LoginCounter, key)
        if counter is None:
            self.store.add(LoginCounter(key=key, window_start=now, attempts=1))
            return 1
        # Both SET expressions of the SQL upsert read the row as it was before the update.
        if counter.window_start <= now - window:
            counter.window_start, counter.attempts = now, 1
        else:
            counter.attempts += 1
        return counter.attempts

    def forgive_login(self, key: str) -> None:
        counter = self.store.get(LoginCounter, key)
        if counter is not None and counter.attempts > 0:
            counter.attempts -= 1

    def clear_login(self, key: str) -> None:
        counter = self.store.get(LoginCounter, key)
        if counter is not None:
            self.store.delete(counter)

    def purge_logins(self, before: datetime) -> None:
        for counter in self.store.rows(LoginCounter):
            if counter.window_start < before:
                self.store.delete(counter)
