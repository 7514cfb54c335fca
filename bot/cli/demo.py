"""Demo branches, managers and products, so a newcomer can try BranchLink without a bank."""

import csv
import io
import secrets
from collections.abc import Callable
from datetime import date, datetime, timedelta
from importlib import resources

from crm_core import services
from crm_core.model import ManagerRole, ManagerState, SealedPhone, StaffRole, utcnow
from crm_core.model.conversations import Presence
from crm_core.repositories.classification.derived import add_months
from crm_core.services import classification as classify_services
from crm_core.services import conversations as talk
from crm_core.services.classification import ExtractFile, KeyHasher
from crm_core.unit_of_work import SqlUnitOfWork, UnitOfWork

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
# Shipped as package data (pyproject's [tool.setuptools.package-data]).
CATALOGUE = "catalogue.csv"
FAQ = "faq.csv"
CLASSIFICATION = "classification.csv"  # demo followers, four months of 月日均 AUM, lists
HEADS = ("SH001-01", "SH002-01", "BJ001-01")


def demo_manager_openid(code: str) -> str:
    """The WeChat openid each demo manager is bound to (28 characters, like real ones)."""
    return f"o-demo-manager-{code}".ljust(28, "0")


STAFF = (
    ("admin", "总行管理员", StaffRole.HEAD_OFFICE, None, None),
    ("head-sh001", "上海分行营业部负责人", StaffRole.BRANCH_HEAD, None, "SH001"),
    ("zhangwei", "张伟", StaffRole.MANAGER, "SH001-01", None),
    ("wangfang", "王芳", StaffRole.MANAGER, "SH001-02", None),
    ("kefu", "在线客服小李", StaffRole.SERVICE, None, "SH001"),
)
# Conversations: who is online at first, the branches' hours and head office's quick replies.
ONLINE = ("zhangwei", "kefu")
HOURS = ("1234567", "08:00", "22:00")  # long demo hours, so a trial in the evening is answered
CANNED = (("问候", "您好，我是您的客户经理，很高兴为您服务，请问有什么可以帮您？"),
          ("预约到网点", "您可以告诉我方便的时间，我为您预约到网点办理，请携带本人身份证。"),
          ("风险提示", "理财非存款、产品有风险、投资须谨慎。具体产品请以说明书为准。"))


def seed_staff(uow: UnitOfWork, hash_password: Callable[[str], str]) -> dict[str, str]:
    """Create the demo console accounts that do not exist yet; return their new passwords."""
    created = {}
    for username, name, role, manager, branch in STAFF:
        if uow.staff.by_username(username) is None:
            password = secrets.token_urlsafe(12)
            services.add_staff(uow, username, name, hash_password(password), role, manager,
                               branch, "demo", utcnow())
            created[username] = password
    return created


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
    for code in HEADS:
        services.set_branch_head(uow, code, True)
    for code, *_ in MANAGERS:
        secret = services.issue_bind_code(uow, code, utcnow(), timedelta(minutes=1), "demo")
        services.bind_manager(uow, demo_manager_openid(code), secret, utcnow(),
                              max_failures=5, window=timedelta(hours=1))


def catalogue_rows() -> list[services.SourceRow]:
    """Read the demo catalogue shipped inside the package."""
    text = (resources.files("bot.cli") / "demo_data" / CATALOGUE).read_text(encoding="utf-8")
    return services.read_rows(text, "csv", "product")


def seed_catalogue(uow: UnitOfWork, now: datetime) -> services.ImportReport:
    """Import the demo catalogue like `products import`: unchanged products get no new version."""
    return services.import_products(uow, catalogue_rows(), f"demo:{CATALOGUE}", now)


def seed_faq(uow: UnitOfWork, now: datetime) -> services.FaqReport:
    """Import the demo FAQ like `faq import`: unchanged entries get no new version."""
    text = (resources.files("bot.cli") / "demo_data" / FAQ).read_text(encoding="utf-8")
    return services.import_faq(uow, services.read_rows(text, "csv", "faq"), f"demo:{FAQ}", now)


def seed_classification(uow: SqlUnitOfWork, keys: KeyHasher, seal: Callable[[str], SealedPhone],
                        now: datetime) -> int:
    """Add demo followers with phones, then import four months of balances and two lists the
    way head office would (the last months before this one), so homes show tiers and moves.
    Rows without an openid are people not yet on WeChat. Return the months imported."""
    rows = list(csv.DictReader(io.StringIO(
        (resources.files("bot.cli") / "demo_data" / CLASSIFICATION).read_text("utf-8"))))
    for row in (r for r in rows if r["openid"]):
        if uow.customers.by_openid(row["openid"]) is None:
            services.follow(uow, row["openid"], f"m:{row['manager']}", now - timedelta(days=150))
            services.set_customer_details(uow, row["openid"], row["name"], seal(row["mobile"]),
                                          "demo", now)
    uow.flush()
    this_month = date(now.year, now.month, 1)
    months = [add_months(this_month, back) for back in range(-4, 0)]
    for index, month in enumerate(months, 1):
        _demo_extract(uow, keys, "balances", month, now, ["手机号", "网点", "月日均资产"],
                      [[r["mobile"], r["branch"], r[f"aum_{index}"]] for r in rows])
    for name in sorted({r["lists"] for r in rows if r["lists"]}):
        _demo_extract(uow, keys, f"list:{name}", months[-1], now, ["手机号", "网点"],
                      [[r["mobile"], r["branch"]] for r in rows if r["lists"] == name])
    return len(months)


def _demo_extract(uow: SqlUnitOfWork, keys: KeyHasher, kind: str, month: date, now: datetime,
                  header: list[str], rows: list[list[str]]) -> None:
    extract = ExtractFile(f"demo:{CLASSIFICATION}", "demo", header,
                          list(enumerate(rows, 2)))
    spec = classify_services.parse_spec(kind, f"{month:%Y-%m}")
    classify_services.import_extract(uow, spec, extract, keys, "demo", now)


def seed_talk(uow: UnitOfWork, now: datetime) -> None:
    """Put demo staff online, set the branches' hours and the quick replies (idempotent)."""
    for username in ONLINE:
        account = uow.staff.by_username(username)
        if account is not None and uow.conversations.presence(account.id) is None:
            talk.set_presence(uow, services.scope_of(account), Presence.ONLINE, None, now)
    for code, _name in BRANCHES:
        if (branch := uow.branches.by_code(code)) and uow.conversations.hours(branch.id) is None:
            talk.set_hours(uow, code, *HOURS)
    if not uow.conversations.canned():
        for title, body in CANNED:
            talk.add_canned(uow, None, title, body, now)
