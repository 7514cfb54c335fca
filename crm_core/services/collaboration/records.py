"""Who gets credit, and each referrer's record.

A conversion's value is credited by the configured model: `shadow` credits both managers in
full, each in their own line; `split` gives the referrer their percent and the receiver the
rest for conversions within the split period (after it, the receiver alone). A referrer's
record: sent, accepted, converted, conversion rate, mean days to convert, converted value and
the value credited to them, kept for the scorecards.
"""

from dataclasses import dataclass
from datetime import timedelta

from crm_core.model import Referral, ReferralStatus
from crm_core.services.collaboration.policy import SPLIT, ReferralPolicy, sql
from crm_core.unit_of_work import UnitOfWork


@dataclass(frozen=True)
class ReferrerRecord:
    """A referrer's figures."""

    sent: int
    accepted: int
    converted: int
    rate: float | None  # converted / sent (None: nothing sent)
    days_to_convert: float | None
    value: int  # yuan converted
    credited: int  # yuan credited to the referrer


def credit(referral: Referral, policy: ReferralPolicy) -> tuple[int, int]:
    """Return the yuan credited to the referrer and to the receiver for one referral."""
    value = referral.converted_value or 0
    if referral.status is not ReferralStatus.CONVERTED or not value:
        return 0, 0
    if policy.credit_model != SPLIT:
        return value, value
    assert referral.closed_at is not None  # noqa: S101 - a conversion is stamped
    if referral.closed_at - referral.created_at > timedelta(days=policy.split_days):
        return 0, value
    share = value * policy.referrer_percent // 100
    return share, value - share


def referrer_record(uow: UnitOfWork, manager_id: int, policy: ReferralPolicy) -> ReferrerRecord:
    """Return a manager's record as a referrer."""
    sent = sql(uow).referrals.all_of_referrer(manager_id)
    converted = [r for r in sent if r.status is ReferralStatus.CONVERTED]
    days = [(r.closed_at - r.created_at).total_seconds() / 86400 for r in converted
            if r.closed_at is not None]
    return ReferrerRecord(
        sent=len(sent), accepted=sum(1 for r in sent if r.accepted_at is not None),
        converted=len(converted), rate=len(converted) / len(sent) if sent else None,
        days_to_convert=round(sum(days) / len(days), 1) if days else None,
        value=sum(r.converted_value or 0 for r in converted),
        credited=sum(credit(r, policy)[0] for r in converted))
