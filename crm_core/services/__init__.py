"""The CRM core's public API: every channel reaches the CRM only through these functions."""

from crm_core.services.deliveries import claim_delivery, stored_reply
from crm_core.services.interactions import record_interaction
from crm_core.services.leases import read_shared, release_lease, take_lease, write_shared
from crm_core.services.onboarding import (
    Arrival,
    ManagerCard,
    follow,
    my_manager,
    scan,
    unfollow,
)
from crm_core.services.org import UnknownRecord, add_branch, add_manager, set_manager_state
from crm_core.services.profiles import customer_profile

__all__ = [
    "Arrival", "ManagerCard", "UnknownRecord", "add_branch", "add_manager", "claim_delivery",
    "customer_profile", "follow", "my_manager", "read_shared", "record_interaction",
    "release_lease", "scan", "set_manager_state", "stored_reply", "take_lease", "unfollow",
    "write_shared",
]
