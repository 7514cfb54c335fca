"""Record pages in the console: a customer's and a lead's, the actions taken there, and the
pickers that name managers, branches, customers and products within each account's scope."""

from datetime import timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from crm_core import services
from crm_core.model import AuditEvent, Customer, LeadStatus, Product, utcnow
from tests.conftest import runtime
from tests.console_support import PASSWORD, World, csrf_token, login, populate

HTMX = {"HX-Request": "true"}


@pytest.fixture
def world(app: Flask) -> World:
    world = populate(runtime(app))
    with runtime(app).uow() as uow:
        for code, name, private in (("WM001", "稳盈90天理财", False),
                                    ("PP001", "私募精选一号", True)):
            uow.products.add(Product(code=code, name=name, category="理财", risk_level=2,
                                     summary="示例", private_placement=private))
        uow.commit()
    return world


def client_of(app: Flask, username: str) -> FlaskClient:
    client = app.test_client()
    login(client, username)
    return client


def picked(client: FlaskClient, kind: str, **args: str) -> list[str]:
    answer = client.get(f"/console/pick/{kind}", query_string=args)
    assert answer.status_code == 200 and answer.json is not None
    return [row["value"] for row in answer.json]


@pytest.mark.parametrize(("username", "managers", "branches", "customers"), [
    ("m1", ["SH001-01"], ["SH001"], ["c1-sh001-01"]),
    ("head", ["SH001-01", "SH001-02"], ["SH001"], ["c1-sh001-01", "c2-sh001-02"]),
    ("admin", ["SH001-01", "SH001-02", "SH002-01"], ["SH001", "SH002"],
     ["c1-sh001-01", "c2-sh001-02", "c3-sh002-01"]),
])
def test_pickers_offer_only_what_the_account_may_see(app: Flask, world: World, username: str,
                                                     managers: list[str], branches: list[str],
                                                     customers: list[str]) -> None:
    client = client_of(app, username)
    assert picked(client, "managers") == managers
    assert picked(client, "branches") == branches
    ids = {str(i): openid for openid, i in world.customers.items()}
    assert sorted(ids[v] for v in picked(client, "customers")) == customers


def test_pickers_search_by_name_and_code_and_never_offer_a_private_placement(
        app: Flask, world: World) -> None:
    with runtime(app).uow() as uow:
        uow.customers.by_openid("c3-sh002-01").display_name = "王女士"  # type: ignore[union-attr]
        uow.commit()
    client = client_of(app, "admin")
    assert picked(client, "customers", q="王") == [str(world.customers["c3-sh002-01"])]
    assert picked(client_of(app, "head"), "customers", q="王") == []
    assert picked(client, "managers", q="经理SH002") == ["SH002-01"]
    assert picked(client, "managers", q="sh001-0") == ["SH001-01", "SH001-02"]
    assert picked(client, "branches", q="SH002支") == ["SH002"]
    assert picked(client, "customers", q="张伟") == []
    theirs = world.customers["c2-sh001-02"]
    assert picked(client, "customers", **{"with": "SH001-02"}) == [str(theirs)]
    assert picked(client, "products", q="理财") == ["WM001"]
    assert picked(client, "products", q="PP") == []
    assert client.get("/console/pick/managers", query_string={"q": "%_"}).json == []


def test_a_customer_is_named_and_their_phone_recorded_in_place_encrypted_and_audited(
        app: Flask, world: World) -> None:
    client, customer = client_of(app, "m1"), world.customers["c1-sh001-01"]
    page = client.get(f"/console/customers/{customer}").text
    token = csrf_token(page)
    named = client.post(f"/console/customers/{customer}/name", headers=HTMX,
                        data={"csrf_token": token, "name": "  王女士 "})
    assert named.status_code == 200 and 'id="profile"' in named.text
    assert "已将客户名称改为“王女士”" in named.text and "<html" not in named.text
    phone = client.post(f"/console/customers/{customer}/phone", headers=HTMX,
                        data={"csrf_token": token, "phone": "138 1234 5678"})
    assert "尾号 5678" in phone.text and 'href="tel:13812345678"' in phone.text
    bad = client.post(f"/console/customers/{customer}/phone", headers=HTMX,
                      data={"csrf_token": token, "phone": "12345"})
    assert "手机号无效" in bad.text
    unsigned = client.post(f"/console/customers/{customer}/phone", headers=HTMX,
                           data={"phone": "13900000000"})
    assert unsigned.status_code == 400  # no CSRF token, no change
    with runtime(app).engine.connect() as connection:
        row = connection.execute(select(Customer.display_name, Customer.phone_cipher,
                                        Customer.phone_last4).where(Customer.id == customer)).one()
        actions = connection.execute(select(AuditEvent.action).where(
            AuditEvent.subject == str(customer))).scalars().all()
    assert row.display_name == "王女士" and row.phone_last4 == "5678"
    assert "13812345678" not in row.phone_cipher
    assert {"customer_renamed", "phone_recorded"} <= set(actions)


def test_a_branch_head_sees_the_phone_masked_and_head_office_may_not_change_a_record(
        app: Flask, world: World) -> None:
    customer = world.customers["c1-sh001-01"]
    manager = client_of(app, "m1")
    token = csrf_token(manager.get(f"/console/customers/{customer}").text)
    manager.post(f"/console/customers/{customer}/phone",
                 data={"csrf_token": token, "phone": "13812345678"})
    head = client_of(app, "head").get(f"/console/customers/{customer}").text
    assert "*******5678" in head and "13812345678" not in head
    admin = client_of(app, "admin")
    page = admin.get(f"/console/customers/{customer}").text
    assert 'id="name-form"' not in page
    refused = admin.post(f"/console/customers/{customer}/name", headers=HTMX,
                         data={"csrf_token": csrf_token(page), "name": "改名"})
    assert "只能查看客户资料" in refused.text
    with runtime(app).uow() as uow:
        assert uow.customers.by_openid("c1-sh001-01").display_name is None  # type: ignore[union-attr]


