"""CSV exports of the leads and customers lists, as filtered, for branch heads and head office.

Every export is audited with its filters and row count. Phone numbers go out masked (these
roles never see whole numbers). UTF-8 with a BOM, so Excel on Chinese Windows opens it.
"""

import csv
import io
from collections.abc import Iterable
from dataclasses import replace
from typing import Any

from flask import Response
from flask_login import login_required

from bot import texts
from bot.web.console.blueprint import bp
from bot.web.console.listing import EXPORTERS, page_request
from bot.web.console.support import local_stamp as beijing
from bot.web.console.support import phone_cipher, roles, scope, work
from bot.web.edge import current_runtime
from crm_core import services
from crm_core.model import utcnow
from crm_core.queries.customers import CUSTOMERS
from crm_core.queries.leads import LEADS
from crm_core.queries.paging import ListSpec, PageRequest

EXPORT_MAX = 50_000  # rows in one file; narrow the filters for more
LEAD_COLUMNS = ("编号", "客户", "手机", "来源", "产品", "客户经理", "状态", "创建时间",
                "截止时间", "最新备注")
CUSTOMER_COLUMNS = ("编号", "客户", "手机", "关注状态", "客户经理", "关注时间", "首次接触",
                    "最近互动")
_FORMULA = ("=", "+", "-", "@", "\t", "\r")


@bp.get("/leads.csv")
@login_required
@roles(*EXPORTERS)
def export_leads() -> Response:
    """The leads list as filtered, as a CSV file (an audited export)."""
    wanted = _all_of(LEADS)
    with work() as uow:
        page = services.lead_list(uow, scope(), wanted, utcnow(), _timezone())
        _audit(uow, "leads_exported", wanted, len(page.rows))
    rows = ([r["id"], r["customer"], r["phone_masked"], texts.label("source", r["source"]),
             r["product"], r["manager"], texts.label("lead", r["status"]),
             beijing(r["created_at"]), beijing(r["due_at"]), r["note"]] for r in page.rows)
    return csv_response("leads", LEAD_COLUMNS, rows)


@bp.get("/customers.csv")
@login_required
@roles(*EXPORTERS)
def export_customers() -> Response:
    """The customers list as searched and filtered, as a CSV file (an audited export)."""
    wanted = _all_of(CUSTOMERS)
    with work() as uow:
        page = services.customer_list(uow, scope(), wanted, _timezone(),
                                      phone_cipher().search_digests(wanted.get("q")))
        _audit(uow, "customers_exported", wanted, len(page.rows))
    rows = ([r["id"], r["label"], r["phone_masked"], texts.label("follow", r["follow_state"]),
             r["manager"], beijing(r["followed_at"]), beijing(r["first_touch_at"]),
             beijing(r["last_touch_at"])] for r in page.rows)
    return csv_response("customers", CUSTOMER_COLUMNS, rows)


def _all_of(spec: ListSpec) -> PageRequest:
    return replace(page_request(spec), page=1, size=EXPORT_MAX)


def _audit(uow: Any, action: str, wanted: PageRequest, count: int) -> None:
    services.audit(uow, utcnow(), scope().username, action, scope().username,
                   {"rows": count, "filters": dict(wanted.filters)})
    uow.commit()


def csv_response(name: str, header: Iterable[str], rows: Iterable[list[Any]]) -> Response:
    """Return rows as a CSV download (UTF-8 with a BOM; formula-like cells as text)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows([_cell(value) for value in row] for row in rows)
    stamp = beijing(utcnow(), "%Y%m%d-%H%M")
    return Response("\ufeff" + buffer.getvalue(), mimetype="text/csv",
                    headers={"Content-Disposition":
                             f'attachment; filename="{name}-{stamp}.csv"'})


def _cell(value: Any) -> str:
    # A cell Excel would read as a formula is written as text.
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA) else text


def _timezone() -> str:
    return current_runtime().settings.leads.timezone
