"""Setting up the organisation: branches and their managers."""

from crm_core.model import Branch, Manager, ManagerRole, ManagerState
from crm_core.unit_of_work import UnitOfWork


class UnknownRecord(LookupError):
    """A branch or manager code that does not exist (`code` unknown_branch/unknown_manager)."""

    def __init__(self, kind: str, code: str) -> None:
        super().__init__(f"no {kind} with code {code!r}")
        self.code, self.params = f"unknown_{kind}", {"code": code}


def add_branch(uow: UnitOfWork, code: str, name: str) -> bool:
    """Add a branch, or rename it if the code exists; return True if it was new."""
    branch = uow.branches.by_code(code)
    if branch is not None:
        branch.name = name
        return False
    uow.branches.add(Branch(code=code, name=name, rr_counter=0))
    return True


def add_manager(uow: UnitOfWork, code: str, name: str, branch_code: str, *,
                title: str = "客户经理", role: ManagerRole = ManagerRole.RETAIL) -> bool:
    """Add a manager to a branch, or update them if the code exists; return True if new."""
    branch = uow.branches.by_code(branch_code)
    if branch is None:
        raise UnknownRecord("branch", branch_code)
    manager = uow.managers.by_code(code)
    if manager is None:
        uow.managers.add(Manager(code=code, name=name, title=title, role=role, branch=branch,
                                 state=ManagerState.ACTIVE))
        return True
    manager.name, manager.title, manager.role, manager.branch = name, title, role, branch
    return False


def set_manager_state(uow: UnitOfWork, code: str, state: ManagerState) -> None:
    """Mark a manager active, on leave or gone."""
    manager = uow.managers.by_code(code)
    if manager is None:
        raise UnknownRecord("manager", code)
    manager.state = state


def set_branch_head(uow: UnitOfWork, code: str, head: bool) -> None:
    """Make a manager a head of their branch, or not."""
    manager = uow.managers.by_code(code)
    if manager is None:
        raise UnknownRecord("manager", code)
    manager.is_branch_head = head


def branch_code_of(uow: UnitOfWork, branch_id: int) -> str | None:
    """Return the code of a branch given its id."""
    branch = uow.branches.get(branch_id)
    return branch.code if branch else None
