"""The product catalogue: validated, all-or-nothing imports that keep every version."""

import re
import secrets
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from crm_core.model import Category, Product, ProductVersion, Refusal
from crm_core.model.compliance import banned_phrase
from crm_core.model.products import BORROWING, VERSIONED_FIELDS
from crm_core.services.catalogue_files import (
    ImportRejected,
    RowError,
    SourceRow,
    parse_date,
    parse_level,
)
from crm_core.unit_of_work import UnitOfWork

FIELDS = frozenset({"code", "name", "category", "risk", "rate", "term", "min_amount",
                    "sale_start", "sale_end", "branches", "summary", "details", "link",
                    "past_performance", "keywords", "private"})
REQUIRED = ("code", "name", "category", "risk", "summary")
LIMITS = {"name": 100, "rate": 100, "term": 50, "summary": 200, "past_performance": 200,
          "keywords": 200, "link": 500}
COPY_FIELDS = ("name", "summary", "details", "rate", "term", "past_performance", "keywords")
ALL_BRANCHES = ("", "*", "all")
_CODE = re.compile(r"[A-Za-z0-9_-]{2,32}")
_YES = {"true": True, "yes": True, "1": True, "false": False, "no": False, "0": False, "": False}


@dataclass(frozen=True)
class ImportReport:
    """What an import changed."""

    created: list[str]
    updated: list[str]
    unchanged: int


def import_products(uow: UnitOfWork, rows: list[SourceRow], source: str,
                    now: datetime) -> ImportReport:
    """Validate every row, then apply them all (new versions only for real changes).

    Raises ImportRejected listing each bad row with its line; then nothing is applied.
    """
    values = _validate_all(uow, rows)
    created, updated, unchanged = [], [], 0
    for item in values:
        product = uow.products.by_code(item["code"])
        if product is None:
            created.append(_create(uow, item, source, now))
        elif _update(uow, product, item, source, now):
            updated.append(product.code)
        else:
            unchanged += 1
    if created or updated:
        uow.products.new_revision(secrets.token_hex(8))
    return ImportReport(created, updated, unchanged)


def _validate_all(uow: UnitOfWork, rows: list[SourceRow]) -> list[dict[str, Any]]:
    errors: list[RowError] = []
    values: list[dict[str, Any]] = []
    seen: dict[str, int] = {}
    branches: dict[str, bool] = {}
    for row in rows:
        try:
            item = product_values(row.fields, lambda code: _known(uow, branches, code))
        except ValueError as error:
            errors.append(RowError.of(row.line, error))
            continue
        if item["code"] in seen:
            errors.append(RowError(row.line, f"code {item['code']} repeats line "
                                             f"{seen[item['code']]}", "repeated",
                                   {"field": "code", "value": item["code"],
                                    "first": seen[item["code"]]}))
        seen.setdefault(item["code"], row.line)
        values.append(item)
    if errors or not rows:
        raise ImportRejected(errors or [RowError(1, "no products in the file", "empty_file")])
    return values


def _known(uow: UnitOfWork, cache: dict[str, bool], code: str) -> bool:
    if code not in cache:
        cache[code] = uow.branches.by_code(code) is not None
    return cache[code]


def product_values(fields: dict[str, str], branch_exists: Any) -> dict[str, Any]:
    """Check one row and return the product's values; ValueError says what is wrong."""
    unknown = sorted(set(fields) - FIELDS)
    if unknown:
        raise Refusal("unknown_field", f"unknown field {unknown[0]!r}", field=unknown[0][:40])
    missing = [name for name in REQUIRED if not fields.get(name)]
    if missing:
        raise Refusal("required", f"{missing[0]} is required", field=missing[0])
    _check_text(fields)
    return {"code": _code(fields["code"]), "name": fields["name"],
            "category": _category(fields["category"]),
            "risk_level": parse_level(fields["risk"], "R", "risk"),
            "rate": _rate(fields), "term": fields.get("term", ""),
            "min_amount": _amount(fields.get("min_amount", "")),
            **_window(fields), "branches": _branches(fields.get("branches", ""), branch_exists),
            "summary": fields["summary"], "details": fields.get("details", ""),
            "link": _link(fields.get("link", "")),
            "past_performance": fields.get("past_performance") or None,
            "keywords": fields.get("keywords") or None,
            "private_placement": _flag(fields.get("private", ""))}


