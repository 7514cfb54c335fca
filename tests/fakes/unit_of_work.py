"""The unit of work over the fakes: every repository of the real one, over one store."""

from crm_core.unit_of_work import UnitOfWork
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


class FakeUnitOfWork(UnitOfWork):
    """A unit of work in memory that counts its commits.

    The base class declares each repository by its protocol, so the type checker proves that
    every fake below keeps its contract: a fake that drifts from it fails `make lint`.
    """

    branches: FakeBranches
    managers: FakeManagers
    customers: FakeCustomers
    activity: FakeActivity
    deliveries: FakeDeliveries
    shared: FakeSharedValues
    leads: FakeLeads
    notices: FakeNotices
    audit: FakeAudit
    staff: FakeStaff
    codes: FakeCodes
    products: FakeProducts
    shares: FakeShares
    answers: FakeAnswers
    conversations: FakeConversations

    def __init__(self) -> None:
        self.store = FakeStore()
        self.branches = FakeBranches(self.store)
        self.managers = FakeManagers(self.store)
        self.customers = FakeCustomers(self.store)
        self.activity = FakeActivity(self.store)
        self.deliveries = FakeDeliveries(self.store)
        self.shared = FakeSharedValues(self.store)
        self.leads = FakeLeads(self.store)
        self.notices = FakeNotices(self.store)
        self.audit = FakeAudit(self.store)
        self.staff = FakeStaff(self.store)
        self.codes = FakeCodes(self.store)
        self.products = FakeProducts(self.store)
        self.shares = FakeShares(self.store)
        self.answers = FakeAnswers(self.store)
        self.conversations = FakeConversations(self.store)
        self.commits = 0

    def commit(self) -> None:
        self.store.commit()
        self.commits += 1

    def flush(self) -> None:
        self.store.flush()

    def rollback(self) -> None:
        self.store.rollback()
