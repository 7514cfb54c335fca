"""What the segment pages and the staff API share: the moment a rule is counted at, a
refusal said in Chinese with the JSON path of the fault, the builder's options, the charts."""

import json
from typing import Any

from bot.labels import LABELS, label
from bot.refusals import explain
from bot.web.edge import current_runtime
from crm_core import services
from crm_core.model import Scope, utcnow
from crm_core.queries.segments.compile import Moment
from crm_core.unit_of_work import SqlUnitOfWork

BREAKDOWN_TITLES = {"branch": "按网点", "manager": "按客户经理", "tier": "按资产层级"}
UNKNOWN = "未归属"


def segment_moment() -> Moment:
    """Return now, with Beijing's date and the configured validity of risk assessments."""
    settings = current_runtime().settings
    return services.segments.moment(utcnow(), settings.leads.timezone,
                                    settings.products.assessment_validity_days)


def refusal(error: Exception) -> dict[str, Any]:
    """Return a refused rule or segment as {message, path} (path: None for a whole segment)."""
    return {"message": explain(error), "path": getattr(error, "path", None)}


def read_rule(text: str | None) -> Any:
    """Parse the builder's rule text (JSON); unreadable text is a rule of the wrong shape."""
    try:
        return json.loads(text or "")
    except ValueError:
        return None


def builder_options(uow: SqlUnitOfWork, scope: Scope) -> list[dict[str, Any]]:
    """Return the builder's dimensions as JSON for console.js: names, comparisons, values."""
    names = {**{code: label("segment_dim", code) for code in ("follow", "branch", "manager")},
             **{code: label("segment_value", code) for code in ("mass", "potential", "affluent",
                                                                 "vip", "private", "new",
                                                                 "growing", "mature",
                                                                 "declining", "dormant",
                                                                 "lost", "following",
                                                                 "unfollowed", "unknown",
                                                                 "mobile:active",
                                                                 "mobile:inactive")}}
    return [{"code": d.code, "name": d.name, "profiling": d.profiling, "input": d.input,
             "monthly": d.monthly, "values": [list(v) for v in d.values],
             "ops": [[op, _op_name(d.code, op)] for op in d.ops]}
            for d in services.segments.rule_choices(uow, scope, names)]


def _op_name(code: str, op: str) -> str:
    # 渠道 compares only the last-login month: say so in the comparison's name.
    return label("channel_op", op) if code == "channel" and op in LABELS["channel_op"] \
        else label("segment_op", op)


def breakdown_charts(breakdown: dict[str, list[tuple[str | None, int]]]) -> dict[str, Any]:
    """Return one horizontal bar chart per breakdown (branch, manager, tier)."""
    return {by: _bars(BREAKDOWN_TITLES[by], [(_name(by, name), n) for name, n in rows])
            for by, rows in breakdown.items()}


def _name(by: str, name: str | None) -> str:
    if name is None:
        return UNKNOWN
    return label("segment_value", name) if by == "tier" else name


def _bars(title: str, rows: list[tuple[str, int]]) -> dict[str, Any]:
    rows = rows[:15]
    return {"title": {"text": title, "textStyle": {"fontSize": 14}}, "animation": False,
            "tooltip": {"trigger": "axis", "axisPointer": {"type": "shadow"}},
            "grid": {"left": 8, "right": 24, "top": 36, "bottom": 8, "containLabel": True},
            "xAxis": {"type": "value", "minInterval": 1, "splitNumber": 3},
            "yAxis": {"type": "category", "inverse": True, "data": [n for n, _ in rows]},
            "series": [{"type": "bar", "name": "客户数", "data": [v for _, v in rows],
                        "itemStyle": {"color": "#206bc4"}, "label": {"show": True,
                                                                      "position": "right"}}]}
