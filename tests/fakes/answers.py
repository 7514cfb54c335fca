"""Head office's FAQ, pending choices and recorded misses in memory."""

from datetime import datetime
from typing import Any

from crm_core.model import (
    AddedNeed,
    AddedSynonym,
    AnswerMiss,
    FaqEntry,
    FaqVersion,
    PendingChoice,
)
from crm_core.repositories.answers import FAQ_REVISION
from tests.fakes.store import FakeStore
from tests.fakes.system import FakeSharedValues


class FakeAnswers:
    """The FAQ, customers' pending choices and the misses in memory."""

    def __init__(self, store: FakeStore) -> None:
        self.store = store
        self.shared = FakeSharedValues(store)

    def stamp(self) -> str | None:
        row = self.shared.get(FAQ_REVISION)
        return row.value if row else None

    def new_revision(self, revision: str) -> None:
        self.shared.ensure(FAQ_REVISION).value = revision

    def entries(self) -> list[FaqEntry]:
        return sorted(self.store.rows(FaqEntry), key=lambda e: e.key)

    def by_key(self, key: str) -> FaqEntry | None:
        return next((e for e in self.store.rows(FaqEntry) if e.key == key), None)

    def add(self, item: FaqEntry | FaqVersion | AnswerMiss | AddedSynonym | AddedNeed) -> None:
        self.store.add(item)

    def synonyms(self) -> list[AddedSynonym]:
        return sorted(self.store.rows(AddedSynonym), key=lambda s: s.id)

    def needs(self) -> list[AddedNeed]:
        return sorted(self.store.rows(AddedNeed), key=lambda n: n.id)

    def version_of(self, entry: FaqEntry, version: int) -> dict[str, Any] | None:
        return next((v.data for v in self.store.rows(FaqVersion)
                     if (v.entry_id, v.version) == (entry.id, version)), None)

    def pending(self, customer_id: int) -> PendingChoice | None:
        return self.store.get(PendingChoice, customer_id)

    def offer(self, customer_id: int, options: list[dict[str, str]], expires_at: datetime) -> None:
        # A merge, as in SQL: the customer's earlier choices are replaced.
        pending = self.pending(customer_id)
        if pending is None:
            self.store.add(PendingChoice(customer_id=customer_id, options=options,
                                         expires_at=expires_at))
        else:
            pending.options, pending.expires_at = options, expires_at

    def clear(self, customer_id: int) -> None:
        pending = self.pending(customer_id)
        if pending is not None:
            self.store.delete(pending)

    def misses(self, since: datetime, limit: int) -> list[AnswerMiss]:
        found = [m for m in self.store.rows(AnswerMiss) if m.at >= since]
        return sorted(found, key=lambda m: (m.at, m.id), reverse=True)[:limit]
