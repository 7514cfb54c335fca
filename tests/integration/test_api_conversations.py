"""Conversations through /api/v1: list, transcript, reply, assign and close, in scope."""

import io
from pathlib import Path

from flask import Flask
from werkzeug.test import TestResponse

from crm_core import services
from crm_core.model import utcnow
from crm_core.services import conversations as talk
from tests.conftest import runtime
from tests.talk_support import C1, open_for, populate


def tokens(app: Flask) -> dict[str, str]:
    populate(runtime(app))
    with runtime(app).uow() as uow:
        issued = {name: services.issue_api_token(uow, name, "tests", utcnow(), "test")
                  for name in ("m1", "m2", "agent")}
        uow.commit()
    return {name: f"Bearer {token}" for name, token in issued.items()}


def test_a_manager_lists_reads_answers_hands_over_and_closes_a_conversation(app: Flask) -> None:
    auth, client = tokens(app), app.test_client()
    conversation = open_for(runtime(app), C1)
    with runtime(app).uow() as uow:
        talk.customer_message(uow, C1, "text", "身份证 110101199003077777 能办吗", None, utcnow())
        uow.commit()
    m1 = {"Authorization": auth["m1"]}
    listed = client.get("/api/v1/conversations", headers=m1).json
    assert [c["id"] for c in listed["conversations"]] == [conversation]
    transcript = client.get(f"/api/v1/conversations/{conversation}", headers=m1).json
    assert "110101199003077777" in transcript["messages"][0]["body"]
    agent = client.get(f"/api/v1/conversations/{conversation}",
                       headers={"Authorization": auth["agent"]}).json
    assert "110101199003077777" not in agent["messages"][0]["body"]
    refused = client.post(f"/api/v1/conversations/{conversation}/replies", headers=m1,
                          json={"body": "稳赚不赔"})
    assert refused.status_code == 422 and "“稳赚”" in refused.json["error"]["message"]
    sent = client.post(f"/api/v1/conversations/{conversation}/replies", headers=m1,
                       json={"body": "可以的，请带身份证到网点。"})
    assert sent.status_code == 201 and sent.json["delivery"] == "custom"
    moved = client.post(f"/api/v1/conversations/{conversation}/assign", headers=m1,
                        json={"username": "agent", "reason": "专业问题"})
    assert moved.status_code == 200
    assert client.post(f"/api/v1/conversations/{conversation}/close",
                       headers=m1).json["status"] == "closed"


def test_a_manager_without_the_customer_gets_403(app: Flask) -> None:
    auth, client = tokens(app), app.test_client()
    conversation = open_for(runtime(app), C1)
    m2 = {"Authorization": auth["m2"]}
    assert client.get(f"/api/v1/conversations/{conversation}", headers=m2).status_code == 403
    assert client.post(f"/api/v1/conversations/{conversation}/replies", headers=m2,
                       json={"body": "您好"}).status_code == 403
    assert client.get("/api/v1/conversations", headers=m2).json["conversations"] == []


def test_an_image_is_sent_through_the_api_and_a_bad_file_refused_in_chinese(
        app: Flask, tmp_path: Path) -> None:
    auth, client = tokens(app), app.test_client()
    conversation = open_for(runtime(app), C1)
    m1 = {"Authorization": auth["m1"]}

    def post(data: bytes, name: str = "a.png") -> TestResponse:
        return client.post(f"/api/v1/conversations/{conversation}/images", headers=m1,
                           data={"image": (io.BytesIO(data), name)},
                           content_type="multipart/form-data")

    sent = post(b"\x89PNG\r\n\x1a\n" + b"\0" * 64)
    assert (sent.status_code, sent.json["delivery"]) == (201, "custom")
    refused = post(b"MZ not an image", "a.exe")
    assert refused.status_code == 422
    assert "只能发送 JPG、PNG、GIF 图片" in refused.json["error"]["message"]
    missing = client.post(f"/api/v1/conversations/{conversation}/images", headers=m1, json={})
    assert missing.status_code == 400
    assert missing.json["error"]["message"] == "请先选择要发送的图片。"
    other = client.post(f"/api/v1/conversations/{conversation}/images",
                        headers={"Authorization": auth["m2"]},
                        data={"image": (io.BytesIO(b"GIF89a"), "a.gif")})
    assert other.status_code == 403
    assert len(list((tmp_path / "media").glob("sent-*"))) == 1  # nothing kept for m2
