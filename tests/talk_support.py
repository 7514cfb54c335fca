"""A world for conversations: a branch with two managers (one the head), their console
accounts, an online service agent, and customers of each manager."""

from datetime import datetime, timedelta

from bot.runtime import Runtime
from bot.web.staff_auth import hash_password
from crm_core import services
from crm_core.model import Scope, StaffRole, utcnow
from crm_core.model.conversations import Presence
from crm_core.services import conversations as talk
from tests.builders import org
from tests.console_support import PASSWORD
from tests.sandbox_support import fake_openid

STAFF = {
    "m1": (StaffRole.MANAGER, "SH001-01", None),
    "m2": (StaffRole.MANAGER, "SH001-02", None),
    "agent": (StaffRole.SERVICE, None, "SH001"),
    "head": (StaffRole.BRANCH_HEAD, None, "SH001"),
    "admin": (StaffRole.HEAD_OFFICE, None, None),
}
C1, C2 = fake_openid("talk-c1"), fake_openid("talk-c2")
CUSTOMERS = {C1: "SH001-01", C2: "SH001-02"}


def populate(runtime: Runtime, online: tuple[str, ...] = ("m1",)) -> None:
    """Create the branch, staff and linked customers; `online` staff set 在线."""
    now = utcnow()
    with runtime.uow() as uow:
        org(uow, {"SH001": ["SH001-01", "SH001-02"]})
        services.set_branch_head(uow, "SH001-02", True)
        for name, (role, manager, branch) in STAFF.items():
            services.add_staff(uow, name, f"员工{name}", hash_password(PASSWORD), role, manager,
                               branch, "test", now)
        for openid, manager in CUSTOMERS.items():
            services.follow(uow, openid, f"m:{manager}", now - timedelta(hours=5))
        uow.commit()
    for name in online:
        set_presence(runtime, name, Presence.ONLINE)


def scope_of(runtime: Runtime, username: str) -> Scope:
    """Return the scope of a staff account."""
    with runtime.uow() as uow:
        account = uow.staff.by_username(username)
        assert account is not None
        return services.scope_of(account)


def set_presence(runtime: Runtime, username: str, status: Presence,
                 delegate: str | None = None) -> None:
    """Say 在线 / 忙碌 / 离开 for a staff member."""
    with runtime.uow() as uow:
        talk.set_presence(uow, scope_of(runtime, username), status, delegate, utcnow())
        uow.commit()


def open_for(runtime: Runtime, openid: str, at: datetime | None = None) -> int:
    """Open a conversation for a customer (as "人工" would)."""
    with runtime.uow() as uow:
        opened = talk.open_conversation(uow, openid, "keyword", at or utcnow(), "Asia/Shanghai")
        uow.commit()
    return opened.conversation_id
