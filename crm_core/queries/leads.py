"""The leads list: scoped, filtered, sorted and paged in SQL over indexed columns."""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Select, select
from sqlalchemy.orm import Session, aliased

from crm_core.model import OPEN_STATUSES, Customer, Lead, LeadStatus, Manager, Product, Scope
from crm_core.queries.paging import ListSpec, Page, PageRequest, page_of, page_statements
from crm_core.queries.scopes import current_manager, lead_scope

LEADS = ListSpec(sorts=("due", "created", "id"),
                 filters=("status", "branch", "manager", "source", "from", "to"))
SORTS = {"due": Lead.due_at, "created": Lead.created_at, "id": Lead.id}
OPEN, EVERY = "open", "all"


@dataclass(frozen=True)
class LeadFilter:
    """The leads asked for, resolved: statuses, branch and manager ids, source, created window."""

    statuses: tuple[LeadStatus, ...] = OPEN_STATUSES
    branch_id: int | None = None
    manager_id: int | None = None
    source: str | None = None
    created_from: datetime | None = None
    created_before: datetime | None = None


def leads_statement(scope: Scope, wanted: LeadFilter) -> Select[Any]:
    """Return the leads in scope that match, each with its customer's name, phone cipher and
    current manager, the product's name and the lead's manager's name."""
    product, manager = aliased(Product), aliased(Manager)
    stmt = (select(Lead, Customer.display_name, Customer.openid, Customer.phone_cipher,
                   Customer.phone_last4,
                   current_manager().label("current_manager"), product.name, manager.name)
            .join(Customer, Customer.id == Lead.customer_id)
            .outerjoin(product, product.code == Lead.product_code)
            .outerjoin(manager, manager.id == Lead.manager_id)
            .where(lead_scope(scope), *_conditions(wanted)))
    return stmt


def leads_page(session: Session, scope: Scope, wanted: LeadFilter,
               request: PageRequest) -> Page[Any]:
    """Return one page of leads (rows as tuples, see `leads_statement`)."""
    return page_of(session, leads_statement(scope, wanted), request, _order(request),
                   rows=True, cut=(Lead.id, _ids(scope, wanted)))


def leads_page_statements(scope: Scope, wanted: LeadFilter,
                          request: PageRequest) -> tuple[Select[Any], Select[Any]]:
    """Return the SQL of one page of leads and of the leads to count (for plans)."""
    return page_statements(leads_statement(scope, wanted), request, _order(request),
                           (Lead.id, _ids(scope, wanted)))


def _order(request: PageRequest) -> list[Any]:
    column = SORTS.get(request.sort, Lead.due_at)
    return [column.desc(), Lead.id.desc()] if request.descending else [column, Lead.id]


def _ids(scope: Scope, wanted: LeadFilter) -> Select[Any]:
    # The page is cut from the leads alone; only its rows are joined to names and products.
    return select(Lead.id).where(lead_scope(scope), *_conditions(wanted))


def _conditions(wanted: LeadFilter) -> list[ColumnElement[bool]]:
    found: list[ColumnElement[bool]] = [Lead.status.in_(wanted.statuses)]
    if wanted.branch_id is not None:
        found.append(Lead.branch_id == wanted.branch_id)
    if wanted.manager_id is not None:
        found.append(Lead.manager_id == wanted.manager_id)
    if wanted.source:
        found.append(Lead.source == wanted.source)
    if wanted.created_from is not None:
        found.append(Lead.created_at >= wanted.created_from)
    if wanted.created_before is not None:
        found.append(Lead.created_at < wanted.created_before)
    return found
