"""Sending a campaign: mass batches with a clientmsgid each, messages in the window, tasks.

Exactly once: a batch is claimed (its rows marked with it, its clientmsgid fixed) and committed
before the call; a batch found claimed but unconfirmed after a restart is sent again with the
same clientmsgid, which the platform answers with the first job's msg_id instead of sending.
A customer-service message is claimed the same way; one left claimed by a crash is recorded as
failed rather than risked twice. Nothing goes out in the quiet hours, and the opt-outs and
do-not-contacts recorded since planning are applied again before each claim.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, and_, func, select, update

from crm_core.model import Customer
from crm_core.model.campaigns import (
    Campaign,
    CampaignBatch,
    CampaignRecipient,
    CampaignState,
    ContactBlock,
    RecipientStatus,
)
from crm_core.repositories.campaigns import window_sends
from crm_core.services.campaigns.drafts import audit, sql_unit
from crm_core.services.conversations.replies import Window
from crm_core.unit_of_work import SqlUnitOfWork, UnitOfWork

R = CampaignRecipient
WINDOW_SENDS = Window().sends  # customer-service messages the platform allows in a window


@dataclass(frozen=True)
class Limits:
    """The platform's limits on mass sends: openids per call, calls per day and per minute."""

    batch_size: int = 10_000
    calls_per_day: int = 100
    calls_per_minute: int = 60


@dataclass(frozen=True)
class MassBatch:
    """One mass-send call to make: its clientmsgid, the openids and the text."""

    id: int
    client_msg_id: str
    openids: list[str]
    content: str


def sending_campaigns(uow: SqlUnitOfWork) -> list[int]:
    """Return the ids of the campaigns being sent, oldest first."""
    return list(uow.session.scalars(select(Campaign.id).where(
        Campaign.state == CampaignState.SENDING).order_by(Campaign.id)))


def start_scheduled(uow: SqlUnitOfWork, now: datetime) -> list[int]:
    """Start the approved campaigns whose schedule time has come; return their ids."""
    due = list(uow.session.scalars(select(Campaign).where(
        Campaign.state.in_((CampaignState.APPROVED, CampaignState.SCHEDULED)),
        Campaign.scheduled_at.is_not(None), Campaign.scheduled_at <= now)
        .order_by(Campaign.id)))
    for campaign in due:
        campaign.state, campaign.updated_at = CampaignState.SENDING, now
        audit(uow, "worker", now, "campaign_started", campaign,
              scheduled_at=f"{campaign.scheduled_at:%Y-%m-%d %H:%M}")
    return [campaign.id for campaign in due]


def recheck(uow: SqlUnitOfWork, campaign_id: int) -> None:
    """Suppress planned recipients who opted out or were marked do-not-contact since planning."""
    for kind, reason in (("opt_out", "opt_out"), ("dnc", "do_not_contact")):
        blocked = select(ContactBlock.customer_id).where(ContactBlock.kind == kind)
        uow.session.execute(update(R).where(
            R.campaign_id == campaign_id, R.status == RecipientStatus.PLANNED,
            R.customer_id.in_(blocked)).values(status=RecipientStatus.SUPPRESSED, reason=reason)
            .execution_options(synchronize_session=False))


def unconfirmed_batches(uow: SqlUnitOfWork, campaign_id: int) -> list[MassBatch]:
    """Return the batches claimed but not confirmed (a crash, a timeout): to send again."""
    batches = uow.session.scalars(select(CampaignBatch).where(
        CampaignBatch.campaign_id == campaign_id, CampaignBatch.status == "claimed")
        .order_by(CampaignBatch.id))
    content = uow.session.get_one(Campaign, campaign_id).content
    return [_mass_batch(uow, batch, content) for batch in batches]


