"""Checking the rows of the bank's extracts: the spec of a file, its header and each row.

An extract is keyed by the bank's customer number or a mobile number; neither is kept: each
is turned into its keyed hash here, and a mobile also into its masked form (138****5678) for
staff who will reach the customer offline. Every problem is a Refusal with a code, so the
file's author reads one Chinese sentence per bad row.
"""

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import NamedTuple, Protocol

from crm_core.model import BatchKind, Refusal
from crm_core.pii import normalise_mobile
from crm_core.services.catalogue_files import ImportRejected, RowError

CUSTOMER_NO = re.compile(r"[0-9]{8,20}")  # the bank's customer numbers: 8 to 20 digits
_PLAIN_MOBILE = re.compile(r"1[3-9][0-9]{9}")
_MONTH = re.compile(r"([0-9]{4})-([0-9]{2})")
_LIST_NAME = re.compile(r"[^\s,;:/\\]{1,32}")
_AMOUNT = re.compile(r"[0-9]{1,16}(\.[0-9]{1,2})?")
# Column names as the bank's extracts write them (Chinese) or as our templates do (English).
ALIASES = {"客户号": "customer_no", "手机号": "mobile", "网点": "branch", "月日均资产": "aum",
           "产品大类": "category", "余额": "balance", "介质": "medium", "单位": "employer",
           "手机银行月活": "mobile_active", "交易笔数": "transactions"}
KEYS = ("customer_no", "mobile")
# The columns each kind needs beside a key; the first names the value (or the amount of aum).
COLUMNS = {BatchKind.BALANCES: ("aum",), BatchKind.HOLDINGS: ("category", "balance"),
           BatchKind.MEDIA: ("medium",), BatchKind.EMPLOYERS: ("employer",),
           BatchKind.LIST: (), BatchKind.MAPPING: (),
           BatchKind.MOBILE: ("mobile_active", "transactions")}
DIMENSIONS = {BatchKind.BALANCES: "aum", BatchKind.HOLDINGS: "holding",
              BatchKind.MEDIA: "medium", BatchKind.EMPLOYERS: "employer",
              BatchKind.LIST: "group", BatchKind.MOBILE: "mobile"}
# 手机银行月活 as the bank's extracts write it: active this month or not.
ACTIVE = {"是": "active", "1": "active", "Y": "active", "y": "active",
          "否": "inactive", "0": "inactive", "N": "inactive", "n": "inactive"}
_COUNT = re.compile(r"[0-9]{1,9}")


class KeyHasher(Protocol):
    """Keyed hashes of the numbers an extract is keyed by (the channel holds the key)."""

    def digest(self, number: str) -> str:
        """Return the keyed hash of a mobile number's 11 digits (as customers.phone_hash)."""
        ...

    def customer_key(self, number: str) -> str:
        """Return the keyed hash of a bank customer number."""
        ...


@dataclass(frozen=True)
class ExtractSpec:
    """What a file carries and for which month: `--kind` and `--month`."""

    kind: BatchKind
    month: date
    list_name: str | None = None

    @property
    def dimension(self) -> str | None:
        """Return the dimension the file's values go to (None: a mapping of keys)."""
        return DIMENSIONS.get(self.kind)

    @property
    def value(self) -> str | None:
        """Return the value every row carries, where the kind fixes it (aum, a list's name)."""
        return "aum" if self.kind is BatchKind.BALANCES else self.list_name


class Staged(NamedTuple):
    """One checked row: the hashed keys, masked phone, branch code, value and amount (as
    checked decimal text), in the staging table's column order (a tuple: a million are made)."""

    line: int
    key_hash: str | None
    phone_hash: str | None
    masked_phone: str | None
    branch: str | None
    value: str
    amount: str | None


def parse_spec(kind: str, month: str) -> ExtractSpec:
    """Read `--kind` (balances, …, list:<name>) and `--month` (YYYY-MM) or refuse them."""
    name, _, list_name = kind.partition(":")
    try:
        found = BatchKind(name)
    except ValueError:
        raise Refusal("bad_kind", f"unknown kind {kind!r}", value=kind) from None
    if (found is BatchKind.LIST) != bool(list_name) or \
            (list_name and not _LIST_NAME.fullmatch(list_name)):
        raise Refusal("bad_list_name", f"bad list name in {kind!r}", value=kind)
    return ExtractSpec(found, parse_month(month), list_name or None)


def parse_month(text: str) -> date:
    """Return the first day of a month written YYYY-MM, or refuse it."""
    found = _MONTH.fullmatch(text.strip())
    if found is None or not 1 <= int(found.group(2)) <= 12 or int(found.group(1)) < 2000:
        raise Refusal("bad_month", f"bad month {text!r}", value=text)
    return date(int(found.group(1)), int(found.group(2)), 1)


