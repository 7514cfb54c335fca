"""Home pages (工作台): a manager's day read live, a branch's and the network's figures read
from the summaries the worker refreshes (`refresh_home_figures`), each within its scope."""

from datetime import datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from crm_core.model import (
    Branch,
    BranchFigures,
    Customer,
    Lead,
    ManagerLink,
    ManagerState,
    NetworkFigures,
    OutOfScope,
    Scope,
    StaffRole,
    local_date,
)
from crm_core.model.figures import COUNTS
from crm_core.queries.figures import SqlFigures
from crm_core.queries.workbench import SqlWorkbench
from crm_core.services.customers import customer_label
from crm_core.unit_of_work import SqlUnitOfWork

DUE_SHOWN, NEWCOMERS_SHOWN = 20, 10
FIGURES_EVERY_MINUTES = 5  # how often the worker refreshes the branch and manager figures
NEWCOMER_DAYS = 7  # a customer is new to their manager for a week


def refresh_home_figures(uow: SqlUnitOfWork, now: datetime, timezone: str) -> None:
    """Recount every branch's and manager's home figures (idempotent: a rerun replaces them)."""
    SqlFigures(uow.session).refresh(now, week_start(now, timezone))


def week_start(now: datetime, timezone: str) -> datetime:
    """Return this local week's Monday 00:00 (in `timezone`) as naive UTC."""
    today = local_date(now, timezone)
    return _utc_midnight(today - timedelta(days=today.weekday()), timezone)


def day_end(now: datetime, timezone: str) -> datetime:
    """Return the next local midnight (in `timezone`) as naive UTC: the end of today."""
    return _utc_midnight(local_date(now, timezone) + timedelta(days=1), timezone)


def manager_home(uow: SqlUnitOfWork, scope: Scope, now: datetime,
                 timezone: str) -> dict[str, Any]:
    """A manager's day: new leads overdue or due today, and customers new to them this week."""
    if scope.role is not StaffRole.MANAGER or scope.manager_id is None:
        raise OutOfScope("a manager's home")
    bench = SqlWorkbench(uow.session, scope.manager_id)
    until, since = day_end(now, timezone), now - timedelta(days=NEWCOMER_DAYS)
    leads = bench.due_leads(until, DUE_SHOWN)
    codes = sorted({lead.product_code for lead in leads if lead.product_code})
    names = uow.products.by_codes(codes) if codes else {}
    return {"leads": [_due(lead, now, names) for lead in leads],
            "counts": bench.counts(now, until, since),
            "newcomers": [_newcomer(c, link) for c, link in
                          bench.new_customers(since, NEWCOMERS_SHOWN)],
            "newcomer_days": NEWCOMER_DAYS}


def branch_home(uow: SqlUnitOfWork, scope: Scope, branch_code: str | None) -> dict[str, Any]:
    """A branch's figures and its managers' load, as last refreshed (branch head, head office);
    without a code, the caller's own branch."""
    branch = uow.branches.by_code(branch_code) if branch_code else (
        uow.branches.get(scope.branch_id) if scope.branch_id else None)
    if branch is None:
        raise LookupError(f"no branch {branch_code!r}")
    if scope.role is StaffRole.MANAGER or (
            scope.role is StaffRole.BRANCH_HEAD and scope.branch_id != branch.id):
        raise OutOfScope(f"branch {branch.code}")
    sql = SqlFigures(uow.session)
    figures = sql.branch(branch.id)
    managers = [_load(manager, row) for manager, row in sql.managers(branch.id)]
    return {"branch": _branch(branch), "figures": _figures(figures) if figures else None,
            "updated_at": figures.updated_at if figures else None,
            "managers": [m for m in managers if m["state"] != ManagerState.LEFT or m["load"]]}


def network_home(uow: SqlUnitOfWork, scope: Scope) -> dict[str, Any]:
    """Every branch's figures side by side, with the network's own (head office).

    The network counts every customer and lead once, those of no branch included: a customer
    homed at one branch and cared for by another's manager counts in both branches.
    """
    if scope.role is not StaffRole.HEAD_OFFICE:
        raise OutOfScope("the network's figures")
    sql = SqlFigures(uow.session)
    network = sql.network()
    return {"branches": [_branch(b) | {"figures": _figures(f) if f else None}
                         for b, f in sql.branches()],
            "totals": _figures(network) if network else None,
            "updated_at": network.updated_at if network else None}


def _utc_midnight(day: Any, timezone: str) -> datetime:
    local = datetime.combine(day, time(), tzinfo=ZoneInfo(timezone))
    return local.astimezone(ZoneInfo("UTC")).replace(tzinfo=None)


def _due(lead: Lead, now: datetime, names: dict[str, Any]) -> dict[str, Any]:
    product = names.get(lead.product_code or "")
    return {"id": lead.id, "customer_id": lead.customer_id, "customer": _label(lead.customer),
            "source": lead.source, "product": product.name if product else lead.product_code,
            "due_at": lead.due_at, "overdue": lead.due_at <= now, "note": lead.note}


def _newcomer(customer: Customer, link: ManagerLink) -> dict[str, Any]:
    return {"id": customer.id, "label": _label(customer), "since": link.started_at,
            "reason": link.reason.value, "follow_state": customer.follow_state.value}


def _label(customer: Customer) -> str:
    return customer.display_name or customer_label(customer.openid)


def _branch(branch: Branch) -> dict[str, Any]:
    return {"id": branch.id, "code": branch.code, "name": branch.name}


def _figures(row: BranchFigures | NetworkFigures) -> dict[str, int]:
    counts = {key: getattr(row, key) for key in COUNTS}
    return counts | {"leads_open": row.leads_new + row.leads_contacted}


def _load(manager: Any, row: Any) -> dict[str, Any]:
    counts = {"customers": row.customers if row else 0, "open_leads": row.open_leads if row else 0,
              "overdue_leads": row.overdue_leads if row else 0}
    return {"code": manager.code, "name": manager.name, "state": manager.state.value,
            "load": sum(counts.values())} | counts
