"""Organisations: imports of organisations and their contacts, and what staff read of them."""

from crm_core.services.organisations.cards import (
    employers,
    organisation_card,
    organisation_list,
    organisation_markets,
    organisation_row,
    scoped_organisation,
    sees_organisation,
)
from crm_core.services.organisations.imports import (
    OrgImportReport,
    import_contacts,
    import_organisations,
)

__all__ = [
    "OrgImportReport",
    "employers",
    "import_contacts",
    "import_organisations",
    "organisation_card",
    "organisation_list",
    "organisation_markets",
    "organisation_row",
    "scoped_organisation",
    "sees_organisation",
]
