"""Head office extends product answers from the misses: synonyms, needs and FAQ entries.

Each addition is checked, stored with who added it and when, written to the audit trail,
and bumps the catalogue's revision: the search index is built from the catalogue and this
vocabulary together, so every worker rebuilds it at its next question (an FAQ entry goes
through the FAQ's own versioned import, which bumps the FAQ's revision).
"""

import re
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from crm_core.model import AddedNeed, AddedSynonym
from crm_core.model.compliance import banned_phrase
from crm_core.services.answers.faq import LIMITS, REQUIRED, FaqCard, faq_values, import_faq
from crm_core.services.catalogue_files import SourceRow
from crm_core.services.staff import audit
from crm_core.unit_of_work import UnitOfWork

WORD_MAX = 16
WORDS_MAX = 20
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


class LearningRefused(ValueError):
    """An addition that cannot be saved; `code` says why, `detail` names the word or field."""

    def __init__(self, code: str, detail: str = "") -> None:
        super().__init__(f"{code}: {detail}")
        self.code, self.detail = code, detail


@dataclass(frozen=True)
class SynonymCard:
    """A word customers use, read as a word the search vocabulary knows."""

    term: str
    canonical: str


@dataclass(frozen=True)
class NeedCard:
    """A need: how customers state it, and the product words that show it is served."""

    name: str
    asked: tuple[str, ...]
    served: tuple[str, ...]


def vocabulary(uow: UnitOfWork) -> tuple[list[SynonymCard], list[NeedCard]]:
    """Return the synonyms and needs head office added, oldest first."""
    synonyms = [SynonymCard(s.term, s.canonical) for s in uow.answers.synonyms()]
    needs = [NeedCard(n.name, tuple(n.asked.split()), tuple(n.served.split()))
             for n in uow.answers.needs()]
    return synonyms, needs


@dataclass(frozen=True)
class Addition:
    """One addition to the vocabulary as head office reads it back: what, by whom, when."""

    kind: str  # "synonym" or "need"
    subject: str
    words: str
    created_by: str
    created_at: datetime


def vocabulary_additions(uow: UnitOfWork, limit: int = 20) -> list[Addition]:
    """Return the latest synonyms and needs added, newest first."""
    found = [Addition("synonym", s.term, s.canonical, s.created_by, s.created_at)
             for s in uow.answers.synonyms()]
    found += [Addition("need", n.name, f"{n.asked} → {n.served}", n.created_by, n.created_at)
              for n in uow.answers.needs()]
    return sorted(found, key=lambda a: a.created_at, reverse=True)[:limit]


def synonym_card(term: str, canonical: str) -> SynonymCard:
    """Check a synonym as typed; LearningRefused says what is wrong."""
    card = SynonymCard(_word(term, "term"), _word(canonical, "canonical"))
    if card.term == card.canonical:
        raise LearningRefused("same_word", card.term)
    return card


def need_card(name: str, asked: str, served: str) -> NeedCard:
    """Check a need as typed (words separated by spaces, commas or 、)."""
    return NeedCard(_word(name, "name"), _words(asked, "asked"), _words(served, "served"))


def faq_card(fields: Mapping[str, str]) -> FaqCard:
    """Check an FAQ entry as typed (LearningRefused says what is wrong) and return it."""
    values = _faq_values(fields)
    return FaqCard(values["key"], values["topic"], values["question"], values["answer"],
                   tuple(values["keywords"].split()), 1)


def _faq_values(fields: Mapping[str, str]) -> dict[str, Any]:
    fields = {name: (fields.get(name) or "").strip() for name in REQUIRED}
    missing = next((name for name in REQUIRED if not fields[name]), None)
    if missing:
        raise LearningRefused("required", missing)
    for name, limit in LIMITS.items():
        if len(fields[name]) > limit:
            raise LearningRefused("too_long", f"{name}:{limit}")
    for name in ("question", "answer", "keywords"):
        if phrase := banned_phrase(fields[name]):
            raise LearningRefused("banned", phrase)
    try:
        return faq_values(fields)
    except ValueError as error:
        raise LearningRefused("key_or_topic", str(error)) from error


def add_synonym(uow: UnitOfWork, card: SynonymCard, actor: str, now: datetime) -> None:
    """Store a synonym (refused if the term already has one) and rebuild every index."""
    if any(s.term == card.term for s in uow.answers.synonyms()):
        raise LearningRefused("term_taken", card.term)
    uow.answers.add(AddedSynonym(term=card.term, canonical=card.canonical, created_by=actor,
                                 created_at=now))
    audit(uow, now, actor, "synonym_added", card.term, {"canonical": card.canonical})
    uow.products.new_revision(secrets.token_hex(8))


def add_need(uow: UnitOfWork, card: NeedCard, actor: str, now: datetime) -> None:
    """Store a need's words (a name already known gains them) and rebuild every index."""
    uow.answers.add(AddedNeed(name=card.name, asked=" ".join(card.asked),
                              served=" ".join(card.served), created_by=actor, created_at=now))
    audit(uow, now, actor, "need_added", card.name,
          {"asked": list(card.asked), "served": list(card.served)})
    uow.products.new_revision(secrets.token_hex(8))


def add_faq(uow: UnitOfWork, card: FaqCard, actor: str, now: datetime) -> None:
    """Add a new FAQ entry as version 1 (refused if its key exists), audited."""
    if uow.answers.by_key(card.key) is not None:
        raise LearningRefused("key_taken", card.key)
    fields = {"key": card.key, "topic": card.topic, "question": card.question,
              "answer": card.answer, "keywords": " ".join(card.keywords)}
    import_faq(uow, [SourceRow(1, fields)], f"console:{actor}", now)
    audit(uow, now, actor, "faq_added", card.key, {"question": card.question})


def _word(value: str, field: str) -> str:
    word = " ".join(value.split())
    if not word:
        raise LearningRefused("required", field)
    if len(word) > WORD_MAX or _CONTROL.search(word) or " " in word:
        raise LearningRefused("bad_word", word[:WORD_MAX])
    if phrase := banned_phrase(word):
        raise LearningRefused("banned", phrase)
    return word


def _words(value: str, field: str) -> tuple[str, ...]:
    words = tuple(dict.fromkeys(re.split(r"[\s,，、;；]+", value.strip()))) if value.strip() else ()
    if not words:
        raise LearningRefused("required", field)
    if len(words) > WORDS_MAX:
        raise LearningRefused("too_many", field)
    return tuple(_word(word, field) for word in words)