def claim_mass_batch(uow: SqlUnitOfWork, campaign_id: int, now: datetime,
                     limits: Limits) -> MassBatch | None:
    """Claim the next due mass batch (2 to `batch_size` openids) within the call limits."""
    campaign = _locked(uow, campaign_id)
    if campaign.state is not CampaignState.SENDING or not _calls_left(uow, now, limits):
        return None
    due = and_(R.campaign_id == campaign_id, R.channel == "mass",
               R.status == RecipientStatus.PLANNED, R.due_at <= now)
    left = uow.session.scalar(select(func.count()).where(due)) or 0
    size = _size(left, limits.batch_size)
    if size < 2:
        _single(uow, due, left)
        return None
    last = uow.session.scalar(select(R.customer_id).where(due).order_by(R.customer_id)
                              .offset(size - 1).limit(1))
    batch = _new_batch(uow, campaign_id, size, now)
    # The lowest `size` planned ids are exactly those up to the last: one ranged UPDATE.
    uow.session.execute(update(R).where(due, R.customer_id <= last).values(
        status=RecipientStatus.BATCHED, batch_id=batch.id)
        .execution_options(synchronize_session=False))
    return _mass_batch(uow, batch, campaign.content)


def batch_sent(uow: SqlUnitOfWork, batch_id: int, msg_id: int) -> None:
    """Record that the platform accepted a batch (its rows are sent)."""
    batch = uow.session.get_one(CampaignBatch, batch_id)
    batch.status, batch.msg_id = "submitted", msg_id
    _rows_of(uow, batch, RecipientStatus.SENT)


def batch_failed(uow: SqlUnitOfWork, batch_id: int, code: int | None) -> None:
    """Record that the platform refused a batch for good (its rows failed, with the code)."""
    batch = uow.session.get_one(CampaignBatch, batch_id)
    batch.status = "failed"
    _rows_of(uow, batch, RecipientStatus.FAILED, f"platform_{code}")


def mass_job_finished(uow: UnitOfWork, msg_id: int, sent: int, failed: int) -> bool:
    """Record the platform's final counts of a mass job (MASSSENDJOBFINISH); False if unknown."""
    batch = sql_unit(uow).session.scalar(select(CampaignBatch).where(
        CampaignBatch.msg_id == msg_id))
    if batch is None:
        return False
    batch.status, batch.sent, batch.failed = "finished", sent, failed
    return True


def claim_custom(uow: SqlUnitOfWork, campaign_id: int, now: datetime,
                 window: timedelta, sends: int = WINDOW_SENDS) -> tuple[int, str, str] | None:
    """Claim the next customer-service message: (customer id, openid, text), or None.

    One whose 48-hour window closed since planning is suppressed with the reason instead, and
    so is one the window's count (`sends` messages, across every campaign and staff's replies)
    would exceed: the platform would refuse it (45047).
    """
    campaign = _locked(uow, campaign_id)
    found = uow.session.execute(
        select(R.customer_id, Customer.openid, Customer.last_touch_at)
        .join(Customer, Customer.id == R.customer_id)
        .where(R.campaign_id == campaign_id, R.channel == "custom",
               R.status == RecipientStatus.PLANNED, R.due_at <= now)
        .order_by(R.customer_id).limit(1)).first()
    if found is None or campaign.state is not CampaignState.SENDING:
        return None
    customer_id, openid, touched = found
    reason = "window_closed" if touched < now - window else \
        "window_count" if window_sends(uow.session, customer_id, touched) >= sends else None
    _custom_row(uow, campaign_id, customer_id, RecipientStatus.SUPPRESSED if reason
                else RecipientStatus.BATCHED, reason, None if reason else now)
    return (customer_id, openid, campaign.content) if reason is None else \
        claim_custom(uow, campaign_id, now, window, sends)


def custom_done(uow: SqlUnitOfWork, campaign_id: int, customer_id: int,
                error: str | None) -> None:
    """Record a customer-service message sent, or failed with the platform's reason."""
    _custom_row(uow, campaign_id, customer_id,
                RecipientStatus.FAILED if error else RecipientStatus.SENT, error)


