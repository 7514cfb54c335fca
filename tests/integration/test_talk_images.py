"""Staff send an image from the inbox: checked and stored by the console, uploaded to the
platform (the sandbox, over real HTTP) as temporary media when the outbox sends it, and sent
once as a customer-service image inside the 48-hour window; outside it kept behind one
service notice and shown on the reply page to the customer only; shown in the transcript."""

import io
import threading
import time
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
import requests
from flask import Flask
from flask.testing import FlaskClient
from PIL import Image

from bot import create_app
from bot.share_tokens import Signer, Visitor, visitor_cookie
from bot.web.visitors import COOKIE
from bot.worker.outbox import Outbox
from crm_core import services
from crm_core.model import NoticeKind, NoticeStatus, utcnow
from crm_core.services import conversations as talk
from tests.conftest import make_settings, runtime
from tests.console_support import csrf_token, login
from tests.sandbox_support import CUSTOM_SEND, RawClient, SandboxHandle, api_for, running_sandbox
from tests.talk_support import C1, open_for, populate

UPLOAD = "/cgi-bin/media/upload"


@pytest.fixture
def sandbox() -> Iterator[SandboxHandle]:
    with running_sandbox() as handle:
        yield handle


@pytest.fixture
def app(database_url: str, tmp_path: Path, sandbox: SandboxHandle) -> Iterator[Flask]:
    app = create_app(make_settings(
        database_url, tmp_path, talk={"media_dir": str(tmp_path / "media"),
                                      "media_max_bytes": 200_000},
        notifications={"talk_page_template": "TPL_PAGE"},
        wechat={"app_id": sandbox.app_id, "app_secret": sandbox.app_secret,
                "api_base_url": sandbox.base_url, "mode": "compatible"},
        outbox={"backoff_base_seconds": 0.01, "backoff_max_seconds": 0.05}))
    populate(runtime(app))
    yield app
    runtime(app).engine.dispose()


def jpeg(size: tuple[int, int] = (64, 48)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, "navy").save(buffer, "JPEG")
    return buffer.getvalue()


def send(client: FlaskClient, conversation: int, data: bytes, name: str = "photo.jpg",
         mimetype: str = "image/jpeg") -> str:
    token = csrf_token(client.get(f"/console/talk/{conversation}").text)
    answer = client.post(f"/console/talk/{conversation}/image", follow_redirects=True,
                         content_type="multipart/form-data",
                         data={"csrf_token": token, "image": (io.BytesIO(data), name, mimetype)})
    assert answer.status_code == 200
    return answer.text


def deliver(app: Flask, sandbox: SandboxHandle) -> dict[int, str]:
    rt = runtime(app)
    return Outbox(rt.uow, api_for(sandbox, timeout=2.0), rt.settings, "w1").deliver_due().outcomes


def manager(app: Flask) -> FlaskClient:
    client = app.test_client()
    login(client, "m1")
    return client


def talk_notices(app: Flask) -> list[dict]:  # type: ignore[type-arg]
    with runtime(app).uow() as uow:
        return [n for n in services.list_notices(uow, None, 100)
                if n["kind"] == NoticeKind.TALK_REPLY.value]


def test_an_image_sent_from_the_inbox_reaches_the_customer_once_as_a_custom_image(
        app: Flask, sandbox: SandboxHandle) -> None:
    sandbox.follow(C1)
    sandbox.act(C1, "message")
    conversation, client, photo = open_for(runtime(app), C1), manager(app), jpeg()
    assert "已发送。" in send(client, conversation, photo)
    deliver(app, sandbox)
    deliver(app, sandbox)
    [sent] = [m for m in sandbox.inbox(C1) if m["kind"] == "custom"]
    assert sent["payload"]["msgtype"] == "image"
    assert sandbox.count(UPLOAD) == 1
    with requests.Session() as http:
        raw = RawClient(sandbox, http).login()
        kept = raw.get("/cgi-bin/media/get", media_id=sent["payload"]["image"]["media_id"])
    assert (kept.headers["Content-Type"], kept.content) == ("image/jpeg", photo)
    page = client.get(f"/console/talk/{conversation}").text
    assert 'alt="发给客户的图片"' in page and "已送达" in page
    [shown] = [m for m in client.get(f"/console/talk/{conversation}").text.split('src="')[1:]
               if m.startswith(f"/console/talk/{conversation}/media/")]
    image = client.get(shown.split('"')[0])
    assert (image.status_code, image.mimetype, image.data) == (200, "image/jpeg", photo)


