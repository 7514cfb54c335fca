"""The staff API's segments (/api/v1/segments): saved scoped rules, counted on the database."""

from typing import Any

from flask import Response, jsonify

from bot.refusals import explain
from bot.web import api_input
from bot.web.console.segment_support import segment_moment
from bot.web.console.support import work
from bot.web.openapi import PARAMETER_MAX_LENGTH, ROW_ID
from bot.web.staff_api import ApiError, _body, _scope, bp
from crm_core import services
from crm_core.model import utcnow
from crm_core.model.segments import RuleError


# A rule's fault answers 400 with the JSON path of the fault beside the Chinese message.
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
