"""Referral receivers are picked, not typed: the referral form and the head's assignment
offer the active managers of the chosen line (never the referrer), and the pick is posted."""

from flask import Flask
from flask.testing import FlaskClient

from tests.console_support import login
from tests.integration.test_console_referrals import boss, post
from tests.integration.test_console_referrals import staffed as staffed


def picked(client: FlaskClient, query: str) -> list[str]:
    return [row["value"] for row in client.get(f"/console/pick/receivers?{query}").json]


def test_the_referral_form_picks_the_receiver_among_the_lines_managers(
        staffed: Flask, client: FlaskClient) -> None:
    page = f"/console/customers/{boss(staffed)}"
    login(client, "r1")
    form = client.get(page).text
    assert 'data-picker="/console/pick/receivers"' in form and 'data-picker-with="line"' in form
    assert picked(client, "with=对公") == ["SH001-C1", "SH001-C2", "SH002-C1"]
    assert picked(client, "with=零售") == ["SH001-02", "SH002-01"]  # never the referrer
    assert picked(client, "with=对公&q=SH002") == ["SH002-C1"]
    assert picked(client, "with=猜的") == []
    made = post(client, "/console/referrals", page, customer_id=str(boss(staffed)), line="对公",
                receiver="SH001-C2")
    assert "已提交转介" in made.text and "经理SH001-C2" in made.text


def test_a_branch_head_picks_among_the_lines_managers_of_the_branch(
        staffed: Flask, client: FlaskClient) -> None:
    login(client, "head")
    assert picked(client, "line=corporate") == ["SH001-C1", "SH001-C2"]


def test_a_queued_referral_is_assigned_through_a_picker_of_its_line(
        staffed: Flask, client: FlaskClient) -> None:
    page = f"/console/customers/{boss(staffed)}"
    login(client, "r1")
    made = post(client, "/console/referrals", page, customer_id=str(boss(staffed)), line="信贷")
    assert "已提交转介" in made.text  # no loan manager in SH001: it waits in the queue
    login(client, "head")
    referral = client.get("/console/referrals/1").text
    assert 'id="referral-assign"' in referral
    assert 'data-picker="/console/pick/receivers?line=loan"' in referral
