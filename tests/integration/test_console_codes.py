"""Issuing codes in the console: within the head's branch, with the branch's own managers."""

import io
import zipfile

from flask import Flask

from crm_core import services
from crm_core.model import utcnow
from tests.conftest import runtime
from tests.console_support import csrf_token, login, populate


def registry(app: Flask) -> list[str]:
    with runtime(app).uow() as uow:
        return [code["scene"] for code in services.list_codes(uow)]


def test_a_branch_head_cannot_issue_a_code_with_another_branchs_manager_or_branch(
        app: Flask) -> None:
    populate(runtime(app))
    client = app.test_client()
    login(client, "head")
    token = csrf_token(client.get("/console/codes").text)
    for scene, reason in (("b:SH001;m:SH002-01", "客户经理 SH002-01 不在 SH001 任职"),
                          ("m:SH002-01", "SH002 不在您的管辖范围内"),
                          ("b:SH002;c:SPRING", "SH002 不在您的管辖范围内")):
        answer = client.post("/console/codes", data={"csrf_token": token, "scene": scene},
                             follow_redirects=True)
        assert reason in answer.text
    assert registry(app) == []


def test_the_posters_zip_prints_a_code_naming_its_branch_and_manager(app: Flask) -> None:
    populate(runtime(app))
    with runtime(app).uow() as uow:
        for scene in ("b:SH001", "b:SH001;m:SH001-01"):
            request = services.code_for(uow, scene, utcnow())
            assert isinstance(request, services.CodeToCreate)
            services.record_code(uow, request, f"T-{scene}", f"http://weixin.qq.com/q/{scene}",
                                 None, utcnow())
        uow.commit()
    client = app.test_client()
    login(client, "head")
    answer = client.get("/console/codes/posters.zip")
    assert answer.status_code == 200
    assert len(zipfile.ZipFile(io.BytesIO(answer.data)).namelist()) == 2
