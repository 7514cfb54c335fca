"""Partner units: each organisation's own QR scene (`b:<branch>;u:<code>`), the followers who
came through it tagged as the unit's members, payroll lists that add its employees, and the
unit's follow and lead counts.

A payroll list also sets its employees' 单位 (employer) on the classification dimension, in
the month segments read it in (the latest month stored, else this one), beside what the
bank's employer extract says; a later extract of a new month starts that month afresh.
"""

from datetime import date, datetime

from crm_core.model import (
    Organisation,
    OrgMember,
    Refusal,
    SceneError,
    format_scene,
    parse_scene,
)
from crm_core.model.scene import Scene
from crm_core.services.catalogue_files import ImportRejected, RowError, SourceRow
from crm_core.services.organisations.imports import OrgImportReport, check_fields
from crm_core.unit_of_work import SqlUnitOfWork, UnitOfWork

CODE_SOURCE = "code"
PAYROLL_FIELDS = frozenset({"organisation", "openid"})


def unit_scene(organisation: Organisation) -> str:
    """Return the scene of an organisation's partner-unit code: its branch's round robin
    links the follower, the unit tags them."""
    return format_scene(Scene(branch=organisation.branch.code, unit=organisation.code))


def tag_unit_follower(uow: UnitOfWork, openid: str, scene: str | None, now: datetime) -> bool:
    """Tag a follower who came through a partner-unit code as a member of the unit; return
    whether a new member was recorded (another system's scene or an unknown unit: no)."""
    if not scene or not isinstance(uow, SqlUnitOfWork):
        return False
    try:
        unit = parse_scene(scene).unit
    except SceneError:
        return False
    organisation = uow.organisations.by_code(unit) if unit else None
    customer = uow.customers.by_openid(openid)
    if organisation is None or customer is None:
        return False
    return uow.organisations.add_member(OrgMember(
        organisation_id=organisation.id, customer_id=customer.id, source=CODE_SOURCE,
        created_at=now))


def import_payroll(uow: SqlUnitOfWork, rows: list[SourceRow], source: str,
                   now: datetime) -> OrgImportReport:
    """Add the employees on a payroll list (organisation, openid) as the unit's members;
    unknown organisations or customers refuse the file."""
    members, errors = [], []
    for row in rows:
        try:
            check_fields(row.fields, PAYROLL_FIELDS, ("organisation", "openid"))
            organisation = uow.organisations.by_code(row.fields["organisation"].upper())
            if organisation is None:
                raise Refusal("unknown_organisation", "no such organisation",
                              value=row.fields["organisation"][:24])
            customer = uow.customers.by_openid(row.fields["openid"])
            if customer is None:
                raise Refusal("unknown_customer", "no such customer",
                              value=row.fields["openid"][:64])
            members.append((organisation, customer.id))
        except Refusal as error:
            errors.append(RowError.of(row.line, error))
    if errors or not rows:
        raise ImportRejected(errors or [RowError(1, "no rows in the file", "empty_file")])
    created = [f"{o.code}:{c}" for o, c in members if uow.organisations.add_member(OrgMember(
        organisation_id=o.id, customer_id=c, source=source[:100], created_at=now))]
    month = uow.organisations.employer_month(date(now.year, now.month, 1))
    uow.organisations.add_employers([(c, o.name) for o, c in members], month)
    return OrgImportReport(created, [])
