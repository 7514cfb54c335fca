"""Transfers in the console: the customer list is read strictly and "all" is a choice of its own."""

import pytest
from flask import Flask
from flask.testing import FlaskClient

from crm_core import services
from crm_core.model import utcnow
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


def transfer(client: FlaskClient, **form: str):  # type: ignore[no-untyped-def]
    token = csrf_token(client.get("/console/transfer").text)
    return client.post("/console/transfer", data={"csrf_token": token, "from": "SH001-02",
                                                  "to": "SH001-01", **form})


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
    assert transfer(head, all="1").status_code == 302
    assert (customers_of(app, "SH001-02"), customers_of(app, "SH001-01")) == (0, 3)


def test_listed_ids_move_only_those_and_a_stranger_in_the_list_refuses_all(
        app: Flask, world: World, head: FlaskClient) -> None:
    theirs, other = world.customers["c2-sh001-02"], world.customers["c1-sh001-01"]
    refused = transfer(head, customers=f"{theirs}、{other}")
    assert refused.status_code == 400 and f"客户 {other} 不是转出客户经理名下的客户" in refused.text
    assert customers_of(app, "SH001-02") == 2
    assert transfer(head, customers=f" {theirs}，{theirs} ").status_code == 302
    assert (customers_of(app, "SH001-02"), customers_of(app, "SH001-01")) == (1, 2)
