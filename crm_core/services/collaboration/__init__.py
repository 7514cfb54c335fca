"""Working together: referrals between staff, their clock, outcomes and credit."""

from crm_core.services.collaboration.clock import chase_referrals
from crm_core.services.collaboration.notify import subject_label
from crm_core.services.collaboration.outcomes import LINES, OUTCOMES, record_outcomes
from crm_core.services.collaboration.policy import (
    SHADOW,
    SPLIT,
    ReferralPolicy,
    Subject,
    sql,
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
from crm_core.services.collaboration.views import (
    manager_referrals,
    referral_card,
    referral_list,
    referral_row,
    referrers_board,
    sees_referral,
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
    "manager_referrals",
    "move_referral",
    "record_outcomes",
    "refer",
    "referral_card",
    "referral_list",
    "referral_row",
    "referrer_record",
    "referrers_board",
    "sees_referral",
    "settle_referral",
    "sql",
    "subject_label",
    "subject_of",
]
