"""In-memory fakes of the CRM repositories and unit of work (no database, same contract)."""

from itertools import count

from crm_core.model import (
    Branch,
    Customer,
    InboundDelivery,
    Interaction,
    Manager,
    ManagerLink,
    ManagerState,
    Touch,
)
from crm_core.unit_of_work import DuplicateError, UnitOfWork

_ids = count(1)


def _with_id(item):  # type: ignore[no-untyped-def]
    if getattr(item, "id", None) is None:
        item.id = next(_ids)
    return item


class FakeBranches:
    def __init__(self) -> None:
        self.items: list[Branch] = []

    def by_code(self, code: str) -> Branch | None:
        return next((b for b in self.items if b.code == code), None)

    def add(self, branch: Branch) -> None:
        branch.rr_counter = branch.rr_counter or 0
        self.items.append(_with_id(branch))

    def next_ticket(self, branch: Branch) -> int:
        branch.rr_counter += 1
        return branch.rr_counter


class FakeManagers:
    def __init__(self) -> None:
        self.items: list[Manager] = []

    def by_code(self, code: str) -> Manager | None:
        return next((m for m in self.items if m.code == code), None)

    def add(self, manager: Manager) -> None:
        self.items.append(_with_id(manager))

    def taking_customers(self, branch: Branch) -> list[Manager]:
        return sorted((m for m in self.items
                       if m.branch is branch and m.state is ManagerState.ACTIVE),
                      key=lambda m: m.id)


class FakeCustomers:
    def __init__(self) -> None:
        self.items: list[Customer] = []

    def by_openid(self, openid: str) -> Customer | None:
        return next((c for c in self.items if c.openid == openid), None)

    def add(self, customer: Customer) -> None:
        self.items.append(_with_id(customer))


class FakeActivity:
    def __init__(self) -> None:
        self.items: list[Interaction | Touch | ManagerLink] = []

    def add(self, item: Interaction | Touch | ManagerLink) -> None:
        self.items.append(_with_id(item))

    def interactions_of(self, customer: Customer, limit: int) -> list[Interaction]:
        mine = [i for i in self.items
                if isinstance(i, Interaction) and i.customer_id == customer.id]
        return mine[::-1][:limit]

    def touches_of(self, customer: Customer) -> list[Touch]:
        return [t for t in self.items if isinstance(t, Touch) and t.customer_id == customer.id]

    def of_type(self, kind: type) -> list:  # type: ignore[type-arg]
        return [item for item in self.items if isinstance(item, kind)]


class FakeDeliveries:
    def __init__(self) -> None:
        self.items: dict[tuple[str, str], InboundDelivery] = {}

    def get(self, channel: str, key: str) -> InboundDelivery | None:
        return self.items.get((channel, key))

    def claim(self, delivery: InboundDelivery) -> None:
        if (delivery.channel, delivery.key) in self.items:
            raise DuplicateError(delivery.key)
        self.items[(delivery.channel, delivery.key)] = delivery


class FakeUnitOfWork(UnitOfWork):
    """Records commits; 'rollback' is a no-op because the fakes keep no transaction."""

    def __init__(self) -> None:
        self.branches = FakeBranches()
        self.managers = FakeManagers()
        self.customers = FakeCustomers()
        self.activity = FakeActivity()
        self.deliveries = FakeDeliveries()
        self.commits = 0

    def commit(self) -> None:
        self.commits += 1

    def flush(self) -> None:
        for item in self.activity.items:
            _with_id(item)

    def rollback(self) -> None:
        pass
