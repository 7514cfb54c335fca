"""The sandbox keeps temporary media as the platform does: the platform's errcodes for a bad
upload, and a customer-service image only with a media id it keeps."""

from collections.abc import Iterator
from typing import Any

import pytest
import requests

from tests.sandbox_support import (
    CUSTOM_SEND,
    RawClient,
    SandboxHandle,
    fake_openid,
    running_sandbox,
)

ALICE = fake_openid("alice")


@pytest.fixture
def sandbox() -> Iterator[SandboxHandle]:
    with running_sandbox() as handle:
        yield handle


@pytest.fixture
def platform(sandbox: SandboxHandle) -> Iterator[RawClient]:
    with requests.Session() as http:
        yield RawClient(sandbox, http).login()


def upload(sandbox: SandboxHandle, platform: RawClient, kind: str, mimetype: str,
           data: bytes) -> dict[str, Any]:
    answer = requests.post(f"{sandbox.base_url}/cgi-bin/media/upload",
                           params={"access_token": platform.token, "type": kind},
                           files={"media": ("f", data, mimetype)}, timeout=5)
    return dict(answer.json())


def test_media_uploads_get_the_platforms_errcodes_for_bad_files(
        sandbox: SandboxHandle, platform: RawClient) -> None:
    assert upload(sandbox, platform, "thumb", "image/png", b"x")["errcode"] == 40004
    assert upload(sandbox, platform, "image", "application/pdf", b"x")["errcode"] == 40005
    assert upload(sandbox, platform, "image", "image/png", b"")["errcode"] == 41005
    big = b"x" * (10 * 1024 * 1024 + 1)
    assert upload(sandbox, platform, "image", "image/png", big)["errcode"] == 40009
    voice = upload(sandbox, platform, "voice", "audio/amr", big[: 2 * 1024 * 1024 + 1])
    assert voice["errcode"] == 40010


def test_a_custom_image_must_name_uploaded_media(sandbox: SandboxHandle,
                                                 platform: RawClient) -> None:
    sandbox.act(ALICE, "message")
    media_id = upload(sandbox, platform, "image", "image/png", b"\x89PNG")["media_id"]

    def image(media: str) -> int:
        body = {"touser": ALICE, "msgtype": "image", "image": {"media_id": media}}
        return int(platform.post(CUSTOM_SEND, body)["errcode"])

    assert (image("not-uploaded"), image(media_id)) == (40007, 0)
    assert sandbox.inbox(ALICE)[-1]["payload"]["image"] == {"media_id": media_id}
