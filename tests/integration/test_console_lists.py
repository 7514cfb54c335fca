"""The console's lists: counts, pages, sorts and filters in the URL, scope, phone search."""

import re

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from crm_core import services
from crm_core.model import AuditEvent, Branch, Customer, utcnow
from tests.conftest import runtime
from tests.console_support import csrf_token, login, populate
from tests.lists_support import CROWD, HEAD_OFFICE, PHONE, crowd


def _client(app: Flask, username: str) -> FlaskClient:
    client = app.test_client()
    assert login(client, username).status_code == 302
    return client


def _lead_ids(html: str) -> list[int]:
    return [int(found) for found in re.findall(r'data-lead="(\d+)"', html)]


def _customer_ids(html: str) -> list[int]:
    return [int(found) for found in re.findall(r'data-customer="(\d+)"', html)]


def test_leads_come_in_pages_with_the_count_and_the_last_page_holds_the_rest(app: Flask) -> None:
    populate(runtime(app))
    crowd(runtime(app))
    client = _client(app, "m1")
    total = CROWD + 1  # the populated world gives m1 one lead too
    first = client.get("/console/leads").text
    assert f"第 1–20 条，共 {total} 条" in first and len(_lead_ids(first)) == 20
    last = client.get("/console/leads?page=3").text
    assert f"第 41–{total} 条，共 {total} 条" in last and len(_lead_ids(last)) == total - 40
    assert set(_lead_ids(first)).isdisjoint(_lead_ids(last))
    assert 'href="/console/leads?page=2"' in last  # the previous page's link


def test_sorting_by_creation_either_way_and_links_keep_the_filters(app: Flask) -> None:
    populate(runtime(app))
    leads = crowd(runtime(app))
    client = _client(app, "m1")
    oldest = _lead_ids(client.get("/console/leads?sort=created&order=asc&size=50").text)
    newest = _lead_ids(client.get("/console/leads?sort=created&order=desc&size=50").text)
    assert oldest == list(reversed(newest))
    assert oldest.index(leads[0]) < oldest.index(leads[-1])
    page = client.get("/console/leads?source=product_interest&sort=created&order=desc").text
    assert "page=2" in page and "source=product_interest" in page.split('rel="next" href="')[1]


def test_filters_by_status_source_and_creation_day(app: Flask) -> None:
    world = populate(runtime(app))
    leads = crowd(runtime(app))
    client = _client(app, "m1")
    contacted = _lead_ids(client.get("/console/leads?status=contacted").text)
    assert contacted == [leads[0]]
    asked = _lead_ids(client.get("/console/leads?source=contact_request").text)
    assert asked == [world.leads["c1-sh001-01"]]
    assert _lead_ids(client.get("/console/leads?from=2000-01-01&to=2000-01-02").text) == []


def test_a_manager_never_sees_another_managers_leads_or_customers_whatever_the_url_says(
        app: Flask) -> None:
    world = populate(runtime(app))
    crowd(runtime(app))
    client = _client(app, "m2")
    mine = _lead_ids(client.get("/console/leads?manager=SH001-01&size=100").text)
    assert mine == []
    assert _lead_ids(client.get("/console/leads?status=all").text) == [world.leads["c2-sh001-02"]]
    customers = _customer_ids(client.get(f"/console/customers?q={PHONE}").text)
    assert customers == []
    head = _client(app, "head")
    assert _lead_ids(head.get("/console/leads?branch=SH002").text) == []
    assert _lead_ids(head.get("/console/leads?manager=SH001-02").text) == [
        world.leads["c2-sh001-02"]]


def test_a_whole_phone_number_finds_its_customer_however_written_and_is_stored_hashed(
        app: Flask) -> None:
    populate(runtime(app))
    crowd(runtime(app))
    client = _client(app, "m1")
    with runtime(app).engine.connect() as connection:
        wanted, digest = connection.execute(select(Customer.id, Customer.phone_hash).where(
            Customer.openid == "crowd-000")).one()
    assert digest is not None and PHONE not in digest and len(digest) == 64
    for written in (PHONE, "138 1234 5678", "+86 138-1234-5678"):
        assert _customer_ids(client.get("/console/customers", query_string={"q": written}
                                        ).text) == [wanted]
    assert _customer_ids(client.get("/console/customers?q=13812345670").text) == []
    assert _customer_ids(client.get("/console/customers?q=5678").text) == [wanted]


