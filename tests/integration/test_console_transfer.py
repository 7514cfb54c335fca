"""Transfers in the console: chosen by name, previewed, then confirmed; the customer list is
read strictly and "all" is a choice of its own; a customer's open leads move with them."""

import re
from datetime import timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient

from crm_core import services
from crm_core.model import NoticeKind, utcnow
from tests.conftest import runtime
from tests.console_support import World, csrf_token, login, populate


@pytest.fixture
def world(app: Flask) -> World:
    world = populate(runtime(app))
    with runtime(app).uow() as uow:  # a second customer, so that "all" would differ from one
        services.follow(uow, "c4-sh001-02", "m:SH001-02", utcnow())
        uow.commit()
    return world


@pytest.fixture
def head(app: Flask, world: World) -> FlaskClient:
    client = app.test_client()
    login(client, "head")
    return client


def preview(client: FlaskClient, **form: str | list[str]):  # type: ignore[no-untyped-def]
    token = csrf_token(client.get("/console/transfer").text)
    return client.post("/console/transfer", data={"csrf_token": token, "from": "SH001-02",
                                                  "to": "SH001-01", **form})


def confirm(client: FlaskClient, shown: str):  # type: ignore[no-untyped-def]
    """Post the preview's own confirmation form, as the button does."""
    form = shown[shown.index('id="confirm"'):]
    fields = re.findall(r'<input type="hidden" name="([a-z_]+)" value="([^"]*)">',
                        form[:form.index("</form>")])
    data: dict[str, list[str]] = {}
    for name, value in fields:
        data.setdefault(name, []).append(value)
    return client.post("/console/transfer", data=data)


def transfer(client: FlaskClient, **form: str | list[str]):  # type: ignore[no-untyped-def]
    shown = preview(client, **form)
    return confirm(client, shown.text) if shown.status_code == 200 else shown


def customers_of(app: Flask, manager: str) -> int:
    with runtime(app).uow() as uow:
        manager_id = uow.managers.by_code(manager).id  # type: ignore[union-attr]
        return len(uow.activity.current_links(manager_id, None))


@pytest.mark.parametrize(("listed", "named"), [("70;71", "70;71"), ("70, 7l", "7l"),
                                               ("１２", "１２"), ("-3", "-3"),
                                               ("2147483648", "2147483648")])
def test_a_customer_list_with_a_bad_token_is_refused_naming_it(app: Flask, world: World,
                                                               head: FlaskClient, listed: str,
                                                               named: str) -> None:
    theirs = str(world.customers["c2-sh001-02"])
    response = transfer(head, customers=listed.replace("70", theirs))
    assert response.status_code == 400
    assert f"客户编号“{named.replace('70', theirs)}”无效" in response.text
    assert customers_of(app, "SH001-02") == 2


def test_an_empty_list_moves_nobody_and_asks_for_an_explicit_all(app: Flask,
                                                                 head: FlaskClient) -> None:
    response = transfer(head, customers=" ，")
    assert response.status_code == 400 and "全部客户" in response.text
    assert customers_of(app, "SH001-02") == 2
    assert transfer(head, customers="1", all="1").status_code == 400
    shown = preview(head, all="1")
    assert "全部客户" in shown.text and "将转移 2 位客户" in shown.text
    assert customers_of(app, "SH001-02") == 2  # a preview moves nobody
    assert confirm(head, shown.text).status_code == 303
    assert (customers_of(app, "SH001-02"), customers_of(app, "SH001-01")) == (0, 3)


def test_listed_ids_move_only_those_and_a_stranger_in_the_list_refuses_all(
        app: Flask, world: World, head: FlaskClient) -> None:
    theirs, other = world.customers["c2-sh001-02"], world.customers["c1-sh001-01"]
    refused = transfer(head, customers=f"{theirs}、{other}")
    assert refused.status_code == 400 and f"客户 {other} 不是转出客户经理名下的客户" in refused.text
    assert customers_of(app, "SH001-02") == 2
    assert transfer(head, customers=f" {theirs}，{theirs} ").status_code == 303
    assert (customers_of(app, "SH001-02"), customers_of(app, "SH001-01")) == (1, 2)


def test_a_customer_moves_with_their_open_lead_and_the_preview_says_so(
        app: Flask, world: World, head: FlaskClient) -> None:
    theirs, lead = world.customers["c2-sh001-02"], world.leads["c2-sh001-02"]
    shown = preview(head, customers=[str(theirs)])
    assert "将转移 1 位客户，连同他们的 1 条未结线索" in shown.text
    assert f'data-lead="{lead}"' in shown.text
    done = confirm(head, shown.text)
    assert "已转移 1 位客户及其 1 条未结线索" in head.get(done.headers["Location"]).text
    with runtime(app).uow() as uow:
        moved = uow.leads.get(lead)
        assert moved is not None and moved.manager is not None
        assert moved.manager.code == "SH001-01"


def test_a_transfer_of_nobody_says_so_and_notifies_nobody(app: Flask, head: FlaskClient) -> None:
    with runtime(app).uow() as uow:
        services.add_manager(uow, "SH001-09", "新人", "SH001")
        uow.commit()
    shown = preview(head, **{"from": "SH001-09"}, all="1")
    assert "没有需要转移的客户" in shown.text
    done = confirm(head, shown.text)
    assert "未通知任何人" in head.get(done.headers["Location"]).text
    with runtime(app).uow() as uow:
        kinds = [n.kind for n in uow.notices.listing(None, 50)]
    assert NoticeKind.TRANSFER not in kinds


@pytest.mark.parametrize(("side", "typed"), [("from", "张伟"), ("to", "SH001-0"),
                                             ("to", "SH002-01")])
def test_a_name_typed_for_a_manager_is_answered_in_chinese_not_with_an_error_page(
        app: Flask, head: FlaskClient, side: str, typed: str) -> None:
    answer = preview(head, **{side: typed}, all="1")
    assert answer.status_code == 400
    assert "请从列表中选择" in answer.text or "只能在本网点" in answer.text
    assert 'id="transfer"' in answer.text  # the form again, not an error page
    assert customers_of(app, "SH001-02") == 2


def test_a_confirmation_after_the_customers_changed_moves_nobody(
        app: Flask, head: FlaskClient) -> None:
    shown = preview(head, all="1")
    with runtime(app).uow() as uow:
        services.follow(uow, "c5-sh001-02", "m:SH001-02", utcnow() + timedelta(seconds=1))
        uow.commit()
    answer = confirm(head, shown.text)
    assert answer.status_code == 400 and "重新预览" in answer.text
    assert customers_of(app, "SH001-02") == 3


def test_the_customer_page_opens_the_transfer_with_the_customer_and_manager_chosen(
        app: Flask, world: World, head: FlaskClient) -> None:
    theirs = world.customers["c2-sh001-02"]
    page = head.get(f"/console/customers/{theirs}").text
    link = re.search(r'id="transfer-link" href="([^"]+)"', page)
    assert link is not None
    form = head.get(link.group(1).replace("&amp;", "&")).text
    assert '<option value="SH001-02" selected>经理SH001-02' in form
    assert f'<option value="{theirs}" selected>客户…001-02</option>' in form
    outsider = world.customers["c3-sh002-01"]
    form = head.get(f"/console/transfer?from=SH002-01&customers={outsider}").text
    assert "SH002-01" not in form and "002-01</option>" not in form  # nothing out of scope
