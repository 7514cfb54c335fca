"""The manager's view of their customers by classification: how many in each tier and group,
and who moved tier this month (up or down), so they know whom to call first."""

from typing import Any

from crm_core.model import Scope, Tier
from crm_core.queries import classification as reads
from crm_core.repositories.classification.derived import add_months
from crm_core.services.customers import customer_label
from crm_core.unit_of_work import SqlUnitOfWork

RANK = {tier.value: index for index, tier in enumerate(Tier)}
MOVES_SHOWN = 20


def tier_board(uow: SqlUnitOfWork, scope: Scope, limit: int = MOVES_SHOWN) -> dict[str, Any]:
    """Return the scope's customers by tier (highest first) and group, and this month's moves."""
    month = reads.latest_month(uow.session, "tier")
    tiers = dict(reads.value_counts(uow.session, scope, "tier"))
    board: dict[str, Any] = {
        "month": month,
        "tiers": [(tier.value, tiers.get(tier.value, 0)) for tier in reversed(Tier)],
        "groups": reads.value_counts(uow.session, scope, "group"),
        "up": [], "down": [],
    }
    if month is None:
        return board
    for move in reads.tier_moves(uow.session, scope, month, add_months(month, -1), limit * 4):
        move["label"] = move["name"] or customer_label(move["openid"])
        key = "up" if RANK[move["now"]] > RANK[move["was"]] else "down"
        if len(board[key]) < limit:
            board[key].append(move)
    return board
