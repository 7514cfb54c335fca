"""The organisation's directory for operators and staff: branches, managers and staff accounts
with the codes other commands take, and the names behind the codes a QR scene carries."""

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from crm_core.model import Branch, Manager, ManagerLink, ManagerState, StaffAccount, StaffRole


class SqlDirectory:
    """Read-side SQL of the directory."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def branches(self) -> list[dict[str, Any]]:
        """Every branch by code, with its number of managers and of those in post."""
        active = func.count(Manager.id).filter(Manager.state == ManagerState.ACTIVE)
        stmt = (select(Branch.code, Branch.name, func.count(Manager.id), active)
                .outerjoin(Manager, Manager.branch_id == Branch.id)
                .group_by(Branch.id).order_by(Branch.code))
        return [{"code": code, "name": name, "managers": total, "active_managers": working}
                for code, name, total, working in self.session.execute(stmt)]

    def managers(self, branch: str | None, state: ManagerState | None) -> list[dict[str, Any]]:
        """Managers by code (of one branch, in one state), with their current customers."""
        customers = (select(ManagerLink.manager_id, func.count().label("n"))
                     .where(ManagerLink.ended_at.is_(None))
                     .group_by(ManagerLink.manager_id).subquery())
        stmt = (select(Manager, Branch.code, Branch.name, customers.c.n)
                .join(Branch, Manager.branch_id == Branch.id)
                .outerjoin(customers, customers.c.manager_id == Manager.id)
                .order_by(Manager.code))
        if branch:
            stmt = stmt.where(Branch.code == branch)
        if state:
            stmt = stmt.where(Manager.state == state)
        return [_manager(manager, code, name, count)
                for manager, code, name, count in self.session.execute(stmt)]

    def staff(self, branch: str | None, role: StaffRole | None) -> list[dict[str, Any]]:
        """Staff accounts by username (of one branch, in one role), with what they see."""
        stmt = (select(StaffAccount, Manager.code, Branch.code)
                .outerjoin(Manager, Manager.id == StaffAccount.manager_id)
                .outerjoin(Branch, Branch.id == func.coalesce(StaffAccount.branch_id,
                                                              Manager.branch_id))
                .order_by(StaffAccount.username))
        if branch:
            stmt = stmt.where(Branch.code == branch)
        if role:
            stmt = stmt.where(StaffAccount.role == role)
        return [{"username": account.username, "name": account.display_name,
                 "role": account.role.value, "manager": manager, "branch": branch_code,
                 "active": account.active}
                for account, manager, branch_code in self.session.execute(stmt)]

    def names(self, branches: set[str], managers: set[str]) -> dict[str, dict[str, str]]:
        """The names of these branch and manager codes (unknown codes are left out)."""
        found: dict[str, dict[str, str]] = {"branch": {}, "manager": {}}
        if branches:
            found["branch"] = {code: name for code, name in self.session.execute(
                select(Branch.code, Branch.name).where(Branch.code.in_(branches)))}
        if managers:
            found["manager"] = {code: name for code, name in self.session.execute(
                select(Manager.code, Manager.name).where(Manager.code.in_(managers)))}
        return found


def _manager(manager: Manager, branch_code: str, branch_name: str,
             customers: int | None) -> dict[str, Any]:
    return {"code": manager.code, "name": manager.name, "title": manager.title,
            "branch": branch_code, "branch_name": branch_name, "state": manager.state.value,
            "role": manager.role.value, "branch_head": manager.is_branch_head,
            "bound": manager.openid is not None, "customers": customers or 0}
