"""`branchlink sandbox` as a process: its access log never shows a credential."""

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

from tests.e2e.test_serve_and_simulate import free_port
from tests.sandbox_support import SANDBOX_APP_ID, SANDBOX_APP_SECRET, STABLE_TOKEN

pytestmark = pytest.mark.slow


def test_the_sandbox_access_log_masks_access_tokens(tmp_path: Path) -> None:
    port, log = free_port(), tmp_path / "sandbox.log"
    env = {**os.environ, "BRANCHLINK_SANDBOX_APP_SECRET": SANDBOX_APP_SECRET}
    with log.open("wb") as sink:
        process = subprocess.Popen([sys.executable, "-m", "bot.cli", "sandbox", "--port",
                                    str(port), "--app-id", SANDBOX_APP_ID], env=env,
                                   stdout=sink, stderr=sink)
    base = f"http://127.0.0.1:{port}"
    try:
        token = _stable_token(base)
        requests.get(f"{base}/cgi-bin/user/info", params={"access_token": token, "openid": "o"},
                     timeout=5)
    finally:
        process.terminate()
        process.wait(timeout=10)
    lines = log.read_text()
    assert "GET /cgi-bin/user/info?access_token=***&openid=o" in lines
    assert token not in lines


def _stable_token(base: str) -> str:
    body = {"grant_type": "client_credential", "appid": SANDBOX_APP_ID,
            "secret": SANDBOX_APP_SECRET}
    deadline = time.monotonic() + 20
    while True:
        try:
            answer = requests.post(base + STABLE_TOKEN, json=body, timeout=5).json()
            return str(answer["access_token"])
        except requests.ConnectionError:
            if time.monotonic() > deadline:
                pytest.fail("the sandbox did not start")
            time.sleep(0.1)
