"""Segments: saved scoped rules over every dimension, counted and frozen on the database."""

from crm_core.queries.segments.compile import Moment
from crm_core.services.segments.audience import (
    BREAKDOWNS,
    Count,
    SnapshotCard,
    breakdown_rule,
    count_rule,
    count_segment,
    export_segment,
    mask_name,
    mask_phone,
    preview_rule,
    snapshots_of,
    take_snapshot,
)
from crm_core.services.segments.choices import DimensionChoice, rule_choices
from crm_core.services.segments.manage import (
    SegmentCard,
    SegmentRefused,
    create_segment,
    create_static_segment,
    segment_card,
    segment_cards,
    update_segment,
    visible_segment,
)
from crm_core.services.segments.rules import list_names, moment, rule_vocabulary

__all__ = [
    "BREAKDOWNS",
    "Count",
    "DimensionChoice",
    "Moment",
    "SegmentCard",
    "SegmentRefused",
    "SnapshotCard",
    "breakdown_rule",
    "count_rule",
    "count_segment",
    "create_segment",
    "create_static_segment",
    "export_segment",
    "list_names",
    "mask_name",
    "mask_phone",
    "moment",
    "preview_rule",
    "rule_choices",
    "rule_vocabulary",
    "segment_card",
    "segment_cards",
    "snapshots_of",
    "take_snapshot",
    "update_segment",
    "visible_segment",
]
