"""In-memory fakes of the CRM repositories and unit of work (no database, same contracts).

Split by noun as the SQL classes are; every fake shares one `FakeStore`, whose flush does
what the database would do for the SQL classes (ids, defaults, foreign keys, unique keys).
"""

from tests.fakes.answers import FakeAnswers
from tests.fakes.codes import FakeCodes
from tests.fakes.conversations import FakeConversations
from tests.fakes.customers import FakeActivity, FakeCustomers, FakeDeliveries
from tests.fakes.leads import FakeLeads, FakeNotices
from tests.fakes.org import FakeBranches, FakeManagers
from tests.fakes.products import FakeProducts, FakeShares
from tests.fakes.staff import FakeStaff
from tests.fakes.store import FakeStore
from tests.fakes.system import FakeAudit, FakeSharedValues
from tests.fakes.unit_of_work import FakeUnitOfWork

__all__ = [
    "FakeActivity",
    "FakeAnswers",
    "FakeAudit",
    "FakeBranches",
    "FakeCodes",
    "FakeConversations",
    "FakeCustomers",
    "FakeDeliveries",
    "FakeLeads",
    "FakeManagers",
    "FakeNotices",
    "FakeProducts",
    "FakeSharedValues",
    "FakeShares",
    "FakeStaff",
    "FakeStore",
    "FakeUnitOfWork",
]
