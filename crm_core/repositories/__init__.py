"""Repositories: the only code that turns CRM questions into SQL.

`protocols` holds the contracts (kept by the SQL classes here and by the fakes in the tests);
the SQL classes are split by noun.
"""

from crm_core.repositories.answers import SqlAnswers
from crm_core.repositories.base import (
    DuplicateDelivery,
    DuplicateError,
    insert_or_skip,
    unique_violation,
)
from crm_core.repositories.codes import (
    SqlCodes,
)
from crm_core.repositories.conversations import SqlConversations
from crm_core.repositories.customers import (
    SqlActivity,
    SqlCustomers,
    SqlDeliveries,
)
from crm_core.repositories.leads import (
    SqlLeads,
    SqlNotices,
)
from crm_core.repositories.org import (
    SqlBranches,
    SqlManagers,
)
from crm_core.repositories.products import (
    SqlProducts,
    SqlShares,
)
from crm_core.repositories.protocols import (
    ActivityRepository,
    AnswerRepository,
    AuditRepository,
    BranchRepository,
    CodeRepository,
    ConversationRepository,
    CustomerRepository,
    DeliveryRepository,
    LeadRepository,
    ManagerRepository,
    NoticeRepository,
    ProductRepository,
    SharedValueRepository,
    ShareRepository,
    StaffRepository,
)
from crm_core.repositories.staff import (
    SqlStaff,
)
from crm_core.repositories.system import (
    SqlAudit,
    SqlSharedValues,
)

__all__ = [
    "ActivityRepository",
    "AnswerRepository",
    "AuditRepository",
    "BranchRepository",
    "CodeRepository",
    "ConversationRepository",
    "CustomerRepository",
    "DeliveryRepository",
    "DuplicateDelivery",
    "DuplicateError",
    "LeadRepository",
    "ManagerRepository",
    "NoticeRepository",
    "ProductRepository",
    "ShareRepository",
    "SharedValueRepository",
    "SqlActivity",
    "SqlAnswers",
    "SqlAudit",
    "SqlBranches",
    "SqlCodes",
    "SqlConversations",
    "SqlCustomers",
    "SqlDeliveries",
    "SqlLeads",
    "SqlManagers",
    "SqlNotices",
    "SqlProducts",
    "SqlSharedValues",
    "SqlShares",
    "SqlStaff",
    "StaffRepository",
    "insert_or_skip",
    "unique_violation",
]
