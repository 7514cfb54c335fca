"""The pickers' JSON: managers, branches, customers and products by name or code, in scope.

Each answers `?q=` with at most 20 `[{"value", "text"}]`, where `value` is what the form posts
(a manager's or branch's code, a customer's id, a product's code) and `text` what staff read.
"""

from typing import Any

from flask import Response, jsonify, request
from flask_login import login_required

from bot import texts
from bot.web.console.blueprint import bp
from bot.web.console.support import scope, work
from crm_core import services
from crm_core.model import Manager, ManagerRole
from crm_core.queries.picks import SqlPicks
from crm_core.services import collaboration

QUERY_MAX = 50


def manager_text(manager: Manager) -> str:
    """Name a manager in a picker: name, code, branch and (if not active) their state."""
    state = "" if manager.state.value == "active" else \
        f"（{texts.label('manager', manager.state.value)}）"
    return f"{manager.name}{state} · {manager.code} · {manager.branch.name}"


@bp.get("/pick/managers")
@login_required
def pick_managers() -> Response:
    """Managers the caller sees; `active=1`: only those who can take customers now."""
    with work() as uow:
        found = SqlPicks(uow.session).managers(scope(), _query(), request.args.get("active") == "1")
        return _answer([(m.code, manager_text(m)) for m in found])


@bp.get("/pick/receivers")
@login_required
def pick_receivers() -> Response:
    """Active managers of a line (`line=` its role, or `with=` the form's line word) who may
    receive a referral; none for an unknown line."""
    wanted = request.args.get("line") or request.args.get("with") or ""
    line = collaboration.LINES.get(wanted) or next(
        (role for role in ManagerRole if role.value == wanted), None)
    if line is None:
        return _answer([])
    with work() as uow:
        found = SqlPicks(uow.session).receivers(scope(), _query(), line)
        return _answer([(m.code, manager_text(m)) for m in found])


@bp.get("/pick/organisations")
@login_required
def pick_organisations() -> Response:
    """Organisations by name or code (a relationship's counterparty)."""
    with work() as uow:
        found = SqlPicks(uow.session).organisations(_query())
        return _answer([(o.code, f"{o.name} · {o.code}") for o in found])


@bp.get("/pick/branches")
@login_required
def pick_branches() -> Response:
    """Branches the caller sees (head office: all; others: their own)."""
    with work() as uow:
        found = SqlPicks(uow.session).branches(scope(), _query())
        return _answer([(b.code, f"{b.name} · {b.code}") for b in found])


@bp.get("/pick/customers")
@login_required
def pick_customers() -> Response:
    """Customers the caller sees; `with=<manager code>`: only those the manager holds."""
    with work() as uow:
        found = SqlPicks(uow.session).customers(scope(), _query(),
                                                request.args.get("with") or None)
        return _answer([(str(c.id), _customer_text(c)) for c in found])


@bp.get("/pick/products")
@login_required
def pick_products() -> Response:
    """Products that may be shared (never a private placement)."""
    with work() as uow:
        found = SqlPicks(uow.session).products(_query())
        return _answer([(p.code, f"{p.name} · {p.code} · R{p.risk_level}") for p in found])


def _customer_text(customer: Any) -> str:
    phone = f" · 尾号{customer.phone_last4}" if customer.phone_last4 else ""
    link = customer.current_link
    manager = f" · {link.manager.name}" if link else ""
    return f"{services.customer_name(customer)}{phone}{manager}"


def _query() -> str:
    return request.args.get("q", "")[:QUERY_MAX]


def _answer(rows: list[tuple[str, str]]) -> Response:
    return jsonify([{"value": value, "text": text} for value, text in rows])
