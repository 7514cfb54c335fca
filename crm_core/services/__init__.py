"""The CRM core's public API: every channel reaches the CRM only through these functions."""

from crm_core.services.deliveries import begin_delivery, finish_delivery
from crm_core.services.interactions import record_interaction
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
    "Arrival", "ManagerCard", "UnknownRecord", "add_branch", "add_manager", "begin_delivery",
    "customer_profile", "finish_delivery", "follow", "my_manager", "record_interaction", "scan",
    "set_manager_state", "unfollow",
]
