"""The payroll file of pay by results: one row per manager under Chinese headers, the same
from the command line and the console (payroll reads it; nothing here pays anyone)."""

from typing import Any

from bot import texts
from crm_core.services.performance import PayLine


def payroll_rows(lines: list[PayLine]) -> list[list[Any]]:
    """Return pay lines as the payroll file's rows (deferred amounts by year, joined)."""
    return [[p.manager_code, p.manager_name, p.branch_name,
             texts.REFERRAL_LINES.get(p.role.value, p.role.value), p.total, p.profit, p.pay,
             p.now, "、".join(str(d) for d in p.deferred) or "无",
             "是" if p.clawback else "否"] for p in lines]