def test_the_leads_list_names_the_customer_and_product_shows_the_note_and_a_phone_to_call(
        app: Flask) -> None:
    populate(runtime(app))
    leads = crowd(runtime(app))
    row = _row(_client(app, "m1").get("/console/leads?status=all&size=100").text, leads[0])
    assert "王小明" in row and "稳享理财1号" in row and "已电话沟通，周五再联系" in row
    assert f'href="tel:{PHONE}"' in row
    assert re.search(r'<option value="converted" selected>', row)  # contacted: next converted
    fresh = _row(_client(app, "m1").get("/console/leads?size=100").text, leads[1])
    assert re.search(r'<option value="contacted" selected>', fresh) and "剩余" in fresh
    head_row = _row(_client(app, "head").get("/console/leads?size=100").text, leads[0])
    assert "tel:" not in head_row and PHONE not in head_row


def test_showing_phones_in_the_list_is_audited(app: Flask) -> None:
    populate(runtime(app))
    crowd(runtime(app))
    _client(app, "m1").get("/console/leads?status=all&size=100")
    with runtime(app).engine.connect() as connection:
        actions = connection.scalars(select(AuditEvent.action).where(
            AuditEvent.actor == "m1")).all()
    assert "pii_viewed" in actions


def test_customers_sort_by_name_and_filter_by_manager_for_a_branch_head(app: Flask) -> None:
    world = populate(runtime(app))
    crowd(runtime(app), 3)
    head = _client(app, "head")
    theirs = _customer_ids(head.get("/console/customers?manager=SH001-02").text)
    assert theirs == [world.customers["c2-sh001-02"]]
    named = _customer_ids(head.get("/console/customers?sort=name&order=asc").text)
    with runtime(app).engine.connect() as connection:
        first = connection.scalar(select(Customer.id).where(Customer.openid == "crowd-000"))
    assert named[0] == first and len(named) == 5


def _row(html: str, lead_id: int) -> str:
    return html.split(f'data-lead="{lead_id}"')[1].split("</tr>")[0]


def test_a_customer_is_listed_in_the_branch_of_their_current_manager_after_a_transfer(
        app: Flask) -> None:
    world = populate(runtime(app))
    customer = world.customers["c1-sh001-01"]
    with runtime(app).uow() as uow:
        services.transfer_customers(uow, HEAD_OFFICE, "SH001-01", "SH002-01", [customer],
                                    utcnow())
        uow.commit()
    with runtime(app).engine.connect() as connection:
        branch = connection.scalar(select(Customer.manager_branch_id).where(
            Customer.id == customer))
        sh002 = connection.scalar(select(Branch.id).where(Branch.code == "SH002"))
    assert branch == sh002
    admin = _client(app, "admin")
    assert customer in _customer_ids(admin.get("/console/customers?branch=SH002").text)
    assert customer in _customer_ids(admin.get("/console/customers?manager=SH002-01").text)


def test_a_phone_recorded_on_the_customer_page_is_found_by_the_whole_number(
        app: Flask) -> None:
    world = populate(runtime(app))
    customer = world.customers["c1-sh001-01"]
    client = _client(app, "m1")
    token = csrf_token(client.get(f"/console/customers/{customer}").text)
    client.post(f"/console/customers/{customer}/phone",
                data={"csrf_token": token, "phone": "139 0000 1111"})
    found = client.get("/console/customers", query_string={"q": "13900001111"}).text
    assert _customer_ids(found) == [customer]


def test_head_offices_unfiltered_lists_count_every_row(app: Flask) -> None:
    populate(runtime(app))
    client = _client(app, "admin")
    with runtime(app).uow() as uow:
        for n in range(25):  # more than a page, so the total is counted, not just shown
            services.audit(uow, utcnow(), "admin", "login", f"try-{n}")
        uow.commit()
        events = len(uow.session.scalars(select(AuditEvent.id)).all())  # type: ignore[attr-defined]
    assert events > 1
    page = client.get("/console/audit").text  # no filter: the statement has no WHERE at all
    assert f"第 1–20 条，共 {events} 条" in page
