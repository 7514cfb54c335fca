"""Console pages for organisations: the scoped list (import for head office) and one
organisation's page with its owner, products held and contact persons."""

from dataclasses import replace
from datetime import timedelta

from flask import flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import login_required

from bot import refusals, texts
from bot.qrcodes.issuer import CodeIssuer
from bot.web.console import charts
from bot.web.console.blueprint import HEADS, bp
from bot.web.console.codes import ISSUE_ERRORS
from bot.web.console.listing import page_request
from bot.web.console.support import now, roles, scope, work
from bot.web.edge import current_runtime
from bot.workbooks import import_rows
from crm_core import services
from crm_core.model import LeadStatus, OrgKind, Refusal, StaffRole, TradeKind, utcnow
from crm_core.queries.organisations import ORGANISATIONS
from crm_core.services import ImportRejected, RowError
from crm_core.services.organisations import (
    add_relationship,
    chain_lead_row,
    chain_leads_in,
    chain_view,
    import_contacts,
    import_organisations,
    import_relationships,
    key_links_in,
    make_chain_leads,
    organisation_card,
    organisation_list,
    organisation_markets,
    scoped_organisation,
    step_chain_lead,
    unit_scene,
)

IMPORTERS = {"organisation": (import_organisations, "organisations_imported"),
             "contact": (import_contacts, "contacts_imported"),
             "relationship": (import_relationships, "relationships_imported")}


@bp.route("/organisations", methods=["GET", "POST"])
@login_required
def organisations() -> tuple[str, int]:
    """The organisations in scope; head office imports organisations and contacts."""
    errors: list[RowError] = []
    status = 200
    if request.method == "POST":
        errors, status = _import()
    wanted = page_request(ORGANISATIONS)
    with work() as uow:
        page = organisation_list(uow, scope(), wanted)
        markets = organisation_markets(uow, scope())
        chain_leads = chain_leads_in(uow, scope(), now())
    options = {"kind": [(k.value, k.value) for k in OrgKind],
               "market": [(m, m) for m in markets], "key": [("1", "只看关键链条单位")]}
    return render_template("console/organisations.html", page=page, options=options,
                           errors=errors, can_import=scope().role is StaffRole.HEAD_OFFICE,
                           chain_leads=chain_leads, now=now(),
                           may_run=scope().role in HEADS), status


@bp.get("/organisations/<code>")
@login_required
def organisation(code: str) -> str:
    """One organisation: kind, market, owner, products held and contact persons."""
    with work() as uow:
        card = organisation_card(uow, scope(), code)
        view = chain_view(uow, scope(), code)
        names = {n["id"]: n["name"] for n in view["nodes"]}
        relations = [{**e, "from": names[e["source"]], "to": names[e["target"]]}
                     for e in view["edges"] if card["id"] in (e["source"], e["target"])]
        leads = [chain_lead_row(lead, now())
                 for lead in uow.organisations.chain_leads_of(card["id"])]
        scene = unit_scene(scoped_organisation(uow, scope(), code))
        issued = next((c for c in services.list_codes(uow, card["branch"])
                       if c["scene"] == scene), None)
    chart = charts.chain_graph(view) if view["edges"] else None
    return render_template("console/organisation.html", org=card, chart=chart,
                           relations=relations, leads=leads, now=now(), scene=scene,
                           issued=issued, may_issue=scope().role in HEADS,
                           trade_kinds=[k.value for k in TradeKind])


@bp.post("/organisations/<code>/relationships")
@login_required
def relationship_add(code: str) -> ResponseReturnValue:
    """Record one relationship by hand, with the import's checks, audited."""
    fields = {name: request.form.get(name, "").strip()
              for name in ("counterparty", "kind", "monthly_volume", "as_of")}
    with work() as uow:
        try:
            report = add_relationship(uow, scope(), code, fields, scope().username, now())
        except ImportRejected as rejected:
            flash(texts.RELATIONSHIP_REFUSED.format(reason="；".join(
                refusals.say(e.code, e.params) for e in rejected.errors)))
        else:
            services.audit(uow, now(), scope().username, "relationship_entered", code[:64],
                           {"created": report.created, "updated": report.updated})
            uow.commit()
            flash(texts.RELATIONSHIP_SAVED)
    return redirect(url_for("console.organisation", code=code), 303)


