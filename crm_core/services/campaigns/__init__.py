"""Campaigns to a segment snapshot, within the platform's rules and the customer's wishes."""

from crm_core.services.campaigns.contact import (
    do_not_contact,
    import_do_not_contact,
    opt_in,
    opt_out,
    record_consent,
)
from crm_core.services.campaigns.drafts import (
    CampaignRefused,
    Draft,
    campaigns_seen,
    create_campaign,
    visible_campaign,
)
from crm_core.services.campaigns.lifecycle import (
    ACTIONS,
    ContactPolicy,
    actions_for,
    approve,
    audience_figures,
    campaign_report,
    cancel,
    pause,
    reject,
    replan,
    resume,
    start,
    submit,
)

__all__ = [
    "ACTIONS",
    "CampaignRefused",
    "ContactPolicy",
    "Draft",
    "actions_for",
    "approve",
    "audience_figures",
    "campaign_report",
    "campaigns_seen",
    "cancel",
    "create_campaign",
    "do_not_contact",
    "import_do_not_contact",
    "opt_in",
    "opt_out",
    "pause",
    "record_consent",
    "reject",
    "replan",
    "resume",
    "start",
    "submit",
    "visible_campaign",
]
