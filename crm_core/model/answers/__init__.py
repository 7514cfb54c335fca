"""Answering customers: head office's FAQ, the choices a customer was offered, and misses.

The FAQ is approved copy: each entry is checked against the banned phrases when imported and
every change is kept as a version, like the catalogue. A customer offered choices ("回复
1/2/3") has them stored here, not in process memory, so their next message may reach any
worker. Questions we could not answer well are kept (masked) for head office to learn from.
"""

import enum
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Integer, String, Text, UniqueConstraint, true
from sqlalchemy.orm import Mapped, mapped_column

from crm_core.model.base import Base, BigId, utcnow


class FaqTopic(enum.StrEnum):
    """What an FAQ entry is about (the values are the file's data, as head office writes it)."""

    TERMS = "术语"
    DISCLOSURE = "披露"
    RISK = "风险等级"
    FEES = "费用"
    PROCESS = "流程"


class FaqEntry(Base):
    """An approved answer to a common question, as it currently stands."""

    __tablename__ = "faq_entries"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(64), unique=True)
    topic: Mapped[str] = mapped_column(String(16))
    question: Mapped[str] = mapped_column(String(200))
    answer: Mapped[str] = mapped_column(Text)
    # The phrases that make a question this entry's (space-separated), as customers put them.
    keywords: Mapped[str] = mapped_column(String(500))
    active: Mapped[bool] = mapped_column(default=True, server_default=true())
    version: Mapped[int] = mapped_column(Integer, default=1)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)

    def snapshot(self) -> dict[str, Any]:
        """Return the versioned fields as JSON-ready data."""
        return {name: getattr(self, name) for name in FAQ_FIELDS}


FAQ_FIELDS = ("topic", "question", "answer", "keywords", "active")


class FaqVersion(Base):
    """One version of an FAQ entry, kept so any past answer can be reconstructed."""

    __tablename__ = "faq_versions"
    __table_args__ = (UniqueConstraint("entry_id", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    entry_id: Mapped[int] = mapped_column(ForeignKey("faq_entries.id"))
    version: Mapped[int] = mapped_column(Integer)
    data: Mapped[dict[str, Any]] = mapped_column(JSON)
    source: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class PendingChoice(Base):
    """The options a customer was offered to pick from by number, until they expire."""

    __tablename__ = "pending_choices"

    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"), primary_key=True)
    # [{"kind": "product" | "faq", "ref": code or key, "label": what the customer read}]
    options: Mapped[list[dict[str, str]]] = mapped_column(JSON)
    expires_at: Mapped[datetime]


class AnswerMiss(Base):
    """A question that got the fallback or an unsure answer (masked), for head office."""

    __tablename__ = "answer_misses"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    question: Mapped[str] = mapped_column(String(500))
    outcome: Mapped[str] = mapped_column(String(16))
