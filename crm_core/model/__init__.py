"""The CRM domain: plain mapped classes and pure rules; imports nothing outward."""

from crm_core.model.activity import Direction, InboundDelivery, Interaction, Touch, TouchKind
from crm_core.model.base import Base, utcnow
from crm_core.model.customer import Customer, FollowState, LinkReason, ManagerLink
from crm_core.model.org import Branch, Manager, ManagerRole, ManagerState, pick_round_robin
from crm_core.model.scene import Scene, SceneError, format_scene, parse_scene
from crm_core.model.system import SharedValue

__all__ = [
    "Base", "Branch", "Customer", "Direction", "FollowState", "InboundDelivery", "Interaction",
    "LinkReason", "Manager", "ManagerLink", "ManagerRole", "ManagerState", "Scene", "SceneError",
    "SharedValue", "Touch", "TouchKind", "format_scene", "parse_scene", "pick_round_robin",
    "utcnow",
]
