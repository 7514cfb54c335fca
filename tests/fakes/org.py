"""Branches and managers in memory."""

from crm_core.model import Branch, Manager, ManagerState
from tests.fakes.store import FakeStore


class FakeBranches:
    """Branches in memory."""

    def __init__(self, store: FakeStore) -> None:
        self.store = store

    @property
    def items(self) -> list[Branch]:
        return self.store.rows(Branch)

    def by_code(self, code: str) -> Branch | None:
        return next((b for b in self.items if b.code == code), None)

    def add(self, branch: Branch) -> None:
        self.store.add(branch)

    def next_ticket(self, branch: Branch) -> int:
        self.store.flush()
        branch.rr_counter += 1
        return branch.rr_counter

    def all(self) -> list[Branch]:
        return sorted(self.items, key=lambda b: b.code)

    def get(self, branch_id: int) -> Branch | None:
        return self.store.get(Branch, branch_id)


class FakeManagers:
    """Managers in memory."""

    def __init__(self, store: FakeStore) -> None:
        self.store = store

    @property
    def items(self) -> list[Manager]:
        return self.store.rows(Manager)

    def by_code(self, code: str) -> Manager | None:
        return next((m for m in self.items if m.code == code), None)

    def get(self, manager_id: int) -> Manager | None:
        return self.store.get(Manager, manager_id)

    def add(self, manager: Manager) -> None:
        self.store.add(manager)

    def taking_customers(self, branch: Branch) -> list[Manager]:
        return [m for m in self._by_id() if m.branch_id == branch.id
                and m.state is ManagerState.ACTIVE]

    def bound_to(self, openid: str) -> Manager | None:
        return next((m for m in self.items if m.openid == openid), None)

    def heads_of(self, branch_id: int) -> list[Manager]:
        return [m for m in self._by_id() if m.branch_id == branch_id and m.is_branch_head]

    def all_bound(self) -> list[Manager]:
        return [m for m in self._by_id() if m.openid is not None]

    def _by_id(self) -> list[Manager]:
        return sorted(self.items, key=lambda m: m.id)
