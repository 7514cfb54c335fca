"""The demo's scorecards: three months of book extracts for the demo managers (deposits,
loans with a little overdue, fees and outcome events), each month run, the oldest two approved
and frozen, so the cards, the league table and the trend show real figures at once. The
latest month has a substantiated complaint about the wealth manager, so its card shows the
deduction and links to the register."""

import random
from datetime import date, datetime, timedelta

from sqlalchemy import select

from bot.cli.demo import MANAGERS
from crm_core import services
from crm_core.model import Customer, ManagerRole, Scope, StaffRole, local_date
from crm_core.model.performance.registers import Complaint, ComplaintChannel
from crm_core.services import performance as scores
from crm_core.services.classification import KeyHasher
from crm_core.services.performance.registers import (
    ComplaintForm,
    decide_complaint,
    record_complaint,
)
from crm_core.unit_of_work import SqlUnitOfWork

HEADER = "客户号,客户经理,类型,月日均余额,客户利率,FTP利率,产品,中间业务收入,逾期金额,不良金额"
FAMILIES = ("基金", "保险", "理财", "贵金属")
EVENTS = ("开户", "放款", "购买")
CUSTOMERS = 12  # per manager
COMPLAINED_OF = "SH001-01"  # the demo's wealth manager
DEMO = Scope(0, "demo", "演示数据", StaffRole.HEAD_OFFICE, None, None)


def demo_months(now: datetime, timezone: str) -> list[date]:
    """Return the three months before this one (Beijing calendar), oldest first."""
    this = local_date(now, timezone).replace(day=1)
    return [scores.add_months(this, -back) for back in (3, 2, 1)]


def book_text(month: date) -> str:
    """Return a month's demo extract as CSV text (the same every time it is made)."""
    lines = [HEADER]
    for index, (code, _, _, _, role) in enumerate(MANAGERS):
        pick = random.Random(f"{code}{month:%Y%m}")  # noqa: S311 - demo figures, not secrets
        growth = 1 + (month.month % 3) * 0.04
        for number in range(CUSTOMERS):
            lines += _customer(pick, f"6222{index:02d}{number:06d}", code, role, growth)
    return "\n".join(lines) + "\n"


def _customer(pick: random.Random, number: str, code: str, role: ManagerRole,
              growth: float) -> list[str]:
    deposit = round(pick.uniform(200_000, 4_000_000) * growth, 2)
    rows = [f"{number},{code},存款,{deposit},{pick.choice(('0.35', '1.45', '1.75'))},2.30,,,,"]
    if role in (ManagerRole.LOAN, ManagerRole.CORPORATE) or pick.random() < 0.2:
        loan = round(pick.uniform(300_000, 2_000_000) * growth, 2)
        overdue = round(loan * 0.04, 2) if pick.random() < 0.1 else ""
        rows.append(f"{number},{code},贷款,{loan},{pick.choice(('3.65', '4.20'))},2.60,,,"
                    f"{overdue},")
    if pick.random() < 0.5:
        rows.append(f"{number},{code},中收,,,,{pick.choice(FAMILIES)},"
                    f"{pick.randint(200, 6000)},,")
    if pick.random() < 0.3:
        rows.append(f"{number},{code},事件,,,,{pick.choice(EVENTS)},,,")
    return rows


def seed_scorecards(uow: SqlUnitOfWork, keys: KeyHasher, policy: scores.RunPolicy,
                    now: datetime, timezone: str) -> int:
    """Import, run and (the oldest two) approve the demo months; return the cards made.
    A month already frozen is left as it is, so seeding again changes nothing."""
    made = 0
    months = demo_months(now, timezone)
    complain(uow, months[-1] + timedelta(days=9), now)
    for month in months:
        if not scores.is_draft(uow, month):
            continue
        rows = services.read_rows(book_text(month), "csv", "book")
        scores.import_book(uow, month, scores.BookFile(f"demo-{month:%Y-%m}.csv", "0" * 64,
                                                       rows), keys, "demo", now)
        made += scores.run_month(uow, month, policy, "demo", now)
        if month != months[-1]:
            scores.approve_month(uow, month, "demo", now)
    return made


def complain(uow: SqlUnitOfWork, received_on: date, now: datetime) -> None:
    """Record and substantiate one complaint about the wealth manager (once)."""
    manager = uow.managers.by_code(COMPLAINED_OF)
    customer = uow.session.scalar(select(Customer.id).where(
        Customer.current_manager_id == (manager.id if manager else -1)).order_by(Customer.id))
    known = uow.session.scalar(select(Complaint.id).where(
        Complaint.manager_id == (manager.id if manager else -1)))
    if customer is None or known is not None:
        return
    found = record_complaint(uow, DEMO, ComplaintForm(
        customer, COMPLAINED_OF, received_on, ComplaintChannel.PHONE, "理财产品风险提示不充分",
        "客户来电称购买理财时只听到预期收益，没有听到可能亏损本金的提示，要求说明。"),
        received_on, now)
    decide_complaint(uow, DEMO, found.id, True, "调阅双录视频，确未完整提示风险", now)