def finish_if_done(uow: SqlUnitOfWork, campaign_id: int, now: datetime) -> bool:
    """Turn planned tasks into managers' tasks; close the campaign once nothing is left."""
    uow.session.execute(update(R).where(
        R.campaign_id == campaign_id, R.channel == "task", R.status == RecipientStatus.PLANNED,
        R.due_at <= now).values(status=RecipientStatus.TASK)
        .execution_options(synchronize_session=False))
    open_rows = uow.session.scalar(select(func.count()).where(
        R.campaign_id == campaign_id,
        R.status.in_((RecipientStatus.PLANNED, RecipientStatus.BATCHED))))
    campaign = uow.session.get_one(Campaign, campaign_id)
    if open_rows or campaign.state is not CampaignState.SENDING:
        return False
    campaign.state, campaign.updated_at = CampaignState.DONE, now
    audit(uow, "worker", now, "campaign_done", campaign)
    return True


def abandon_claimed_customs(uow: SqlUnitOfWork, campaign_id: int) -> None:
    """Record as failed the messages a crashed worker had claimed (never risk sending twice)."""
    uow.session.execute(update(R).where(
        R.campaign_id == campaign_id, R.channel == "custom", R.status == RecipientStatus.BATCHED)
        .values(status=RecipientStatus.FAILED, reason="interrupted")
        .execution_options(synchronize_session=False))


def _size(left: int, batch_size: int) -> int:
    size = min(left, batch_size)
    return size - 1 if left - size == 1 else size  # never leave a lone openid behind


def _single(uow: SqlUnitOfWork, due: ColumnElement[bool], left: int) -> None:
    if left == 1:  # the platform takes 2 openids at least: say so rather than wait forever
        uow.session.execute(update(R).where(due).values(
            status=RecipientStatus.SUPPRESSED, reason="mass_single")
            .execution_options(synchronize_session=False))


def _calls_left(uow: SqlUnitOfWork, now: datetime, limits: Limits) -> bool:
    def calls(since: datetime) -> int:
        return uow.session.scalar(select(func.count()).where(
            CampaignBatch.created_at > since)) or 0
    return calls(now - timedelta(days=1)) < limits.calls_per_day and \
        calls(now - timedelta(minutes=1)) < limits.calls_per_minute


def _new_batch(uow: SqlUnitOfWork, campaign_id: int, size: int, now: datetime) -> CampaignBatch:
    number = uow.session.scalar(select(func.count()).where(
        CampaignBatch.campaign_id == campaign_id)) or 0
    batch = CampaignBatch(campaign_id=campaign_id, client_msg_id=f"c{campaign_id}-b{number + 1}",
                          size=size, status="claimed", sent=0, failed=0, created_at=now)
    uow.session.add(batch)
    uow.flush()
    return batch


def _mass_batch(uow: SqlUnitOfWork, batch: CampaignBatch, content: str) -> MassBatch:
    openids = list(uow.session.scalars(
        select(Customer.openid).join(R, R.customer_id == Customer.id)
        .where(R.campaign_id == batch.campaign_id, R.status == RecipientStatus.BATCHED,
               R.channel == "mass", R.batch_id == batch.id)
        .order_by(R.customer_id)))
    return MassBatch(batch.id, batch.client_msg_id, openids, content)


def _rows_of(uow: SqlUnitOfWork, batch: CampaignBatch, status: RecipientStatus,
             reason: str | None = None) -> None:
    uow.session.execute(update(R).where(
        R.campaign_id == batch.campaign_id, R.status == RecipientStatus.BATCHED,
        R.channel == "mass", R.batch_id == batch.id).values(
        status=status, reason=reason).execution_options(synchronize_session=False))


def _custom_row(uow: SqlUnitOfWork, campaign_id: int, customer_id: int,
                status: RecipientStatus, reason: str | None,
                claimed_at: datetime | None = None) -> None:
    # A claim records when the message went (due_at), as the window's count reads it.
    values = {"status": status, "reason": reason} | (
        {"due_at": claimed_at} if claimed_at else {})
    uow.session.execute(update(R).where(
        R.campaign_id == campaign_id, R.customer_id == customer_id, R.channel == "custom")
        .values(**values).execution_options(synchronize_session=False))


def _locked(uow: SqlUnitOfWork, campaign_id: int) -> Campaign:
    # One claimer at a time per campaign (PostgreSQL; SQLite serialises writers anyway).
    return uow.session.scalars(select(Campaign).where(Campaign.id == campaign_id)
                               .with_for_update()).one()
