"""The console's menu: which pages each role sees, and which menu entry a page belongs to."""

from dataclasses import dataclass

from flask import Flask, request
from flask_login import current_user

from bot.web.console.blueprint import HEADS
from crm_core.model import StaffRole

EVERYONE = tuple(StaffRole)
HEAD_OFFICE = (StaffRole.HEAD_OFFICE,)


@dataclass(frozen=True)
class Entry:
    """A menu entry: its page, its words, who sees it, and the pages it is current for."""

    endpoint: str
    label: str
    roles: tuple[StaffRole, ...]
    also: tuple[str, ...] = ()

    def current(self, endpoint: str | None) -> bool:
        """Say whether the page being shown belongs to this entry."""
        return endpoint == self.endpoint or endpoint in self.also


MENU = (
    Entry("console.home", "工作台", EVERYONE, ("console.branch_home", "console.scorecards",
                                              "console.scorecard", "console.campaign_tasks",
                                              "console.complaints", "console.overrides")),
    Entry("console.talk_inbox", "会话", EVERYONE, ("console.talk_conversation",
                                                   "console.talk_figures")),
    Entry("console.leads", "线索", EVERYONE, ("console.lead",)),
    Entry("console.customers", "客户", EVERYONE, ("console.customer",)),
    Entry("console.organisations", "单位", EVERYONE, ("console.organisation",)),
    Entry("console.referrals", "转介", EVERYONE, ("console.referral",)),
    Entry("console.shares", "分享", EVERYONE),
    Entry("console.segments", "客群", EVERYONE, ("console.segment", "console.segment_new",
                                                "console.campaigns", "console.campaign")),
    Entry("console.branch", "网点", HEADS, ("console.branches",)),
    Entry("console.transfer", "客户转移", HEADS, ("console.transfer_post",)),
    Entry("console.codes", "二维码", HEADS),
    Entry("console.products", "产品", HEADS),
    Entry("console.classification", "分类", EVERYONE),
    Entry("console.outbox", "通知", HEADS),
    Entry("console.misses", "未答问题", HEAD_OFFICE,
          ("console.learn", "console.learn_preview", "console.learn_save")),
    Entry("console.staff", "员工", HEAD_OFFICE),
    Entry("console.audit", "审计", HEAD_OFFICE),
)


def menu() -> list[tuple[Entry, bool]]:
    """Return the entries the logged-in account sees, each with whether it is current."""
    if not current_user.is_authenticated:
        return []
    role = current_user.scope.role
    return [(entry, entry.current(request.endpoint)) for entry in MENU if role in entry.roles]


def init_menu(app: Flask) -> None:
    """Make `menu()` available to the templates."""
    app.jinja_env.globals["console_menu"] = menu
