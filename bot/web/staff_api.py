"""The JSON API under /api/v1: bearer tokens, the console's scope rules, stable JSON errors."""

from datetime import datetime, timedelta
from typing import Any, Literal

from flask import Blueprint, Response, g, jsonify, request
from werkzeug.exceptions import HTTPException

from bot import texts
from bot.inbound import OUTAGE
from bot.refusals import explain
from bot.web import api_input
from bot.web.api_input import BadField, NotAnObject
from bot.web.console.segment_support import segment_moment
from bot.web.console.support import phone_cipher, retry_refusal, transfer_refusal, work
from bot.web.console.talk import refusal as talk_refusal
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
from crm_core.model.conversations import REPLY_MAX_LENGTH, ConversationRefused
from crm_core.model.segments import RuleError
from crm_core.queries.conversations import INBOX, TABS
from crm_core.services import conversations as talk

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


# Segments: saved scoped rules, counted on the database. A rule's fault answers 400 with the
# JSON path of the fault beside the Chinese message.
def _segment_call(call: Any) -> Any:
    try:
        return call()
    except RuleError as error:
        raise ApiError(400, "bad_request", explain(error), error.path) from error
    except services.segments.SegmentRefused as error:
        status, code = (404, "not_found") if error.code == "unknown_segment" else \
            (422, "invalid")
        raise ApiError(status, code, explain(error)) from error


@bp.get("/segments")
def segments() -> Response:
    """The segments the caller sees."""
    with work() as uow:
        cards = services.segments.segment_cards(uow, _scope())
    return jsonify(segments=[_segment_json(card) for card in cards])


@bp.post("/segments")
def create_segment() -> tuple[Response, int]:
    """Save a rule segment ({"name", "rule"}) or an imported list ({"name", "list"})."""
    body = _body("name", "rule", "list")
    name = api_input.text(body, "name", PARAMETER_MAX_LENGTH, required=True) or ""
    listed = api_input.text(body, "list", PARAMETER_MAX_LENGTH)
    with work() as uow:
        card = _segment_call(lambda: services.segments.create_static_segment(
            uow, _scope(), name, listed, utcnow()) if listed is not None else
            services.segments.create_segment(uow, _scope(), name, body.get("rule"), utcnow()))
        uow.commit()
    return jsonify(_segment_json(card)), 201


@bp.post("/segments/count")
def count_rule() -> Response:
    """Count a rule without saving it: {"rule": {...}}."""
    rule = _body("rule").get("rule")
    with work() as uow:
        count = _segment_call(lambda: services.segments.count_rule(uow, _scope(), rule,
                                                                    segment_moment()))
    return jsonify(members=count.members, excluded=count.excluded,
                   profiling=list(count.profiling))


@bp.get(f"/segments/<{ROW_ID}:segment_id>/count")
def count_segment(segment_id: int) -> Response:
    """A saved segment's count as it stands."""
    with work() as uow:
        count = _segment_call(lambda: services.segments.count_segment(
            uow, _scope(), segment_id, segment_moment()))
    return jsonify(members=count.members, excluded=count.excluded,
                   profiling=list(count.profiling))


@bp.get(f"/segments/<{ROW_ID}:segment_id>/preview")
def preview_segment(segment_id: int) -> Response:
    """A saved segment's first members, names and phones masked."""
    with work() as uow:
        rule = _segment_call(lambda: services.segments.visible_segment(
            uow, _scope(), segment_id)).rule
        rows = _segment_call(lambda: services.segments.preview_rule(
            uow, _scope(), rule, segment_moment(), segment_id))
    return jsonify(members=rows)


