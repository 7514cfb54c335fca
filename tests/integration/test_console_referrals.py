"""Referrals in the console: a manager refers from the customer's page, the receiver takes
the next steps on the referral's page, the referrer's home shows their record, the branch
head sees the board and settles a dispute; others get 403."""

import pytest
from flask import Flask
from flask.testing import FlaskClient

from bot.web.staff_auth import hash_password
from crm_core import services
from crm_core.model import StaffRole, utcnow
from crm_core.services.organisations import import_contacts, import_organisations
from tests.conftest import runtime
from tests.console_support import PASSWORD, csrf_token, login
from tests.organisation_support import CONTACTS_CSV, ORGS_CSV, T0, rows, staff_market

ACCOUNTS = {"r1": (StaffRole.MANAGER, "SH001-01", None),
            "c1": (StaffRole.MANAGER, "SH001-C1", None),
            "c2": (StaffRole.MANAGER, "SH001-C2", None),
            "head": (StaffRole.BRANCH_HEAD, None, "SH001")}


@pytest.fixture
def staffed(app: Flask) -> Flask:
    with runtime(app).uow() as uow:
        staff_market(uow, "boss-zhang")
        import_organisations(uow, rows(ORGS_CSV), "orgs.csv", T0)  # type: ignore[arg-type]
        import_contacts(uow, rows(CONTACTS_CSV), "contacts.csv", T0)  # type: ignore[arg-type]
        for name, (role, manager, branch) in ACCOUNTS.items():
            services.add_staff(uow, name, f"员工{name}", hash_password(PASSWORD), role, manager,
                               branch, "test", utcnow())
        uow.commit()
    return app


def boss(app: Flask) -> int:
    with runtime(app).uow() as uow:
        found = uow.customers.by_openid("boss-zhang")
        assert found is not None
        return found.id


def post(client: FlaskClient, url: str, page: str, **form: str):  # type: ignore[no-untyped-def]
    token = csrf_token(client.get(page).text)
    return client.post(url, data={"csrf_token": token, **form}, follow_redirects=True)


def logout(client: FlaskClient) -> None:
    client.post("/console/logout", data={"csrf_token": csrf_token(client.get("/console/").text)})


def test_a_referral_goes_round_in_the_console(staffed: Flask, client: FlaskClient) -> None:
    page = f"/console/customers/{boss(staffed)}"
    login(client, "r1")
    assert "转介给其他条线" in client.get(page).text
    made = post(client, "/console/referrals", page, customer_id=str(boss(staffed)), line="对公",
                product_interest="结算账户", potential_value="500,000", note="开了三家店")
    assert "已提交转介" in made.text and "经理SH001-C1" in made.text and "500,000" in made.text
    again = post(client, "/console/referrals", page, customer_id=str(boss(staffed)), line="对公")
    assert "锁定期内不能重复转介" in again.text
    logout(client)
    login(client, "c1")
    assert "客户…-zhang" in client.get("/console/").text  # waiting on the receiver's home
    step = post(client, "/console/referrals/1/step", "/console/referrals/1", status="accepted")
    assert "转介已更新" in step.text and "已接收" in step.text
    logout(client)
    login(client, "r1")
    home = client.get("/console/").text
    assert 'data-figure="accepted"' in home and "没有待处理的转介" in home


def test_others_cannot_see_or_move_a_referral_and_the_head_settles_it(
        staffed: Flask, client: FlaskClient) -> None:
    login(client, "r1")
    page = f"/console/customers/{boss(staffed)}"
    post(client, "/console/referrals", page, customer_id=str(boss(staffed)), line="对公")
    logout(client)
    login(client, "c2")
    assert client.get("/console/referrals/1").status_code == 403
    logout(client)
    login(client, "head")
    listed = client.get("/console/referrals").text
    assert "转介排行" in listed and "经理SH001-01" in listed
    settled = post(client, "/console/referrals/1/settle", "/console/referrals/1",
                   referrer="SH001-02", reason="张老板先由SH001-02介绍")
    assert "转介已更新" in settled.text and "经理SH001-02（SH001-02）" in settled.text
