"""The customers list: search (name, openid, phone's last four or whole number by its keyed
hash), filters and sorts in SQL over indexed columns, scoped to the caller."""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, func, or_, select
from sqlalchemy.orm import Session, aliased

from crm_core.model import Customer, FollowState, Manager, ManagerLink, Scope
from crm_core.queries.paging import ListSpec, Page, PageRequest, page_of, page_statements
from crm_core.queries.scopes import customer_scope, in_branch

CUSTOMERS = ListSpec(sorts=("touched", "followed", "first", "name", "id"),
                     filters=("q", "branch", "manager", "follow", "from", "to"),
                     default_descending=True)
SORTS = {"touched": Customer.last_touch_at, "followed": Customer.followed_at,
         "first": Customer.first_touch_at, "name": Customer.display_name, "id": Customer.id}


@dataclass(frozen=True)
class CustomerFilter:
    """The customers asked for, resolved: a search, branch and manager ids, follow state, and
    when they followed. `phone_hashes` are the keyed hashes of a whole number searched for."""

    query: str = ""
    phone_hashes: tuple[str, ...] = ()
    branch_id: int | None = None
    manager_id: int | None = None
    follow: FollowState | None = None
    followed_from: datetime | None = None
    followed_before: datetime | None = None


def customers_statement(scope: Scope, wanted: CustomerFilter) -> Select[Any]:
    """Return the customers in scope that match, each with their current manager's name."""
    link, manager = aliased(ManagerLink), aliased(Manager)
    return (select(Customer, manager.name)
            .outerjoin(link, and_(link.customer_id == Customer.id, link.ended_at.is_(None)))
            .outerjoin(manager, manager.id == link.manager_id)
            .where(customer_scope(scope), *_conditions(wanted)))


def customers_page(session: Session, scope: Scope, wanted: CustomerFilter,
                   request: PageRequest) -> Page[Any]:
    """Return one page of (customer, current manager's name) rows."""
    return page_of(session, customers_statement(scope, wanted), request,
                   _order(request, wanted), rows=True, cut=(Customer.id, _ids(scope, wanted)))


def customers_page_statements(scope: Scope, wanted: CustomerFilter,
                              request: PageRequest) -> tuple[Select[Any], Select[Any]]:
    """Return the SQL of one page of customers and of the customers to count (for plans)."""
    return page_statements(customers_statement(scope, wanted), request,
                           _order(request, wanted), (Customer.id, _ids(scope, wanted)))


def _order(request: PageRequest, wanted: CustomerFilter) -> list[Any]:
    # NULLs where an ascending index puts them on PostgreSQL, so the index gives the order.
    column: Any = SORTS.get(request.sort, Customer.last_touch_at)
    if wanted.query:
        # A search's few matches are found by their own index and then sorted: ordering by an
        # expression keeps PostgreSQL from walking the sort column's index past every other
        # customer in the hope that matches come early.
        column = func.coalesce(column, column)
    if request.descending:
        return [column.desc().nulls_first(), Customer.id.desc()]
    return [column.asc().nulls_last(), Customer.id]


def _ids(scope: Scope, wanted: CustomerFilter) -> Select[Any]:
    # The page is cut from the customers alone; only its rows are joined to their manager.
    return select(Customer.id).where(customer_scope(scope), *_conditions(wanted))


def _conditions(wanted: CustomerFilter) -> list[ColumnElement[bool]]:
    found = [_matches(wanted.query, wanted.phone_hashes)] if wanted.query else []
    if wanted.branch_id is not None:
        found.append(in_branch(wanted.branch_id))
    if wanted.manager_id is not None:
        found.append(Customer.current_manager_id == wanted.manager_id)
    if wanted.follow is not None:
        found.append(Customer.follow_state == wanted.follow)
    if wanted.followed_from is not None:
        found.append(Customer.followed_at >= wanted.followed_from)
    if wanted.followed_before is not None:
        found.append(Customer.followed_at < wanted.followed_before)
    return found


def _matches(query: str, phone_hashes: tuple[str, ...]) -> ColumnElement[bool]:
    if phone_hashes:
        return Customer.phone_hash.in_(phone_hashes)
    if query.isascii() and query.isdigit() and len(query) == 4:
        return Customer.phone_last4 == query
    # Openids contain `_` (and a name may contain `%`): matched as written, not as wildcards.
    return or_(Customer.display_name.startswith(query, autoescape=True),
               Customer.openid.startswith(query, autoescape=True))
