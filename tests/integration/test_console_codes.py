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
    for chosen, reason in (({"branch": "SH001", "manager": "SH002-01"},
                            "客户经理 SH002-01 不在 SH001 任职"),
                           ({"manager": "SH002-01"}, "SH002 不在您的管辖范围内"),
                           ({"branch": "SH002", "campaign": "SPRING"},
                            "SH002 不在您的管辖范围内")):
        answer = client.post("/console/codes", data={"csrf_token": token, **chosen},
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


def test_a_name_typed_where_a_code_belongs_gets_a_chinese_message_not_an_error_page(
        app: Flask) -> None:
    populate(runtime(app))
    client = app.test_client()
    login(client, "head")
    token = csrf_token(client.get("/console/codes").text)
    for chosen, said in (({"manager": "张伟"}, "找不到所选的网点或客户经理“张伟”"),
                         ({"branch": "SH009"}, "找不到网点代码“SH009”"),
                         ({"campaign": "SPRING"}, "请选择网点或客户经理"),
                         ({"branch": "SH001", "campaign": "春季"}, "活动代码只能是")):
        answer = client.post("/console/codes", data={"csrf_token": token, **chosen},
                             follow_redirects=True)
        assert answer.status_code == 200 and said in answer.text, chosen
    assert registry(app) == []


def test_head_office_looking_up_a_branch_by_a_typed_name_gets_a_message_not_a_404(
        app: Flask) -> None:
    populate(runtime(app))
    client = app.test_client()
    login(client, "admin")
    answer = client.get("/console/codes", query_string={"branch": "张伟"})
    assert answer.status_code == 200 and "找不到所选的网点或客户经理“张伟”" in answer.text
