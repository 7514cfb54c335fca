"""Saved segments: made by staff in their own scope, seen by those whose scope holds them.

A head office segment covers the whole network, a branch head's their branch, a manager's
their own customers; that scope is stored with the segment and applied to every count. A
static segment is an imported list frozen on the month it was saved with.
"""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, or_, select, true

from crm_core.model import AuditEvent, Manager, Scope, StaffRole
from crm_core.model.segments import Segment, SegmentKind, SegmentScope, parse_rule
from crm_core.services.segments.rules import list_month, rule_vocabulary
from crm_core.unit_of_work import SqlUnitOfWork

NAME_LIMIT = 50


class SegmentRefused(ValueError):
    """A segment that cannot be saved or used; `code` says why."""

    def __init__(self, code: str, **params: Any) -> None:
        super().__init__(code)
        self.code, self.params = code, params


@dataclass(frozen=True)
class SegmentCard:
    """A segment as listed for staff."""

    id: int
    name: str
    owner: str
    scope: str
    kind: str
    rule: dict[str, Any]
    updated_at: datetime


def create_segment(uow: SqlUnitOfWork, scope: Scope, name: str, rule: Any,
                   now: datetime) -> SegmentCard:
    """Save a rule segment in the caller's scope (RuleError: the rule's fault and its path)."""
    parse_rule(rule, rule_vocabulary(uow))
    return _save(uow, scope, _name(name), SegmentKind.RULE, rule, now)


def create_static_segment(uow: SqlUnitOfWork, scope: Scope, name: str, list_name: str,
                          now: datetime) -> SegmentCard:
    """Save an imported list as a segment, frozen on the list's latest month."""
    month = list_month(uow, list_name)
    if month is None:
        raise SegmentRefused("unknown_list", value=list_name)
    rule = {"dim": "group", "op": "member", "value": list_name, "month": f"{month:%Y-%m}"}
    return _save(uow, scope, _name(name), SegmentKind.STATIC, rule, now)


def update_segment(uow: SqlUnitOfWork, scope: Scope, segment_id: int, name: str, rule: Any,
                   now: datetime) -> SegmentCard:
    """Change a rule segment's name and rule (only its owner or head office may)."""
    segment = visible_segment(uow, scope, segment_id)
    if segment.owner != scope.username and scope.role is not StaffRole.HEAD_OFFICE:
        raise SegmentRefused("segment_not_own")
    if segment.kind is SegmentKind.STATIC:
        raise SegmentRefused("segment_static")
    parse_rule(rule, rule_vocabulary(uow))
    segment.name, segment.rule, segment.updated_at = _name(name), rule, now
    _audit(uow, scope, now, "segment_updated", segment)
    return _card(segment)


def segment_cards(uow: SqlUnitOfWork, scope: Scope) -> list[SegmentCard]:
    """Return the segments the caller sees, latest changed first."""
    rows = uow.session.scalars(select(Segment).where(_visible(scope))
                               .order_by(Segment.updated_at.desc(), Segment.id.desc()))
    return [_card(segment) for segment in rows]


def segment_card(uow: SqlUnitOfWork, scope: Scope, segment_id: int) -> SegmentCard:
    """Return a segment the caller sees, as listed (SegmentRefused `unknown_segment`)."""
    return _card(visible_segment(uow, scope, segment_id))


def visible_segment(uow: SqlUnitOfWork, scope: Scope, segment_id: int) -> Segment:
    """Return a segment the caller sees (SegmentRefused `unknown_segment` otherwise)."""
    segment = uow.session.scalar(select(Segment).where(Segment.id == segment_id,
                                                       _visible(scope)))
    if segment is None:
        raise SegmentRefused("unknown_segment", id=segment_id)
    return segment


def _visible(scope: Scope) -> ColumnElement[bool]:
    if scope.role is StaffRole.HEAD_OFFICE:
        return true()
    network = Segment.scope == SegmentScope.NETWORK
    if scope.role is StaffRole.MANAGER:
        return or_(network, Segment.manager_id == scope.manager_id)
    managers = select(Manager.id).where(Manager.branch_id == scope.branch_id)
    return or_(network, Segment.branch_id == scope.branch_id, Segment.manager_id.in_(managers))


def _save(uow: SqlUnitOfWork, scope: Scope, name: str, kind: SegmentKind, rule: Any,
          now: datetime) -> SegmentCard:
    where, branch_id, manager_id = _home(scope)
    segment = Segment(name=name, owner=scope.username, scope=where, branch_id=branch_id,
                      manager_id=manager_id, kind=kind, rule=rule, created_at=now,
                      updated_at=now)
    uow.session.add(segment)
    uow.flush()
    _audit(uow, scope, now, "segment_created", segment)
    return _card(segment)


def _home(scope: Scope) -> tuple[SegmentScope, int | None, int | None]:
    if scope.role is StaffRole.HEAD_OFFICE:
        return SegmentScope.NETWORK, None, None
    if scope.role is StaffRole.BRANCH_HEAD and scope.branch_id is not None:
        return SegmentScope.BRANCH, scope.branch_id, None
    if scope.role is StaffRole.MANAGER and scope.manager_id is not None:
        return SegmentScope.MANAGER, None, scope.manager_id
    raise SegmentRefused("segment_no_scope")


def _name(name: str) -> str:
    cleaned = " ".join((name or "").split())
    if not cleaned or len(cleaned) > NAME_LIMIT:
        raise SegmentRefused("segment_name", limit=NAME_LIMIT)
    return cleaned


def _audit(uow: SqlUnitOfWork, scope: Scope, now: datetime, action: str,
           segment: Segment) -> None:
    uow.audit.add(AuditEvent(at=now, actor=scope.username, action=action,
                             subject=f"segment:{segment.id}",
                             detail={"name": segment.name, "rule": segment.rule}))


def _card(segment: Segment) -> SegmentCard:
    return SegmentCard(segment.id, segment.name, segment.owner, segment.scope.value,
                       segment.kind.value, segment.rule, segment.updated_at)
