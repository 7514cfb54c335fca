"""Performance: book extracts, simulated profit, scorecards, monthly runs and pay by results."""

from crm_core.model.performance.profit import BookProfit, ProfitPolicy, row_profit
from crm_core.services.performance.extracts import ALIASES as BOOK_COLUMNS
from crm_core.services.performance.facts import add_months, month_facts
from crm_core.services.performance.imports import BookFile, import_book, is_draft, open_month
from crm_core.services.performance.pay import PayLine, PayRule, payroll, split_pay
from crm_core.services.performance.runs import RunPolicy, approve_month, run_month
from crm_core.services.performance.scoring import completion, rank_percent
from crm_core.services.performance.targets import import_targets
from crm_core.services.performance.templates import (
    DEFAULTS,
    METRICS,
    check_rules,
    current_template,
    save_template,
)

__all__ = [
    "BOOK_COLUMNS",
    "DEFAULTS",
    "METRICS",
    "BookFile",
    "BookProfit",
    "PayLine",
    "PayRule",
    "ProfitPolicy",
    "RunPolicy",
    "add_months",
    "approve_month",
    "check_rules",
    "completion",
    "current_template",
    "import_book",
    "import_targets",
    "is_draft",
    "month_facts",
    "open_month",
    "payroll",
    "rank_percent",
    "row_profit",
    "run_month",
    "save_template",
    "split_pay",
]
