"""Risk assessments and the personalisation switch: what a customer's profile allows."""

from datetime import date, datetime, timedelta

from crm_core.model import (
    AuditEvent,
    Customer,
    RecommendationPref,
    Refusal,
    RiskAssessment,
)
from crm_core.model.products import Assessment
from crm_core.services.catalogue_files import (
    ImportRejected,
    RowError,
    SourceRow,
    parse_date,
    parse_level,
)
from crm_core.services.customers import ensure_customer
from crm_core.unit_of_work import UnitOfWork

RISK_FIELDS = frozenset({"openid", "level", "assessed_on", "source"})


def current_assessment(uow: UnitOfWork, customer: Customer, today: date,
                       validity: timedelta) -> Assessment:
    """Return the customer's risk level today; an assessment older than `validity` is none."""
    return assessment_of(uow.products.latest_assessment(customer), today, validity)


def assessment_of(latest: RiskAssessment | None, today: date,
                  validity: timedelta) -> Assessment:
    """Return what the latest assessment says today; one older than `validity` is none."""
    if latest is None:
        return Assessment(None, None, expired=False)
    if latest.assessed_on + validity < today:
        return Assessment(None, latest.assessed_on, expired=True)
    return Assessment(latest.level, latest.assessed_on, expired=False)


def set_risk_level(uow: UnitOfWork, openid: str, level: int, assessed_on: date, actor: str,
                   now: datetime) -> None:
    """Record an assessment entered by staff (C1–C5 as 1–5), with an audit event."""
    customer = uow.customers.by_openid(openid)
    if customer is None:
        raise LookupError(f"no customer with openid {openid!r}")
    record_staff_assessment(uow, customer, level, assessed_on, actor, now)


def record_staff_assessment(uow: UnitOfWork, customer: Customer, level: int, assessed_on: date,
                            actor: str, now: datetime, today: date | None = None) -> None:
    """Record an assessment a member of staff entered (ValueError if it cannot be one).

    `today`: the date where the assessment was taken (the bank's time zone), which a date
    entered by staff may not be after; default the UTC date of `now`.
    """
    if level not in range(1, 6) or assessed_on > (today or now.date()):
        raise ValueError("level must be 1-5 and the assessment date not in the future")
    _assess(uow, customer, level, assessed_on, f"staff:{actor}", now)
    uow.audit.add(AuditEvent(at=now, actor=actor[:64], action="risk_assessed",
                             subject=str(customer.id), detail={
                                 "level": level, "assessed_on": assessed_on.isoformat()}))


def import_risk_levels(uow: UnitOfWork, rows: list[SourceRow], source: str,
                       now: datetime) -> int:
    """Record the assessments of an import file, all or nothing (ImportRejected lists bad rows)."""
    checked: list[tuple[Customer, int, date, str]] = []
    errors: list[RowError] = []
    seen: set[str] = set()
    for row in rows:
        try:
            checked.append(_risk_row(uow, row.fields, seen, now, source))
        except ValueError as error:
            errors.append(RowError.of(row.line, error))
    if errors or not rows:
        raise ImportRejected(errors or [RowError(1, "no assessments in the file", "empty_file")])
    for customer, level, assessed_on, origin in checked:
        _assess(uow, customer, level, assessed_on, origin, now)
    uow.audit.add(AuditEvent(at=now, actor="import", action="risk_imported",
                             subject=source[:64], detail={"assessments": len(checked)}))
    return len(checked)


def _risk_row(uow: UnitOfWork, fields: dict[str, str], seen: set[str], now: datetime,
              source: str) -> tuple[Customer, int, date, str]:
    unknown = sorted(set(fields) - RISK_FIELDS)
    if unknown:
        raise Refusal("unknown_field", f"unknown field {unknown[0]!r}", field=unknown[0][:40])
    openid = fields.get("openid", "")
    if not openid:
        raise Refusal("required", "openid is required", field="openid")
    if openid in seen:
        raise Refusal("twice", f"openid {openid} appears twice", field="openid",
                      value=openid[:64])
    seen.add(openid)
    level = parse_level(fields.get("level", ""), "C", "level")
    assessed_on = parse_date(fields.get("assessed_on", ""), "assessed_on")
    if assessed_on is None or assessed_on > now.date():
        raise Refusal("assessed_on", "assessed_on is required and may not be in the future")
    customer = uow.customers.by_openid(openid)
    if customer is None:
        raise Refusal("unknown_customer", f"no customer with openid {openid}",
                      value=openid[:64])
    return customer, level, assessed_on, fields.get("source") or source


def _assess(uow: UnitOfWork, customer: Customer, level: int, assessed_on: date, source: str,
            now: datetime) -> None:
    uow.products.add(RiskAssessment(customer_id=customer.id, level=level,
                                    assessed_on=assessed_on, source=source[:100],
                                    recorded_at=now))


def set_personalised(uow: UnitOfWork, openid: str, on: bool, now: datetime) -> None:
    """Switch personalised recommendations on or off for a customer, with an audit event."""
    customer = ensure_customer(uow, openid, now, source="direct")
    pref = uow.products.pref(customer)
    if pref is None:
        uow.products.add(RecommendationPref(customer_id=customer.id, personalised=on,
                                            changed_at=now))
    else:
        pref.personalised, pref.changed_at = on, now
    uow.audit.add(AuditEvent(at=now, actor=openid[:64], action="personalisation",
                             subject=openid[:64], detail={"personalised": on}))
