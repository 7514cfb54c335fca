"""End to end: a real `branchlink serve` on loopback driven by `branchlink simulate`."""

import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
from prometheus_client.parser import text_string_to_metric_families

from bot.wechat.simulator import Platform, text_xml
from tests.conftest import AES_KEY, APP_ID, TOKEN, WEB_SECRET

pytestmark = pytest.mark.slow


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def branchlink(config: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "bot.cli", "--config", str(config), *args],
                          capture_output=True, text=True, timeout=60, check=False)


@pytest.fixture
def config(database_url: str, tmp_path: Path) -> Path:
    path = tmp_path / "branchlink.toml"
    path.write_text(f"""
[wechat]
app_id = "{APP_ID}"
token = "{TOKEN}"
encoding_aes_key = "{AES_KEY}"
[web]
secret_key = "{WEB_SECRET}"
[database]
url = "{database_url}"
[webhook]
spool_dir = "{tmp_path / 'spool'}"
[server]
bind = "127.0.0.1:{free_port()}"
workers = 2
[logging]
format = "json"
""")
    return path


@pytest.fixture
def server(config: Path, tmp_path: Path) -> Iterator[str]:
    assert branchlink(config, "demo", "seed").returncode == 0
    log = tmp_path / "serve.log"
    with log.open("wb") as sink:
        process = subprocess.Popen([sys.executable, "-m", "bot.cli", "--config", str(config),
                                    "serve"], start_new_session=True, stdout=sink, stderr=sink)
    bind = config.read_text().split('bind = "')[1].split('"')[0]
    try:
        _wait_healthy(f"http://{bind}/healthz", process, log)
        yield bind
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=20)


def _wait_healthy(url: str, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 60  # a bound on start-up, generous for a busy machine
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"serve exited: {log.read_text()}")
        try:
            if requests.get(url, timeout=1).ok:
                return
        except (requests.ConnectionError, requests.Timeout):
            # Timeout: gunicorn listens while its workers still build the product index.
            time.sleep(0.2)
    pytest.fail("server did not become healthy")


@pytest.mark.parametrize("mode", ["safe", "compat"])
def test_customer_follows_a_branch_code_and_is_greeted_with_their_manager(
        config: Path, server: str, mode: str) -> None:
    follow = branchlink(config, "simulate", "--mode", mode, "--openid", "e2e-1", "subscribe",
                        "--scene", "b:SH001")
    assert follow.returncode == 0, follow.stderr
    assert "欢迎关注" in follow.stdout and "上海分行营业部" in follow.stdout
    ask = branchlink(config, "simulate", "--mode", mode, "--openid", "e2e-1", "text",
                     "我的客户经理")
    assert ask.returncode == 0 and "上海分行营业部" in ask.stdout
    shown = branchlink(config, "customers", "show", "e2e-1")
    profile = json.loads(shown.stdout)
    assert profile["follow_state"] == "following"
    assert profile["manager"]["branch"] == "SH001" and profile["manager"]["source"] == "b:SH001"
    assert profile["manager"]["name"] in ask.stdout
    assert [t["scene"] for t in profile["touches"]] == ["b:SH001"]


def test_metrics_add_up_the_web_workers_and_the_background_worker(
        server: str, tmp_path: Path) -> None:
    platform = Platform(TOKEN, APP_ID, AES_KEY)
    with requests.Session() as session:
        for n in range(12):  # spread over both gunicorn workers by the kernel
            reply = platform.post(f"http://{server}/wechat",
                                  text_xml(f"e2e-m{n}", "你好", msg_id=9000 + n), "safe", session)
            assert reply.ok
    deadline = time.monotonic() + 20
    while True:
        families = {family.name: family for family in text_string_to_metric_families(
            requests.get(f"http://{server}/metrics", timeout=5).text)}
        leader = families.get("branchlink_worker_leader")
        leaders = [s for s in leader.samples if s.value == 1] if leader else []
        if leaders or time.monotonic() > deadline:
            break
        time.sleep(0.5)
    # The background worker is a process of its own: its gauge reaches the web's /metrics.
    assert len(leaders) == 1 and "pid" in leaders[0].labels
    counts = [s.value for s in families["branchlink_request_seconds"].samples
              if s.name.endswith("_count") and s.labels == {"route": "/wechat", "kind": "text"}]
    assert counts == [12]
    lines = (tmp_path / "serve.log").read_text().splitlines()
    assert lines and all(json.loads(line)["level"] for line in lines)  # one object per line


def test_simulate_reports_an_unreachable_server_clearly(config: Path) -> None:
    result = branchlink(config, "simulate", "text", "你好")
    assert result.returncode != 0 and "cannot reach" in result.stderr


def test_bad_configuration_stops_the_command_naming_the_key(tmp_path: Path) -> None:
    path = tmp_path / "bad.toml"
    path.write_text(f'[wechat]\napp_id = "{APP_ID}"\ntoken = "{TOKEN}"\nencoding_aes_key = "x"\n')
    result = branchlink(path, "db", "upgrade")
    assert result.returncode == 1
    assert "[wechat] encoding_aes_key: must be exactly 43" in result.stderr
