"""What staff read about organisations: the scoped list, one organisation's card, its
contacts and the organisations a customer works for."""

from typing import Any

from crm_core.model import Organisation, OutOfScope, Scope, StaffRole
from crm_core.queries.organisations import OrganisationFilter, markets, organisations_page
from crm_core.queries.paging import Page, PageRequest
from crm_core.services.customers import customer_label
from crm_core.unit_of_work import SqlUnitOfWork


def organisation_list(uow: SqlUnitOfWork, scope: Scope,
                      request: PageRequest) -> Page[dict[str, Any]]:
    """Return one page of the organisations in scope that match the request's filters."""
    wanted = OrganisationFilter(request.get("q").strip(), request.get("kind"),
                                request.get("market"), request.get("key") == "1")
    page = organisations_page(uow.session, scope, wanted, request)
    return page.map(lambda row: {**organisation_row(row[0]), "manager": row[1],
                                 "contacts": row[2]})


def organisation_markets(uow: SqlUnitOfWork, scope: Scope) -> list[str]:
    """Return the markets a filter bar offers the scope."""
    return markets(uow.session, scope)


def organisation_row(organisation: Organisation) -> dict[str, Any]:
    """Return an organisation's own fields, JSON-ready."""
    return {"id": organisation.id, "code": organisation.code, "name": organisation.name,
            "credit_code": organisation.credit_code, "kind": organisation.kind,
            "market": organisation.market, "industry": organisation.industry,
            "branch": organisation.branch.code, "key_link": organisation.key_link,
            "products": list(organisation.products)}


def scoped_organisation(uow: SqlUnitOfWork, scope: Scope, code: str) -> Organisation:
    """Return an organisation by code if the scope sees it (LookupError, OutOfScope)."""
    organisation = uow.organisations.by_code(code.upper())
    if organisation is None:
        raise LookupError(code)
    if not sees_organisation(scope, organisation) and not _works_a_chain_lead(uow, scope,
                                                                            organisation):
        raise OutOfScope(code)
    return organisation


def _works_a_chain_lead(uow: SqlUnitOfWork, scope: Scope, organisation: Organisation) -> bool:
    # A chain lead's manager (or its branch's head) opens the organisation it is about,
    # though the organisation is not theirs: it is what they are asked to win.
    leads = uow.organisations.chain_leads_of(organisation.id)
    if scope.role is StaffRole.BRANCH_HEAD:
        return any(lead.branch_id == scope.branch_id for lead in leads)
    return scope.manager_id is not None and any(lead.manager_id == scope.manager_id
                                                for lead in leads)


def sees_organisation(scope: Scope, organisation: Organisation) -> bool:
    """Say whether the scope sees an organisation (as `organisation_scope` does in SQL)."""
    if scope.role is StaffRole.HEAD_OFFICE:
        return True
    if scope.role is StaffRole.BRANCH_HEAD:
        return organisation.branch_id == scope.branch_id
    return scope.manager_id is not None and organisation.manager_id == scope.manager_id


def organisation_card(uow: SqlUnitOfWork, scope: Scope, code: str) -> dict[str, Any]:
    """Return one organisation as its page shows it: fields, owner and contacts."""
    organisation = scoped_organisation(uow, scope, code)
    manager = organisation.manager
    contacts = [{"name": c.name, "title": c.title, "customer_id": c.customer_id,
                 "customer": (c.customer.display_name or customer_label(c.customer.openid))
                 if c.customer else None}
                for c in uow.organisations.contacts_of(organisation.id)]
    return {**organisation_row(organisation), "branch_name": organisation.branch.name,
            "manager": {"code": manager.code, "name": manager.name} if manager else None,
            "contacts": contacts,
            "unit": uow.organisations.unit_figures(organisation.id)}


def employers(uow: SqlUnitOfWork, customer_id: int) -> list[dict[str, Any]]:
    """Return the organisations a customer is a contact person of (code and name)."""
    return [{"code": o.code, "name": o.name, "kind": o.kind}
            for o in uow.organisations.employers_of(customer_id)]