@bp.post("/organisations/<code>/unit-code")
@login_required
@roles(*HEADS)
def unit_code(code: str) -> ResponseReturnValue:
    """Issue (or reuse) the organisation's partner-unit QR code."""
    with work() as uow:
        scene = unit_scene(scoped_organisation(uow, scope(), code))
    rt = current_runtime()
    try:
        with CodeIssuer(rt.uow, rt.api) as issuer:
            issuer.issue(scene, days=None, scope=scope())
    except ISSUE_ERRORS as error:
        flash(texts.CODE_FAILED.format(reason=refusals.explain(error)))
    else:
        flash(texts.CODE_READY.format(scene=scene))
    return redirect(url_for("console.organisation", code=code), 303)


@bp.post("/organisations/chain-leads")
@login_required
@roles(*HEADS)
def chain_leads() -> ResponseReturnValue:
    """Turn the counterparties of the scope's key links into chain leads now."""
    sla = timedelta(minutes=current_runtime().settings.leads.contact_sla_minutes)
    with work() as uow:
        report = make_chain_leads(uow, now(), sla, key_links_in(uow, scope()))
        services.audit(uow, now(), scope().username, "chain_leads_made", "chains",
                       {"created": len(report.created)})
        uow.commit()
    flash(texts.CHAIN_LEADS_MADE.format(created=len(report.created),
                                        open=report.already_open))
    return redirect(url_for("console.organisations"), 303)


@bp.post("/organisations/chain-leads/<int:lead_id>/status")
@login_required
def chain_lead_step(lead_id: int) -> ResponseReturnValue:
    """Move a chain lead on (contacted, converted, lost), audited."""
    choice, back = request.form.get("status", ""), request.form.get("back", "list")
    with work() as uow:
        try:
            lead = step_chain_lead(uow, scope(), lead_id, LeadStatus(choice), now())
        except (ValueError, Refusal) as error:
            flash(refusals.explain(error) if isinstance(error, Refusal)
                  else texts.LEAD_PICK_STATUS)
        else:
            services.audit(uow, now(), scope().username, "chain_lead_moved", str(lead_id),
                           {"status": choice, "organisation": lead.organisation.code})
            flash(texts.CHAIN_LEAD_MOVED.format(name=lead.organisation.name,
                                                status=texts.label("lead", choice)))
            uow.commit()
    if back != "list":
        return redirect(url_for("console.organisation", code=back), 303)
    return redirect(url_for("console.organisations"), 303)


def _import() -> tuple[list[RowError], int]:
    if scope().role is not StaffRole.HEAD_OFFICE:
        return [RowError(0, texts.ORG_IMPORT_HEAD_OFFICE_ONLY)], 403
    upload = request.files.get("file")
    table = request.form.get("table", "organisation")
    if upload is None or not upload.filename or table not in IMPORTERS:
        return [RowError(0, texts.ORG_IMPORT_PICK_FILE)], 400
    importer, action = IMPORTERS[table]
    try:
        rows = import_rows(upload.read(), upload.filename, table)
        with work() as uow:
            report = importer(uow, rows, upload.filename, utcnow())
            services.audit(uow, utcnow(), scope().username, action, upload.filename[:64],
                           {"created": len(report.created), "updated": len(report.updated)})
            uow.commit()
    except ImportRejected as rejected:
        return [replace(e, reason=refusals.say(e.code, e.params)) for e in rejected.errors], 422
    except Refusal as error:
        return [RowError(0, refusals.explain(error))], 400
    flash(texts.ORG_IMPORT_DONE.format(created=len(report.created),
                                       updated=len(report.updated)))
    return [], 200
