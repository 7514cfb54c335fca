"""Partner-unit codes: an organisation's scene `b:<branch>;u:<code>`, followers through it
tagged as the unit's members (payroll lists add more), and the unit's follow and lead counts
on its page with the link its contact person is given."""

import pytest
from flask import Flask
from flask.testing import FlaskClient

from bot.wechat.simulator import Platform
from crm_core import services
from crm_core.model import Scene, SceneError, format_scene, parse_scene, utcnow
from crm_core.services import ImportRejected
from crm_core.services.organisations import import_payroll, unit_scene
from tests.builders import subscribe_xml, text_xml
from tests.conftest import runtime
from tests.console_support import login
from tests.integration.test_binding_and_leads import say
from tests.integration.test_console_referrals import staffed  # noqa: F401
from tests.organisation_support import T0, rows


def test_the_unit_tag_round_trips_within_the_platforms_limit() -> None:
    scene = format_scene(Scene(branch="SH001", unit="LOG01"))
    assert scene == "b:SH001;u:LOG01" and parse_scene(scene).unit == "LOG01"
    with pytest.raises(SceneError):
        parse_scene("u:LOG01")  # a unit alone links nobody: a branch or manager is needed
    assert len(format_scene(Scene(branch="B" * 24, unit="U" * 24))) <= 64


def test_followers_through_a_units_code_are_its_members_and_counted(
        staffed: Flask, platform: Platform, client: FlaskClient) -> None:  # noqa: F811
    with runtime(staffed).uow() as uow:
        organisation = uow.organisations.by_code("LOG01")  # type: ignore[attr-defined]
        scene = unit_scene(organisation)
    assert scene == "b:SH001;u:LOG01"
    say(staffed, platform, subscribe_xml("driver-1", scene))
    say(staffed, platform, subscribe_xml("driver-2", scene))
    say(staffed, platform, text_xml("driver-1", "联系客户经理"))
    say(staffed, platform, subscribe_xml("driver-1", scene))  # a refollow adds nobody
    with runtime(staffed).uow() as uow:
        report = import_payroll(uow, rows("organisation,openid\nLOG01,boss-zhang\n"),  # type: ignore[arg-type]
                                "代发.csv", T0)
        assert len(report.created) == 1
        with pytest.raises(ImportRejected):
            import_payroll(uow, rows("organisation,openid\nX1,boss-zhang\n"), "x.csv", T0)  # type: ignore[arg-type]
        uow.commit()
    login(client, "head")
    page = client.get("/console/organisations/LOG01").text
    assert "b:SH001;u:LOG01" in page and "生成单位二维码" in page
    with runtime(staffed).uow() as uow:
        figures = services.organisations.organisation_card(  # type: ignore[arg-type]
            uow, services.scope_of(uow.staff.by_username("head")), "LOG01")["unit"]
    assert figures == {"follows": 2, "payroll": 1, "leads": 1, "open_leads": 1}


def test_an_issued_unit_code_gives_the_contact_person_a_link(
        staffed: Flask, client: FlaskClient) -> None:  # noqa: F811
    with runtime(staffed).uow() as uow:
        request = services.code_for(uow, "b:SH001;u:LOG01", utcnow())
        assert isinstance(request, services.CodeToCreate)
        services.record_code(uow, request, "T-1", "http://weixin.qq.com/q/unit-LOG01", None,
                             utcnow())
        uow.commit()
    login(client, "head")
    page = client.get("/console/organisations/LOG01").text
    assert "http://weixin.qq.com/q/unit-LOG01" in page and "下载海报" in page
