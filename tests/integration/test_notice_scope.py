"""Notices in the console and the API: each branch head sees and retries only the branch's,
and a notice whose outcome is unknown is never sent again from there."""

from collections.abc import Callable

import pytest
from flask import Flask
from flask.testing import FlaskClient

from crm_core import services
from crm_core.model import NoticeKind, NoticeStatus, utcnow
from crm_core.services.notices import enqueue_customer_notice
from tests.conftest import runtime
from tests.console_support import STAFF, csrf_token, login, populate


@pytest.fixture
def notices(app: Flask) -> dict[str, int]:
    """Populate the console and return one notice id per recipient: managers and customers."""
    populate(runtime(app))
    now = utcnow()
    with runtime(app).uow() as uow:
        for openid in ("c1-sh001-01", "c3-sh002-01"):
            customer = uow.customers.by_openid(openid)
            assert customer is not None
            enqueue_customer_notice(uow, f"told:{openid}", NoticeKind.MANAGER_CHANGED,
                                    customer, {"manager": "x", "branch": "y"}, now)
        uow.commit()
        rows = services.list_notices(uow, None, 100)
    return {row["manager"] or row["customer"]: row["id"] for row in rows
            if row["kind"] in ("new_customer", "manager_changed")}


def set_status(app: Flask, notice_id: int, status: NoticeStatus) -> None:
    with runtime(app).uow() as uow:
        notice = uow.notices.get(notice_id)
        assert notice is not None
        notice.status = status
        uow.commit()


def status_of(app: Flask, notice_id: int) -> NoticeStatus:
    with runtime(app).uow() as uow:
        notice = uow.notices.get(notice_id)
        assert notice is not None
        return notice.status


@pytest.fixture
def api(app: Flask, client: FlaskClient, notices: dict[str, int]) -> Callable:  # type: ignore[type-arg]
    with runtime(app).uow() as uow:
        tokens = {name: services.issue_api_token(uow, name, "tests", utcnow(), "test")
                  for name in STAFF}
        uow.commit()

    def call(who: str, method: str, path: str):  # type: ignore[no-untyped-def]
        return client.open(f"/api/v1{path}", method=method,
                           headers={"Authorization": f"Bearer {tokens[who]}"})
    return call


def test_a_branch_head_lists_the_notices_of_the_branch_only(api, notices: dict[str, int]) -> None:  # type: ignore[no-untyped-def]
    listed = {row["id"] for row in api("head", "GET", "/notices").json["notices"]}
    assert {notices["SH001-01"], notices["SH001-02"], notices["c1-sh001-01"]} <= listed
    assert not {notices["SH002-01"], notices["c3-sh002-01"]} & listed
    everything = {row["id"] for row in api("admin", "GET", "/notices").json["notices"]}
    assert set(notices.values()) <= everything
    assert api("m1", "GET", "/notices").status_code == 403


def test_a_branch_head_cannot_retry_another_branchs_notice(app: Flask, api,  # type: ignore[no-untyped-def]
                                                           notices: dict[str, int]) -> None:
    for recipient in ("SH002-01", "c3-sh002-01", "SH001-01"):
        set_status(app, notices[recipient], NoticeStatus.DEAD)
    for recipient in ("SH002-01", "c3-sh002-01"):
        answer = api("head", "POST", f"/notices/{notices[recipient]}/retry")
        assert answer.status_code == 403 and answer.json["error"]["code"] == "forbidden"
        assert status_of(app, notices[recipient]) is NoticeStatus.DEAD
    assert api("head", "POST", f"/notices/{notices['SH001-01']}/retry").status_code == 200
    assert status_of(app, notices["SH001-01"]) is NoticeStatus.PENDING
    assert api("admin", "POST", f"/notices/{notices['SH002-01']}/retry").status_code == 200


@pytest.mark.parametrize("who", ["head", "admin"])
def test_a_notice_whose_outcome_is_unknown_is_not_sent_again_from_the_api(
        app: Flask, api, notices: dict[str, int], who: str) -> None:  # type: ignore[no-untyped-def]
    notice_id = notices["c1-sh001-01"]
    set_status(app, notice_id, NoticeStatus.UNKNOWN)
    answer = api(who, "POST", f"/notices/{notice_id}/retry")
    assert answer.status_code == 409 and answer.json["error"]["code"] == "conflict"
    assert "结果未知" in answer.json["error"]["message"]
    assert status_of(app, notice_id) is NoticeStatus.UNKNOWN


def test_the_console_outbox_keeps_to_the_branch_and_refuses_an_unknown_notice(
        app: Flask, notices: dict[str, int]) -> None:
    client = app.test_client()
    login(client, "head")
    page = client.get("/console/outbox").text
    assert f'data-notice="{notices["SH001-01"]}"' in page
    assert f'data-notice="{notices["SH002-01"]}"' not in page
    token = csrf_token(page)
    set_status(app, notices["SH002-01"], NoticeStatus.DEAD)
    assert client.post(f"/console/outbox/{notices['SH002-01']}/retry",
                       data={"csrf_token": token}).status_code == 403
    set_status(app, notices["SH001-01"], NoticeStatus.UNKNOWN)
    refused = client.post(f"/console/outbox/{notices['SH001-01']}/retry",
                          data={"csrf_token": token}, follow_redirects=True)
    assert "结果未知" in refused.text
    assert status_of(app, notices["SH001-01"]) is NoticeStatus.UNKNOWN
    assert status_of(app, notices["SH002-01"]) is NoticeStatus.DEAD
