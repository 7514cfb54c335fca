"""A referral's steps after submission: the receiver accepts or declines (with a reason),
contacts, qualifies and closes it; a branch head assigns a queued one and settles disputes
about who referred first. Every step tells the referrer; a settlement is audited."""

from datetime import datetime, timedelta

from crm_core.model import (
    NEXT_STEPS,
    Manager,
    Referral,
    ReferralStatus,
    Refusal,
    Scope,
    StaffRole,
)
from crm_core.services.collaboration.notify import notify_referral
from crm_core.services.collaboration.policy import ReferralPolicy, Subject, sql
from crm_core.services.collaboration.referrals import _fits
from crm_core.services.staff import audit
from crm_core.unit_of_work import UnitOfWork

REASON_MAX = 200


def get_referral(uow: UnitOfWork, referral_id: int) -> Referral:
    """Return a referral by id (LookupError when there is none)."""
    referral = sql(uow).referrals.get(referral_id)
    if referral is None:
        raise LookupError(f"no referral {referral_id}")
    return referral


def move_referral(uow: UnitOfWork, actor: Manager, referral_id: int, status: ReferralStatus,
                  policy: ReferralPolicy, now: datetime, reason: str | None = None) -> Referral:
    """Take the receiver's next step (Refusal when it is not theirs or not a next step)."""
    referral = get_referral(uow, referral_id)
    if referral.receiver_id != actor.id:
        raise Refusal("referral_not_receiver", "only the receiver moves a referral on")
    if status not in NEXT_STEPS.get(referral.status, ()):
        raise Refusal("referral_step", "not a next step", status=referral.status.value,
                      to=status.value)
    if status is ReferralStatus.DECLINED and not (reason or "").strip():
        raise Refusal("referral_reason", "a decline needs its reason")
    _stamp(referral, status, policy, now)
    referral.decline_reason = (reason or "").strip()[:REASON_MAX] or referral.decline_reason
    notify_referral(uow, referral, status.value, [referral.referrer], now)
    return referral


def _stamp(referral: Referral, status: ReferralStatus, policy: ReferralPolicy,
           now: datetime) -> None:
    referral.status = status
    referral.reminded_at = referral.escalated_at = None
    referral.due_at = None
    if status is ReferralStatus.ACCEPTED:
        referral.accepted_at = now
        referral.due_at = now + timedelta(hours=policy.contact_hours)
    elif status is ReferralStatus.CONTACTED:
        referral.contacted_at = now
    elif status is ReferralStatus.QUALIFIED:
        referral.qualified_at = now
    else:
        referral.closed_at = now


def assign_referral(uow: UnitOfWork, head: Scope, referral_id: int, receiver_code: str,
                    policy: ReferralPolicy, now: datetime) -> Referral:
    """A branch head hands a queued (or unanswered) referral to a manager of its line."""
    referral = _headed(uow, head, referral_id)
    if referral.status is not ReferralStatus.SUBMITTED:
        raise Refusal("referral_step", "only a submitted referral is assigned",
                      status=referral.status.value, to=ReferralStatus.SUBMITTED.value)
    receiver = uow.managers.by_code(receiver_code)
    if receiver is None:
        raise Refusal("referral_unknown_receiver", "no such manager", manager=receiver_code[:24])
    _fits(referral.referrer, _subject(referral), referral.line, receiver)
    referral.receiver = receiver
    referral.due_at = now + timedelta(hours=policy.accept_hours)
    referral.reminded_at = referral.escalated_at = None
    notify_referral(uow, referral, f"assigned-{receiver.id}", [receiver], now)
    audit(uow, now, head.username, "referral_updated", f"referral:{referral.id}",
          {"receiver": receiver.code})
    return referral


def settle_referral(uow: UnitOfWork, head: Scope, referral_id: int, referrer_code: str,
                    reason: str, now: datetime) -> Referral:
    """A branch head settles a dispute: the credit goes to `referrer_code` (audited)."""
    referral = _headed(uow, head, referral_id)
    winner = uow.managers.by_code(referrer_code)
    if winner is None:
        raise Refusal("referral_unknown_receiver", "no such manager", manager=referrer_code[:24])
    if not reason.strip():
        raise Refusal("referral_reason", "a settlement needs its reason")
    before = referral.referrer.code
    referral.referrer = winner
    audit(uow, now, head.username, "referral_settled", f"referral:{referral.id}",
          {"from": before, "to": winner.code, "reason": reason.strip()[:REASON_MAX]})
    notify_referral(uow, referral, f"settled-{winner.id}", [winner], now)
    return referral


def _headed(uow: UnitOfWork, head: Scope, referral_id: int) -> Referral:
    referral = get_referral(uow, referral_id)
    if head.role is StaffRole.HEAD_OFFICE or (
            head.role is StaffRole.BRANCH_HEAD and head.branch_id == referral.branch_id):
        return referral
    raise Refusal("referral_not_head", "only the branch's head settles its referrals")


def _subject(referral: Referral) -> Subject:
    return Subject(customer=referral.customer, organisation=referral.organisation)
