"""Demo segments, so the console's 客群 pages have something to count from the first run."""

from datetime import datetime
from typing import Any

from crm_core import services
from crm_core.model import Scope, StaffRole
from crm_core.model.segments import RuleError
from crm_core.unit_of_work import SqlUnitOfWork, UnitOfWork

OWNER = Scope(0, "admin", "总行管理员", StaffRole.HEAD_OFFICE, None, None)
SEGMENTS: tuple[tuple[str, dict[str, Any]], ...] = (
    ("新市民与代发客户（富裕及以上）", {"all": [
        {"dim": "group", "op": "member", "value": ["新市民", "代发客户"]},
        {"dim": "tier", "op": "in", "value": ["affluent", "vip", "private"]}]}),
    ("贵宾及私行客户", {"all": [{"dim": "tier", "op": "in", "value": ["vip", "private"]},
                               {"dim": "follow", "op": "eq", "value": "following"}]}),
    ("近 30 天活跃的关注者", {"all": [{"dim": "channel", "op": "within_days", "value": 30},
                                    {"dim": "follow", "op": "eq", "value": "following"}]}),
    ("问过理财、评估有效的客户", {"all": [{"dim": "interest", "op": "eq", "value": "理财"},
                                        {"dim": "risk", "op": "gte", "value": 2},
                                        {"not": {"dim": "follow", "op": "eq",
                                                 "value": "unfollowed"}}]}),
)


def seed_segments(uow: UnitOfWork, now: datetime) -> int:
    """Save the demo segments that do not exist yet (by name); return how many were added."""
    assert isinstance(uow, SqlUnitOfWork)  # noqa: S101 - segments are counted in SQL
    known = {card.name for card in services.segments.segment_cards(uow, OWNER)}
    added = 0
    for name, rule in SEGMENTS:
        if name in known:
            continue
        try:
            services.segments.create_segment(uow, OWNER, name, rule, now)
            added += 1
        except RuleError:  # a list the demo classification did not import: left out
            continue
    return added
