"""Moving customers between managers: choose by name, preview who moves (and their open
leads), then confirm. A post without the preview's fingerprint only shows the preview."""

from typing import Any

from flask import flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import login_required

from bot import texts
from bot.web.console.blueprint import HEADS, bp
from bot.web.console.pick import manager_text
from bot.web.console.support import customer_choice, now, roles, scope, transfer_refusal, work
from bot.web.edge import current_runtime
from crm_core import services
from crm_core.model import OutOfScope
from crm_core.queries.picks import SqlPicks
from crm_core.unit_of_work import SqlUnitOfWork


@bp.get("/transfer")
@login_required
@roles(*HEADS)
def transfer() -> str:
    """The transfer form, prefilled from the query (`from`, `customers`) when given."""
    form = {"from": request.args.get("from", ""), "to": "",
            "customers": request.args.getlist("customers"), "all": ""}
    with work() as uow:
        return render_template("console/transfer.html", form=form, **_chosen(uow, form))


@bp.post("/transfer")
@login_required
@roles(*HEADS)
def transfer_post() -> ResponseReturnValue:
    """Preview the transfer, or do it when the preview was confirmed (`expect`)."""
    form = _form()
    with work() as uow:
        try:
            customers = customer_choice(",".join(form["customers"]), form["all"] == "1")
            if not form["expect"]:
                plan = services.plan_transfer(uow, scope(), form["from"], form["to"], customers)
                return render_template("console/transfer_preview.html", plan=plan, form=form)
            done = services.move_customers(
                uow, scope(), form["from"], form["to"], customers, now(),
                current_runtime().settings.transfer.notify_customers, expect=form["expect"])
        except services.TransferRefused as error:
            return _refused(uow, form, texts.TRANSFER_REFUSED.format(
                reason=transfer_refusal(error)))
        except LookupError:
            return _refused(uow, form, texts.TRANSFER_UNKNOWN_MANAGER.format(
                name=_unknown(uow, form)))
        except OutOfScope:
            return _refused(uow, form, texts.TRANSFER_OUT_OF_SCOPE)
        uow.commit()
    moved, leads = len(done.customers), len(done.leads)
    flash(texts.TRANSFER_MOVED.format(moved=moved, leads=leads) if moved
          else texts.TRANSFER_NONE)
    return redirect(url_for("console.transfer"), 303)


def _form() -> dict[str, Any]:
    form = request.form
    listed = [part for value in form.getlist("customers") for part in [value.strip()] if part]
    return {"from": form.get("from", "").strip(), "to": form.get("to", "").strip(),
            "customers": listed, "all": form.get("all", ""),
            "expect": form.get("expect", "").strip()}


def _refused(uow: SqlUnitOfWork, form: dict[str, Any], message: str) -> ResponseReturnValue:
    uow.rollback()
    flash(message)
    return render_template("console/transfer.html", form=form, **_chosen(uow, form)), 400


def _chosen(uow: SqlUnitOfWork, form: dict[str, Any]) -> dict[str, Any]:
    """The options the pickers start with: what was chosen, named (only what the caller sees)."""
    picks = SqlPicks(uow.session)
    managers = {}
    for field in ("from", "to"):
        found = picks.manager(scope(), form[field]) if form[field] else None
        managers[field] = (found.code, manager_text(found)) if found else None
    ids = [int(i) for i in form["customers"] if i.isdigit() and len(i) < 10]
    customers = [(str(c.id), services.customer_name(c))
                 for c in picks.customers(scope(), "", ids=ids)] if ids else []
    return {"chosen": managers, "chosen_customers": customers}


def _unknown(uow: SqlUnitOfWork, form: dict[str, Any]) -> str:
    for field in ("from", "to"):
        if uow.managers.by_code(form[field]) is None:
            return str(form[field])[:20]
    return ""
