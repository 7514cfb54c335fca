"""Checking the rows of a month's book extract: one row per customer and kind.

A row names the customer (the bank's number, kept only as its keyed hash and last four
digits), the manager who holds them, what the row carries (deposit, loan, fee, event) and its
figures. Rates are annual percentages; an FTP rate outside 0-15 % is a typing slip (a rate
written as a fraction or in basis points), so it is refused rather than priced.
"""

from collections.abc import Mapping, Sequence
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from crm_core.model import Refusal
from crm_core.model.performance import BookKind
from crm_core.services.catalogue_files import ImportRejected, RowError
from crm_core.services.classification.extracts import CUSTOMER_NO, KeyHasher, parse_month

FTP_RANGE = (Decimal(0), Decimal(15))
RATE_RANGE = (Decimal(0), Decimal(36))  # no lawful customer rate is above 36 % a year
# Column names as the bank's extracts write them (Chinese) or as our template does.
ALIASES = {"客户号": "customer_no", "客户经理": "manager", "类型": "kind", "月份": "month",
           "月日均余额": "balance", "客户利率": "customer_rate", "FTP利率": "ftp_rate",
           "产品": "product", "中间业务收入": "fee", "逾期金额": "overdue", "不良金额": "npl"}
KINDS = {"存款": BookKind.DEPOSIT, "贷款": BookKind.LOAN, "中收": BookKind.FEE,
         "事件": BookKind.EVENT, **{k.value: k for k in BookKind}}
REQUIRED = ("customer_no", "manager", "kind")
KNOWN = (*REQUIRED, "month", "balance", "customer_rate", "ftp_rate", "product", "fee",
         "overdue", "npl")


def check_header(fields: Sequence[str]) -> None:
    """Refuse a file whose header lacks a required column or has an unknown one."""
    names = [ALIASES.get(f.strip(), f.strip()) for f in fields]
    missing = [c for c in REQUIRED if c not in names]
    unknown = [n for n in names if n and n not in KNOWN]
    if missing or unknown:
        raise ImportRejected([RowError(1, "bad header", "bad_header",
                                       {"missing": "、".join(missing) or "无",
                                        "unknown": "、".join(unknown) or "无"})])


class BookChecker:
    """Checks each row of one month's extract against the managers the bank has."""

    def __init__(self, month: date, managers: Mapping[str, int], hasher: KeyHasher) -> None:
        self.month, self.managers, self.hasher = month, managers, hasher

    def check(self, line: int, raw: Mapping[str, str]) -> dict[str, Any]:
        """Return a row ready to insert, or raise Refusal with the reason."""
        fields = {ALIASES.get(k.strip(), k.strip()): (v or "").strip() for k, v in raw.items()}
        kind = self._kind(fields.get("kind", ""))
        row = {"month": self.month, "line": line, "kind": kind,
               "manager_id": self._manager(fields.get("manager", "")),
               **self._customer(fields.get("customer_no", "")),
               "product": _label(fields.get("product", ""), kind)}
        if fields.get("month") and parse_month(fields["month"]) != self.month:
            raise Refusal("unknown_month", "row of another month", value=fields["month"])
        for name in ("balance", "fee", "overdue", "npl"):
            row[name] = amount(fields.get(name, ""), name)
        row["customer_rate"] = rate(fields.get("customer_rate", ""), "customer_rate",
                                    RATE_RANGE)
        row["ftp_rate"] = rate(fields.get("ftp_rate", ""), "ftp_rate", FTP_RANGE)
        return row

    def _kind(self, text: str) -> BookKind:
        found = KINDS.get(text)
        if found is None:
            raise Refusal("unknown_book_kind", "unknown kind", value=text[:24])
        return found

    def _manager(self, code: str) -> int:
        found = self.managers.get(code)
        if found is None:
            raise Refusal("unknown_owner", "unknown manager", manager=code[:24])
        return found

    def _customer(self, number: str) -> dict[str, str]:
        if not CUSTOMER_NO.fullmatch(number):
            raise Refusal("bad_customer_no", "bad customer number", value=number[:24])
        return {"customer_key": self.hasher.customer_key(number), "customer_tail": number[-4:]}


def amount(text: str, field: str) -> Decimal:
    """Return a non-negative amount in yuan (blank is zero), or refuse it."""
    value = _decimal(text.replace(",", ""), field)
    if value < 0:
        raise Refusal("negative_amount", "negative amount", field=field, value=text[:24])
    return value.quantize(Decimal("0.01"))


def rate(text: str, field: str, bounds: tuple[Decimal, Decimal]) -> Decimal:
    """Return an annual rate in percent within `bounds`, or refuse it."""
    value = _decimal(text.removesuffix("%"), field)
    if not bounds[0] <= value <= bounds[1]:
        code = "ftp_out_of_range" if field == "ftp_rate" else "rate_out_of_range"
        raise Refusal(code, "rate out of range", field=field, value=text[:24],
                      low=str(bounds[0]), high=str(bounds[1]))
    return value


def _decimal(text: str, field: str) -> Decimal:
    try:
        value = Decimal(text or "0")
    except InvalidOperation:
        raise Refusal("bad_figure", "not a number", field=field, value=text[:24]) from None
    if not value.is_finite():
        raise Refusal("bad_figure", "not a number", field=field, value=text[:24])
    return value


def _label(text: str, kind: BookKind) -> str:
    if kind in (BookKind.FEE, BookKind.EVENT) and not text:
        raise Refusal("required", "required", field="product")
    if len(text) > 32:
        raise Refusal("too_long", "too long", field="product", limit=32)
    return text
