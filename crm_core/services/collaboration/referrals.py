"""Referring a customer or organisation to another line of the bank.

Refused, each with its reason: a subject the referrer does not serve, a referral to
oneself, to one's own line or to the subject's current owner, and a second referral of the
same subject to the same line inside the lock period (answered with the first one, so the
referrer sees who holds it). The receiver is the manager named, or by the branch and line
rule the least loaded active manager of that line in the subject's branch; with none, the
referral waits in the branch's queue for its head to assign.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from crm_core.model import Manager, ManagerRole, ManagerState, Referral, Refusal
from crm_core.services.collaboration.notify import notify_referral
from crm_core.services.collaboration.policy import (
    ReferralPolicy,
    Subject,
    referrer_sees,
    sql,
)
from crm_core.unit_of_work import SqlUnitOfWork, UnitOfWork

VALUE_MAX = 10**13  # yuan: a figure past this is a typing slip, not a customer


@dataclass(frozen=True)
class ReferralRequest:
    """What a referrer says: the line, optionally whom, and what the customer wants."""

    line: ManagerRole
    receiver_code: str | None = None
    product_interest: str = ""
    potential_value: int | None = None
    note: str | None = None


def refer(uow: UnitOfWork, referrer: Manager, subject: Subject, wanted: ReferralRequest,
          policy: ReferralPolicy, now: datetime) -> Referral:
    """Register a referral (Refusal with the reason when a rule says no) and tell the
    receiver, or the branch heads when it waits in the queue."""
    work = sql(uow)
    _check(work, referrer, subject, wanted)
    work.referrals.lock_subject(subject.key)
    holder = work.referrals.holder(subject.key, wanted.line, now)
    if holder is not None:
        raise Refusal("referral_locked", f"held by referral {holder.id}", id=holder.id,
                      referrer=holder.referrer.name, at=holder.created_at.isoformat(),
                      until=holder.lock_until.isoformat())
    receiver = _receiver(work, referrer, subject, wanted)
    referral = Referral(
        subject=subject.key, customer=subject.customer, organisation=subject.organisation,
        line=wanted.line, referrer=referrer, receiver=receiver,
        branch_id=subject.branch_id or referrer.branch_id,
        product_interest=wanted.product_interest[:64], potential_value=wanted.potential_value,
        note=wanted.note, created_at=now, lock_until=now + policy.lock,
        due_at=now + timedelta(hours=policy.accept_hours))
    work.referrals.add(referral)
    work.flush()
    recipients = [receiver] if receiver else work.managers.heads_of(referral.branch_id)
    notify_referral(work, referral, "submitted", recipients, now)
    return referral


def _check(uow: SqlUnitOfWork, referrer: Manager, subject: Subject,
           wanted: ReferralRequest) -> None:
    if not referrer_sees(uow, referrer, subject):
        raise Refusal("referral_out_of_scope", "the referrer does not serve the subject")
    if wanted.line is referrer.role:
        raise Refusal("referral_same_line", "a referral goes to another line",
                      line=wanted.line.value)
    if wanted.potential_value is not None and not 0 <= wanted.potential_value < VALUE_MAX:
        raise Refusal("referral_value", "potential value out of range")
    if wanted.note and (len(wanted.note) > 500 or "\x00" in wanted.note):
        raise Refusal("referral_note", "a note is at most 500 characters")


def _receiver(uow: SqlUnitOfWork, referrer: Manager, subject: Subject,
              wanted: ReferralRequest) -> Manager | None:
    if wanted.receiver_code:
        named = uow.managers.by_code(wanted.receiver_code)
        if named is None or named.state is ManagerState.LEFT:
            raise Refusal("referral_unknown_receiver", "no such manager",
                          manager=wanted.receiver_code[:24])
        _fits(referrer, subject, wanted.line, named)
        return named
    branch_id = subject.branch_id or referrer.branch_id
    return next((m for m in uow.referrals.candidates(branch_id, wanted.line)
                 if m.id not in (referrer.id, subject.owner_id)), None)


def _fits(referrer: Manager, subject: Subject, line: ManagerRole, receiver: Manager) -> None:
    if receiver.id == referrer.id:
        raise Refusal("referral_self", "a manager cannot refer to themselves")
    if receiver.id == subject.owner_id:
        raise Refusal("referral_owner", "the receiver already serves the subject",
                      name=receiver.name)
    if receiver.role is not line:
        raise Refusal("referral_wrong_line", "the receiver works in another line",
                      name=receiver.name, line=line.value)
