"""Classification: the dimension catalogue, the bank's extracts, derived tiers, staff tags."""

from crm_core.services.classification.extracts import (
    ExtractSpec,
    KeyHasher,
    parse_month,
    parse_spec,
)
from crm_core.services.classification.imports import ExtractFile, ExtractReport, import_extract

__all__ = [
    "ExtractFile",
    "ExtractReport",
    "ExtractSpec",
    "KeyHasher",
    "import_extract",
    "parse_month",
    "parse_spec",
]