def _check_text(fields: dict[str, str]) -> None:
    for name, limit in LIMITS.items():
        if len(fields.get(name, "")) > limit:
            raise Refusal("too_long", f"{name} is longer than {limit} characters", field=name,
                          limit=limit)
    for name in COPY_FIELDS:
        phrase = banned_phrase(fields.get(name))
        if phrase:
            raise Refusal("banned_phrase", f"banned phrase {phrase!r} in {name}", field=name,
                          phrase=phrase)


def _code(value: str) -> str:
    if not _CODE.fullmatch(value):
        raise Refusal("bad_code", f"code {value!r} must be 2-32 letters, digits, - or _",
                      field="code", value=value[:40], limit=32)
    return value.upper()


def _category(value: str) -> str:
    if value not in {c.value for c in Category}:
        known = "/".join(c.value for c in Category)
        raise Refusal("not_a_choice", f"category {value!r} is not one of {known}",
                      field="category", value=value[:40], choices=known)
    return value


def _rate(fields: dict[str, str]) -> str:
    rate = fields.get("rate", "")
    if fields["category"] in BORROWING and not rate:
        raise Refusal("rate_required",
                      "rate is required for loans and cards (shown as the annual rate)")
    return rate


def _amount(value: str) -> int | None:
    if not value:
        return None
    if not value.isdigit():
        raise Refusal("bad_amount", f"min_amount {value!r} must be a whole number of yuan",
                      field="min_amount", value=value[:40])
    return int(value)


def _window(fields: dict[str, str]) -> dict[str, date | None]:
    start = parse_date(fields.get("sale_start", ""), "sale_start")
    end = parse_date(fields.get("sale_end", ""), "sale_end")
    if start and end and end < start:
        raise Refusal("sale_window", "sale_end is before sale_start")
    return {"sale_start": start, "sale_end": end}


def _branches(value: str, branch_exists: Any) -> list[str] | None:
    if value.strip().lower() in ALL_BRANCHES:
        return None
    codes = sorted({code for code in re.split(r"[,;\s]+", value) if code})
    unknown = [code for code in codes if not branch_exists(code)]
    if unknown:
        raise Refusal("unknown_sale_branch", f"unknown branch {unknown[0]!r}",
                      branch=unknown[0][:40])
    return codes


def _link(value: str) -> str | None:
    if value and not re.fullmatch(r"https?://\S+", value):
        raise Refusal("bad_link", f"link {value!r} must be an http(s) URL", field="link",
                      value=value[:60])
    return value or None


def _flag(value: str) -> bool:
    if value.lower() not in _YES:
        raise Refusal("bad_flag", f"private {value!r} must be true or false",
                      field="private", value=value[:40])
    return _YES[value.lower()]


def _create(uow: UnitOfWork, item: dict[str, Any], source: str, now: datetime) -> str:
    product = Product(**item, version=1, updated_at=now)
    uow.products.add(product)
    uow.flush()
    _keep_version(uow, product, source, now)
    return product.code


def _update(uow: UnitOfWork, product: Product, item: dict[str, Any], source: str,
            now: datetime) -> bool:
    before = product.snapshot()
    for name in VERSIONED_FIELDS:
        setattr(product, name, item[name])
    if product.snapshot() == before:
        return False
    product.version += 1
    product.updated_at = now
    _keep_version(uow, product, source, now)
    return True


def _keep_version(uow: UnitOfWork, product: Product, source: str, now: datetime) -> None:
    uow.products.add(ProductVersion(product_id=product.id, version=product.version,
                                    data=product.snapshot(), source=source[:100],
                                    created_at=now))


def product_version(uow: UnitOfWork, code: str, version: int) -> dict[str, Any] | None:
    """Return what a product said at one version (to reconstruct a past answer)."""
    product = uow.products.by_code(code)
    if product is None:
        return None
    return uow.products.version_of(product, version)


def catalogue_listing(uow: UnitOfWork) -> list[dict[str, Any]]:
    """Return the current catalogue for staff, by category and code."""
    return [{"code": p.code, "name": p.name, "category": p.category,
             "risk": f"R{p.risk_level}", "rate": p.rate, "term": p.term,
             "sale_end": p.sale_end.isoformat() if p.sale_end else None,
             "private": p.private_placement, "version": p.version}
            for p in sorted(uow.products.current(), key=lambda p: (p.category, p.code))]