@bp.post(f"/segments/<{ROW_ID}:segment_id>/snapshots")
def snapshot_segment(segment_id: int) -> tuple[Response, int]:
    """Freeze a segment's members as they are now, with the rule and the time."""
    with work() as uow:
        snapshot = _segment_call(lambda: services.segments.take_snapshot(
            uow, _scope(), segment_id, segment_moment()))
        uow.commit()
    return jsonify(id=snapshot.id, segment_id=segment_id, members=snapshot.members,
                   excluded=snapshot.excluded, taken_at=snapshot.taken_at.isoformat() + "Z",
                   rule=snapshot.rule), 201


def _segment_json(card: Any) -> dict[str, Any]:
    return {"id": card.id, "name": card.name, "owner": card.owner, "scope": card.scope,
            "kind": card.kind, "rule": card.rule,
            "updated_at": card.updated_at.isoformat() + "Z"}


# Conversations: the inbox, a transcript, a reply, a transfer and a close, in the caller's scope.
@bp.get("/conversations")
def conversations() -> Response:
    """Conversations in scope by status (waiting: oldest first; others: latest first)."""
    status = request.args.get("status", "waiting")
    if status not in TABS:
        raise ApiError(422, "invalid", texts.API_NOT_A_CHOICE.format(
            field="status", choices="、".join(TABS)))
    number = request.args.get("page", "1")
    if not (number.isdigit() and 1 <= int(number) <= 10_000):
        raise BadField("page", "not_a_page")
    with work() as uow:
        page, _counts = talk.inbox(uow, _scope(), status, INBOX.request(request.args))
    return jsonify(conversations=[_stamped(row) for row in page.rows], total=page.total)


@bp.get(f"/conversations/<{BIG_ROW_ID}:conversation_id>")
def conversation(conversation_id: int) -> Response:
    """One conversation's transcript (numbers masked unless the caller is the own manager)."""
    with work() as uow:
        rows = talk.new_messages(uow, _scope(), conversation_id, 0)
        held = talk.visible(uow, _scope(), conversation_id)
        return jsonify(id=conversation_id, status=held.status.value,
                       messages=[_stamped(row) for row in rows])


@bp.post(f"/conversations/<{BIG_ROW_ID}:conversation_id>/replies")
def conversation_reply(conversation_id: int) -> tuple[Response, int]:
    """Reply: {"body": "..."}; a banned promise is refused (422) with the phrase named."""
    body = api_input.text(_body("body"), "body", REPLY_MAX_LENGTH, required=True)
    settings = current_runtime().settings.talk
    window = talk.Window(timedelta(hours=settings.window_hours), settings.window_sends)
    with work() as uow:
        try:
            replied = talk.reply(uow, _scope(), conversation_id, str(body), utcnow(), window)
        except ConversationRefused as error:
            raise ApiError(422, "invalid", talk_refusal(error)) from error
        uow.commit()
    return jsonify(message_id=replied.message_id, delivery=replied.delivery.value), 201


@bp.post(f"/conversations/<{BIG_ROW_ID}:conversation_id>/assign")
def conversation_assign(conversation_id: int) -> Response:
    """Hand over: {"username": "..." (null: back to the queue), "reason": "..."}."""
    body = _body("username", "reason")
    username = api_input.text(body, "username", 64)
    reason = api_input.text(body, "reason", 32) or "transfer"
    with work() as uow:
        try:
            talk.transfer(uow, _scope(), conversation_id, username, str(reason), utcnow())
        except ConversationRefused as error:
            raise ApiError(422, "invalid", talk_refusal(error)) from error
        uow.commit()
    return jsonify(id=conversation_id, assignee=username)


@bp.post(f"/conversations/<{BIG_ROW_ID}:conversation_id>/close")
def conversation_close(conversation_id: int) -> Response:
    """Close a conversation (the customer is asked for a rating)."""
    with work() as uow:
        talk.close(uow, _scope(), conversation_id, utcnow())
        uow.commit()
    return jsonify(id=conversation_id, status="closed")


def _stamped(row: dict[str, Any]) -> dict[str, Any]:
    return {k: v.isoformat() if isinstance(v, datetime) else v for k, v in row.items()}
