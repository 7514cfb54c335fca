"""A small population for the classification tests: followers with phones and customer
numbers, extract files written in any encoding, and the `classify` command on the app."""

from datetime import date, timedelta
from pathlib import Path

from flask import Flask
from sqlalchemy import select

from bot.cli.classify import classify
from bot.phone_cipher import PhoneCipher
from crm_core import services
from crm_core.model import Customer, CustomerKey, DimensionValue, utcnow
from tests.builders import org
from tests.conftest import WEB_SECRET, runtime
from tests.integration.test_product_import import invoke

# openid → (manager code, mobile, bank customer number)
PEOPLE = {
    "o-wang": ("SH001-01", "13800000001", "6200000001"),
    "o-li": ("SH001-01", "13800000002", "6200000002"),
    "o-zhao": ("SH002-01", "13800000003", None),
}


def population(app: Flask) -> None:
    """Two branches, a manager each, three followers with phones (two with customer numbers)."""
    cipher, now = PhoneCipher(WEB_SECRET), utcnow()
    with runtime(app).uow() as uow:
        org(uow, {"SH001": ["SH001-01"], "SH002": ["SH002-01"]})
        for openid, (manager, phone, number) in PEOPLE.items():
            services.follow(uow, openid, f"m:{manager}", now - timedelta(days=200))
            services.set_customer_details(uow, openid, None, cipher.seal(phone), "test", now)
            customer = uow.customers.by_openid(openid)
            assert customer is not None
            customer.first_touch_at = customer.last_touch_at = now - timedelta(days=200)
            customer.last_touch_at = now
            if number:
                uow.session.add(CustomerKey(key_hash=cipher.customer_key(number),
                                            customer_id=customer.id, source="staff",
                                            recorded_by="test"))
        uow.commit()


def write(tmp_path: Path, name: str, lines: list[str], encoding: str = "utf-8") -> Path:
    """Write an extract file (CSV lines) in an encoding."""
    path = tmp_path / name
    path.write_bytes("\n".join(lines).encode(encoding) + b"\n")
    return path


def run_import(app: Flask, path: Path, kind: str, month: str):  # type: ignore[no-untyped-def]
    """Run `branchlink classify import` on the app's runtime."""
    return invoke(app, "import", str(path), "--kind", kind, "--month", month, group=classify)


def values(app: Flask, dimension: str, month: date | None = None) -> dict[str, set[str]]:
    """Return {openid: {value, …}} of a dimension (one month, or every month)."""
    found: dict[str, set[str]] = {}
    with runtime(app).uow() as uow:
        stmt = select(DimensionValue).where(DimensionValue.dimension == dimension)
        if month is not None:
            stmt = stmt.where(DimensionValue.month == month)
        for row in uow.session.scalars(stmt):  # type: ignore[attr-defined]
            customer = uow.session.get(Customer, row.customer_id)  # type: ignore[attr-defined]
            found.setdefault(customer.openid, set()).add(row.value)
    return found
