"""A console with more rows than a page: many customers and leads of one manager."""

from datetime import timedelta

from bot.phone_cipher import PhoneCipher
from bot.runtime import Runtime
from crm_core import services
from crm_core.model import LeadStatus, Product, Scope, StaffRole, utcnow
from tests.conftest import WEB_SECRET

CROWD = 45  # customers of SH001-01 beyond the populated world, each with an open lead
PHONE = "13812345678"
HEAD_OFFICE = Scope(0, "admin", "admin", StaffRole.HEAD_OFFICE, None, None)


def crowd(runtime: Runtime, count: int = CROWD) -> list[int]:
    """Give SH001-01 `count` more customers, each with an open lead created a minute apart
    (the first oldest); name the first one, give it a phone, a product lead and a note.
    Return the leads' ids, oldest first."""
    now = utcnow()
    leads = []
    with runtime.uow() as uow:
        uow.session.add(Product(code="WM001", name="稳享理财1号", category="理财", risk_level=2,
                                summary="稳健"))
        for n in range(count):
            openid = f"crowd-{n:03d}"
            at = now - timedelta(hours=3) + timedelta(minutes=n)
            services.follow(uow, openid, "m:SH001-01", at)
            leads.append(services.open_lead(uow, openid, "product_interest", at,
                                            timedelta(hours=2 + n), product_code="WM001"
                                            if n == 0 else None).lead_id)
        services.set_customer_details(uow, "crowd-000", "王小明",
                                      PhoneCipher(WEB_SECRET).seal(PHONE), "test", now)
        services.set_lead_status(uow, HEAD_OFFICE, leads[0], LeadStatus.CONTACTED,
                                 "已电话沟通，周五再联系", now)
        uow.commit()
    return leads
