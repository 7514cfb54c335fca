"""Who a segment holds, computed by the database: counts, a preview, breakdowns, a snapshot.

Every statement is built from one `Audience`: the rule's predicate ANDed with the segment's
own scope and the scope of whoever asks, and - when the rule uses a profile dimension - the
personalisation opt-out, whose matches are counted apart so staff see how many were left out.
"""

from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Insert,
    Select,
    and_,
    case,
    func,
    insert,
    literal,
    not_,
    or_,
    select,
)
from sqlalchemy.orm import Session, aliased

from crm_core.model import Branch, Customer, Manager
from crm_core.model.classification import DimensionValue
from crm_core.model.segments import SegmentMember
from crm_core.queries.segments.compile import current_month, opted_out

PREVIEW_ROWS = 20
# For the rest of the transaction, on PostgreSQL: room to hash a list of a million customers
# (an OR of conditions probes hashed subqueries), and no JIT, whose compiling costs more than
# it saves on statements of well under a second.
POSTGRESQL_SETTINGS = ("SET LOCAL work_mem = '64MB'", "SET LOCAL jit = off")


@dataclass(frozen=True)
class Audience:
    """The customers a segment matches in a scope; `profiling`: the opt-out applies."""

    matched: ColumnElement[bool]
    profiling: bool

    @property
    def members(self) -> ColumnElement[bool]:
        """Return the members: the matched customers less those who opted out."""
        return and_(self.matched, not_(opted_out())) if self.profiling else self.matched


def count(session: Session, audience: Audience) -> tuple[int, int]:
    """Return (members, matched but left out for the opt-out) in one statement."""
    _tune(session)
    total, excluded = session.execute(count_statement(audience)).one()
    return int(total) - int(excluded), int(excluded)


def left_out(session: Session, audience: Audience) -> int:
    """Return how many customers the rule matches among those who opted out (the database may
    start from the few who did)."""
    if not audience.profiling:
        return 0
    _tune(session)
    return int(session.scalar(select(func.count()).select_from(Customer).where(
        audience.matched, opted_out())) or 0)


def count_statement(audience: Audience) -> Select[tuple[int, int]]:
    """Return the statement counting the matched customers and those who opted out."""
    left_out = (func.coalesce(func.sum(case((opted_out(), 1), else_=0)), 0)
                if audience.profiling else literal(0))
    return select(func.count(), left_out).select_from(Customer).where(audience.matched)


def preview(session: Session, audience: Audience, limit: int = PREVIEW_ROWS) -> list[Any]:
    """Return the first members by id: customer, branch name, manager name."""
    _tune(session)
    branch = aliased(Branch)
    return list(session.execute(
        select(Customer, branch.name, Manager.name)
        .outerjoin(branch, branch.id == func.coalesce(Customer.manager_branch_id,
                                                      Customer.home_branch_id))
        .outerjoin(Manager, Manager.id == Customer.current_manager_id)
        .where(audience.members).order_by(Customer.id).limit(limit)))


def members_page(session: Session, audience: Audience, after_id: int, limit: int) -> list[Any]:
    """Return the next members by id after `after_id`, for an export read in batches."""
    _tune(session)
    branch = aliased(Branch)
    tier = aliased(DimensionValue)
    return list(session.execute(
        select(Customer.id, Customer.display_name, Customer.openid, Customer.phone_last4,
               branch.name, Manager.name, tier.value)
        .outerjoin(branch, branch.id == func.coalesce(Customer.manager_branch_id,
                                                      Customer.home_branch_id))
        .outerjoin(Manager, Manager.id == Customer.current_manager_id)
        .outerjoin(tier, and_(tier.customer_id == Customer.id, tier.dimension == "tier",
                              tier.month == current_month("tier")))
        .where(audience.members, Customer.id > after_id).order_by(Customer.id).limit(limit)))


def breakdown(session: Session, audience: Audience, by: str) -> list[tuple[str | None, int]]:
    """Return the members counted by `branch`, `manager` or `tier` (None: none known)."""
    _tune(session)
    if by == "tier":
        tier = aliased(DimensionValue)
        label: Any = tier.value
        query = select(label, func.count()).select_from(Customer).outerjoin(tier, and_(
            tier.customer_id == Customer.id, tier.dimension == "tier",
            tier.month == current_month("tier")))
    elif by == "manager":
        label = Manager.name
        query = select(label, func.count()).select_from(Customer).outerjoin(
            Manager, Manager.id == Customer.current_manager_id)
    else:
        label = Branch.name
        query = select(label, func.count()).select_from(Customer).outerjoin(
            Branch, Branch.id == func.coalesce(Customer.manager_branch_id,
                                               Customer.home_branch_id))
    rows = session.execute(query.where(audience.members).group_by(label)
                           .order_by(func.count().desc()))
    return [(name, int(number)) for name, number in rows]


def freeze(session: Session, audience: Audience, snapshot_id: int) -> int:
    """Copy the members into a snapshot with one INSERT ... SELECT; return how many."""
    _tune(session)
    # SQLAlchemy keeps an INSERT's row count only when asked to (the cursor is closed).
    result = session.connection().execute(
        freeze_statement(audience, snapshot_id).execution_options(preserve_rowcount=True))
    return int(result.rowcount)


def freeze_statement(audience: Audience, snapshot_id: int) -> Insert:
    """Return the INSERT ... SELECT that copies the members into a snapshot."""
    return insert(SegmentMember).from_select(
        ["snapshot_id", "customer_id"],
        select(literal(snapshot_id), Customer.id).where(audience.members))


def scope_predicate(branch_id: int | None, manager_id: int | None) -> ColumnElement[bool]:
    """Return a segment's own scope: a manager's customers, a branch's, or everyone."""
    if manager_id is not None:
        return Customer.current_manager_id == manager_id
    if branch_id is not None:
        return or_(Customer.home_branch_id == branch_id, Customer.manager_branch_id == branch_id)
    return literal(True)


def _tune(session: Session) -> None:
    connection = session.connection()
    if connection.dialect.name == "postgresql":
        for setting in POSTGRESQL_SETTINGS:
            connection.exec_driver_sql(setting)
