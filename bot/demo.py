"""Demo branches and managers, so a newcomer can try BranchLink without a bank."""

from crm_core import services
from crm_core.model import ManagerRole, ManagerState
from crm_core.unit_of_work import UnitOfWork

BRANCHES = (("SH001", "上海分行营业部"), ("SH002", "上海浦东支行"), ("BJ001", "北京分行营业部"))
MANAGERS = (
    ("SH001-01", "张伟", "SH001", "理财经理", ManagerRole.WEALTH),
    ("SH001-02", "王芳", "SH001", "客户经理", ManagerRole.RETAIL),
    ("SH001-03", "李娜", "SH001", "客户经理", ManagerRole.RETAIL),
    ("SH002-01", "刘洋", "SH002", "信贷经理", ManagerRole.LOAN),
    ("SH002-02", "陈静", "SH002", "公司客户经理", ManagerRole.CORPORATE),
    ("BJ001-01", "赵磊", "BJ001", "客户经理", ManagerRole.RETAIL),
)
ON_LEAVE = ("SH001-03",)


def seed(uow: UnitOfWork) -> None:
    """Add the demo organisation (idempotent)."""
    for code, name in BRANCHES:
        services.add_branch(uow, code, name)
    uow.flush()
    for code, name, branch, title, role in MANAGERS:
        services.add_manager(uow, code, name, branch, title=title, role=role)
    uow.flush()
    for code in ON_LEAVE:
        services.set_manager_state(uow, code, ManagerState.ON_LEAVE)
