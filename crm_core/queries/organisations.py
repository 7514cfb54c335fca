"""The organisations list and the scope of organisations, as SQL."""

from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Select, false, func, select, true

from crm_core.model import Manager, Organisation, OrgContact, Scope, StaffRole
from crm_core.queries.paging import ListSpec, Page, PageRequest, page_of

ORGANISATIONS = ListSpec(sorts=("name", "code", "kind", "market"),
                         filters=("q", "kind", "market", "key"))
SORTS = {"name": Organisation.name, "code": Organisation.code, "kind": Organisation.kind,
         "market": Organisation.market}


def organisation_scope(scope: Scope) -> ColumnElement[bool]:
    """Return the organisations the scope sees: a manager those they own, a branch head the
    branch's, head office every one."""
    if scope.role is StaffRole.HEAD_OFFICE:
        return true()
    if scope.role is StaffRole.MANAGER:
        return false() if scope.manager_id is None else \
            Organisation.manager_id == scope.manager_id
    return false() if scope.branch_id is None else Organisation.branch_id == scope.branch_id


@dataclass(frozen=True)
class OrganisationFilter:
    """The organisations asked for: a name or code prefix, kind, market, key links only."""

    text: str = ""
    kind: str = ""
    market: str = ""
    key_links: bool = False


def organisations_statement(scope: Scope, wanted: OrganisationFilter) -> Select[Any]:
    """Return the organisations in scope that match, each with its manager's name and its
    number of contact persons."""
    contacts = (select(func.count(OrgContact.id))
                .where(OrgContact.organisation_id == Organisation.id)
                .correlate(Organisation).scalar_subquery())
    stmt = (select(Organisation, Manager.name, contacts.label("contacts"))
            .outerjoin(Manager, Manager.id == Organisation.manager_id)
            .where(organisation_scope(scope)))
    if wanted.text:
        prefix = wanted.text.replace("%", "").replace("_", "") + "%"
        stmt = stmt.where(Organisation.name.like(prefix) | Organisation.code.like(prefix))
    if wanted.kind:
        stmt = stmt.where(Organisation.kind == wanted.kind)
    if wanted.market:
        stmt = stmt.where(Organisation.market == wanted.market)
    if wanted.key_links:
        stmt = stmt.where(Organisation.key_link.is_(True))
    return stmt


def organisations_page(session: Any, scope: Scope, wanted: OrganisationFilter,
                       request: PageRequest) -> Page[Any]:
    """Return one page of organisations (rows: organisation, manager's name, contacts)."""
    column = SORTS.get(request.sort, Organisation.name)
    order = [column.desc() if request.descending else column, Organisation.id]
    return page_of(session, organisations_statement(scope, wanted), request, order, rows=True)


def markets(session: Any, scope: Scope) -> list[str]:
    """Return the markets of the organisations in scope, by name."""
    stmt = (select(Organisation.market).where(organisation_scope(scope),
                                              Organisation.market.is_not(None))
            .distinct().order_by(Organisation.market))
    return [m for m in session.scalars(stmt) if m]