def test_notes_are_kept_newest_first_and_an_empty_one_is_refused_in_chinese(
        app: Flask, world: World) -> None:
    client, customer = client_of(app, "m1"), world.customers["c1-sh001-01"]
    token = csrf_token(client.get(f"/console/customers/{customer}").text)
    for note in ("电话联系，约周五面谈", "周五已到网点"):
        answer = client.post(f"/console/customers/{customer}/notes", headers=HTMX,
                             data={"csrf_token": token, "note": note})
        assert "备注已保存" in answer.text
    listed = answer.text.split('id="note-list"')[1]
    assert listed.index("周五已到网点") < listed.index("电话联系，约周五面谈")
    empty = client.post(f"/console/customers/{customer}/notes", headers=HTMX,
                        data={"csrf_token": token, "note": "   "})
    assert "备注须为" in empty.text
    theirs = world.customers["c2-sh001-02"]
    assert client.post(f"/console/customers/{theirs}/notes",
                       data={"csrf_token": token, "note": "x"}).status_code == 403


def test_a_share_link_made_on_the_page_opens_the_product_for_the_customer(
        app: Flask, world: World) -> None:
    client, customer = client_of(app, "m1"), world.customers["c1-sh001-01"]
    token = csrf_token(client.get(f"/console/customers/{customer}").text)
    made = client.post(f"/console/customers/{customer}/share", headers=HTMX,
                       data={"csrf_token": token, "product": "WM001"})
    assert "已生成“稳盈90天理财”的分享链接" in made.text
    url = made.text.split('id="share-url" readonly value="')[1].split('"')[0]
    opened = app.test_client().get(url.split("127.0.0.1:8000")[1])
    assert opened.status_code in (200, 302)
    for product in ("PP001", "稳盈90天理财"):
        refused = client.post(f"/console/customers/{customer}/share", headers=HTMX,
                              data={"csrf_token": token, "product": product})
        assert "请从列表中选择一个可分享的产品" in refused.text


def open_product_lead(app: Flask) -> int:
    with runtime(app).uow() as uow:
        lead = services.open_lead(uow, "c1-sh001-01", "product_interest", utcnow(),
                                  timedelta(hours=2), "WM001").lead_id
        uow.commit()
    return lead


def test_the_customer_page_lists_open_and_past_leads_with_the_product_by_name(
        app: Flask, world: World) -> None:
    lead, closed = open_product_lead(app), world.leads["c1-sh001-01"]
    with runtime(app).uow() as uow:
        services.update_lead(uow, closed, LeadStatus.LOST, utcnow())
        uow.commit()
    page = client_of(app, "m1").get(f"/console/customers/{world.customers['c1-sh001-01']}")
    open_part = page.text.split('id="open-leads"')[1].split("</table>")[0]
    past_part = page.text.split('id="past-leads"')[1].split("</table>")[0]
    assert f'data-lead="{lead}"' in open_part and "稳盈90天理财" in open_part
    assert f'data-lead="{closed}"' in past_part and "已流失" in past_part


def test_the_lead_page_names_everything_in_words_and_offers_the_sensible_next_step(
        app: Flask, world: World) -> None:
    lead = open_product_lead(app)
    client = client_of(app, "m1")
    page = client.get(f"/console/leads/{lead}").text
    assert "稳盈90天理财" in page and "产品咨询" in page and "WM001" not in page
    assert '<option value="contacted" selected>' in page
    client.post(f"/console/leads/{lead}/status", data={
        "csrf_token": csrf_token(page), "status": "contacted", "note": "已电话联系"})
    page = client.get(f"/console/leads/{lead}").text
    assert '<option value="keep" selected>' in page and "已电话联系" in page
    kept = client.post(f"/console/leads/{lead}/status", data={
        "csrf_token": csrf_token(page), "status": "keep", "note": "约周五到网点"})
    assert "已记录备注" in client.get(kept.headers["Location"]).text
    with runtime(app).uow() as uow:
        row = uow.leads.get(lead)
        assert row is not None and row.status is LeadStatus.CONTACTED
        assert row.note == "已电话联系\n约周五到网点"
    assert client.get(f"/console/leads/{world.leads['c2-sh001-02']}").status_code == 403


def test_a_link_from_a_notice_opens_its_page_after_the_login(app: Flask, world: World) -> None:
    client = app.test_client()
    path = f"/console/leads/{world.leads['c1-sh001-01']}"
    asked = client.get(path)
    assert asked.status_code == 302 and "/console/login" in asked.headers["Location"]
    form = client.get(asked.headers["Location"]).text
    done = client.post(asked.headers["Location"], data={
        "username": "m1", "password": PASSWORD, "csrf_token": csrf_token(form)})
    assert done.headers["Location"] == path
    elsewhere = app.test_client()
    form = elsewhere.get("/console/login?next=//evil.example/x").text
    done = elsewhere.post("/console/login?next=//evil.example/x", data={
        "username": "m1", "password": PASSWORD, "csrf_token": csrf_token(form)})
    assert done.headers["Location"] == "/console/"
