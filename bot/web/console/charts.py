"""ECharts options of the home pages' charts: plain JSON-able dicts, drawn by console.js."""

from typing import Any

from bot import texts
from crm_core.model import LeadStatus

# Lead statuses in the order staff work them, each with its colour (Tabler's palette).
STATUS_COLOURS = {LeadStatus.NEW: "#f59f00", LeadStatus.CONTACTED: "#206bc4",
                  LeadStatus.CONVERTED: "#2fb344", LeadStatus.LOST: "#9aa0ac"}
ZOOM_FROM = 12  # with more bars than this a chart shows the first ones and a slider
RED, BLUE, AMBER = "#b3202a", "#206bc4", "#f59f00"


def leads_by_status(figures: dict[str, int]) -> dict[str, Any]:
    """A ring of a branch's leads by status."""
    data = [{"name": texts.label("lead", s.value), "value": figures[f"leads_{s.value}"],
             "itemStyle": {"color": colour}} for s, colour in STATUS_COLOURS.items()]
    return {"title": {"text": "线索状态"}, "tooltip": {"trigger": "item"}, "animation": False,
            "legend": {"bottom": 0},
            "series": [{"type": "pie", "radius": ["40%", "65%"], "data": data,
                        "minShowLabelAngle": 1,
                        "label": {"position": "inside", "formatter": "{c}", "color": "#fff"}}]}


def managers_load(managers: list[dict[str, Any]]) -> dict[str, Any]:
    """Each manager's customers, and their open leads with the overdue ones marked."""
    return _side_by_side("客户经理负荷", [m["name"] for m in managers],
                         [m["customers"] for m in managers],
                         [m["open_leads"] - m["overdue_leads"] for m in managers],
                         [m["overdue_leads"] for m in managers])


def network(branches: list[dict[str, Any]]) -> dict[str, Any]:
    """Each branch's customers, and its open leads with the overdue ones marked."""
    counted = [(b["name"], b["figures"]) for b in branches if b["figures"]]
    return _side_by_side("各网点客户与线索", [name for name, _ in counted],
                         [f["customers"] for _, f in counted],
                         [f["leads_open"] - f["leads_overdue"] for _, f in counted],
                         [f["leads_overdue"] for _, f in counted])


def _side_by_side(title: str, names: list[str], customers: list[int], on_time: list[int],
                  late: list[int]) -> dict[str, Any]:
    # Two panels of horizontal bars sharing the rows (customers run to thousands, leads to
    # tens): long Chinese names read across, and a phone scrolls down, not sideways.
    rows = {"type": "category", "data": names, "inverse": True}
    options: dict[str, Any] = {
        "title": {"text": title}, "legend": {"bottom": 0}, "animation": False,
        "tooltip": {"trigger": "axis", "axisPointer": {"type": "shadow"}},
        "grid": [{"left": 8, "width": "44%", "top": 76, "bottom": 40, "containLabel": True},
                 {"right": 16, "width": "38%", "top": 76, "bottom": 40, "containLabel": True}],
        "yAxis": [rows | {"gridIndex": 0},
                  rows | {"gridIndex": 1, "axisLabel": {"show": False}}],
        "xAxis": [{"type": "value", "gridIndex": i, "name": name, "nameLocation": "middle",
                   "nameGap": 26, "position": "top", "minInterval": 1, "splitNumber": 3,
                   "axisLabel": {"hideOverlap": True}}
                  for i, name in enumerate(("客户数", "未关闭线索"))],
        "series": [_bar("客户数", customers, BLUE, 0), _bar("未超时线索", on_time, AMBER, 1),
                   _bar("超时线索", late, RED, 1)]}
    if len(names) > ZOOM_FROM:
        options["dataZoom"] = [{"type": "inside", "yAxisIndex": [0, 1], "startValue": 0,
                                "endValue": ZOOM_FROM - 1},
                               {"type": "slider", "yAxisIndex": [0, 1], "right": 0,
                                "width": 12}]
    return options


