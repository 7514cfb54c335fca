"""A segment's audience for staff: the live count, a masked preview, breakdowns, snapshots and
the export. Every figure comes from one SQL statement over the whole audience; customers who
switched off personalised recommendations are left out of rules on profile dimensions, and
their number is reported beside the count."""

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select

from crm_core.model import AuditEvent, Scope
from crm_core.model.segments import Segment, SegmentSnapshot, profiling_dimensions
from crm_core.queries.segments import audience as queries
from crm_core.queries.segments.compile import Moment
from crm_core.services.customers import customer_label
from crm_core.services.segments.manage import visible_segment
from crm_core.services.segments.rules import audience
from crm_core.unit_of_work import SqlUnitOfWork

BREAKDOWNS = ("branch", "manager", "tier")
EXPORT_BATCH = 5000


@dataclass(frozen=True)
class Count:
    """How many customers a rule holds, how many it left out for the opt-out, and why."""

    members: int
    excluded: int
    profiling: tuple[str, ...]


@dataclass(frozen=True)
class SnapshotCard:
    """A frozen membership: when, by whom, how many."""

    id: int
    segment_id: int
    taken_at: datetime
    members: int
    excluded: int
    staff: str
    rule: dict[str, Any]


def count_rule(uow: SqlUnitOfWork, scope: Scope, rule: Any, at: Moment,
               segment_id: int | None = None) -> Count:
    """Count a rule's members in the caller's scope (and the segment's, if one is named)."""
    segment = visible_segment(uow, scope, segment_id) if segment_id is not None else None
    tree, wanted = audience(uow, scope, rule, at, segment)
    members, excluded = queries.count(uow.session, wanted)
    return Count(members, excluded, tuple(sorted(profiling_dimensions(tree))))


def count_segment(uow: SqlUnitOfWork, scope: Scope, segment_id: int, at: Moment) -> Count:
    """Count a saved segment's members as they stand now."""
    segment = visible_segment(uow, scope, segment_id)
    return count_rule(uow, scope, segment.rule, at, segment.id)


def preview_rule(uow: SqlUnitOfWork, scope: Scope, rule: Any, at: Moment,
                 segment_id: int | None = None) -> list[dict[str, Any]]:
    """Return the first members, names and phones masked."""
    segment = visible_segment(uow, scope, segment_id) if segment_id is not None else None
    _, wanted = audience(uow, scope, rule, at, segment)
    return [{"id": customer.id, "name": mask_name(customer.display_name, customer.openid),
             "phone": mask_phone(customer.phone_last4), "branch": branch, "manager": manager,
             "follow_state": customer.follow_state.value}
            for customer, branch, manager in queries.preview(uow.session, wanted)]


def breakdown_rule(uow: SqlUnitOfWork, scope: Scope, rule: Any, at: Moment,
                   segment_id: int | None = None) -> dict[str, list[tuple[str | None, int]]]:
    """Return the members counted by branch, by manager and by tier."""
    segment = visible_segment(uow, scope, segment_id) if segment_id is not None else None
    _, wanted = audience(uow, scope, rule, at, segment)
    return {by: queries.breakdown(uow.session, wanted, by) for by in BREAKDOWNS}


def take_snapshot(uow: SqlUnitOfWork, scope: Scope, segment_id: int, at: Moment) -> SnapshotCard:
    """Freeze a segment's members with the time and the rule, in one INSERT ... SELECT."""
    segment = visible_segment(uow, scope, segment_id)
    _, wanted = audience(uow, scope, segment.rule, at, segment)
    excluded = queries.left_out(uow.session, wanted)
    snapshot = SegmentSnapshot(segment_id=segment.id, taken_at=at.now, rule=segment.rule,
                               members=0, excluded=excluded, staff=scope.username)
    uow.session.add(snapshot)
    uow.flush()
    snapshot.members = queries.freeze(uow.session, wanted, snapshot.id)
    uow.audit.add(AuditEvent(at=at.now, actor=scope.username, action="segment_snapshot",
                             subject=f"segment:{segment.id}",
                             detail={"name": segment.name, "rows": snapshot.members,
                                     "excluded": excluded}))
    return _snapshot_card(snapshot)


def snapshots_of(uow: SqlUnitOfWork, scope: Scope, segment_id: int) -> list[SnapshotCard]:
    """Return a segment's snapshots, latest first."""
    visible_segment(uow, scope, segment_id)
    rows = uow.session.scalars(select(SegmentSnapshot).where(
        SegmentSnapshot.segment_id == segment_id).order_by(SegmentSnapshot.taken_at.desc(),
                                                           SegmentSnapshot.id.desc()))
    return [_snapshot_card(row) for row in rows]


def export_segment(uow: SqlUnitOfWork, scope: Scope, segment_id: int,
                   at: Moment) -> tuple[Segment, Iterator[list[str]]]:
    """Audit an export and return the segment with its members as masked rows, in batches."""
    segment = visible_segment(uow, scope, segment_id)
    _, wanted = audience(uow, scope, segment.rule, at, segment)
    members, _ = queries.count(uow.session, wanted)
    uow.audit.add(AuditEvent(at=at.now, actor=scope.username, action="segment_exported",
                             subject=f"segment:{segment.id}",
                             detail={"name": segment.name, "rows": members}))
    return segment, _rows(uow, wanted)


def mask_name(name: str | None, openid: str) -> str:
    """Show a customer's name as its first character and stars (or the openid label)."""
    if not name:
        return customer_label(openid)
    return name[0] + "*" * max(1, len(name) - 1)


def mask_phone(last4: str | None) -> str | None:
    """Show only the last four digits of a mobile number."""
    return f"*******{last4}" if last4 else None


def _rows(uow: SqlUnitOfWork, wanted: queries.Audience) -> Iterator[list[str]]:
    after = 0
    while batch := queries.members_page(uow.session, wanted, after, EXPORT_BATCH):
        for customer_id, name, openid, last4, branch, manager, tier in batch:
            yield [str(customer_id), mask_name(name, openid), mask_phone(last4) or "",
                   branch or "", manager or "", tier or ""]
        after = batch[-1][0]


def _snapshot_card(snapshot: SegmentSnapshot) -> SnapshotCard:
    return SnapshotCard(snapshot.id, snapshot.segment_id, snapshot.taken_at, snapshot.members,
                        snapshot.excluded, snapshot.staff, snapshot.rule)
