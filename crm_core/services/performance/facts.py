"""The figures a card scores, per manager and month, from the two sources there are.

The imported book gives balances, simulated profit, fees, asset quality and outcome events
(two event names are breaches, not outcomes: a substantiated complaint and a suitability
breach, which the templates' penalties deduct). The complaints and suitability-override
registers add their own breaches to the book's: a substantiated complaint received in the
month, an override made in it. BranchLink's own records give the customers
newly linked to the manager and the referral credit they earned, under the configured credit
model, the leads they contacted within the SLA and converted, their conversations' answer
rate and rating (the conversations' own figures), and the follows, leads and conversions that
campaigns and their shares brought (attribution.py). A month is the Beijing calendar month.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from crm_core.model.performance.profit import BookProfit, ProfitPolicy, book_profit
from crm_core.repositories import performance as sql
from crm_core.repositories.performance import registers
from crm_core.services.collaboration.policy import ReferralPolicy
from crm_core.services.collaboration.records import credit
from crm_core.services.conversations.figures import talk_figures
from crm_core.services.performance.attribution import attributed, values_and_sources
from crm_core.unit_of_work import SqlUnitOfWork

BEIJING = timedelta(hours=8)
TIMEZONE = "Asia/Shanghai"  # the bank's business hours are Beijing time
BREACHES = {"投诉成立": "complaints", "适当性违规": "suitability"}
ZERO = Decimal(0)
REGISTER_ROWS = {"complaints": "complaints", "suitability": "suitability_overrides"}
SHOWN_IDS = 20  # register ids a card line names; its count says how many there were


@dataclass
class MonthFacts:
    """Every manager's figures for a month, the breaches recorded and their sources."""

    values: dict[int, dict[str, Decimal]] = field(default_factory=lambda: defaultdict(dict))
    profits: dict[int, BookProfit] = field(default_factory=dict)
    breaches: dict[int, dict[str, int]] = field(default_factory=lambda: defaultdict(dict))
    referrals: dict[int, list[int]] = field(default_factory=lambda: defaultdict(list))
    sources: dict[int, dict[str, Any]] = field(default_factory=lambda: defaultdict(dict))


def add_months(month: date, count: int) -> date:
    """Return the first day of the month `count` months after `month`."""
    index = month.year * 12 + month.month - 1 + count
    return date(index // 12, index % 12 + 1, 1)


def utc_bounds(month: date) -> tuple[datetime, datetime]:
    """Return a Beijing calendar month as naive UTC start and end."""
    start = datetime.combine(month, time()) - BEIJING
    return start, datetime.combine(add_months(month, 1), time()) - BEIJING


def month_facts(uow: SqlUnitOfWork, month: date, policy: ProfitPolicy,
                referral_policy: ReferralPolicy) -> MonthFacts:
    """Return every manager's figures for `month`."""
    facts = MonthFacts()
    _book(uow, month, policy, facts)
    _events(uow, month, facts)
    _registers(uow, month, facts)
    start, end = utc_bounds(month)
    for manager_id, count in sql.new_links(uow.session, start, end).items():
        facts.values[manager_id]["new_customers"] = Decimal(count)
    _credit(uow, start, end, referral_policy, facts)
    _leads(uow, start, end, facts)
    _talk(uow, start, end, facts)
    _attribution(uow, start, end, facts)
    return facts


def _book(uow: SqlUnitOfWork, month: date, policy: ProfitPolicy, facts: MonthFacts) -> None:
    before = {row.manager_id: row for row in sql.book_totals(uow.session, add_months(month, -1))}
    for row in sql.book_totals(uow.session, month):
        profit = book_profit(row, month, policy)
        facts.profits[row.manager_id] = profit
        facts.values[row.manager_id].update(_book_values(profit, before.get(row.manager_id)))


def _book_values(profit: BookProfit, before: object) -> dict[str, Decimal]:
    loans, bad = profit.loans, profit.overdue + profit.npl
    bad_ratio = (bad * 100 / loans) if loans else ZERO
    prior = book_profit(before, date(2000, 1, 1), ProfitPolicy()) if before is not None else None
    return {"profit": profit.total, "deposits": profit.deposits, "loans": loans,
            "aum_growth": profit.deposits - (prior.deposits if prior else profit.deposits),
            "loan_growth": loans - (prior.loans if prior else loans),
            "deposit_loan": (profit.deposits * 100 / loans) if loans else ZERO,
            "bad_ratio": bad_ratio, "asset_quality": max(ZERO, 100 - bad_ratio),
            "customers": Decimal(profit.customers), "families": Decimal(profit.families),
            "quality": ((profit.deposits + loans) / profit.customers) if profit.customers
            else ZERO, "fees": profit.fees}


def _events(uow: SqlUnitOfWork, month: date, facts: MonthFacts) -> None:
    for manager_id, name, count in sql.event_counts(uow.session, month):
        if name in BREACHES:
            facts.breaches[manager_id][BREACHES[name]] = count
        else:
            values = facts.values[manager_id]
            values["events"] = values.get("events", ZERO) + count


def _registers(uow: SqlUnitOfWork, month: date, facts: MonthFacts) -> None:
    for manager_id, found in registers.breaches(uow.session, month,
                                                add_months(month, 1)).items():
        facts.values[manager_id]  # a breach alone still gives the manager a card
        for fact, ids in found.items():
            book = facts.breaches[manager_id].get(fact, 0)
            facts.breaches[manager_id][fact] = book + len(ids)
            facts.sources[manager_id][fact] = {"rows": REGISTER_ROWS[fact], "count": len(ids),
                                               "ids": ids[:SHOWN_IDS], "book": book}


def _leads(uow: SqlUnitOfWork, start: datetime, end: datetime, facts: MonthFacts) -> None:
    for manager_id, in_sla, converted in sql.lead_figures(uow.session, start, end):
        facts.values[manager_id].update(leads_in_sla=Decimal(int(in_sla or 0)),
                                        leads_converted=Decimal(int(converted or 0)))


def _talk(uow: SqlUnitOfWork, start: datetime, end: datetime, facts: MonthFacts) -> None:
    managers = sql.staff_managers(uow.session)
    for row in talk_figures(uow, start, end, TIMEZONE):
        manager_id = managers.get(row["username"])
        if manager_id is None or not row["conversations"]:
            continue  # an agent of the service desk: not on a manager's card
        values = facts.values[manager_id]
        values["talk_answered"] = Decimal(row["answered"] * 100) / row["conversations"]
        if row["rating"] is not None:
            values["talk_rating"] = Decimal(str(row["rating"]))


def _credit(uow: SqlUnitOfWork, start: datetime, end: datetime, policy: ReferralPolicy,
            facts: MonthFacts) -> None:
    for referral in sql.conversions(uow.session, start, end):
        to_referrer, to_receiver = credit(referral, policy)
        for manager_id, amount in ((referral.referrer_id, to_referrer),
                                   (referral.receiver_id, to_receiver)):
            if manager_id is not None and amount:
                values = facts.values[manager_id]
                values["referral_credit"] = values.get("referral_credit", ZERO) + amount
                facts.referrals[manager_id].append(referral.id)


def _attribution(uow: SqlUnitOfWork, start: datetime, end: datetime, facts: MonthFacts) -> None:
    for manager_id, ids in attributed(uow, start, end).items():
        values, sources = values_and_sources(ids)
        facts.values[manager_id].update(values)
        facts.sources[manager_id].update(sources)
