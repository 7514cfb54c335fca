"""What the fakes share in place of a session: every row in memory, and a flush that does what
the database would (ids, column defaults, foreign keys, related rows, unique keys)."""

import re
from collections.abc import Callable, Iterator, Sequence
from itertools import pairwise
from typing import Any, TypeVar

from sqlalchemy import Column, ColumnDefault, Table, UniqueConstraint, inspect
from sqlalchemy.orm import Mapper, RelationshipDirection, RelationshipProperty

from crm_core.repositories import DuplicateError

T = TypeVar("T")
Check = Callable[[Any], bool]
# The conditions of partial unique indexes this fake understands, joined by AND: a column IS
# [NOT] NULL, equal to a literal, or IN a list of literals.
_AND = re.compile(r"\s+AND\s+", re.IGNORECASE)
_IS_NULL = re.compile(r"(\w+) IS (NOT )?NULL", re.IGNORECASE)
_EQUALS = re.compile(r"(\w+) = ('[^']*')")
_IN = re.compile(r"(\w+) IN \(('[^']*'(?:\s*,\s*'[^']*')*)\)", re.IGNORECASE)
_LITERAL = re.compile(r"'([^']*)'")


class FakeStore:
    """Rows of every table in insertion order; queries see them after an (auto)flush.

    A rollback brings back the rows as they were at the last commit (rows added since are
    forgotten, rows deleted since return), but not changes made to their columns: the fakes
    keep no old values.
    """

    def __init__(self) -> None:
        self.objects: list[Any] = []
        self.committed: list[Any] = []
        self.flushed = 0

    def add(self, item: object) -> None:
        """Add a row and, as the session's save-update cascade does, the rows it refers to."""
        if not any(item is known for known in self.objects):
            self.objects.append(item)
            for related in _related(item):
                self.add(related)

    def insert_unless_taken(self, item: object) -> bool:
        """Insert one row now unless a unique key of it is taken (INSERT ... ON CONFLICT DO
        NOTHING): returns whether it was inserted."""
        self.flush()
        self.objects.append(item)
        try:
            self.flush()
        except DuplicateError:
            self.objects.remove(item)
            self.flushed = len(self.objects)
            return False
        return True

    def delete(self, item: object) -> None:
        """Delete a row (at once: the fakes' queries never see it again)."""
        self.flush()
        self.objects = [row for row in self.objects if row is not item]
        self.flushed = len(self.objects)

    def rows(self, kind: type[T]) -> list[T]:
        """Return every row of one mapped class, after an autoflush as a query would."""
        self.flush()
        return [item for item in self.objects if type(item) is kind]

    def get(self, kind: type[T], key: object) -> T | None:
        """Return the row of a mapped class with this primary key."""
        return next((item for item in self.rows(kind) if _key(item) == key), None)

    def flush(self) -> None:
        """Insert new rows, synchronise foreign keys with relationships, check unique keys."""
        for item in self.objects[self.flushed:]:
            self._insert(item)
        self.flushed = len(self.objects)
        for item in self.objects:
            self._synchronise(item)
        for kind in {type(item) for item in self.objects}:
            self._check_unique(kind)

    def commit(self) -> None:
        """Flush, then keep every row through later rollbacks."""
        self.flush()
        self.committed = list(self.objects)

    def rollback(self) -> None:
        """Return to the rows of the last commit."""
        self.objects = list(self.committed)
        self.flushed = len(self.objects)

    def _insert(self, item: Any) -> None:
        mapper = inspect(type(item))
        for column in mapper.local_table.columns:
            name, default = _name(mapper, column), column.default
            if (name not in item.__dict__ and isinstance(default, ColumnDefault)
                    and not default.is_clause_element):
                setattr(item, name, default.arg(None) if default.is_callable else default.arg)
        serial = mapper.local_table.autoincrement_column
        name = _name(mapper, serial) if serial is not None else ""
        if name and getattr(item, name) is None:
            used = [getattr(row, name) or 0 for row in self.objects if type(row) is type(item)]
            setattr(item, name, max(used, default=0) + 1)

    def _synchronise(self, item: Any) -> None:
        # A relationship that was set decides the foreign key (None clears it); one never set
        # is loaded from the foreign key, as a lazy load would.
        for relation in _many_to_one(type(item)):
            [(local, remote)] = relation.local_remote_pairs or []
            target_mapper: Mapper[Any] = relation.mapper
            name = _name(inspect(type(item)), local)
            if relation.key in item.__dict__:
                target = item.__dict__[relation.key]
                setattr(item, name, None if target is None
                        else getattr(target, _name(target_mapper, remote)))
            elif getattr(item, name) is not None:
                found = next((row for row in self.objects if type(row) is target_mapper.class_
                              and _key(row) == getattr(item, name)), None)
                if found is not None:
                    setattr(item, relation.key, found)

    def _check_unique(self, kind: type) -> None:
        rows = [item for item in self.objects if type(item) is kind]
        for names, applies in _unique_keys(inspect(kind)):
            values = sorted(tuple(str(getattr(row, n)) for n in names) for row in rows
                            if applies(row) and all(getattr(row, n) is not None for n in names))
            for one, other in pairwise(values):
                if one == other:
                    raise DuplicateError(f"{kind.__name__} {dict(zip(names, one, strict=True))}")


