"""Answering customers beyond the catalogue: the FAQ, numbered choices, misses and learning."""

from crm_core.services.answers.choices import Choice, clear_choices, offer_choices, pending_choice
from crm_core.services.answers.faq import (
    FaqCard,
    FaqReport,
    faq_entries,
    faq_stamp,
    faq_version,
    import_faq,
    matcher_stamp,
)
from crm_core.services.answers.misses import (
    Miss,
    recent_misses,
    record_miss,
)
from crm_core.services.answers.vocabulary import (
    Addition,
    LearningRefused,
    NeedCard,
    SynonymCard,
    add_faq,
    add_need,
    add_synonym,
    faq_card,
    need_card,
    synonym_card,
    vocabulary,
    vocabulary_additions,
)

__all__ = [
    "Addition",
    "Choice",
    "FaqCard",
    "FaqReport",
    "LearningRefused",
    "Miss",
    "NeedCard",
    "SynonymCard",
    "add_faq",
    "add_need",
    "add_synonym",
    "clear_choices",
    "faq_card",
    "faq_entries",
    "faq_stamp",
    "faq_version",
    "import_faq",
    "matcher_stamp",
    "need_card",
    "offer_choices",
    "pending_choice",
    "recent_misses",
    "record_miss",
    "synonym_card",
    "vocabulary",
    "vocabulary_additions",
]
