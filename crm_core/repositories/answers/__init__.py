"""The FAQ, pending choices and recorded misses in SQL."""

from datetime import datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from crm_core.model import (
    AddedNeed,
    AddedSynonym,
    AnswerMiss,
    FaqEntry,
    FaqVersion,
    PendingChoice,
    SharedValue,
)
from crm_core.repositories.base import insert_or_skip

# The shared value that changes with every change to the FAQ (channels cache their index).
FAQ_REVISION = "faq:revision"


class SqlAnswers:
    """Head office's FAQ, customers' pending choices and the misses, in SQL."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def stamp(self) -> str | None:
        """Return the FAQ's revision (one row read by its key)."""
        stmt = select(SharedValue.value).where(SharedValue.key == FAQ_REVISION)
        value: str | None = self.session.scalar(stmt)
        return value

    def new_revision(self, revision: str) -> None:
        """Record that the FAQ changed (concurrent imports queue on the row's lock)."""
        self.session.execute(insert_or_skip(self.session, SharedValue)
                             .values(key=FAQ_REVISION)
                             .on_conflict_do_nothing(index_elements=["key"]))
        self.session.execute(update(SharedValue).where(SharedValue.key == FAQ_REVISION)
                             .values(value=revision))

    def entries(self) -> list[FaqEntry]:
        """Return every FAQ entry, by key."""
        return list(self.session.scalars(select(FaqEntry).order_by(FaqEntry.key)))

    def by_key(self, key: str) -> FaqEntry | None:
        """Return the FAQ entry with this key."""
        return self.session.scalar(select(FaqEntry).where(FaqEntry.key == key))

    def add(self, item: FaqEntry | FaqVersion | AnswerMiss | AddedSynonym | AddedNeed) -> None:
        """Add an entry, a version, a miss or added vocabulary."""
        self.session.add(item)

    def synonyms(self) -> list[AddedSynonym]:
        """Return the synonyms head office added, oldest first."""
        return list(self.session.scalars(select(AddedSynonym).order_by(AddedSynonym.id)))

    def needs(self) -> list[AddedNeed]:
        """Return the needs head office added, oldest first."""
        return list(self.session.scalars(select(AddedNeed).order_by(AddedNeed.id)))

    def version_of(self, entry: FaqEntry, version: int) -> dict[str, Any] | None:
        """Return the data of one version of an entry."""
        stmt = select(FaqVersion.data).where(FaqVersion.entry_id == entry.id,
                                             FaqVersion.version == version)
        data: dict[str, Any] | None = self.session.scalar(stmt)
        return data

    def pending(self, customer_id: int) -> PendingChoice | None:
        """Return the choices a customer was last offered, if any."""
        return self.session.get(PendingChoice, customer_id)

    def offer(self, customer_id: int, options: list[dict[str, str]], expires_at: datetime) -> None:
        """Store the choices a customer is offered, replacing any earlier ones."""
        self.session.merge(PendingChoice(customer_id=customer_id, options=options,
                                         expires_at=expires_at))

    def clear(self, customer_id: int) -> None:
        """Forget a customer's pending choices."""
        pending = self.session.get(PendingChoice, customer_id)
        if pending is not None:
            self.session.delete(pending)

    def misses(self, since: datetime, limit: int) -> list[AnswerMiss]:
        """Return the misses recorded since `since`, newest first."""
        stmt = (select(AnswerMiss).where(AnswerMiss.at >= since)
                .order_by(AnswerMiss.at.desc(), AnswerMiss.id.desc()).limit(limit))
        return list(self.session.scalars(stmt))
