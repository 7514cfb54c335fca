"""Head office's FAQ: validated, all-or-nothing imports that keep every version.

Each answer is copy a customer reads as the bank's word, so every field is checked against
the banned phrases like the catalogue's copy (crm_core.model.compliance), and each change
makes a new version, so any answer given can be reconstructed.
"""

import re
import secrets
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from crm_core.model import FaqEntry, FaqTopic, FaqVersion, Refusal
from crm_core.model.compliance import banned_phrase
from crm_core.repositories.answers import FAQ_REVISION
from crm_core.repositories.products import CATALOGUE_REVISION
from crm_core.services.catalogue_files import ImportRejected, RowError, SourceRow
from crm_core.unit_of_work import UnitOfWork

FIELDS = frozenset({"key", "topic", "question", "answer", "keywords", "active"})
REQUIRED = ("key", "topic", "question", "answer", "keywords")
LIMITS = {"question": 200, "answer": 1000, "keywords": 500}
_KEY = re.compile(r"[a-z0-9][a-z0-9_-]{1,63}")
_YES = {"true": True, "yes": True, "1": True, "": True, "false": False, "no": False, "0": False}


@dataclass(frozen=True)
class FaqCard:
    """An FAQ entry as channels use it."""

    key: str
    topic: str
    question: str
    answer: str
    keywords: tuple[str, ...]
    version: int


@dataclass(frozen=True)
class FaqReport:
    """What an FAQ import changed."""

    created: list[str]
    updated: list[str]
    unchanged: int


def import_faq(uow: UnitOfWork, rows: list[SourceRow], source: str, now: datetime) -> FaqReport:
    """Validate every row, then apply them all (new versions only for real changes).

    Raises ImportRejected listing each bad row with its line; then nothing is applied.
    """
    created, updated, unchanged = [], [], 0
    for item in _validate_all(rows):
        entry = uow.answers.by_key(item["key"])
        if entry is None:
            entry = FaqEntry(**item, version=1, updated_at=now)
            uow.answers.add(entry)
            created.append(entry.key)
        elif _changed(entry, item, now):
            updated.append(entry.key)
        else:
            unchanged += 1
            continue
        uow.flush()
        uow.answers.add(FaqVersion(entry_id=entry.id, version=entry.version,
                                   data=entry.snapshot(), source=source[:100], created_at=now))
    if created or updated:
        uow.answers.new_revision(secrets.token_hex(8))
    return FaqReport(created, updated, unchanged)


def _validate_all(rows: list[SourceRow]) -> list[dict[str, Any]]:
    errors: list[RowError] = []
    values: list[dict[str, Any]] = []
    seen: dict[str, int] = {}
    for row in rows:
        try:
            item = faq_values(row.fields)
        except ValueError as error:
            errors.append(RowError.of(row.line, error))
            continue
        if item["key"] in seen:
            errors.append(RowError(row.line, f"key {item['key']} repeats line {seen[item['key']]}",
                                   "repeated", {"field": "key", "value": item["key"],
                                                "first": seen[item["key"]]}))
        seen.setdefault(item["key"], row.line)
        values.append(item)
    if errors or not rows:
        raise ImportRejected(errors or [RowError(1, "no FAQ entries in the file", "empty_file")])
    return values


def faq_values(fields: dict[str, str]) -> dict[str, Any]:
    """Check one row and return the entry's values; ValueError says what is wrong."""
    unknown = sorted(set(fields) - FIELDS)
    if unknown:
        raise Refusal("unknown_field", f"unknown field {unknown[0]!r}", field=unknown[0][:40])
    missing = [name for name in REQUIRED if not fields.get(name)]
    if missing:
        raise Refusal("required", f"{missing[0]} is required", field=missing[0])
    for name, limit in LIMITS.items():
        if len(fields[name]) > limit:
            raise Refusal("too_long", f"{name} is longer than {limit} characters", field=name,
                          limit=limit)
    for name in ("question", "answer", "keywords"):
        phrase = banned_phrase(fields[name])
        if phrase:
            raise Refusal("banned_phrase", f"banned phrase {phrase!r} in {name}", field=name,
                          phrase=phrase)
    return {"key": _key(fields["key"]), "topic": _topic(fields["topic"]),
            "question": fields["question"], "answer": fields["answer"],
            "keywords": " ".join(fields["keywords"].split()),
            "active": _flag(fields.get("active", ""))}


def _key(value: str) -> str:
    if not _KEY.fullmatch(value.lower()):
        raise Refusal("bad_code", f"key {value!r} must be 2-64 letters, digits, - or _",
                      field="key", value=value[:40], limit=64)
    return value.lower()


def _topic(value: str) -> str:
    if value not in {t.value for t in FaqTopic}:
        known = "/".join(t.value for t in FaqTopic)
        raise Refusal("not_a_choice", f"topic {value!r} is not one of {known}",
                      field="topic", value=value[:40], choices=known)
    return value


def _flag(value: str) -> bool:
    if value.lower() not in _YES:
        raise Refusal("bad_flag", f"active {value!r} must be true or false",
                      field="active", value=value[:40])
    return _YES[value.lower()]


def _changed(entry: FaqEntry, item: dict[str, Any], now: datetime) -> bool:
    before = entry.snapshot()
    for name, value in item.items():
        setattr(entry, name, value)
    if entry.snapshot() == before:
        return False
    entry.version += 1
    entry.updated_at = now
    return True


def faq_stamp(uow: UnitOfWork) -> str | None:
    """Return a value that changes whenever the FAQ does (one cheap query)."""
    return uow.answers.stamp()


def matcher_stamp(uow: UnitOfWork) -> tuple[str | None, str | None]:
    """Return the catalogue's and the FAQ's revisions together (one statement per question)."""
    values = uow.shared.values((CATALOGUE_REVISION, FAQ_REVISION))
    return values[CATALOGUE_REVISION], values[FAQ_REVISION]


def faq_entries(uow: UnitOfWork) -> list[FaqCard]:
    """Return the active FAQ entries, for channels that index them."""
    return [FaqCard(e.key, e.topic, e.question, e.answer, tuple(e.keywords.split()), e.version)
            for e in uow.answers.entries() if e.active]


def faq_version(uow: UnitOfWork, key: str, version: int) -> dict[str, Any] | None:
    """Return what an FAQ entry said at one version (to reconstruct a past answer)."""
    entry = uow.answers.by_key(key)
    return uow.answers.version_of(entry, version) if entry else None
