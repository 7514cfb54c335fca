"""Console pages for organisations: the scoped list (import for head office) and one
organisation's page with its owner, products held and contact persons."""

from dataclasses import replace

from flask import flash, render_template, request
from flask_login import login_required

from bot import refusals, texts
from bot.web.console.blueprint import bp
from bot.web.console.listing import page_request
from bot.web.console.support import scope, work
from bot.workbooks import import_rows
from crm_core import services
from crm_core.model import OrgKind, Refusal, StaffRole, utcnow
from crm_core.queries.organisations import ORGANISATIONS
from crm_core.services import ImportRejected, RowError
from crm_core.services.organisations import (
    import_contacts,
    import_organisations,
    organisation_card,
    organisation_list,
    organisation_markets,
)

IMPORTERS = {"organisation": (import_organisations, "organisations_imported"),
             "contact": (import_contacts, "contacts_imported")}


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
    options = {"kind": [(k.value, k.value) for k in OrgKind],
               "market": [(m, m) for m in markets], "key": [("1", "只看关键链条单位")]}
    return render_template("console/organisations.html", page=page, options=options,
                           errors=errors, can_import=scope().role is StaffRole.HEAD_OFFICE), \
        status


@bp.get("/organisations/<code>")
@login_required
def organisation(code: str) -> str:
    """One organisation: kind, market, owner, products held and contact persons."""
    with work() as uow:
        card = organisation_card(uow, scope(), code)
    return render_template("console/organisation.html", org=card)


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
