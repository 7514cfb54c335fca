"""Pages of a list: what the caller asked for (page, size, sort, filters) and what came back.

A page's total is counted exactly up to `COUNT_CAP` rows (a bounded index walk); past it the
total is the planner's estimate (PostgreSQL) or the cap itself, and says so. Deep pages are
cut at `MAX_OFFSET`: past it the caller narrows the list with filters instead.
"""

import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, Generic, TypeVar

from sqlalchemy import Select, func, select, text
from sqlalchemy.orm import Session

T = TypeVar("T")
COUNT_CAP = 5_000
MAX_OFFSET = 5_000
SIZES = (20, 50, 100)


@dataclass(frozen=True)
class PageRequest:
    """One page of a list as asked: 1-based page, size, sort key and direction, filters."""

    page: int = 1
    size: int = SIZES[0]
    sort: str = ""
    descending: bool = False
    filters: Mapping[str, str] = field(default_factory=dict)
    sorted: bool = False  # the sort was asked for in the URL (not the list's default)

    @property
    def offset(self) -> int:
        """Return the number of rows before this page."""
        return (self.page - 1) * self.size

    def get(self, name: str) -> str:
        """Return a filter's value, or "" when it is not set."""
        return self.filters.get(name, "")

    def with_filters(self, **values: str) -> "PageRequest":
        """Return this request with some filters set (an empty value clears one)."""
        merged = {k: v for k, v in {**self.filters, **values}.items() if v}
        return replace(self, filters=merged)


@dataclass(frozen=True)
class ListSpec:
    """What a list accepts: its sort keys (the first is the default) and its filter names."""

    sorts: Sequence[str]
    filters: Sequence[str]
    default_descending: bool = False

    def request(self, args: Mapping[str, str]) -> PageRequest:
        """Read a page request from URL arguments; anything unknown or malformed is ignored."""
        sort = args.get("sort", "")
        default = sort not in self.sorts
        order = args.get("order", "")
        descending = self.default_descending if default or order not in ("asc", "desc") \
            else order == "desc"
        filters = {name: args[name].strip()[:64] for name in self.filters
                   if args.get(name, "").strip()}
        size = _size(args.get("size"))
        return PageRequest(_number(args.get("page"), 1, MAX_OFFSET // size + 1), size,
                           self.sorts[0] if default else sort, descending, filters,
                           not default)


@dataclass(frozen=True)
class Page(Generic[T]):
    """One page of rows, the total (exact, or an estimate when `estimated`) and the request."""

    rows: list[T]
    total: int
    request: PageRequest
    estimated: bool = False

    @property
    def first(self) -> int:
        """Return the 1-based number of the first row shown (0 on an empty page)."""
        return self.request.offset + 1 if self.rows else 0

    @property
    def last(self) -> int:
        """Return the 1-based number of the last row shown."""
        return self.request.offset + len(self.rows)

    @property
    def pages(self) -> int:
        """Return how many pages can be reached (deep pages are cut at MAX_OFFSET)."""
        reachable = min(self.total, MAX_OFFSET + self.request.size)
        return max(1, -(-reachable // self.request.size))

    @property
    def has_next(self) -> bool:
        """Return whether a further page can be reached."""
        return self.request.page < self.pages and len(self.rows) == self.request.size

    def map(self, convert: Callable[[T], Any]) -> "Page[Any]":
        """Return the same page with each row converted."""
        return Page([convert(row) for row in self.rows], self.total, self.request,
                    self.estimated)


def page_of(session: Session, stmt: Select[Any], request: PageRequest,
            order: Sequence[Any], *, rows: bool = False,
            cut: tuple[Any, Select[Any]] | None = None) -> Page[Any]:
    """Run one page of `stmt` in `order` (rows as tuples when `rows`, else the first column)
    and count (or estimate) all its rows. With `cut` (an id column and a statement of the
    same rows' ids over fewer tables), the page is cut from that statement and only its rows
    are read through `stmt`'s joins."""
    paged, counted = page_statements(stmt, request, order, cut)
    result = session.execute(paged)
    found = list(result.all() if rows else result.scalars())
    total, estimated = _count(session, counted, request, len(found))
    return Page(found, total, request, estimated)


def page_statements(stmt: Select[Any], request: PageRequest, order: Sequence[Any],
                    cut: tuple[Any, Select[Any]] | None = None) -> tuple[Select[Any], Select[Any]]:
    """Return the SQL of one page (see `page_of`) and of the rows to count."""
    if cut is None:
        paged, counted = stmt.order_by(*order).offset(request.offset).limit(request.size), stmt
    else:
        column, counted = cut
        chosen = counted.order_by(*order).offset(request.offset).limit(request.size)
        paged = stmt.where(column.in_(chosen.scalar_subquery())).order_by(*order)
    return paged, counted


def page_in_memory(rows: Sequence[T], request: PageRequest,
                   keys: Mapping[str, Callable[[T], Any]]) -> Page[T]:
    """Sort and cut a short list already read (staff accounts, codes, products)."""
    key = keys.get(request.sort)
    ordered = sorted(rows, key=key, reverse=request.descending) if key else list(rows)
    return Page(ordered[request.offset:request.offset + request.size], len(rows), request)


def capped_count(stmt: Select[Any]) -> Select[Any]:
    """Return SQL counting the rows of `stmt`, up to COUNT_CAP + 1 of them."""
    return select(func.count()).select_from(_ones(stmt).limit(COUNT_CAP + 1).subquery())


def _ones(stmt: Select[Any]) -> Select[Any]:
    # Keep the FROM of the columns replaced: a statement without a WHERE names its table there.
    return stmt.with_only_columns(text("1"), maintain_column_froms=True).order_by(None)


def _count(session: Session, counted: Select[Any], request: PageRequest,
           shown: int) -> tuple[int, bool]:
    if request.offset == 0 and shown < request.size:
        return shown, False  # everything is on the first page
    total = int(session.scalar(capped_count(counted)) or 0)
    if total <= COUNT_CAP:
        return total, False
    return max(_estimate(session, _ones(counted)) or 0, COUNT_CAP + 1), True


def _estimate(session: Session, stmt: Select[Any]) -> int | None:
    if session.get_bind().dialect.name != "postgresql":
        return None
    compiled = stmt.compile(session.get_bind(), compile_kwargs={"render_postcompile": True})
    plan = session.connection().exec_driver_sql(
        "EXPLAIN (FORMAT JSON) " + str(compiled), compiled.params).scalar()
    found = plan if isinstance(plan, list) else json.loads(plan or "[]")
    return int(found[0]["Plan"]["Plan Rows"]) if found else None


def _number(raw: str | None, default: int, ceiling: int) -> int:
    if raw is None or not raw.isascii() or not raw.isdigit():
        return default
    return max(1, min(int(raw), ceiling))


def _size(raw: str | None) -> int:
    number = _number(raw, SIZES[0], SIZES[-1])
    return number if number in SIZES else SIZES[0]