def _bar(name: str, values: list[int], colour: str, panel: int) -> dict[str, Any]:
    return {"type": "bar", "name": name, "data": values, "xAxisIndex": panel,
            "yAxisIndex": panel, "stack": f"panel{panel}", "itemStyle": {"color": colour}}


# The chain around an organisation: the centre, key links, the bank's customers, the others.
CHAIN_CATEGORIES = (("本单位", "#206bc4"), ("关键链条单位", "#f76707"),
                    ("我行客户", "#2fb344"), ("尚非我行客户", "#9aa0ac"))


def chain_graph(view: dict[str, Any]) -> dict[str, Any]:
    """A force-laid graph of the organisations two hops around one, edges named by kind."""
    def category(node: dict[str, Any]) -> int:
        if node["code"] == view["centre"]:
            return 0
        return 1 if node["key_link"] else (2 if node["customer"] else 3)
    nodes = [{"id": str(n["id"]), "name": n["name"], "category": category(n),
              "symbolSize": 34 - 8 * n["depth"], "value": n["kind"]} for n in view["nodes"]]
    links = [{"source": str(e["source"]), "target": str(e["target"]),
              "value": e["kind"], "label": {"show": True, "formatter": e["kind"]}}
             for e in view["edges"]]
    return {"title": {"text": "交易链条（两层）"}, "tooltip": {}, "animation": False,
            "legend": {"bottom": 0, "data": [name for name, _ in CHAIN_CATEGORIES]},
            "series": [{"type": "graph", "layout": "force", "roam": True, "draggable": True,
                        "label": {"show": True, "position": "right", "fontSize": 11},
                        "edgeSymbol": ["none", "arrow"], "edgeLabel": {"fontSize": 10},
                        "force": {"repulsion": 260, "edgeLength": [60, 140]},
                        "categories": [{"name": name, "itemStyle": {"color": colour}}
                                       for name, colour in CHAIN_CATEGORIES],
                        "data": nodes, "links": links}]}


def league(title: str, rows: list[tuple[str, float]]) -> dict[str, Any]:
    """A role's league table as horizontal bars, best at the top (names read across)."""
    options: dict[str, Any] = {
        "title": {"text": title}, "animation": False, "tooltip": {"trigger": "axis"},
        "grid": {"left": 8, "right": 24, "top": 48, "bottom": 8, "containLabel": True},
        "yAxis": {"type": "category", "inverse": True, "data": [name for name, _ in rows]},
        "xAxis": {"type": "value", "max": 120},
        "series": [{"type": "bar", "data": [score for _, score in rows],
                    "itemStyle": {"color": BLUE}, "label": {"show": True,
                                                           "position": "right"}}]}
    if len(rows) > ZOOM_FROM:
        options["dataZoom"] = [{"type": "inside", "yAxisIndex": 0, "startValue": 0,
                                "endValue": ZOOM_FROM - 1},
                               {"type": "slider", "yAxisIndex": 0, "right": 0, "width": 12}]
    return options


def trend(months: list[str], totals: list[float], profits: list[float]) -> dict[str, Any]:
    """A manager's score and simulated profit by month (two axes)."""
    return {"title": {"text": "得分与模拟利润走势"}, "animation": False,
            "tooltip": {"trigger": "axis"}, "legend": {"bottom": 0},
            "grid": {"left": 8, "right": 8, "top": 48, "bottom": 40, "containLabel": True},
            "xAxis": {"type": "category", "data": months},
            "yAxis": [{"type": "value", "name": "得分"}, {"type": "value", "name": "元"}],
            "series": [{"type": "line", "name": "得分", "data": totals,
                        "itemStyle": {"color": BLUE}},
                       {"type": "bar", "name": "模拟利润", "yAxisIndex": 1, "data": profits,
                        "itemStyle": {"color": AMBER}}]}
