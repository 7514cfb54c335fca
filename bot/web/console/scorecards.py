"""Console pages for scorecards: the month's cards in scope with the league table per role,
and one card explained line by line with its trend and the book rows it came from. Head
office runs a draft month again and approves it (frozen afterwards)."""

from dataclasses import replace
from datetime import date

from flask import abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import login_required

from bot import refusals, texts
from bot.extracts import FileKeys
from bot.payroll import payroll_rows
from bot.runtime import pay_rule, run_policy
from bot.web.console import charts
from bot.web.console.blueprint import bp
from bot.web.console.exports import csv_response
from bot.web.console.support import now, phone_cipher, roles, scope, work
from bot.web.edge import current_runtime
from bot.workbooks import book_file, import_rows
from crm_core.model import ManagerRole, Refusal, StaffRole
from crm_core.queries import performance as views
from crm_core.services import ImportRejected, RowError
from crm_core.services import performance as scores
from crm_core.services.classification import parse_month

BOOK_ROWS = 200  # source rows shown on a card's page


def _month(text: str | None, known: list[date]) -> date | None:
    if not text:
        return known[0] if known else None
    try:
        return parse_month(text)
    except Refusal:
        abort(404)


def _role(text: str | None) -> ManagerRole | None:
    # The wealth line at head office reads its own managers across branches (双线管理).
    return ManagerRole(text) if text in {r.value for r in ManagerRole} else None


@bp.route("/scorecards", methods=["GET", "POST"])
@login_required
def scorecards() -> tuple[str, int]:
    """The month's cards the account sees, and the league table of each role; head office
    imports a month's book extract or targets here."""
    errors: list[RowError] = []
    status = 200
    if request.method == "POST":
        errors, status = _import()
    with work() as uow:
        months = views.months(uow)
        month = _month(request.args.get("month"), [m for m, _ in months])
        role = _role(request.args.get("role"))
        rows = views.cards(uow, scope(), month, role) if month else []
        tables = {role: views.league(uow, month, role, scope())
                  for role in views.leagues_seen(scope())} if month else {}
    state = next((s for m, s in months if m == month), None)
    chart_of = {role.value: charts.league(f"{texts.REFERRAL_LINES[role.value]}条线排行", [
        (r.manager_name, float(r.total)) for r in table]) for role, table in tables.items()
        if table}
    return render_template("console/scorecards.html", months=months, month=month, rows=rows,
                           tables=tables, charts=chart_of, state=state, role=role,
                           lines=texts.REFERRAL_LINES, errors=errors), status


def whole_bank() -> None:
    """Refuse (403) anyone but head office for the whole bank: a business line's account
    reads its own line's cards, never the book, runs or payroll of every line."""
    if scope().role is not StaffRole.HEAD_OFFICE or scope().line is not None:
        abort(403)


def _import() -> tuple[list[RowError], int]:
    whole_bank()
    upload, table = request.files.get("file"), request.form.get("table", "book")
    if upload is None or not upload.filename or table not in ("book", "targets"):
        return [RowError(0, texts.ORG_IMPORT_PICK_FILE)], 400
    try:
        month, data = parse_month(request.form.get("month", "")), upload.read()
        with work() as uow:
            if table == "book":
                count = scores.import_book(uow, month, book_file(data, upload.filename),
                                           FileKeys(phone_cipher()), scope().username, now())
            else:
                count = scores.import_targets(uow, month, import_rows(data, upload.filename,
                                                                      "target"),
                                              scope().username, now())
            uow.commit()
    except ImportRejected as rejected:
        return [replace(e, reason=refusals.say(e.code, e.params)) for e in rejected.errors], 422
    except Refusal as error:
        return [RowError(0, refusals.explain(error))], 400
    flash(texts.SCORECARD_IMPORTED.format(month=f"{month:%Y-%m}", count=count))
    return [], 200


@bp.get("/scorecards/<month>/<code>")
@login_required
def scorecard(month: str, code: str) -> str:
    """One card: every line explained, the trend, and the book rows it came from."""
    when = _month(month, [])
    assert when is not None  # noqa: S101 - a month was given
    with work() as uow:
        card = views.card(uow, scope(), when, code)
        trend = views.trend(uow, scope(), code)
        book = views.book(uow, scope(), when, code, run_policy(current_runtime().settings)
                          .profit)
    chart = charts.trend([f"{m:%Y-%m}" for m, _, _ in trend], [float(t) for _, t, _ in trend],
                         [float(p) for _, _, p in trend])
    return render_template("console/scorecard.html", card=card, chart=chart,
                           book=book[:BOOK_ROWS], more=max(0, len(book) - BOOK_ROWS),
                           metrics=texts.METRIC_NAMES, methods=texts.SCORE_METHODS,
                           sources=texts.SOURCE_ROWS, kinds=texts.BOOK_KINDS,
                           lines=texts.REFERRAL_LINES)


@bp.post("/scorecards/<month>/<action>")
@login_required
@roles(StaffRole.HEAD_OFFICE)
def scorecards_act(month: str, action: str) -> ResponseReturnValue:
    """Run a draft month again, or approve (freeze) it."""
    whole_bank()
    when = _month(month, [])
    assert when is not None  # noqa: S101 - a month was given
    if action not in ("run", "approve"):
        abort(404)
    with work() as uow:
        try:
            if action == "run":
                scores.run_month(uow, when, run_policy(current_runtime().settings),
                                 scope().username, now())
            else:
                scores.approve_month(uow, when, scope().username, now())
            uow.commit()
            flash(texts.SCORECARD_DONE[action].format(month=f"{when:%Y-%m}"), "success")
        except Refusal as error:
            flash(refusals.explain(error), "danger")
    return redirect(url_for("console.scorecards", month=f"{when:%Y-%m}"))


@bp.get("/scorecards/<month>/payroll.csv")
@login_required
@roles(StaffRole.HEAD_OFFICE)
def scorecards_payroll(month: str) -> ResponseReturnValue:
    """A frozen month's pay by results as a CSV for payroll (audited); nothing is paid."""
    whole_bank()
    when = _month(month, [])
    assert when is not None  # noqa: S101 - a month was given
    with work() as uow:
        try:
            lines = scores.payroll(uow, when, pay_rule(current_runtime().settings),
                                   scope().username, now())
        except Refusal as error:
            flash(refusals.explain(error), "danger")
            return redirect(url_for("console.scorecards", month=month))
        uow.commit()
    return csv_response(f"payroll-{month}", texts.PAYROLL_COLUMNS, payroll_rows(lines))