class RowChecker:
    """Checks the rows of one file against its header and spec."""

    def __init__(self, spec: ExtractSpec, header: Sequence[str], hasher: KeyHasher) -> None:
        self.spec, self.hasher = spec, hasher
        names = [ALIASES.get(h.strip(), h.strip()) for h in header]
        self.at = {name: i for i, name in enumerate(names) if name}
        _check_header(spec, names, self.at)
        self.width = len(names)
        # Looked up once: check() runs for each of a million rows.
        self._number_at, self._mobile_at = self.at.get("customer_no"), self.at.get("mobile")
        self._branch_at, self._amount_at = self.at.get("branch"), self.at.get("aum")
        self._mapping = spec.kind is BatchKind.MAPPING
        self._balances = spec.kind is BatchKind.BALANCES

    def check(self, line: int, values: Sequence[str]) -> Staged:
        """Return a row as staged, or raise Refusal with the reason."""
        size = len(values)
        if size > self.width:
            raise Refusal("too_many_values", "more values than header columns")
        at = self._number_at
        number = values[at].strip() if at is not None and at < size else ""
        at = self._mobile_at
        mobile = values[at].strip() if at is not None and at < size else ""
        key_hash, phone_hash, masked = self._keys(number, mobile)
        value: str
        amount: str | None
        if self._balances:
            at = self._amount_at
            value, amount = "aum", _amount(values[at].strip() if at is not None and at < size
                                           else "", "aum")
        else:
            value, amount = self._value(values)
        at = self._branch_at
        return Staged(line, key_hash, phone_hash, masked,
                      (values[at].strip() or None) if at is not None and at < size else None,
                      value, amount)

    def _activity(self, values: Sequence[str]) -> tuple[str, str]:
        return _activity_of(self._get(values, "mobile_active"), self._get(values, "transactions"))

    def _get(self, values: Sequence[str], name: str) -> str:
        at = self.at.get(name)
        return values[at].strip() if at is not None and at < len(values) else ""

    def _keys(self, number: str, mobile: str) -> tuple[str | None, str | None, str | None]:
        if not number and not mobile:
            raise Refusal("no_key", "neither a customer number nor a mobile")
        if number and not CUSTOMER_NO.fullmatch(number):
            raise Refusal("bad_customer_no", "bad customer number", value=number[:24])
        digits = None
        if mobile:
            digits = mobile if _PLAIN_MOBILE.fullmatch(mobile) else normalise_mobile(mobile)
            if digits is None:
                raise Refusal("bad_mobile", "not a mainland mobile number")
        if self._mapping and not (number and digits):
            raise Refusal("mapping_pair", "a mapping row needs both keys")
        return (self.hasher.customer_key(number) if number else None,
                self.hasher.digest(digits) if digits else None,
                f"{digits[:3]}****{digits[-4:]}" if digits else None)

    def _value(self, values: Sequence[str]) -> tuple[str, str | None]:
        kind = self.spec.kind
        if kind is BatchKind.BALANCES:
            return "aum", _amount(self._get(values, "aum"), "aum")
        if kind is BatchKind.HOLDINGS:
            return (_label(self._get(values, "category"), "category"),
                    _amount(self._get(values, "balance"), "balance"))
        if kind is BatchKind.MOBILE:
            return self._activity(values)
        if kind in (BatchKind.MEDIA, BatchKind.EMPLOYERS):
            field = COLUMNS[kind][0]
            return _label(self._get(values, field), field), None
        return self.spec.list_name or "", None


def _activity_of(active: str, transactions: str) -> tuple[str, str]:
    """Return (active|inactive, the month's transaction count) of a mobile-banking row."""
    state = ACTIVE.get(active)
    if state is None:
        raise Refusal("bad_active", "not 是 or 否", field="mobile_active", value=active[:24])
    if not _COUNT.fullmatch(transactions):
        raise Refusal("bad_count", "not a count", field="transactions", value=transactions[:24])
    return state, transactions


def _check_header(spec: ExtractSpec, names: list[str], at: dict[str, int]) -> None:
    missing = [c for c in COLUMNS[spec.kind] if c not in at]
    if spec.kind is BatchKind.MAPPING:
        missing += [k for k in KEYS if k not in at]
    elif not any(k in at for k in KEYS):
        missing.append("customer_no")
    known = set(KEYS) | {"branch", *COLUMNS[spec.kind]}
    unknown = [n for n in names if n and n not in known]
    if missing or unknown or len(at) != len([n for n in names if n]):
        raise ImportRejected([RowError(1, f"bad header: missing {missing}, unknown {unknown}",
                                       "bad_header", {"missing": "、".join(missing) or "无",
                                                      "unknown": "、".join(unknown) or "无"})])


def _amount(text: str, field: str) -> str:
    cleaned = text.replace(",", "") if "," in text else text
    if _AMOUNT.fullmatch(cleaned):
        return cleaned  # the database reads the checked text as NUMERIC(18, 2)
    if cleaned.startswith("-"):
        raise Refusal("negative_amount", "negative amount", field=field, value=text[:24])
    raise Refusal("bad_balance", "not an amount", field=field, value=text[:24])


def _label(text: str, field: str) -> str:
    if not text:
        raise Refusal("required", "required", field=field)
    if len(text) > 64:
        raise Refusal("too_long", "too long", field=field, limit=64)
    return text
