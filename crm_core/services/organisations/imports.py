"""Importing organisations and their contact persons: every row checked, then all applied.

Files are keyed by the bank's own short code of each organisation, so a second import of the
same list updates it. A credit code is checked by its check character; one already held by
another organisation, a branch or manager the bank does not have, or an owner who is not a
corporate manager refuses the row, and then nothing of the file is applied.
"""

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from crm_core.model import (
    ManagerRole,
    Organisation,
    OrgContact,
    OrgKind,
    ProductFamily,
    Refusal,
    normalise_credit_code,
)
from crm_core.services.catalogue_files import ImportRejected, RowError, SourceRow
from crm_core.unit_of_work import SqlUnitOfWork

ORG_FIELDS = frozenset({"org_code", "name", "credit_code", "kind", "market", "industry", "branch",
                        "manager", "key_link", "products"})
CONTACT_FIELDS = frozenset({"organisation", "name", "title", "openid"})
LIMITS = {"name": 100, "market": 100, "industry": 50, "title": 50}
_CODE = re.compile(r"[A-Za-z0-9_-]{2,24}")
_LIST = re.compile(r"[、,，;；/\s]+")
_YES = {"true": True, "yes": True, "1": True, "是": True, "false": False, "no": False,
        "0": False, "否": False, "": False}


@dataclass(frozen=True)
class OrgImportReport:
    """What an import changed, by organisation code (contacts: by organisation and name)."""

    created: list[str]
    updated: list[str]


def import_organisations(uow: SqlUnitOfWork, rows: list[SourceRow], source: str,
                         now: datetime) -> OrgImportReport:
    """Validate every row, then create or update each organisation by its code."""
    values = _checked(rows, lambda fields: organisation_values(uow, fields), ("code",),
                      "org_code")
    _credit_codes_free(uow, rows, values)
    created, updated = [], []
    for item in values:
        organisation = uow.organisations.by_code(item["code"])
        if organisation is None:
            uow.organisations.add(Organisation(**item, created_at=now, updated_at=now))
            created.append(item["code"])
        else:
            for name, value in item.items():
                setattr(organisation, name, value)
            organisation.updated_at = now
            updated.append(item["code"])
    uow.flush()
    return OrgImportReport(created, updated)


def import_contacts(uow: SqlUnitOfWork, rows: list[SourceRow], source: str,
                    now: datetime) -> OrgImportReport:
    """Validate every row, then add or update each contact person (by organisation and name),
    linking those who follow us to their customer record."""
    values = _checked(rows, lambda fields: contact_values(uow, fields),
                      ("organisation_id", "name"), "name")
    created, updated = [], []
    for item in values:
        key = f"{item.pop('organisation_code')}:{item['name']}"
        contact = uow.organisations.contact(item["organisation_id"], item["name"])
        if contact is None:
            uow.organisations.add(OrgContact(**item, created_at=now))
            created.append(key)
        else:
            contact.title, contact.customer_id = item["title"], item["customer_id"]
            updated.append(key)
    uow.flush()
    return OrgImportReport(created, updated)


def _checked(rows: list[SourceRow], check: Any, key: tuple[str, ...],
             column: str) -> list[dict[str, Any]]:
    errors: list[RowError] = []
    values: list[dict[str, Any]] = []
    seen: dict[tuple[Any, ...], int] = {}
    for row in rows:
        try:
            item = check(row.fields)
        except Refusal as error:
            errors.append(RowError.of(row.line, error))
            continue
        ident = tuple(item[k] for k in key)
        if ident in seen:
            errors.append(RowError(row.line, f"{ident} repeats line {seen[ident]}", "repeated",
                                   {"field": column, "value": str(item[key[-1]]),
                                    "first": seen[ident]}))
        seen.setdefault(ident, row.line)
        values.append(item)
    if errors or not rows:
        raise ImportRejected(errors or [RowError(1, "no rows in the file", "empty_file")])
    return values


def _credit_codes_free(uow: SqlUnitOfWork, rows: list[SourceRow],
                       values: list[dict[str, Any]]) -> None:
    errors: list[RowError] = []
    seen: dict[str, str] = {}
    for row, item in zip(rows, values, strict=True):
        credit = item["credit_code"]
        if credit is None:
            continue
        holder = uow.organisations.by_credit_code(credit)
        if credit in seen or (holder is not None and holder.code != item["code"]):
            other = seen.get(credit) or (holder.name if holder else "")
            errors.append(RowError(row.line, f"credit code {credit} is taken", "credit_code_taken",
                                   {"value": credit, "holder": other}))
        seen.setdefault(credit, item["name"])
    if errors:
        raise ImportRejected(errors)


