"""What the fakes share in place of a session: every row in memory, and a flush that does what
the database would (ids, column defaults, foreign keys, related rows, unique keys)."""

import re
from collections.abc import Callable, Iterator
from itertools import pairwise
from typing import Any, TypeVar

from sqlalchemy import Column, ColumnDefault, Table, UniqueConstraint, inspect
from sqlalchemy.orm import Mapper, RelationshipDirection, RelationshipProperty

from crm_core.repositories import DuplicateError

T = TypeVar("T")
Check = Callable[[Any], bool]
# The WHERE clauses of partial unique indexes this fake understands (the model has two).
_IS_NULL = re.compile(r"(\w+) IS NULL")
_EQUALS = re.compile(r"(\w+) = '([^']*)'")


class FakeStore:
    """Rows of every table in insertion order; queries see them after an (auto)flush.

    A rollback forgets the rows added since the last commit, but not changes made to older
    rows: the fakes keep no old values.
    """

    def __init__(self) -> None:
        self.objects: list[Any] = []
        self.flushed = self.committed = 0

    def add(self, item: object) -> None:
        """Add a row and, as the session's save-update cascade does, the rows it refers to."""
        if not any(item is known for known in self.objects):
            self.objects.append(item)
            for related in _related(item):
                self.add(related)

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
        self.committed = len(self.objects)

    def rollback(self) -> None:
        """Forget the rows added since the last commit."""
        del self.objects[self.committed:]
        self.flushed = min(self.flushed, self.committed)

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
              _partial(index.dialect_options["sqlite"]["where"]))
             for index in table.indexes if index.unique]
    return keys


def _always(_row: Any) -> bool:
    return True


def _partial(where: object) -> Check:
    if where is None:
        return _always
    text = str(where)
    if found := _IS_NULL.fullmatch(text):
        column = found.group(1)
        return lambda row: getattr(row, column) is None
    if found := _EQUALS.fullmatch(text):
        column, value = found.groups()
        return lambda row: str(getattr(row, column)) == value
    raise NotImplementedError(f"a partial unique index the fakes cannot check: {text}")
