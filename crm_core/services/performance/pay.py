"""Pay by results (创利计酬): a share of the simulated profit created above a threshold, for a
card that reached the minimum score, with the deferral the regulator expects of risk-relevant
roles and a clawback flag. The result is a file for payroll: nothing here pays anyone.

Only a frozen month is exported, so payroll never sees figures that may still change; each
export is audited with who took it and the sum.
"""

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import select

from crm_core.model import AuditEvent, Branch, Manager, ManagerRole, Refusal
from crm_core.model.performance import MonthState, Scorecard
from crm_core.repositories import performance as sql
from crm_core.unit_of_work import SqlUnitOfWork

CENT, ZERO, HUNDRED = Decimal("0.01"), Decimal(0), Decimal(100)
RISK_ROLES = (ManagerRole.LOAN, ManagerRole.WEALTH, ManagerRole.CORPORATE)


@dataclass(frozen=True)
class PayRule:
    """Rate (percent) of the profit above the threshold, the score a card needs, and the
    share deferred (percent) over so many years for risk-relevant roles."""

    rate: Decimal = Decimal(5)
    threshold: Decimal = Decimal(0)
    min_score: Decimal = Decimal(60)
    deferral: Decimal = Decimal(40)
    years: int = 3

    def check(self) -> "PayRule":
        """Return the rule, or refuse the first value out of range."""
        for name, value, high in (("rate", self.rate, HUNDRED), ("deferral", self.deferral,
                                                                   HUNDRED),
                                  ("min_score", self.min_score, Decimal(200))):
            if not ZERO <= value <= high:
                raise Refusal("bad_pay_rule", "value out of range", field=name)
        if not 1 <= self.years <= 10 or self.threshold < 0:
            raise Refusal("bad_pay_rule", "value out of range", field="years")
        return self


@dataclass(frozen=True)
class PayLine:
    """One manager's line in the payroll file."""

    manager_code: str
    manager_name: str
    branch_name: str
    role: ManagerRole
    total: Decimal
    profit: Decimal
    pay: Decimal
    now: Decimal
    deferred: tuple[Decimal, ...]  # by year
    clawback: bool


def split_pay(pay: Decimal, role: ManagerRole, rule: PayRule) -> tuple[Decimal, tuple[
        Decimal, ...]]:
    """Return what is paid now and what is deferred each year (the last takes the fen left)."""
    if role not in RISK_ROLES or pay <= 0:
        return pay, ()
    deferred = (pay * rule.deferral / HUNDRED).quantize(CENT)
    share = (deferred / rule.years).quantize(CENT)
    years = (share,) * (rule.years - 1) + (deferred - share * (rule.years - 1),)
    return pay - deferred, years


def pay_line(card: Scorecard, code: str, name: str, branch: str, rule: PayRule) -> PayLine:
    """Return a card's pay: the rate of the profit above the threshold, if the score is met."""
    earned = card.total >= rule.min_score and card.profit > rule.threshold
    pay = ((card.profit - rule.threshold) * rule.rate / HUNDRED).quantize(CENT) if earned \
        else ZERO
    now, deferred = split_pay(pay, card.role, rule)
    vetoed = any(line.get("veto") or line.get("breaches") for line in card.lines)
    return PayLine(code, name, branch, card.role, card.total, card.profit, pay, now, deferred,
                   card.role in RISK_ROLES or vetoed)


def payroll(uow: SqlUnitOfWork, month: date, rule: PayRule, staff: str,
            now: datetime) -> list[PayLine]:
    """Return a frozen month's pay lines for payroll (audited); a draft month is refused."""
    record = sql.month_of(uow.session, month)
    if record is None or record.state is not MonthState.FROZEN:
        raise Refusal("month_not_frozen", "month not frozen", month=f"{month:%Y-%m}")
    rule.check()
    stmt = (select(Scorecard, Manager.code, Manager.name, Branch.name)
            .join(Manager, Manager.id == Scorecard.manager_id)
            .join(Branch, Branch.id == Manager.branch_id)
            .where(Scorecard.month == month).order_by(Branch.code, Manager.code))
    lines = [pay_line(card, code, name, branch, rule)
             for card, code, name, branch in uow.session.execute(stmt)]
    uow.audit.add(AuditEvent(actor=staff, action="payroll_export", at=now,
                             subject=f"payroll:{month:%Y-%m}",
                             detail={"lines": len(lines),
                                     "pay": str(sum((p.pay for p in lines), ZERO))}))
    return lines
