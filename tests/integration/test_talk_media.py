"""Images customers send into a conversation: fetched once from the platform's media API
(the sandbox) into storage, capped in size and type, refused with a Chinese reason."""

import io
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import requests
from flask import Flask
from PIL import Image

from bot import create_app
from bot.config import Settings
from bot.wechat.simulator import Platform
from tests.builders import post
from tests.conftest import make_settings, runtime
from tests.console_support import login
from tests.sandbox_support import RawClient, SandboxHandle, running_sandbox
from tests.talk_support import C1, open_for, populate


@pytest.fixture
def sandbox() -> Iterator[SandboxHandle]:
    with running_sandbox() as handle:
        yield handle


@contextmanager
def app_with(database_url: str, tmp_path: Path, sandbox: SandboxHandle,
             cap: int = 2_000_000) -> Iterator[Flask]:
    settings: Settings = make_settings(
        database_url, tmp_path, talk={"media_dir": str(tmp_path / "media"),
                                      "media_max_bytes": cap},
        wechat={"app_id": sandbox.app_id, "app_secret": sandbox.app_secret,
                "api_base_url": sandbox.base_url, "mode": "compatible"})
    app = create_app(settings)
    yield app
    runtime(app).engine.dispose()


def upload(sandbox: SandboxHandle, kind: str, mimetype: str, data: bytes) -> str:
    with requests.Session() as http:
        raw = RawClient(sandbox, http).login()
        answer = http.post(f"{sandbox.base_url}/cgi-bin/media/upload",
                           params={"access_token": raw.token, "type": kind},
                           files={"media": ("f", data, mimetype)}, timeout=5).json()
    return str(answer["media_id"])


def png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), "red").save(buffer, "PNG")
    return buffer.getvalue()


def send_image(app: Flask, platform: Platform, media_id: str) -> int:
    xml = (f"<xml><ToUserName><![CDATA[gh_branchlink]]></ToUserName><FromUserName><![CDATA[{C1}]]>"
           f"</FromUserName><CreateTime>1700000000</CreateTime><MsgType><![CDATA[image]]>"
           f"</MsgType><PicUrl><![CDATA[http://mmbiz/x]]></PicUrl><MediaId><![CDATA[{media_id}]]>"
           f"</MediaId><MsgId>{abs(hash(media_id)) % 10**15}</MsgId></xml>")
    assert post(app.test_client(), platform, xml).status_code == 200
    with runtime(app).uow() as uow:
        conversation = uow.conversations.live_of(uow.customers.by_openid(C1).id)  # type: ignore[union-attr]
        assert conversation is not None
        return uow.conversations.messages(conversation.id)[-1].id


def test_an_image_is_fetched_once_and_shown_to_staff(database_url: str, tmp_path: Path,
                                                     sandbox: SandboxHandle,
                                                     platform: Platform) -> None:
    with app_with(database_url, tmp_path, sandbox) as app:
        shown_twice(app, sandbox, platform)


def shown_twice(app: Flask, sandbox: SandboxHandle, platform: Platform) -> None:
    populate(runtime(app))
    conversation = open_for(runtime(app), C1)
    message = send_image(app, platform, upload(sandbox, "image", "image/png", png()))
    client = app.test_client()
    login(client, "m1")
    for _ in range(2):
        shown = client.get(f"/console/talk/{conversation}/media/{message}")
        assert shown.status_code == 200 and shown.mimetype == "image/png"
        assert shown.data == png()
    assert sandbox.count("/cgi-bin/media/get") == 1
    assert 'class="talk-image"' in client.get(f"/console/talk/{conversation}").text


@pytest.mark.parametrize(("kind", "mimetype", "cap", "said"), [
    ("image", "image/png", 20, "图片超过 1 MB"),
    ("voice", "audio/amr", 2_000_000, "只保存 JPG、PNG、GIF 图片"),
])
def test_a_file_too_large_or_not_an_image_is_refused_with_the_reason(
        database_url: str, tmp_path: Path, sandbox: SandboxHandle, platform: Platform,
        kind: str, mimetype: str, cap: int, said: str) -> None:
    with app_with(database_url, tmp_path, sandbox, cap) as app:
        refused_with(app, sandbox, platform, kind, mimetype, said, tmp_path)


def refused_with(app: Flask, sandbox: SandboxHandle, platform: Platform, kind: str,
                 mimetype: str, said: str, tmp_path: Path) -> None:
    populate(runtime(app))
    conversation = open_for(runtime(app), C1)
    message = send_image(app, platform, upload(sandbox, kind, mimetype, png()))
    client = app.test_client()
    login(client, "m1")
    refused = client.get(f"/console/talk/{conversation}/media/{message}")
    assert refused.status_code == 422 and said in refused.text
    assert not list((tmp_path / "media").glob("*.png"))