@pytest.mark.parametrize(("data", "name", "said"), [
    (b"%PDF-1.4 not a picture", "photo.jpg", "只能发送 JPG、PNG、GIF 图片"),
    (jpeg((900, 900)) + b"\0" * 600_000, "big.jpg", "图片超过 195 KB"),
    (b"", "", "请先选择要发送的图片"),
])
def test_a_file_that_is_not_an_image_or_too_large_is_refused_in_chinese(
        app: Flask, sandbox: SandboxHandle, tmp_path: Path, data: bytes, name: str,
        said: str) -> None:
    sandbox.follow(C1)
    sandbox.act(C1, "message")
    conversation, client = open_for(runtime(app), C1), manager(app)
    assert said in send(client, conversation, data, name)
    assert talk_notices(app) == []
    assert not list((tmp_path / "media").glob("sent-*"))


def test_outside_the_window_an_image_is_kept_behind_one_notice_and_shown_on_the_reply_page(
        app: Flask, sandbox: SandboxHandle) -> None:
    sandbox.follow(C1)
    conversation = open_for(runtime(app), C1, utcnow() - timedelta(hours=49))
    client, photo = manager(app), jpeg()
    assert "回复已保存，并已通知客户点击查看" in send(client, conversation, photo)
    assert "回复已保存" in send(client, conversation, jpeg((20, 20)))
    assert talk_notices(app) == []
    deliver(app, sandbox)
    [notice] = sandbox.inbox(C1)
    assert notice["kind"] == "template" and sandbox.count(UPLOAD) == 0
    link = "/talk/" + notice["payload"]["url"].split("/talk/")[1]
    customer = customer_browser(app, conversation)
    page = customer.get(link).text
    [first, _second] = [src.split('"')[0] for src in page.split('src="')[1:]
                        if src.startswith(f"/talk/{conversation}/media/")]
    image = customer.get(first.replace("&amp;", "&"))
    assert (image.status_code, image.mimetype, image.data) == (200, "image/jpeg", photo)
    stranger = app.test_client()
    assert "请在微信中打开此链接查看" in stranger.get(link).text
    assert stranger.get(first.replace("&amp;", "&")).status_code == 403


def test_images_past_the_window_count_wait_on_the_reply_page_like_text_replies(
        app: Flask, sandbox: SandboxHandle) -> None:
    sandbox.follow(C1)
    sandbox.act(C1, "message")
    conversation, client = open_for(runtime(app), C1), manager(app)
    sends = runtime(app).settings.talk.window_sends
    for n in range(sends):
        assert "已发送。" in send(client, conversation, jpeg((10 + n, 10)))
    assert "回复已保存" in send(client, conversation, jpeg((99, 9)))
    assert len(talk_notices(app)) == sends
    assert len(page_notices(app)) == 1


def customer_browser(app: Flask, conversation: int) -> FlaskClient:
    """A browser web authorisation has told us is the conversation's customer."""
    rt = runtime(app)
    with rt.uow() as uow:
        customer_id = talk.reply_page(uow, conversation)["customer_id"]
    web = rt.settings.web
    cookie = visitor_cookie(Signer(web.secret_key, web.previous_secret_key),
                            Visitor("talkvisitor", customer_id, verified=True,
                                    oauth_at=int(time.time())))
    client = app.test_client()
    client.set_cookie(COOKIE, cookie)
    return client


def page_notices(app: Flask) -> list[dict]:  # type: ignore[type-arg]
    with runtime(app).uow() as uow:
        return [n for n in services.list_notices(uow, None, 100)
                if n["kind"] == NoticeKind.TALK_PAGE.value]


def test_an_image_to_a_customer_who_left_is_marked_and_not_retried(
        app: Flask, sandbox: SandboxHandle) -> None:
    sandbox.follow(C1)
    sandbox.act(C1, "message")
    sandbox.act(C1, "unfollow")
    conversation, client = open_for(runtime(app), C1), manager(app)
    send(client, conversation, jpeg())
    assert list(deliver(app, sandbox).values()) == ["failed"]
    assert deliver(app, sandbox) == {}
    [notice] = talk_notices(app)
    assert (notice["status"], notice["error_code"]) == (NoticeStatus.FAILED.value, 45015)
    assert "已超出客服消息时限或客户已取消关注，未送达" in client.get(
        f"/console/talk/{conversation}").text


def test_a_wechat_outage_delays_an_image_but_never_loses_or_doubles_it(
        app: Flask, sandbox: SandboxHandle) -> None:
    sandbox.follow(C1)
    sandbox.act(C1, "message")
    conversation = open_for(runtime(app), C1)
    send(manager(app), conversation, jpeg())
    sandbox.inject({"path": UPLOAD, "http_status": 503}, {"path": CUSTOM_SEND, "errcode": -1})
    outcomes = []
    for _ in range(10):
        outcomes += deliver(app, sandbox).values()
        threading.Event().wait(0.06)
    assert outcomes == ["pending", "pending", "sent"]
    assert [m["payload"]["msgtype"] for m in sandbox.inbox(C1)] == ["image"]
