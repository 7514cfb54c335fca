"""The CRM core's public API: every channel reaches the CRM only through these functions."""

from crm_core.services.binding import (
    BindOutcome,
    BindResult,
    bind_manager,
    bound_manager,
    issue_bind_code,
    unbind_manager,
)
from crm_core.services.code_stats import channel_stats
from crm_core.services.codes import (
    CodeInfo,
    CodeLimitReached,
    CodeToCreate,
    PosterTarget,
    code_for,
    list_codes,
    poster_targets,
    record_code,
)
from crm_core.services.deliveries import claim_delivery, stored_reply
from crm_core.services.interactions import record_interaction
from crm_core.services.leads import (
    LeadOutcome,
    chase_overdue_leads,
    open_lead,
    queue_digests,
    update_lead,
)
from crm_core.services.leases import read_shared, release_lease, take_lease, write_shared
from crm_core.services.listings import list_leads, list_notices
from crm_core.services.notices import (
    NoticeJob,
    claim_notices,
    enqueue_notice,
    job_finished,
    notice_failed,
    notice_release,
    notice_retry,
    notice_sent,
    pause_notices,
    retry_notice,
)
from crm_core.services.onboarding import (
    Arrival,
    ManagerCard,
    follow,
    my_manager,
    scan,
    unfollow,
)
from crm_core.services.org import (
    UnknownRecord,
    add_branch,
    add_manager,
    set_branch_head,
    set_manager_state,
)
from crm_core.services.profiles import customer_profile

__all__ = [
    "Arrival",
    "BindOutcome",
    "BindResult",
    "CodeInfo",
    "CodeLimitReached",
    "CodeToCreate",
    "LeadOutcome",
    "ManagerCard",
    "NoticeJob",
    "PosterTarget",
    "UnknownRecord",
    "add_branch",
    "add_manager",
    "bind_manager",
    "bound_manager",
    "channel_stats",
    "chase_overdue_leads",
    "claim_delivery",
    "claim_notices",
    "code_for",
    "customer_profile",
    "enqueue_notice",
    "follow",
    "issue_bind_code",
    "job_finished",
    "list_codes",
    "list_leads",
    "list_notices",
    "my_manager",
    "notice_failed",
    "notice_release",
    "notice_retry",
    "notice_sent",
    "open_lead",
    "pause_notices",
    "poster_targets",
    "queue_digests",
    "read_shared",
    "record_code",
    "record_interaction",
    "release_lease",
    "retry_notice",
    "scan",
    "set_branch_head",
    "set_manager_state",
    "stored_reply",
    "take_lease",
    "unbind_manager",
    "unfollow",
    "update_lead",
    "write_shared",
]
