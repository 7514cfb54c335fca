"""Answering customers beyond the catalogue: the FAQ, numbered choices and recorded misses."""

from crm_core.services.answers.choices import Choice, clear_choices, offer_choices, pending_choice
from crm_core.services.answers.faq import (
    FaqCard,
    FaqReport,
    faq_entries,
    faq_stamp,
    faq_version,
    import_faq,
)
from crm_core.services.answers.misses import MissGroup, grouped_misses, record_miss

__all__ = [
    "Choice",
    "FaqCard",
    "FaqReport",
    "MissGroup",
    "clear_choices",
    "faq_entries",
    "faq_stamp",
    "faq_version",
    "grouped_misses",
    "import_faq",
    "offer_choices",
    "pending_choice",
    "record_miss",
]
