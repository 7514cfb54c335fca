"""Managers' campaign tasks (外呼/走访): the recipients WeChat cannot reach, on their manager's
list with the campaign's text as the script; the manager records how it went. "Interested"
opens a lead; "do not contact" is recorded as staff's do-not-contact for every campaign."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, func, select

from crm_core.model import Customer, Manager, Scope, StaffRole
from crm_core.model.campaigns import (
    Campaign,
    CampaignRecipient,
    CampaignState,
    RecipientStatus,
)
from crm_core.services.campaigns.contact import do_not_contact
from crm_core.services.campaigns.drafts import CampaignRefused, audit
from crm_core.services.leads import open_lead
from crm_core.services.segments.audience import mask_name, mask_phone
from crm_core.unit_of_work import SqlUnitOfWork

OUTCOMES = ("reached", "interested", "not_interested", "wrong_number", "do_not_contact")
R = CampaignRecipient


@dataclass(frozen=True)
class Task:
    """One call or visit on a manager's list."""

    campaign_id: int
    campaign: str
    customer_id: int
    customer: str | None
    script: str
    due_at: datetime
    outcome: str | None


def manager_tasks(uow: SqlUnitOfWork, scope: Scope) -> list[Task]:
    """Return the campaign tasks of the caller's customers (managers: their own)."""
    rows = uow.session.execute(
        select(Campaign.id, Campaign.name, Customer.id, Customer.display_name, Campaign.content,
               R.due_at, R.outcome)
        .join(R, R.campaign_id == Campaign.id).join(Customer, Customer.id == R.customer_id)
        .where(R.status == RecipientStatus.TASK, _mine(scope))
        .order_by(R.due_at, Customer.id).limit(200))
    return [Task(*row) for row in rows]


@dataclass(frozen=True)
class OpenTask:
    """A call or visit, the customer masked, for the phone console, the API and the CLI."""

    campaign_id: int
    campaign: str
    customer_id: int
    customer: str
    phone: str | None
    manager: str | None
    script: str
    due_at: datetime
    outcome: str | None = None


TASK_STATES = ("open", "done", "all")


@dataclass(frozen=True)
class TaskFilter:
    """Which of the caller's tasks to list: still to make (`open`), recorded (`done`) or all;
    of one campaign; with one outcome (recorded ones only)."""

    state: str = "open"
    campaign_id: int | None = None
    outcome: str | None = None


def open_tasks(uow: SqlUnitOfWork, scope: Scope, limit: int = 100,
               wanted: TaskFilter | None = None) -> list[OpenTask]:
    """Return the caller's tasks (by default those with no outcome yet), earliest due first,
    customers masked."""
    rows = uow.session.execute(
        select(Campaign.id, Campaign.name, Customer.id, Customer.display_name, Customer.openid,
               Customer.phone_last4, Manager.name, Campaign.content, R.due_at, R.outcome)
        .join(R, R.campaign_id == Campaign.id).join(Customer, Customer.id == R.customer_id)
        .outerjoin(Manager, Manager.id == Customer.current_manager_id)
        .where(*_filtered(scope, wanted or TaskFilter()))
        .order_by(R.due_at, Campaign.id, Customer.id).limit(limit))
    return [OpenTask(row[0], row[1], row[2], mask_name(row[3], row[4]), mask_phone(row[5]),
                     row[6], row[7], row[8], row[9]) for row in rows]


def open_task_count(uow: SqlUnitOfWork, scope: Scope, wanted: TaskFilter | None = None) -> int:
    """Count the caller's tasks (by default those with no outcome yet)."""
    return uow.session.scalar(
        select(func.count()).select_from(R).join(Customer, Customer.id == R.customer_id)
        .join(Campaign, Campaign.id == R.campaign_id)
        .where(*_filtered(scope, wanted or TaskFilter()))) or 0


def _filtered(scope: Scope, wanted: TaskFilter) -> tuple[ColumnElement[bool], ...]:
    if wanted.state not in TASK_STATES:
        raise CampaignRefused("task_state")
    if wanted.outcome is not None and wanted.outcome not in OUTCOMES:
        raise CampaignRefused("task_outcome")
    where: list[ColumnElement[bool]] = [R.status == RecipientStatus.TASK, _mine(scope)]
    if wanted.state == "open":
        # A cancelled campaign's calls are no longer to make.
        where += [R.outcome.is_(None), Campaign.state.not_in((CampaignState.CANCELLED,))]
    elif wanted.state == "done":
        where.append(R.outcome.is_not(None))
    if wanted.campaign_id is not None:
        where.append(R.campaign_id == wanted.campaign_id)
    if wanted.outcome is not None:
        where.append(R.outcome == wanted.outcome)
    return tuple(where)


def record_outcome(uow: SqlUnitOfWork, scope: Scope, campaign_id: int, customer_id: int,
                   outcome: str, now: datetime, lead_sla: timedelta) -> None:
    """Record how a call or visit went (only on the caller's own tasks)."""
    if outcome not in OUTCOMES:
        raise CampaignRefused("task_outcome")
    row = uow.session.scalar(select(R).join(Customer, Customer.id == R.customer_id).where(
        R.campaign_id == campaign_id, R.customer_id == customer_id,
        R.status == RecipientStatus.TASK, _mine(scope)))
    if row is None:
        raise CampaignRefused("unknown_task")
    row.outcome = outcome
    customer = uow.session.get_one(Customer, customer_id)
    if outcome == "interested":
        open_lead(uow, customer.openid, f"campaign:{campaign_id}"[:32], now, lead_sla)
    if outcome == "do_not_contact":
        do_not_contact(uow, customer_id, scope.username, f"活动{campaign_id}外呼", now)
    audit(uow, scope.username, now, "campaign_task_outcome",
          uow.session.get_one(Campaign, campaign_id), customer=customer_id, task_outcome=outcome)


def _mine(scope: Scope) -> ColumnElement[bool]:
    if scope.role is StaffRole.HEAD_OFFICE:
        return Customer.id.is_not(None)
    if scope.role is StaffRole.MANAGER:
        return Customer.current_manager_id == scope.manager_id
    return Customer.manager_branch_id == scope.branch_id
