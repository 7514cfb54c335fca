"""Search vocabulary added by head office from the misses: synonyms and needs.

The search's own vocabulary is code data (bot.search.lexicon); these rows extend it and are
merged with it whenever a process builds its search index. Rows are only ever added, each
with who added it and when (the audit trail keeps the same event), so the vocabulary in
force at any moment can be reconstructed.
"""

from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from crm_core.model.base import Base, utcnow


class AddedSynonym(Base):
    """A word customers use (term) read as a word the vocabulary knows (canonical)."""

    __tablename__ = "vocabulary_synonyms"

    id: Mapped[int] = mapped_column(primary_key=True)
    term: Mapped[str] = mapped_column(String(32), unique=True)
    canonical: Mapped[str] = mapped_column(String(32))
    created_by: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class AddedNeed(Base):
    """Words of a need: how customers state it, and the product words that show it served."""

    __tablename__ = "vocabulary_needs"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(32))
    # Space-separated words, as head office typed them.
    asked: Mapped[str] = mapped_column(String(500))
    served: Mapped[str] = mapped_column(String(500))
    created_by: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
