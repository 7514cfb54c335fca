"""The CRM domain: plain mapped classes and pure rules; imports nothing outward."""

from crm_core.model import manager_branch  # noqa: F401 - registers its writes
from crm_core.model.activity import Direction, InboundDelivery, Interaction, Touch, TouchKind
from crm_core.model.answers import (
    AnswerMiss,
    FaqEntry,
    FaqTopic,
    FaqVersion,
    PendingChoice,
)
from crm_core.model.answers.vocabulary import AddedNeed, AddedSynonym
from crm_core.model.audit import AuditEvent, BindCode
from crm_core.model.base import BIG_ID_MAX, ID_MAX, Base, local_date, local_time, utcnow
from crm_core.model.codes import (
    MAX_TEMPORARY_DAYS,
    PERMANENT_CODE_CAP,
    CodeKind,
    QrCode,
    TouchFact,
)
from crm_core.model.collaboration import (
    CLOSED_REFERRALS,
    NEXT_STEPS,
    OPEN_REFERRALS,
    Referral,
    ReferralStatus,
)
from crm_core.model.customer import (
    Customer,
    CustomerNote,
    FollowState,
    LinkReason,
    ManagerLink,
    SealedPhone,
)
from crm_core.model.figures import BranchFigures, ManagerFigures, NetworkFigures
from crm_core.model.leads import NOTE_MAX_LENGTH, OPEN_STATUSES, BadNote, Lead, LeadStatus
from crm_core.model.notices import CUSTOMER_KINDS, Notice, NoticeKind, NoticeStatus
from crm_core.model.org import Branch, Manager, ManagerRole, ManagerState, pick_round_robin
from crm_core.model.organisations import (
    ChainLead,
    Organisation,
    OrgContact,
    OrgKind,
    ProductFamily,
    TradeKind,
    TradeRelationship,
    normalise_credit_code,
)
from crm_core.model.products import (
    Assessment,
    Category,
    Product,
    ProductVersion,
    RecommendationPref,
    RiskAssessment,
    ShareEvent,
    ShareEventKind,
    ShareLink,
)
from crm_core.model.refusal import Refusal
from crm_core.model.scene import Scene, SceneError, format_scene, parse_scene
from crm_core.model.staff import (
    ApiToken,
    LoginCounter,
    OutOfScope,
    Scope,
    StaffAccount,
    StaffRole,
)
from crm_core.model.system import RateCounter, SharedValue

__all__ = [
    "BIG_ID_MAX",
    "CLOSED_REFERRALS",
    "CUSTOMER_KINDS",
    "ID_MAX",
    "MAX_TEMPORARY_DAYS",
    "NEXT_STEPS",
    "NOTE_MAX_LENGTH",
    "OPEN_REFERRALS",
    "OPEN_STATUSES",
    "PERMANENT_CODE_CAP",
    "AddedNeed",
    "AddedSynonym",
    "AnswerMiss",
    "ApiToken",
    "Assessment",
    "AuditEvent",
    "BadNote",
    "Base",
    "BindCode",
    "Branch",
    "BranchFigures",
    "Category",
    "ChainLead",
    "CodeKind",
    "Customer",
    "CustomerNote",
    "Direction",
    "FaqEntry",
    "FaqTopic",
    "FaqVersion",
    "FollowState",
    "InboundDelivery",
    "Interaction",
    "Lead",
    "LeadStatus",
    "LinkReason",
    "LoginCounter",
    "Manager",
    "ManagerFigures",
    "ManagerLink",
    "ManagerRole",
    "ManagerState",
    "NetworkFigures",
    "Notice",
    "NoticeKind",
    "NoticeStatus",
    "OrgContact",
    "OrgKind",
    "Organisation",
    "OutOfScope",
    "PendingChoice",
    "Product",
    "ProductFamily",
    "ProductVersion",
    "QrCode",
    "RateCounter",
    "RecommendationPref",
    "Referral",
    "ReferralStatus",
    "Refusal",
    "RiskAssessment",
    "Scene",
    "SceneError",
    "Scope",
    "SealedPhone",
    "ShareEvent",
    "ShareEventKind",
    "ShareLink",
    "SharedValue",
    "StaffAccount",
    "StaffRole",
    "Touch",
    "TouchFact",
    "TouchKind",
    "TradeKind",
    "TradeRelationship",
    "format_scene",
    "local_date",
    "local_time",
    "normalise_credit_code",
    "parse_scene",
    "pick_round_robin",
    "utcnow",
]
