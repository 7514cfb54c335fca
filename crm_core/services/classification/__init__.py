"""Classification: the dimension catalogue, the bank's extracts, derived tiers, staff tags."""

from crm_core.services.classification.board import tier_board
from crm_core.services.classification.catalogue import catalogue, thresholds, update_dimension
from crm_core.services.classification.extracts import (
    ExtractSpec,
    KeyHasher,
    parse_month,
    parse_spec,
)
from crm_core.services.classification.imports import ExtractFile, ExtractReport, import_extract
from crm_core.services.classification.refused import RefusedFile, record_refused
from crm_core.services.classification.tags import (
    clean_tag,
    customer_classes,
    record_customer_number,
    tag_customer,
    untag_customer,
)

__all__ = [
    "ExtractFile",
    "ExtractReport",
    "ExtractSpec",
    "KeyHasher",
    "RefusedFile",
    "catalogue",
    "clean_tag",
    "customer_classes",
    "import_extract",
    "parse_month",
    "parse_spec",
    "record_customer_number",
    "record_refused",
    "tag_customer",
    "thresholds",
    "tier_board",
    "untag_customer",
    "update_dimension",
]
