"""The demo's small market: a logistics firm (a key link) and the merchants of a seafood
market around it, their contact persons and trade, chain leads along it, and one referral
going round from a retail manager to the corporate manager, so a newcomer sees them."""

import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from importlib import resources

from crm_core import services
from crm_core.model import ManagerRole, Refusal, StaffRole
from crm_core.services import collaboration
from crm_core.services.organisations import (
    import_contacts,
    import_organisations,
    import_relationships,
    make_chain_leads,
)
from crm_core.unit_of_work import SqlUnitOfWork, UnitOfWork

# The corporate manager's console account (the receiving side of the demo referral).
STAFF = ("chenjing", "陈静", "SH002-02")
BOSS = "o-demo-boss-wang".ljust(28, "0")[:28]
FILES = (("organisations.csv", import_organisations), ("contacts.csv", import_contacts),
         ("relationships.csv", import_relationships))


def _rows(name: str) -> list[services.SourceRow]:
    text = (resources.files("bot.cli") / "demo_data" / name).read_text(encoding="utf-8")
    return services.read_rows(text.replace("o-demo-boss-wang", BOSS), "csv", name)


@dataclass(frozen=True)
class MarketSeed:
    """What seeding the market did: new chain leads, the referral made, new logins."""

    chain_leads: int
    referral: int | None
    logins: dict[str, str]


def seed_market(work: UnitOfWork, hash_password: Callable[[str], str],
                policy: collaboration.ReferralPolicy, sla: timedelta,
                now: datetime) -> MarketSeed:
    """Add the market, its chain leads and the demo referral (idempotent)."""
    uow = collaboration.sql(work)
    services.follow(uow, BOSS, "m:SH001-02", now)  # 王老板 follows 王芳 (retail)
    for name, importer in FILES:
        importer(uow, _rows(name), f"demo:{name}", now)
    chain = make_chain_leads(uow, now, sla)
    login = {}
    if uow.staff.by_username(STAFF[0]) is None:
        password = secrets.token_urlsafe(12)
        services.add_staff(uow, STAFF[0], STAFF[1], hash_password(password),
                           StaffRole.MANAGER, STAFF[2], None, "demo", now)
        login[STAFF[0]] = password
    referred = _refer(uow, policy, now)
    return MarketSeed(len(chain.created), referred, login)


def _refer(uow: SqlUnitOfWork, policy: collaboration.ReferralPolicy, now: datetime) -> int | None:
    referrer, boss = uow.managers.by_code("SH001-02"), uow.customers.by_openid(BOSS)
    if referrer is None or boss is None:
        return None
    wanted = collaboration.ReferralRequest(
        ManagerRole.CORPORATE, "SH002-02", "结算账户、收单", 300_000,
        "王老板在浦东水产批发市场有两家档口，想开对公结算户")
    try:
        subject = collaboration.subject_of(uow, boss.id, None)
        return collaboration.refer(uow, referrer, subject, wanted, policy, now).id
    except Refusal:  # seeded before: the first referral holds the lock
        return None
