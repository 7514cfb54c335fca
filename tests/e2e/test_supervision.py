"""`branchlink serve` keeps its embedded worker running and says so at /readyz."""

import os
import signal
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests

from bot.cli.demo import demo_manager_openid
from tests.e2e.test_notifications import MANAGER, queue_notices, start, stop, wait_for, write_config
from tests.e2e.test_serve_and_simulate import _wait_healthy, branchlink, free_port
from tests.sandbox_support import SandboxHandle, running_sandbox

pytestmark = pytest.mark.slow


@pytest.fixture
def sandbox() -> Iterator[SandboxHandle]:
    with running_sandbox(everyone_follows=True) as handle:
        yield handle


def readiness(port: int) -> tuple[int, dict[str, Any]]:
    response = requests.get(f"http://127.0.0.1:{port}/readyz", timeout=10)
    return response.status_code, response.json()


def children(serve_pid: int) -> dict[str, list[int]]:
    """The serve process's children: its `branchlink worker` and gunicorn's web workers."""
    found: dict[str, list[int]] = {"worker": [], "web": []}
    for task in Path(f"/proc/{serve_pid}/task").iterdir():
        for child in (task / "children").read_text().split():
            command = Path(f"/proc/{child}/cmdline").read_bytes().split(b"\0")
            found["worker" if b"worker" in command else "web"].append(int(child))
    return found


def worker_pids(serve_pid: int) -> list[int]:
    return children(serve_pid)["worker"]


def queued_sent(sandbox: SandboxHandle, key: str) -> list[dict[str, Any]]:
    """The manager's messages about the test's own notice (the demo queues notices of its own
    for the same manager, sent whenever a worker gets to them)."""
    return [message for message in sandbox.inbox(demo_manager_openid(MANAGER))
            if message["payload"]["data"]["thing1"]["value"] == key]


def test_serve_restarts_a_killed_worker_and_readyz_reports_it(
        database_url: str, tmp_path: Path, sandbox: SandboxHandle) -> None:
    port = free_port()
    config = write_config(tmp_path / "b.toml", database_url, sandbox, port)
    assert branchlink(config, "demo", "seed").returncode == 0
    log = tmp_path / "serve.log"
    server = start(config, "serve", log)
    try:
        _wait_healthy(f"http://127.0.0.1:{port}/healthz", server, log)
        status, ready = readiness(port)
        assert status == 200 and ready["checks"]["worker"] == {
            "ok": True, "running": True, "restarts": 0}
        assert ready["checks"]["database"]["ok"] and ready["checks"]["migrations"]["ok"]
        [first] = worker_pids(server.pid)
        web = children(server.pid)["web"]
        os.kill(web[0], signal.SIGTERM)  # gunicorn replaces a web worker: the worker stays
        wait_for(lambda: len(set(children(server.pid)["web"]) - set(web)) == 1, 40)
        assert worker_pids(server.pid) == [first]
        os.kill(first, signal.SIGKILL)
        wait_for(lambda: readiness(port)[1]["checks"]["worker"]["restarts"] == 1, 40)
        wait_for(lambda: readiness(port)[0] == 200, 40)
        [second] = worker_pids(server.pid)
        [key] = queue_notices(database_url, 1)  # the restarted worker delivers the outbox
        wait_for(lambda: bool(queued_sent(sandbox, key)), 40)
        time.sleep(1)  # a second delivery of it would show by now
        assert len(queued_sent(sandbox, key)) == 1
    finally:
        stop(server)
    assert second != first
    lines = log.read_text()
    assert "worker exited (killed by SIGKILL" in lines or "worker exited (exit status" in lines
    assert "worker restarted (restart 1)" in lines
    assert "restart 2" not in lines  # stopping serve stops the worker for good
