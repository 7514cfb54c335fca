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
from crm_core.services.organisations.chain_runs import make_chain_leads
from crm_core.services.organisations.chains import (
    ChainReport,
    chain_lead_row,
    chain_leads_in,
    chase_chain_leads,
    key_links_in,
    move_chain_lead,
    step_chain_lead,
)
from crm_core.services.organisations.imports import (
    OrgImportReport,
    import_contacts,
    import_organisations,
)
from crm_core.services.organisations.trade import (
    add_relationship,
    chain_view,
    import_relationships,
)
from crm_core.services.organisations.units import (
    import_payroll,
    tag_unit_follower,
    unit_scene,
)

__all__ = [
    "ChainReport",
    "OrgImportReport",
    "add_relationship",
    "chain_lead_row",
    "chain_leads_in",
    "chain_view",
    "chase_chain_leads",
    "employers",
    "import_contacts",
    "import_organisations",
    "import_payroll",
    "import_relationships",
    "key_links_in",
    "make_chain_leads",
    "move_chain_lead",
    "organisation_card",
    "organisation_list",
    "organisation_markets",
    "organisation_row",
    "scoped_organisation",
    "sees_organisation",
    "step_chain_lead",
    "tag_unit_follower",
    "unit_scene",
]
