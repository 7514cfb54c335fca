"""The complaints and suitability-override registers: recorded by staff, judged in scope, and
counted as breaches on the card of the month they belong to.

A complaint is recorded by head office, a branch head (about a manager of their branch) or the
online service desk, and judged by a branch head (for their branch) or head office, with a
reason; head office may revise a verdict, a branch head only gives the first one, and no one
judges a complaint about themselves. Only a substantiated complaint deducts, on the card of
the month it was received. An override is recorded by the manager who made the sale, their
branch head or head office, and only when the customer's assessment on that day (none, expired
or below the product's level) did not cover the product: a sale it covered is no override.
Every step is audited; a run of a draft month picks up what the registers hold by then.
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from crm_core.model import (
    AuditEvent,
    Customer,
    Manager,
    OutOfScope,
    Refusal,
    Scope,
    StaffRole,
)
from crm_core.model.performance.registers import (
    Complaint,
    ComplaintChannel,
    ComplaintVerdict,
    SuitabilityOverride,
)
from crm_core.model.products import suitability
from crm_core.services.suitability import current_assessment
from crm_core.unit_of_work import SqlUnitOfWork

SUMMARY_MAX, DETAIL_MAX, REASON_MAX = 100, 2000, 500


@dataclass(frozen=True)
class ComplaintForm:
    """A complaint as staff enter it."""

    customer_id: int
    manager_code: str
    received_on: date
    channel: ComplaintChannel
    summary: str
    detail: str = ""


@dataclass(frozen=True)
class OverrideForm:
    """A sale above the customer's assessed level, as staff enter it."""

    customer_id: int
    manager_code: str
    product_code: str
    occurred_on: date
    reason: str


def covers(scope: Scope, manager: Manager) -> bool:
    """Say whether the scope sees this manager's registers (and, for head office, cards)."""
    if scope.role is StaffRole.HEAD_OFFICE:
        return scope.line is None or manager.role == scope.line
    if scope.role is StaffRole.BRANCH_HEAD:
        return scope.branch_id == manager.branch_id
    return scope.role is StaffRole.MANAGER and scope.manager_id == manager.id


def record_complaint(uow: SqlUnitOfWork, scope: Scope, form: ComplaintForm, today: date,
                     now: datetime) -> Complaint:
    """Record a complaint about a manager in the recorder's scope (audited)."""
    manager = _manager(uow, form.manager_code)
    desk = scope.role is StaffRole.SERVICE and scope.branch_id in (None, manager.branch_id)
    if not desk and (scope.role is StaffRole.MANAGER or not covers(scope, manager)):
        raise OutOfScope(form.manager_code)
    _customer(uow, form.customer_id)
    summary, detail = _text(form.summary, SUMMARY_MAX, "complaint_summary"), form.detail.strip()
    if len(detail) > DETAIL_MAX:
        raise Refusal("too_long", "too long", field="complaint_detail", limit=DETAIL_MAX)
    _not_ahead(form.received_on, today)
    complaint = Complaint(customer_id=form.customer_id, manager_id=manager.id,
                          branch_id=manager.branch_id, received_on=form.received_on,
                          channel=form.channel, summary=summary, detail=detail,
                          recorded_by=scope.username, recorded_at=now)
    uow.session.add(complaint)
    uow.flush()
    _audit(uow, scope, now, "complaint_recorded", f"complaint:{complaint.id}",
           {"manager": manager.code, "channel": form.channel.value})
    return complaint


def decide_complaint(uow: SqlUnitOfWork, scope: Scope, complaint_id: int, substantiated: bool,
                     reason: str, now: datetime) -> Complaint:
    """Mark a complaint substantiated or not, with a reason (audited)."""
    complaint = uow.session.get(Complaint, complaint_id)
    if complaint is None:
        raise LookupError(complaint_id)
    manager = uow.session.get(Manager, complaint.manager_id)
    assert manager is not None  # noqa: S101 - a foreign key
    judge = (scope.role is StaffRole.HEAD_OFFICE and covers(scope, manager)) or (
        scope.role is StaffRole.BRANCH_HEAD and scope.branch_id == complaint.branch_id)
    if not judge or scope.manager_id == complaint.manager_id:
        raise OutOfScope(str(complaint_id))
    before = complaint.verdict
    if before is not ComplaintVerdict.PENDING and scope.role is not StaffRole.HEAD_OFFICE:
        raise Refusal("complaint_decided", "already decided", id=complaint_id)
    complaint.verdict = (ComplaintVerdict.SUBSTANTIATED if substantiated
                         else ComplaintVerdict.UNSUBSTANTIATED)
    complaint.reason = _text(reason, REASON_MAX, "reason")
    complaint.decided_by, complaint.decided_at = scope.username, now
    _audit(uow, scope, now, "complaint_decided", f"complaint:{complaint.id}",
           {"verdict": complaint.verdict.value, "before": before.value})
    return complaint


def record_override(uow: SqlUnitOfWork, scope: Scope, form: OverrideForm, today: date,
                    validity: timedelta, now: datetime) -> SuitabilityOverride:
    """Record a sale the customer's assessment did not cover (audited); refused if it did."""
    manager = _manager(uow, form.manager_code)
    if not covers(scope, manager):
        raise OutOfScope(form.manager_code)
    customer = _customer(uow, form.customer_id)
    product = uow.products.by_code(form.product_code)
    if product is None:
        raise Refusal("no_such_product", "unknown product", value=form.product_code[:32])
    _not_ahead(form.occurred_on, today)
    assessment = current_assessment(uow, customer, form.occurred_on, validity)
    if suitability(product, assessment) is None:
        raise Refusal("override_not_needed", "the assessment covers the product",
                      level=assessment.level or 0, risk=product.risk_level)
    override = SuitabilityOverride(
        customer_id=customer.id, manager_id=manager.id, branch_id=manager.branch_id,
        product_id=product.id, customer_level=assessment.level,
        product_level=product.risk_level, occurred_on=form.occurred_on,
        reason=_text(form.reason, REASON_MAX, "reason"), recorded_by=scope.username,
        recorded_at=now)
    uow.session.add(override)
    uow.flush()
    _audit(uow, scope, now, "suitability_override", f"override:{override.id}",
           {"manager": manager.code, "product": product.code,
            "level": assessment.level or 0, "risk": product.risk_level})
    return override


def _manager(uow: SqlUnitOfWork, code: str) -> Manager:
    manager = uow.managers.by_code(code.strip())
    if manager is None:
        raise Refusal("unknown_owner", "unknown manager", manager=code[:24])
    return manager


def _customer(uow: SqlUnitOfWork, customer_id: int) -> Customer:
    customer = uow.session.get(Customer, customer_id)
    if customer is None:
        raise Refusal("no_such_customer", "unknown customer", value=str(customer_id)[:12])
    return customer


def _text(text: str, limit: int, field: str) -> str:
    text = text.strip()
    if not text:
        raise Refusal("required", "required", field=field)
    if len(text) > limit:
        raise Refusal("too_long", "too long", field=field, limit=limit)
    return text


def _not_ahead(day: date, today: date) -> None:
    if day > today:
        raise Refusal("date_ahead", "date in the future", value=f"{day:%Y-%m-%d}")


def _audit(uow: SqlUnitOfWork, scope: Scope, now: datetime, action: str, subject: str,
           detail: dict[str, object]) -> None:
    uow.audit.add(AuditEvent(actor=scope.username, action=action, at=now, subject=subject,
                             detail=detail))
