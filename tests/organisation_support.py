"""A small market for the organisation, chain and referral tests: two branches, retail and
corporate managers, followers, and files to import."""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from functools import partial

from crm_core import services
from crm_core.db import make_engine, make_session_factory
from crm_core.model import ManagerRole
from crm_core.services.organisations import import_contacts, import_organisations
from crm_core.unit_of_work import SqlUnitOfWork, UnitOfWork

T0 = datetime(2026, 11, 30, 1, 0)  # 09:00 Beijing time, a Monday
# manager code -> (branch, role)
MANAGERS = {"SH001-01": ("SH001", ManagerRole.RETAIL), "SH001-02": ("SH001", ManagerRole.RETAIL),
            "SH001-C1": ("SH001", ManagerRole.CORPORATE),
            "SH001-C2": ("SH001", ManagerRole.CORPORATE),
            "SH001-W1": ("SH001", ManagerRole.WEALTH),
            "SH002-01": ("SH002", ManagerRole.RETAIL),
            "SH002-C1": ("SH002", ManagerRole.CORPORATE)}
ORGS_CSV = """org_code,name,credit_code,kind,market,industry,branch,manager,key_link,products
LOG01,顺达物流有限公司,91350100M000100Y43,物流快递,,物流,SH001,SH001-C1,是,结算、代发
M001,张记水产,,商户,江桥批发市场,水产,SH001,SH001-C1,否,结算
M002,李氏干货,,商户,江桥批发市场,干货,SH001,,否,
F001,东海食品厂,91440300708461136T,生产企业,,食品,SH002,SH002-C1,false,结算;融资
"""
CONTACTS_CSV = """organisation,name,title,openid
M001,张老板,店主,boss-zhang
LOG01,王经理,财务经理,
"""
Factory = Callable[[], SqlUnitOfWork]


def staff_market(uow: UnitOfWork, *followers: str) -> None:
    """Add the market's branches and managers; each follower follows a manager of SH001."""
    for branch in ("SH001", "SH002"):
        services.add_branch(uow, branch, f"{branch}支行")
    uow.flush()
    for code, (branch, role) in MANAGERS.items():
        services.add_manager(uow, code, f"经理{code}", branch, role=role)
    uow.flush()
    for number, openid in enumerate(followers, 1):
        services.follow(uow, openid, f"m:SH001-0{number}", T0)


@contextmanager
def market(database_url: str) -> Iterator[Factory]:
    """Yield a unit-of-work factory over the market: branches, managers, one follower."""
    engine = make_engine(database_url)
    factory = partial(SqlUnitOfWork, make_session_factory(engine))
    with factory() as uow:
        staff_market(uow, "boss-zhang", "worker-li")
        uow.commit()
    try:
        yield factory
    finally:
        engine.dispose()


def rows(text: str) -> list[services.SourceRow]:
    """Read a CSV text as an import would."""
    return services.read_rows(text, "csv", "organisation")


def with_organisations(factory: Factory) -> None:
    """Import the market's organisations and contacts."""
    with factory() as uow:
        import_organisations(uow, rows(ORGS_CSV), "orgs.csv", T0)
        import_contacts(uow, rows(CONTACTS_CSV), "contacts.csv", T0)
        uow.commit()
