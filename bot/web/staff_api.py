"""The JSON API under /api/v1: bearer tokens, the console's scope rules, stable JSON errors."""

from typing import Any

from flask import Blueprint, Response, g, jsonify, request
from werkzeug.exceptions import HTTPException

from bot.inbound import OUTAGE
from bot.web.console.support import phone_cipher, work
from bot.web.edge import current_runtime
from bot.web.openapi import OPENAPI
from crm_core import services
from crm_core.model import LeadStatus, NoticeStatus, Scope, StaffRole, utcnow

bp = Blueprint("api", __name__, url_prefix="/api/v1")
OPEN_PATHS = ("/api/v1/openapi.json",)
RETRY_AFTER_SECONDS = 30  # a database outage is not the client's fault: it may try again


class ApiError(Exception):
    """An error answered as {"error": {"code", "message"}} with an HTTP status."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status, self.code, self.message = status, code, message


@bp.errorhandler(ApiError)
def _api_error(error: ApiError) -> tuple[Response, int]:
    return jsonify(error={"code": error.code, "message": error.message}), error.status


@bp.errorhandler(HTTPException)
def _http_error(error: HTTPException) -> tuple[Response, int]:
    status = error.code or 500
    code = {403: "forbidden", 404: "not_found", 409: "conflict"}.get(status, "bad_request")
    return jsonify(error={"code": code, "message": error.description}), status


def _database_unavailable(_error: Exception) -> tuple[Response, int, dict[str, str]]:
    body = jsonify(error={"code": "unavailable", "message": "the database is unavailable; "
                                                           "try again later"})
    return body, 503, {"Retry-After": str(RETRY_AFTER_SECONDS)}


for _outage in OUTAGE:  # unreachable, refused, stalled past the [database] timeouts
    bp.register_error_handler(_outage, _database_unavailable)


@bp.before_request
def _authenticate() -> None:
    if request.path in OPEN_PATHS:
        return
    header = request.headers.get("Authorization", "")
    token = header.removeprefix("Bearer ").strip() if header.startswith("Bearer ") else ""
    with current_runtime().uow() as uow:
        account = services.staff_for_token(uow, token, utcnow()) if token else None
        g.scope = services.scope_of(account) if account else None
        uow.commit()
    if g.scope is None:
        raise ApiError(401, "unauthorized", "a valid bearer token is required")


def _scope() -> Scope:
    value: Scope = g.scope
    return value


def _body() -> dict[str, Any]:
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        raise ApiError(400, "bad_request", "the body must be a JSON object")
    return body


def _heads_only() -> None:
    if _scope().role is StaffRole.MANAGER:
        raise ApiError(403, "forbidden", "branch heads and head office only")


@bp.get("/openapi.json")
def openapi() -> Response:
    """The OpenAPI description of this API."""
    return jsonify(OPENAPI)


@bp.get("/me")
def me() -> Response:
    """Who the token belongs to and what they see."""
    scope = _scope()
    return jsonify(username=scope.username, name=scope.display_name, role=scope.role.value)


@bp.get("/leads")
def leads() -> Response:
    """Leads in scope (open ones unless ?status=)."""
    status = request.args.get("status")
    if status and status not in {s.value for s in LeadStatus}:
        raise ApiError(422, "invalid", f"unknown status {status!r}")
    with work() as uow:
        rows = services.leads_view(uow, _scope(), LeadStatus(status) if status else None,
                                   utcnow())
    return jsonify(leads=rows)


@bp.patch("/leads/<int:lead_id>")
def update_lead(lead_id: int) -> Response:
    """Move a lead on: {"status": "contacted|converted|lost", "note": "..."}."""
    body = _body()
    if body.get("status") not in {s.value for s in LeadStatus}:
        raise ApiError(422, "invalid", "status must be new, contacted, converted or lost")
    with work() as uow:
        services.set_lead_status(uow, _scope(), lead_id, LeadStatus(body["status"]),
                                 body.get("note"), utcnow())
        uow.commit()
    return jsonify(id=lead_id, status=body["status"])


@bp.get("/customers")
def customers() -> Response:
    """Search customers in scope (?q= phone's last 4, name or openid prefix)."""
    with work() as uow:
        rows = services.find_customers(uow, _scope(), request.args.get("q", ""))
    return jsonify(customers=rows)


@bp.get("/customers/<int:customer_id>")
def customer(customer_id: int) -> Response:
    """One customer with timeline and manager history."""
    with work() as uow:
        card = services.customer_card(uow, _scope(), customer_id)
        cipher = card.pop("phone_cipher")
        if cipher:
            card["phone"] = phone_cipher().decrypt(cipher)
            services.audit(uow, utcnow(), _scope().username, "pii_viewed", str(customer_id))
            uow.commit()
    return jsonify(card)


@bp.get("/shares/leaderboard")
def share_leaderboard() -> Response:
    """Opens, follows and leads brought by shares credited to the caller's scope."""
    with work() as uow:
        return jsonify(services.share_leaderboard(uow, _scope()))


@bp.get("/branches/<code>")
def branch(code: str) -> Response:
    """A branch's overview (branch heads: their own; head office: any)."""
    with work() as uow:
        return jsonify(services.branch_overview(uow, _scope(), code, utcnow()))


@bp.post("/transfers")
def transfer() -> tuple[Response, int]:
    """Move customers: {"from": code, "to": code, "customers": [ids] (optional: all)}."""
    body = _body()
    ids = body.get("customers")
    if ids is not None and not (isinstance(ids, list) and all(isinstance(i, int) for i in ids)):
        raise ApiError(422, "invalid", "customers must be a list of ids")
    with work() as uow:
        try:
            moved = services.transfer_customers(uow, _scope(), str(body.get("from", "")),
                                                str(body.get("to", "")), ids, utcnow(),
                                                current_runtime().settings.transfer.notify_customers)
        except ValueError as error:
            raise ApiError(422, "invalid", str(error)) from error
        uow.commit()
    return jsonify(moved=moved), 201


@bp.get("/notices")
def notices() -> Response:
    """Notices and dead letters (branch heads and head office)."""
    _heads_only()
    status = request.args.get("status")
    if status and status not in {s.value for s in NoticeStatus}:
        raise ApiError(422, "invalid", f"unknown status {status!r}")
    with work() as uow:
        rows = services.list_notices(uow, NoticeStatus(status) if status else None, 200)
    return jsonify(notices=rows)


@bp.post("/notices/<int:notice_id>/retry")
def retry(notice_id: int) -> Response:
    """Send a dead, failed or unknown notice again."""
    _heads_only()
    with work() as uow:
        try:
            services.retry_notice(uow, notice_id, utcnow())
        except ValueError as error:
            raise ApiError(409, "conflict", str(error)) from error
        services.audit(uow, utcnow(), _scope().username, "notice_retried", str(notice_id))
        uow.commit()
    return jsonify(id=notice_id, status="pending")


@bp.get("/audit")
def audit() -> Response:
    """The audit trail (head office)."""
    with work() as uow:
        return jsonify(events=services.audit_trail(uow, _scope(), request.args.get("action")))
