"""Working together: referrals between staff, their clock, outcomes and credit."""

from crm_core.services.collaboration.clock import chase_referrals
from crm_core.services.collaboration.notify import subject_label
from crm_core.services.collaboration.outcomes import LINES, OUTCOMES, record_outcomes
from crm_core.services.collaboration.policy import (
    SHADOW,
    SPLIT,
    ReferralPolicy,
    Subject,
    subject_of,
)
from crm_core.services.collaboration.records import ReferrerRecord, credit, referrer_record
from crm_core.services.collaboration.referrals import ReferralRequest, refer
from crm_core.services.collaboration.steps import (
    assign_referral,
    get_referral,
    move_referral,
    settle_referral,
)

__all__ = [
    "LINES",
    "OUTCOMES",
    "SHADOW",
    "SPLIT",
    "ReferralPolicy",
    "ReferralRequest",
    "ReferrerRecord",
    "Subject",
    "assign_referral",
    "chase_referrals",
    "credit",
    "get_referral",
    "move_referral",
    "record_outcomes",
    "refer",
    "referrer_record",
    "settle_referral",
    "subject_label",
    "subject_of",
]
