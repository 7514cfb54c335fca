"""What staff read about referrals: the scoped list, one referral's card with the steps the
reader may take, the manager's home section and the referrers' board."""

from datetime import datetime
from typing import Any

from crm_core.model import (
    NEXT_STEPS,
    OPEN_REFERRALS,
    OutOfScope,
    Referral,
    ReferralStatus,
    Scope,
    StaffRole,
)
from crm_core.queries.paging import Page, PageRequest
from crm_core.queries.referrals import referrals_page, referrer_board
from crm_core.services.collaboration.notify import subject_label
from crm_core.services.collaboration.policy import ReferralPolicy, sql
from crm_core.services.collaboration.records import credit, referrer_record
from crm_core.services.collaboration.steps import get_referral
from crm_core.unit_of_work import UnitOfWork

HOME_ROWS = 10


def referral_row(referral: Referral, now: datetime) -> dict[str, Any]:
    """Return a referral's fields as a list shows them (JSON-ready but for times)."""
    return {"id": referral.id, "subject": subject_label(referral),
            "customer_id": referral.customer_id,
            "organisation": referral.organisation.code if referral.organisation else None,
            "line": referral.line.value, "status": referral.status.value,
            "referrer": referral.referrer.name, "referrer_code": referral.referrer.code,
            "receiver": referral.receiver.name if referral.receiver else None,
            "receiver_code": referral.receiver.code if referral.receiver else None,
            "branch": referral.branch.name, "product_interest": referral.product_interest,
            "potential_value": referral.potential_value, "note": referral.note,
            "decline_reason": referral.decline_reason, "created_at": referral.created_at,
            "due_at": referral.due_at, "overdue": bool(referral.due_at and referral.due_at <= now),
            "lock_until": referral.lock_until, "outcome": referral.outcome,
            "converted_value": referral.converted_value, "closed_at": referral.closed_at}


def referral_list(uow: UnitOfWork, scope: Scope, request: PageRequest,
                  now: datetime) -> Page[dict[str, Any]]:
    """Return one page of the referrals in scope (box: received, sent, queue or all)."""
    box = request.get("box") or "all"
    page = referrals_page(sql(uow).session, scope, box, request.get("status"), request)
    return page.map(lambda r: referral_row(r, now))


def sees_referral(scope: Scope, referral: Referral) -> bool:
    """Say whether the scope sees a referral (as `referral_scope` does in SQL)."""
    if scope.role is StaffRole.HEAD_OFFICE:
        return True
    if scope.role is StaffRole.MANAGER:
        return scope.manager_id in (referral.referrer_id, referral.receiver_id)
    return scope.branch_id in (referral.branch_id, referral.referrer.branch_id)


def referral_card(uow: UnitOfWork, scope: Scope, referral_id: int, policy: ReferralPolicy,
                  now: datetime) -> dict[str, Any]:
    """Return one referral with the steps, assignment and settlement the reader may do."""
    referral = get_referral(uow, referral_id)
    if not sees_referral(scope, referral):
        raise OutOfScope(f"referral {referral_id}")
    receiving = scope.manager_id is not None and scope.manager_id == referral.receiver_id
    heading = scope.role is StaffRole.HEAD_OFFICE or (
        scope.role is StaffRole.BRANCH_HEAD and scope.branch_id == referral.branch_id)
    to_referrer, to_receiver = credit(referral, policy)
    return {**referral_row(referral, now),
            "steps": [s.value for s in NEXT_STEPS.get(referral.status, ())] if receiving else [],
            "may_assign": heading and referral.status is ReferralStatus.SUBMITTED,
            "may_settle": heading, "credit": {"referrer": to_referrer, "receiver": to_receiver},
            "credit_model": policy.credit_model}


def manager_referrals(uow: UnitOfWork, scope: Scope, policy: ReferralPolicy,
                      now: datetime) -> dict[str, Any]:
    """Return a manager's home section: referrals waiting on them and their record."""
    if scope.manager_id is None:
        return {"waiting": [], "record": None}
    mine = sql(uow).referrals.of_manager(scope.manager_id)
    waiting = [referral_row(r, now) for r in mine
               if r.receiver_id == scope.manager_id and r.status in OPEN_REFERRALS]
    return {"waiting": waiting[:HOME_ROWS], "more": max(len(waiting) - HOME_ROWS, 0),
            "record": referrer_record(uow, scope.manager_id, policy)}


def referrers_board(uow: UnitOfWork, scope: Scope) -> list[dict[str, Any]]:
    """Return the referrers of the scope's referrals with their rates, best value first."""
    rows = referrer_board(sql(uow).session, scope)
    # PostgreSQL sums big integers as numerics: the value goes out as a whole number of yuan.
    return [{**row, "value": int(row["value"] or 0),
             "rate": row["converted"] / row["sent"] if row["sent"] else None} for row in rows]
