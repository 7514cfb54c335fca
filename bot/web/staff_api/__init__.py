"""The JSON API under /api/v1: bearer tokens, the console's scope rules, stable JSON errors."""

from typing import Any, Literal

from flask import Blueprint, Response, g, jsonify, request
from werkzeug.exceptions import HTTPException

from bot import texts
from bot.inbound import OUTAGE
from bot.web import api_input
from bot.web.api_input import BadField, NotAnObject
from bot.web.console.support import phone_cipher, retry_refusal, transfer_refusal, work
from bot.web.edge import current_runtime
from bot.web.openapi import (
    BIG_ROW_ID,
    CODE_MAX_LENGTH,
    OPENAPI,
    PARAMETER_MAX_LENGTH,
    ROW_ID,
    query_parameters,
)
from crm_core import services
from crm_core.model import (
    ID_MAX,
    NOTE_MAX_LENGTH,
    LeadStatus,
    NoticeStatus,
    Scope,
    StaffRole,
    utcnow,
)

bp = Blueprint("api", __name__, url_prefix="/api/v1")
OPEN_PATHS = ("/api/v1/openapi.json",)
RETRY_AFTER_SECONDS = 30  # a database outage is not the client's fault: it may try again


class ApiError(Exception):
    """An error answered as {"error": {"code", "message"}} with an HTTP status."""

    def __init__(self, status: int, code: str, message: str, path: str | None = None) -> None:
        super().__init__(message)
        self.status, self.code, self.message, self.path = status, code, message, path


@bp.errorhandler(ApiError)
def _api_error(error: ApiError) -> tuple[Response, int]:
    body = {"code": error.code, "message": error.message}
    if error.path:  # where in a segment rule the fault lies
        body["path"] = error.path
    return jsonify(error=body), error.status


@bp.errorhandler(BadField)
def _bad_field(error: BadField) -> tuple[Response, int]:
    message = texts.API_FIELD_ERRORS[error.reason].format(field=error.field, limit=error.limit)
    return jsonify(error={"code": "bad_request", "message": message}), 400


@bp.errorhandler(HTTPException)
def error_answer(error: HTTPException) -> tuple[Response, int]:
    """Answer an HTTP error as the API's JSON error (the Allow header of a 405 kept)."""
    status = error.code or 500
    code = {401: "unauthorized", 403: "forbidden", 404: "not_found", 409: "conflict"}.get(
        status, "internal" if status >= 500 else "bad_request")
    cap = request.max_content_length  # the app's cap unless the route names its own
    message = texts.too_large(cap) if status == 413 and cap else \
        texts.API_HTTP_ERRORS.get(status, texts.HTTP_ERROR_OTHER)
    response = jsonify(error={"code": code, "message": message})
    response.headers.extend((k, v) for k, v in error.get_headers() if k == "Allow")
    return response, status


def serves(path: str) -> bool:
    """Return whether a path lies under the API's prefix."""
    prefix = bp.url_prefix or ""
    return path == prefix or path.startswith(prefix + "/")


@bp.before_request
def _documented_parameters() -> None:
    # Only the query parameters the document lists (a misspelt filter must not return
    # everything), and values fit to store: they reach SQL as they are.
    rule = request.url_rule.rule if request.url_rule else ""
    known = query_parameters(rule, request.method)
    unknown = sorted(set(request.args) - known)
    if unknown:
        raise BadField(unknown[0][:40], "unknown_parameter")
    values = {**request.args, **{k: v for k, v in (request.view_args or {}).items()
                                 if isinstance(v, str)}}
    for name, value in values.items():
        api_input.storable(name, value, PARAMETER_MAX_LENGTH)


def _database_unavailable(_error: Exception) -> tuple[Response, int, dict[str, str]]:
    body = jsonify(error={"code": "unavailable", "message": texts.API_UNAVAILABLE})
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
        raise ApiError(401, "unauthorized", texts.API_UNAUTHORIZED)


def _scope() -> Scope:
    value: Scope = g.scope
    return value


def _body(*fields: str) -> dict[str, Any]:
    try:
        if not request.is_json:
            raise NotAnObject(request.mimetype)
        return api_input.json_object(request.get_data(), fields)
    except NotAnObject as error:
        raise ApiError(400, "bad_request", texts.API_NOT_AN_OBJECT) from error


