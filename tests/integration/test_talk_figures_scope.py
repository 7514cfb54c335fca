"""Per-staff conversation figures in the console's 服务统计 tab and at
/api/v1/conversations/figures, each viewer seeing their scope: a manager their own row, a
branch head their branch's staff, head office everyone (network-wide agents included)."""

from flask import Flask
from flask.testing import FlaskClient

from bot.web.staff_auth import hash_password
from crm_core import services
from crm_core.model import StaffRole, utcnow
from crm_core.services import conversations as talk
from tests.conftest import runtime
from tests.console_support import PASSWORD, login
from tests.talk_support import C1, C2, open_for, populate, scope_of


def answered(app: Flask) -> None:
    """m1 answers their customer; the network's agent answers m2's, which waits in the queue."""
    rt = runtime(app)
    populate(rt)
    with rt.uow() as uow:
        services.add_staff(uow, "netagent", "员工netagent", hash_password(PASSWORD),
                           StaffRole.SERVICE, None, None, "test", utcnow())
        uow.commit()
    for openid, who in ((C1, "m1"), (C2, "netagent")):
        conversation = open_for(rt, openid)
        with rt.uow() as uow:
            talk.reply(uow, scope_of(rt, who), conversation, "您好，我来为您解答。", utcnow())
            uow.commit()


def shown(client: FlaskClient, username: str) -> set[str]:
    login(client, username)
    page = client.get("/console/talk/figures?days=7")
    assert page.status_code == 200 and "服务统计" in page.text
    return {part.split('"')[0] for part in page.text.split('data-staff="')[1:]}


def test_each_viewer_sees_the_conversation_figures_of_their_scope_in_the_console(
        app: Flask) -> None:
    answered(app)
    assert shown(app.test_client(), "m1") == {"m1"}
    assert shown(app.test_client(), "head") == {"m1"}
    assert shown(app.test_client(), "admin") == {"m1", "netagent"}
    login(client := app.test_client(), "m1")
    assert 'href="/console/talk/figures"' in client.get("/console/talk").text


def test_the_figures_are_served_by_the_api_in_scope_and_a_bad_period_is_refused(
        app: Flask) -> None:
    answered(app)
    with runtime(app).uow() as uow:
        issued = {name: services.issue_api_token(uow, name, "tests", utcnow(), "test")
                  for name in ("m1", "admin")}
        uow.commit()
    client = app.test_client()

    def figures(who: str, days: str = "30") -> dict:  # type: ignore[type-arg]
        answer = client.get(f"/api/v1/conversations/figures?days={days}",
                            headers={"Authorization": f"Bearer {issued[who]}"})
        return {"status": answer.status_code, **answer.json}

    mine = figures("m1")
    assert [row["username"] for row in mine["staff"]] == ["m1"]
    assert (mine["staff"][0]["answered"], mine["staff"][0]["conversations"]) == (1, 1)
    assert [row["username"] for row in figures("admin")["staff"]] == ["m1", "netagent"]
    refused = figures("admin", "365")
    assert refused["status"] == 422 and "7、30、90" in refused["error"]["message"]
