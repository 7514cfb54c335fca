"""Console pages for products: the catalogue (list, imports with a row-level report) and the
share leaderboard."""

from dataclasses import replace
from pathlib import Path

from flask import flash, render_template, request
from flask_login import login_required

from bot import refusals, texts
from bot.web.console.blueprint import HEADS, bp
from bot.web.console.listing import page_request
from bot.web.console.support import roles, scope, work
from crm_core import services
from crm_core.model import Refusal, StaffRole, utcnow
from crm_core.queries.paging import ListSpec, page_in_memory
from crm_core.services import ImportRejected, RowError

PRODUCTS = ListSpec(sorts=("category", "code", "name", "risk"), filters=("category",))
SHARES = ListSpec(sorts=("opens",), filters=())
PRODUCT_SORTS = {"category": lambda r: (r["category"], r["code"]), "code": lambda r: r["code"],
                 "name": lambda r: r["name"], "risk": lambda r: (r["risk"], r["code"])}

# A catalogue file may be far larger than a form (bot/web/app.py gives this route the cap).
MAX_IMPORT_BYTES = 5 * 1024 * 1024
FORMATS = {".csv": "csv", ".toml": "toml"}


@bp.route("/products", methods=["GET", "POST"])
@login_required
@roles(*HEADS)
def products() -> tuple[str, int]:
    """List the catalogue; head office imports CSV or TOML files (all rows or none)."""
    errors: list[RowError] = []
    status = 200
    if request.method == "POST":
        errors, status = _import()
    wanted = page_request(PRODUCTS)
    with work() as uow:
        rows = services.catalogue_listing(uow)
    categories = sorted({row["category"] for row in rows})
    category = wanted.get("category")
    rows = [r for r in rows if not category or r["category"] == category]
    page = page_in_memory(rows, wanted, PRODUCT_SORTS)
    return render_template("console/products.html", page=page, errors=errors,
                           categories=[(c, c) for c in categories],
                           can_import=scope().role is StaffRole.HEAD_OFFICE), status


def _import() -> tuple[list[RowError], int]:
    if scope().role is not StaffRole.HEAD_OFFICE:
        return [RowError(0, texts.IMPORT_HEAD_OFFICE_ONLY)], 403
    upload = request.files.get("file")
    fmt = FORMATS.get(Path(upload.filename or "").suffix.lower()) if upload else None
    if upload is None or fmt is None:
        return [RowError(0, texts.IMPORT_PICK_FILE)], 400
    try:
        rows = services.read_rows(services.decode_file(upload.read()), fmt, "product")
        with work() as uow:
            report = services.import_products(uow, rows, upload.filename or fmt, utcnow())
            services.audit(uow, utcnow(), scope().username, "products_imported",
                           upload.filename or fmt, {"created": len(report.created),
                                                    "updated": len(report.updated)})
            uow.commit()
    except ImportRejected as rejected:
        return [replace(e, reason=refusals.say(e.code, e.params)) for e in rejected.errors], 422
    except Refusal as error:
        return [RowError(0, refusals.explain(error))], 400
    flash(texts.IMPORT_DONE.format(created=len(report.created), updated=len(report.updated),
                                   unchanged=report.unchanged))
    return [], 200


@bp.get("/shares")
@login_required
def shares() -> str:
    """The share leaderboard of the shares credited to the caller's scope (no reward: service)."""
    with work() as uow:
        board = services.share_leaderboard(uow, scope())
    # The managers are few; the customers who shared are paged, most opens first.
    customers = page_in_memory(board["customers"], page_request(SHARES), {})
    return render_template("console/shares.html", board=board, customers=customers)