def _choice(body: dict[str, Any], field: str, values: set[str]) -> str:
    value = api_input.text(body, field, PARAMETER_MAX_LENGTH, required=True)
    if value not in values:
        raise ApiError(422, "invalid", texts.API_NOT_A_CHOICE.format(
            field=field, choices="、".join(sorted(values))))
    return value


def _unknown_status(status: str, choices: type[LeadStatus] | type[NoticeStatus]) -> ApiError:
    return ApiError(422, "invalid", texts.API_UNKNOWN_STATUS.format(
        status=status[:40], choices="、".join(s.value for s in choices)))


def _heads_only() -> None:
    if _scope().role is StaffRole.MANAGER:
        raise ApiError(403, "forbidden", texts.API_HEADS_ONLY)


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
        raise _unknown_status(status, LeadStatus)
    with work() as uow:
        rows = services.leads_view(uow, _scope(), LeadStatus(status) if status else None,
                                   utcnow())
    return jsonify(leads=rows)


@bp.patch(f"/leads/<{ROW_ID}:lead_id>")
def update_lead(lead_id: int) -> Response:
    """Move a lead on: {"status": "new|contacted|converted|lost", "note": "..."}."""
    body = _body("status", "note")
    status = _choice(body, "status", {s.value for s in LeadStatus})
    note = api_input.text(body, "note", NOTE_MAX_LENGTH)
    with work() as uow:
        services.set_lead_status(uow, _scope(), lead_id, LeadStatus(status), note, utcnow())
        uow.commit()
    return jsonify(id=lead_id, status=status)


@bp.get("/customers")
def customers() -> Response:
    """Search customers in scope (?q= phone's last 4, name or openid prefix)."""
    with work() as uow:
        rows = services.find_customers(uow, _scope(), request.args.get("q", ""))
    return jsonify(customers=rows)


@bp.get(f"/customers/<{ROW_ID}:customer_id>")
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
    """Move customers: {"from": code, "to": code, "customers": [ids]} or {..., "all": true}."""
    body = _body("from", "to", "customers", "all")
    source = api_input.text(body, "from", CODE_MAX_LENGTH, required=True)
    target = api_input.text(body, "to", CODE_MAX_LENGTH, required=True)
    customers = _customers(body)
    with work() as uow:
        try:
            moved = services.transfer_customers(uow, _scope(), str(source), str(target),
                                                customers, utcnow(),
                                                current_runtime().settings.transfer.notify_customers)
        except services.TransferRefused as error:
            raise ApiError(422, "invalid", transfer_refusal(error)) from error
        uow.commit()
    return jsonify(moved=moved), 201


def _customers(body: dict[str, Any]) -> list[int] | Literal["all"]:
    every, listed = api_input.flag(body, "all"), api_input.ids(body, "customers", ID_MAX)
    if every and listed:
        raise ApiError(422, "invalid", texts.TRANSFER_REFUSALS["all_and_list"])
    return services.ALL_CUSTOMERS if every else listed


@bp.get("/notices")
def notices() -> Response:
    """Notices and dead letters in scope (branch heads: their branch's; head office: all)."""
    _heads_only()
    status = request.args.get("status")
    if status and status not in {s.value for s in NoticeStatus}:
        raise _unknown_status(status, NoticeStatus)
    with work() as uow:
        rows = services.notices_view(uow, _scope(), NoticeStatus(status) if status else None)
    return jsonify(notices=rows)


@bp.post(f"/notices/<{BIG_ROW_ID}:notice_id>/retry")
def retry(notice_id: int) -> Response:
    """Send a failed or dead notice in scope again (409 for any other, `unknown` included)."""
    _heads_only()
    with work() as uow:
        try:
            services.retry_notice_in_scope(uow, _scope(), notice_id, utcnow())
        except services.NotRetryable as error:
            raise ApiError(409, "conflict", retry_refusal(notice_id, error)) from error
        uow.commit()
    return jsonify(id=notice_id, status="pending")


@bp.get("/audit")
def audit() -> Response:
    """The audit trail (head office)."""
    with work() as uow:
        return jsonify(events=services.audit_trail(uow, _scope(), request.args.get("action")))


# The routes of each family live beside this module; importing them registers them on `bp`.
from bot.web.staff_api import (  # noqa: E402, F401
    campaigns,
    classification,
    collaboration,
    conversations,
    scorecards,
    segments,
)
