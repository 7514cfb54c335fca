"""Conversions from imported outcomes: an account opened, a loan drawn, a product bought,
with its amount, for a customer (openid) or an organisation (code) and a line. The referral
holding that subject and line is converted (later outcomes add to its value); a row that
names no such referral is refused, and then nothing of the file is applied."""

from datetime import datetime
from typing import Any

from crm_core.model import ManagerRole, Referral, ReferralStatus, Refusal
from crm_core.services.catalogue_files import ImportRejected, RowError, SourceRow
from crm_core.services.collaboration.notify import notify_referral
from crm_core.services.collaboration.policy import sql
from crm_core.unit_of_work import SqlUnitOfWork, UnitOfWork

OUTCOMES = ("开户", "放款", "购买")
LINES = {"零售": ManagerRole.RETAIL, "财富": ManagerRole.WEALTH, "信贷": ManagerRole.LOAN,
         "对公": ManagerRole.CORPORATE, **{role.value: role for role in ManagerRole}}
FIELDS = frozenset({"openid", "organisation", "line", "outcome", "amount"})
CLOSED = (ReferralStatus.DECLINED, ReferralStatus.NOT_CONVERTED, ReferralStatus.EXPIRED)


def record_outcomes(uow: UnitOfWork, rows: list[SourceRow], source: str,
                    now: datetime) -> list[int]:
    """Check every row, then convert each row's referral; return the referrals converted."""
    work = sql(uow)
    matched: list[tuple[Referral, str, int]] = []
    errors: list[RowError] = []
    for row in rows:
        try:
            matched.append(_outcome(work, row.fields, now))
        except Refusal as error:
            errors.append(RowError.of(row.line, error))
    if errors or not rows:
        raise ImportRejected(errors or [RowError(1, "no rows in the file", "empty_file")])
    for referral, outcome, amount in matched:
        if referral.status is not ReferralStatus.CONVERTED:
            referral.status, referral.closed_at, referral.due_at = \
                ReferralStatus.CONVERTED, now, None
        referral.outcome = outcome
        referral.converted_value = (referral.converted_value or 0) + amount
        notify_referral(uow, referral, f"converted-{source[:40]}", [referral.referrer], now)
    return sorted({referral.id for referral, _, _ in matched})


def _outcome(uow: SqlUnitOfWork, fields: dict[str, str], now: datetime) -> tuple[
        Referral, str, int]:
    unknown = sorted(set(fields) - FIELDS)
    if unknown:
        raise Refusal("unknown_field", f"unknown field {unknown[0]!r}", field=unknown[0][:40])
    line = LINES.get(fields.get("line", ""))
    if line is None:
        raise Refusal("not_a_choice", "bad line", field="line", value=fields.get("line", "")[:20],
                      choices="零售、财富、信贷、对公")
    if fields.get("outcome") not in OUTCOMES:
        raise Refusal("not_a_choice", "bad outcome", field="outcome",
                      value=fields.get("outcome", "")[:20], choices="、".join(OUTCOMES))
    referral = _holder(uow, fields, line, now)
    return referral, fields["outcome"], _amount(fields.get("amount", ""))


def _holder(uow: SqlUnitOfWork, fields: dict[str, str], line: ManagerRole,
            now: datetime) -> Referral:
    subject = _subject_key(uow, fields)
    referral = uow.referrals.holder(subject, line, now) if subject else None
    if referral is None or referral.status in CLOSED:
        raise Refusal("outcome_no_referral", "no referral holds this subject and line",
                      value=(fields.get("openid") or fields.get("organisation") or "")[:64])
    return referral


def _subject_key(uow: SqlUnitOfWork, fields: dict[str, str]) -> str | None:
    if fields.get("organisation"):
        found: Any = uow.organisations.by_code(fields["organisation"].upper())
        return f"o{found.id}" if found else None
    found = uow.customers.by_openid(fields.get("openid", ""))
    return f"c{found.id}" if found else None


def _amount(value: str) -> int:
    digits = value.replace(",", "").strip()
    if not digits.isdigit() or len(digits) > 13:
        raise Refusal("bad_amount", "amount is whole yuan", field="amount", value=value[:20])
    return int(digits)
