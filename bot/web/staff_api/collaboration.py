"""The staff API's organisations and referrals (/api/v1/organisations, /api/v1/referrals):
the same scope rules and refusals as the console, answered as JSON."""

from datetime import datetime
from typing import Any

from flask import Response, jsonify, request

from bot import refusals, texts
from bot.web import api_input
from bot.web.console.support import work
from bot.web.edge import current_runtime
from bot.web.openapi import CODE_MAX_LENGTH, ROW_ID
from bot.web.staff_api import ApiError, _body, _choice, _heads_only, _scope, bp
from crm_core.model import ID_MAX, ReferralStatus, Refusal, utcnow
from crm_core.queries.organisations import ORGANISATIONS
from crm_core.queries.referrals import REFERRALS
from crm_core.services import collaboration
from crm_core.services.organisations import organisation_card, organisation_list

LIST_SIZE = "100"
VALUE_MAX = 10**13 - 1
REFERRAL_FIELDS = ("customer_id", "organisation", "line", "receiver", "product_interest",
                   "potential_value", "note")


@bp.get("/organisations")
def organisations() -> Response:
    """Organisations in scope (the first 100 by name): ?q= name or code prefix, ?market=."""
    wanted = ORGANISATIONS.request({"q": request.args.get("q", ""), "size": LIST_SIZE,
                                    "market": request.args.get("market", "")})
    with work() as uow:
        page = organisation_list(uow, _scope(), wanted)
    return jsonify(organisations=page.rows, total=page.total)


@bp.get("/organisations/<code>")
def organisation(code: str) -> Response:
    """One organisation with its owner and contact persons."""
    with work() as uow:
        return jsonify(organisation_card(uow, _scope(), code))


@bp.get("/referrals")
def referrals() -> Response:
    """Referrals in scope: ?box=received|sent|queue|all, ?status=."""
    status = request.args.get("status", "")
    if status and status not in set(ReferralStatus):
        raise ApiError(422, "invalid", texts.API_NOT_A_CHOICE.format(
            field="status", choices="、".join(s.value for s in ReferralStatus)))
    wanted = REFERRALS.request({"box": request.args.get("box", ""), "status": status,
                                "size": LIST_SIZE})
    with work() as uow:
        page = collaboration.referral_list(uow, _scope(), wanted, utcnow())
    return jsonify(referrals=[_json(row) for row in page.rows], total=page.total)


@bp.get("/referrers")
def referrers() -> Response:
    """The referrers' board of the scope's referrals, most converted value first (heads)."""
    _heads_only()
    with work() as uow:
        board = collaboration.referrers_board(uow, _scope())
    return jsonify(referrers=board)


@bp.post("/referrals")
def refer() -> tuple[Response, int]:
    """Refer a customer (customer_id) or an organisation (code) to another line."""
    body = _body(*REFERRAL_FIELDS)
    line = _choice(body, "line", set(collaboration.LINES))
    wanted = collaboration.ReferralRequest(
        collaboration.LINES[line], api_input.text(body, "receiver", CODE_MAX_LENGTH),
        api_input.text(body, "product_interest", 64) or "",
        api_input.number(body, "potential_value", VALUE_MAX), api_input.text(body, "note", 500))
    customer_id = api_input.number(body, "customer_id", ID_MAX)
    code = api_input.text(body, "organisation", CODE_MAX_LENGTH)
    if (customer_id is None) == (code is None):
        raise ApiError(422, "invalid", texts.API_REFERRAL_SUBJECT)
    with work() as uow:
        referrer = uow.managers.get(_scope().manager_id or 0)
        if referrer is None:
            raise ApiError(403, "forbidden", texts.API_MANAGERS_ONLY)
        made = _refused(lambda: collaboration.refer(
            uow, referrer, collaboration.subject_of(uow, customer_id, code), wanted,
            current_runtime().referral_policy, utcnow()))
        row = collaboration.referral_row(made, utcnow())
        uow.commit()
    return jsonify(_json(row)), 201


@bp.patch(f"/referrals/<{ROW_ID}:referral_id>")
def move(referral_id: int) -> Response:
    """The receiver's next step: {"status": ..., "reason": "..."} (a decline needs one)."""
    body = _body("status", "reason")
    status = _choice(body, "status", set(ReferralStatus))
    reason = api_input.text(body, "reason", 200)
    with work() as uow:
        card = collaboration.referral_card(uow, _scope(), referral_id,
                                           current_runtime().referral_policy, utcnow())
        actor = uow.managers.get(_scope().manager_id or 0)
        if actor is None or actor.code != card["receiver_code"]:
            raise ApiError(403, "forbidden", refusals.say("referral_not_receiver", {}))
        moved = _refused(lambda: collaboration.move_referral(
            uow, actor, referral_id, ReferralStatus(status), current_runtime().referral_policy,
            utcnow(), reason))
        row = collaboration.referral_row(moved, utcnow())
        uow.commit()
    return jsonify(_json(row))


def _refused(call: Any) -> Any:
    try:
        return call()
    except Refusal as error:
        raise ApiError(422, "invalid", refusals.explain(error)) from error


def _json(row: dict[str, Any]) -> dict[str, Any]:
    return {key: value.isoformat() if isinstance(value, datetime) else value
            for key, value in row.items()}