def organisation_values(uow: SqlUnitOfWork, fields: dict[str, str]) -> dict[str, Any]:
    """Check one row of an organisations file and return the organisation's values."""
    check_fields(fields, ORG_FIELDS, ("org_code", "name", "kind", "branch"))
    code = fields["org_code"]
    if not _CODE.fullmatch(code):
        raise Refusal("bad_code", f"code {code!r} is not 2-24 letters, digits, - or _",
                      field="org_code", value=code[:40], limit=24)
    branch = uow.branches.by_code(fields["branch"])
    if branch is None:
        raise Refusal("unknown_sale_branch", f"no branch {fields['branch']!r}",
                      branch=fields["branch"][:24])
    credit = fields.get("credit_code", "")
    return {"code": code.upper(), "name": fields["name"],
            "credit_code": normalise_credit_code(credit) if credit else None,
            "kind": check_choice(fields["kind"], "kind", OrgKind),
            "market": fields.get("market") or None, "industry": fields.get("industry") or None,
            "branch_id": branch.id, "manager_id": _owner(uow, fields.get("manager", "")),
            "key_link": _flag(fields.get("key_link", ""), "key_link"),
            "products": _families(fields.get("products", ""))}


def contact_values(uow: SqlUnitOfWork, fields: dict[str, str]) -> dict[str, Any]:
    """Check one row of a contacts file and return the contact's values."""
    check_fields(fields, CONTACT_FIELDS, ("organisation", "name"))
    organisation = uow.organisations.by_code(fields["organisation"].upper())
    if organisation is None:
        raise Refusal("unknown_organisation", f"no organisation {fields['organisation']!r}",
                      value=fields["organisation"][:24])
    customer_id = None
    if fields.get("openid"):
        customer = uow.customers.by_openid(fields["openid"])
        if customer is None:
            raise Refusal("unknown_customer", "no such customer", value=fields["openid"][:64])
        customer_id = customer.id
    return {"organisation_id": organisation.id, "organisation_code": organisation.code,
            "name": fields["name"], "title": fields.get("title", ""),
            "customer_id": customer_id}


def check_fields(fields: dict[str, str], known: frozenset[str],
                 required: tuple[str, ...]) -> None:
    """Refuse unknown, missing or too long fields of a row."""
    unknown = sorted(set(fields) - known)
    if unknown:
        raise Refusal("unknown_field", f"unknown field {unknown[0]!r}", field=unknown[0][:40])
    missing = [name for name in required if not fields.get(name)]
    if missing:
        raise Refusal("required", f"{missing[0]} is required", field=missing[0])
    for name, limit in LIMITS.items():
        if len(fields.get(name, "")) > limit:
            raise Refusal("too_long", f"{name} is longer than {limit} characters", field=name,
                          limit=limit)


def check_choice(value: str, field: str, kind: Any) -> str:
    """Return `value` if it is one of an enumeration's values (Refusal naming them if not)."""
    if value not in {member.value for member in kind}:
        choices = "、".join(member.value for member in kind)
        raise Refusal("not_a_choice", f"{field} {value!r} is not one of {choices}", field=field,
                      value=value[:40], choices=choices)
    return value


def _families(value: str) -> list[str]:
    named = {check_choice(part, "products", ProductFamily) for part in _LIST.split(value) if part}
    return [family.value for family in ProductFamily if family.value in named]


def _flag(value: str, field: str) -> bool:
    if value.strip().lower() not in _YES:
        raise Refusal("bad_flag", f"{field} {value!r} is not true or false", field=field,
                      value=value[:40])
    return _YES[value.strip().lower()]


def _owner(uow: SqlUnitOfWork, code: str) -> int | None:
    if not code:
        return None
    manager = uow.managers.by_code(code)
    if manager is None:
        raise Refusal("unknown_owner", f"no manager {code!r}", manager=code[:24])
    if manager.role is not ManagerRole.CORPORATE:
        raise Refusal("not_corporate", f"manager {code} is not a corporate manager",
                      manager=code, name=manager.name)
    return manager.id
