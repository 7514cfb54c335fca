"""The referrals' clock: reminders at the SLA, escalation to the branch heads after it, and
expiry of referrals nobody closed. Run by the worker; each notice at most once per step."""

from datetime import datetime, timedelta

from crm_core.model import ReferralStatus
from crm_core.services.collaboration.notify import notify_referral
from crm_core.services.collaboration.policy import ReferralPolicy, sql
from crm_core.unit_of_work import UnitOfWork


def chase_referrals(uow: UnitOfWork, policy: ReferralPolicy, now: datetime) -> int:
    """Remind, escalate and expire; return how many notices were queued."""
    work = sql(uow)
    queued = 0
    for referral in work.referrals.stale(now - timedelta(days=policy.expire_days)):
        referral.status, referral.closed_at, referral.due_at = ReferralStatus.EXPIRED, now, None
        queued += notify_referral(uow, referral, "expired", [referral.referrer], now)
    escalate = timedelta(hours=policy.escalate_after_hours)
    for referral in work.referrals.overdue(now):
        assert referral.due_at is not None  # noqa: S101 - overdue means a due time
        step = referral.status.value
        heads = work.managers.heads_of(referral.branch_id)
        if referral.reminded_at is None:
            queued += notify_referral(uow, referral, f"reminder-{step}",
                                      [referral.receiver] if referral.receiver else heads, now)
            referral.reminded_at = now
        if referral.escalated_at is None and now >= referral.due_at + escalate:
            queued += notify_referral(uow, referral, f"escalation-{step}", heads, now)
            referral.escalated_at = now
    return queued
