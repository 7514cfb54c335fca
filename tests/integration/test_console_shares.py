"""The console's share leaderboard shows the shares credited to the staff member's scope."""

from datetime import timedelta

from flask import Flask

from crm_core import services
from crm_core.model import utcnow
from tests.conftest import runtime
from tests.console_support import login, populate
from tests.product_support import import_sample


def test_each_role_sees_the_shares_of_its_scope(app: Flask) -> None:
    world = populate(runtime(app))
    with runtime(app).uow() as uow:
        import_sample(uow)
        for n, customer_id in enumerate(world.customers.values(), 1):  # 1, 2, 3 distinct opens
            for visitor in range(n):
                services.record_open(uow, services.ShareClaim(f"c{customer_id}", "WM001"),
                                     f"friend-{visitor}", None, utcnow(), timedelta(hours=1))
        uow.commit()
    seen = {}
    for who in ("m1", "head", "admin"):
        staff = app.test_client()
        login(staff, who)
        page = staff.get("/console/shares")
        assert page.status_code == 200 and "不与任何奖励挂钩" in page.text
        seen[who] = [code for code in ("SH001-01", "SH001-02", "SH002-01") if code in page.text]
    assert seen == {"m1": ["SH001-01"], "head": ["SH001-01", "SH001-02"],
                    "admin": ["SH001-01", "SH001-02", "SH002-01"]}
    staff = app.test_client()
    login(staff, "admin")
    rows = staff.get("/console/shares").text.split('id="share-managers"')[1]
    assert rows.index("SH002-01") < rows.index("SH001-02") < rows.index("SH001-01")  # most first