def _related(item: Any) -> Iterator[Any]:
    for relation in inspect(type(item)).relationships:
        value = item.__dict__.get(relation.key)
        if isinstance(value, list):
            yield from value
        elif value is not None:
            yield value


def _many_to_one(kind: type) -> list[RelationshipProperty[Any]]:
    mapper: Mapper[Any] = inspect(kind)
    return [relation for relation in mapper.relationships
            if relation.direction is RelationshipDirection.MANYTOONE]


def _key(item: Any) -> object:
    mapper = inspect(type(item))
    values = tuple(getattr(item, _name(mapper, column)) for column in mapper.primary_key)
    return values[0] if len(values) == 1 else values


def _name(mapper: Mapper[Any], column: Any) -> str:
    return mapper.get_property_by_column(column).key


def _unique_keys(mapper: Mapper[Any]) -> list[tuple[tuple[str, ...], Check]]:
    """The primary key, unique constraints and unique (possibly partial) indexes of a table."""
    table: Table = mapper.local_table  # type: ignore[assignment]
    keys: list[tuple[tuple[str, ...], Check]] = [
        (tuple(_name(mapper, c) for c in mapper.primary_key), _always)]
    keys += [(tuple(_name(mapper, c) for c in constraint.columns), _always)
             for constraint in table.constraints if isinstance(constraint, UniqueConstraint)]
    keys += [(tuple(_name(mapper, c) for c in index.columns if isinstance(c, Column)),
              _partial(mapper, index.dialect_options["sqlite"]["where"]))
             for index in table.indexes if index.unique]
    return keys


def _always(_row: Any) -> bool:
    return True


def _partial(mapper: Mapper[Any], where: object) -> Check:
    """The rows a partial index covers: those meeting every condition of its WHERE clause."""
    if where is None:
        return _always
    checks = [_condition(mapper, term) for term in _AND.split(str(where).strip())]
    return lambda row: all(check(row) for check in checks)


def _condition(mapper: Mapper[Any], term: str) -> Check:
    if found := _IS_NULL.fullmatch(term):
        name, negated = _attribute(mapper, found.group(1)), found.group(2) is not None
        return lambda row: (getattr(row, name) is None) is not negated
    if found := _EQUALS.fullmatch(term) or _IN.fullmatch(term):
        return _one_of(_attribute(mapper, found.group(1)), _LITERAL.findall(found.group(2)))
    raise NotImplementedError(f"a partial unique index condition the fakes cannot check: {term}")


def _one_of(name: str, values: Sequence[str]) -> Check:
    # Enum columns hold StrEnum members, stored as their values: compare as text.
    return lambda row: getattr(row, name) is not None and str(getattr(row, name)) in values


def _attribute(mapper: Mapper[Any], column: str) -> str:
    return _name(mapper, mapper.local_table.columns[column])
