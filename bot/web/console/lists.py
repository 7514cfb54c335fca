"""Console lists of leads and customers: counted, paged, sorted and filtered in the URL."""

from typing import Any

from flask import render_template
from flask_login import login_required

from bot import texts
from bot.web.console.blueprint import bp
from bot.web.console.listing import filter_options, may_export, page_request
from bot.web.console.support import phone_cipher, scope, work
from bot.web.edge import current_runtime
from crm_core import services
from crm_core.model import FollowState, LeadStatus, utcnow
from crm_core.queries.customers import CUSTOMERS
from crm_core.queries.leads import LEADS
from crm_core.queries.paging import Page


@bp.get("/leads")
@login_required
def leads() -> str:
    """The leads in scope (open ones by default), due first, with filters and pages."""
    wanted = page_request(LEADS)
    with work() as uow:
        page = services.lead_list(uow, scope(), wanted, utcnow(), _timezone())
        options = filter_options(services.filter_choices(uow, scope(), wanted.get("branch")))
        _show_phones(uow, page)
    options["status"] = [("all", "全部")] + [(s.value, texts.label("lead", s.value))
                                           for s in LeadStatus]
    options["source"] = [(s, texts.label("source", s)) for s in texts.LABELS["source"]
                         if s != "direct"]
    return render_template("console/leads.html", page=page, options=options,
                           role=scope().role.value, now=utcnow(), may_export=may_export())


@bp.get("/customers")
@login_required
def customers() -> str:
    """The customers in scope: search (name, openid, phone), filters, sorts and pages."""
    wanted = page_request(CUSTOMERS)
    with work() as uow:
        page = services.customer_list(uow, scope(), wanted, _timezone(),
                                      phone_cipher().search_digests(wanted.get("q")))
        options = filter_options(services.filter_choices(uow, scope(), wanted.get("branch")))
    options["follow"] = [(s.value, texts.label("follow", s.value)) for s in FollowState]
    return render_template("console/customers.html", page=page, options=options,
                           role=scope().role.value, now=utcnow(), may_export=may_export())


def _show_phones(uow: Any, page: Page[dict[str, Any]]) -> None:
    # A manager's own customers' numbers, decrypted for a tel: link; the showing is audited.
    cipher, shown = phone_cipher(), []
    for row in page.rows:
        stored = row.pop("phone_cipher")
        row["phone"] = cipher.decrypt(stored) if stored else None
        if row["phone"]:
            shown.append(row["customer_id"])
    if shown:
        services.audit(uow, utcnow(), scope().username, "pii_viewed", "leads",
                       {"customers": shown})
        uow.commit()


def _timezone() -> str:
    return current_runtime().settings.leads.timezone

