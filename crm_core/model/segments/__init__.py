"""Segments: saved, named, scoped rules over customers, and snapshots that freeze membership.

A segment belongs to whoever made it and to a scope: the whole network (head office), one
branch (its head) or one manager. Its scope is applied to every count, on top of the scope of
whoever asks, so a branch head's segment can only ever hold the branch's customers. A static
segment is an imported list, frozen as a rule on that list's month. A snapshot keeps the rule
as it was, the time and the members: campaigns send to snapshots, so an audience can be shown
later exactly as it was sent.
"""

import enum
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from crm_core.model.base import Base, str_enum, utcnow
from crm_core.model.segments.rules import (
    DERIVED,
    Condition,
    DimensionInfo,
    Group,
    Negation,
    Node,
    RuleError,
    Vocabulary,
    conditions,
    mobile_values,
    parse_rule,
    profiling_dimensions,
)

__all__ = [
    "DERIVED",
    "Condition",
    "DimensionInfo",
    "Group",
    "Negation",
    "Node",
    "RuleError",
    "Segment",
    "SegmentKind",
    "SegmentMember",
    "SegmentScope",
    "SegmentSnapshot",
    "Vocabulary",
    "conditions",
    "mobile_values",
    "parse_rule",
    "profiling_dimensions",
]


class SegmentScope(enum.StrEnum):
    """Whose customers a segment may hold."""

    NETWORK = "network"
    BRANCH = "branch"
    MANAGER = "manager"


class SegmentKind(enum.StrEnum):
    """A rule over dimensions, or an imported list frozen as one."""

    RULE = "rule"
    STATIC = "static"


class Segment(Base):
    """A saved, named rule owned by a member of staff."""

    __tablename__ = "segments"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(50))
    owner: Mapped[str] = mapped_column(String(64))
    scope: Mapped[SegmentScope] = mapped_column(str_enum(SegmentScope))
    branch_id: Mapped[int | None] = mapped_column(ForeignKey("branches.id"), index=True)
    manager_id: Mapped[int | None] = mapped_column(ForeignKey("managers.id"), index=True)
    kind: Mapped[SegmentKind] = mapped_column(str_enum(SegmentKind))
    rule: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class SegmentSnapshot(Base):
    """A segment's membership frozen at one time, with the rule it was computed from."""

    __tablename__ = "segment_snapshots"
    __table_args__ = (Index("ix_segment_snapshots_segment_taken", "segment_id", "taken_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    segment_id: Mapped[int] = mapped_column(ForeignKey("segments.id"))
    taken_at: Mapped[datetime] = mapped_column(default=utcnow)
    rule: Mapped[dict[str, Any]] = mapped_column(JSON)
    members: Mapped[int] = mapped_column(Integer, default=0)
    # Customers the rule matched but who switched off personalised recommendations.
    excluded: Mapped[int] = mapped_column(Integer, default=0)
    staff: Mapped[str] = mapped_column(String(64))


class SegmentMember(Base):
    """One customer in one snapshot.

    No foreign keys, on purpose: members are written only by one INSERT ... SELECT from
    `customers`, in the transaction that adds their snapshot, so both references hold by
    construction; checking them row by row tripled the time of a 200,000-member snapshot.
    """

    __tablename__ = "segment_members"

    snapshot_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    customer_id: Mapped[int] = mapped_column(Integer, primary_key=True)
