"""In-memory fakes of the CRM repositories and unit of work (no database, same contract)."""

from collections.abc import Sequence
from datetime import datetime
from itertools import count

from crm_core.model import (
    Branch,
    CodeKind,
    Customer,
    FollowState,
    InboundDelivery,
    Interaction,
    Manager,
    ManagerLink,
    ManagerState,
    Notice,
    QrCode,
    Touch,
    TouchFact,
)
from crm_core.unit_of_work import DuplicateDelivery, UnitOfWork

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

    def add_if_missing(self, openid: str, at: datetime, source: str) -> Customer:
        found = self.by_openid(openid)
        if found is None:
            found = Customer(openid=openid, follow_state=FollowState.UNKNOWN, first_touch_at=at,
                             first_touch_source=source, last_touch_at=at, links=[])
            self.items.append(_with_id(found))
        return found


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
            raise DuplicateDelivery(delivery.key)
        self.items[(delivery.channel, delivery.key)] = delivery


class FakeCodes:
    """The QR code registry in memory; touches and names come from the sibling fakes."""

    def __init__(self, activity: FakeActivity, branches: FakeBranches,
                 managers: FakeManagers) -> None:
        self.items: list[QrCode] = []
        self.activity, self.branches, self.managers = activity, branches, managers

    def latest(self, scene: str) -> QrCode | None:
        mine = [c for c in self.items if c.scene == scene]
        return max(mine, key=lambda c: (c.created_at, c.id), default=None)

    def add(self, code: QrCode) -> None:
        self.items.append(_with_id(code))

    def count_permanent(self) -> int:
        return sum(c.kind is CodeKind.PERMANENT for c in self.items)

    def listing(self, branch_id: int | None) -> list[QrCode]:
        mine = [c for c in self.items if branch_id is None or c.branch_id == branch_id]
        newest = sorted(mine, key=lambda c: (c.created_at, c.id), reverse=True)
        return sorted(newest, key=lambda c: c.scene)

    def print_targets(self, branch_codes: Sequence[str] | None) -> list[Branch]:
        return sorted((b for b in self.branches.items
                       if branch_codes is None or b.code in branch_codes), key=lambda b: b.code)

    def touch_facts(self, start: datetime | None, end: datetime | None,
                    branch_id: int | None) -> list[TouchFact]:
        return [self._fact(t) for t in self.activity.of_type(Touch)
                if (start is None or t.occurred_at >= start)
                and (end is None or t.occurred_at < end)
                and (branch_id is None or t.branch_id == branch_id)]

    def _fact(self, touch: Touch) -> TouchFact:
        branch = next((b.code for b in self.branches.items if b.id == touch.branch_id), None)
        manager = next((m.code for m in self.managers.items if m.id == touch.manager_id), None)
        return TouchFact(touch.kind, touch.scene, branch, manager, touch.campaign,
                         touch.occurred_at)


class FakeNotices:
    def __init__(self) -> None:
        self.items: list[Notice] = []

    def add(self, notice: Notice) -> None:
        self.items.append(_with_id(notice))

    def by_key(self, key: str) -> Notice | None:
        return next((n for n in self.items if n.key == key), None)

    def held_for(self, manager: Manager) -> list[Notice]:
        return [n for n in self.items if n.manager is manager and n.status == "held"]


class FakeUnitOfWork(UnitOfWork):
    """Records commits; 'rollback' is a no-op because the fakes keep no transaction."""

    def __init__(self) -> None:
        self.branches = FakeBranches()
        self.managers = FakeManagers()
        self.customers = FakeCustomers()
        self.activity = FakeActivity()
        self.deliveries = FakeDeliveries()
        self.notices = FakeNotices()
        self.codes = FakeCodes(self.activity, self.branches, self.managers)
        self.commits = 0

    def commit(self) -> None:
        self.commits += 1

    def flush(self) -> None:
        for item in self.activity.items:
            _with_id(item)

    def rollback(self) -> None:
        pass
