"""End to end through real processes: server, worker and the WeChat sandbox on loopback."""

import os
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from bot.cli.demo import demo_manager_openid
from bot.wechat.simulator import Platform
from crm_core import services
from crm_core.db import make_engine, make_session_factory
from crm_core.model import NoticeKind, utcnow
from crm_core.unit_of_work import SqlUnitOfWork
from tests.builders import subscribe_xml
from tests.conftest import AES_KEY, TOKEN, WEB_SECRET
from tests.e2e.test_serve_and_simulate import _wait_healthy, branchlink, free_port
from tests.sandbox_support import TEMPLATE_SEND, SandboxHandle, running_sandbox

pytestmark = pytest.mark.slow
MANAGER = "SH002-01"
SENDERS = 2  # each of a worker's senders has one send in flight at most


@pytest.fixture
def sandbox() -> Iterator[SandboxHandle]:
    with running_sandbox(everyone_follows=True) as handle:
        yield handle


def write_config(path: Path, database_url: str, sandbox: SandboxHandle, port: int,
                 read_timeout: float = 0.5, **outbox: Any) -> Path:
    tuning = "\n".join(f"{key} = {value}" for key, value in outbox.items())
    path.write_text(f"""
[wechat]
app_id = "{sandbox.app_id}"
token = "{TOKEN}"
encoding_aes_key = "{AES_KEY}"
app_secret = "{sandbox.app_secret}"
api_base_url = "{sandbox.base_url}"
read_timeout = {read_timeout}
[web]
secret_key = "{WEB_SECRET}"
[database]
url = "{database_url}"
[webhook]
spool_dir = "{path.parent / 'spool'}"
[server]
bind = "127.0.0.1:{port}"
workers = 2
spool_replay_seconds = 1
[outbox]
poll_seconds = 0.2
backoff_base_seconds = 0.2
quota_pause_seconds = 1.0
{tuning}
[notifications]
new_customer_template = "TPL_NEW_CUSTOMER"
""")
    return path


def start(config: Path, command: str, log: Path) -> subprocess.Popen[bytes]:
    with log.open("ab") as sink:
        return subprocess.Popen([sys.executable, "-m", "bot.cli", "--config", str(config),
                                 command], start_new_session=True, stdout=sink, stderr=sink)


def stop(process: subprocess.Popen[bytes], sig: int = signal.SIGTERM) -> None:
    os.killpg(process.pid, sig)
    process.wait(timeout=20)


def wait_for(condition: Callable[[], bool], timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail("condition not reached in time")
        time.sleep(0.1)


def notice_statuses(database_url: str) -> list[str]:
    engine = make_engine(database_url)
    with SqlUnitOfWork(make_session_factory(engine)) as uow:
        rows = services.list_notices(uow, None, 10_000)
    engine.dispose()
    return [row["status"] for row in rows]


def test_follow_delivered_four_times_through_faults_reaches_the_manager_exactly_once(
        database_url: str, tmp_path: Path, sandbox: SandboxHandle) -> None:
    port = free_port()
    config = write_config(tmp_path / "b.toml", database_url, sandbox, port)
    assert branchlink(config, "demo", "seed").returncode == 0
    server = start(config, "serve", tmp_path / "serve.log")
    try:
        _wait_healthy(f"http://127.0.0.1:{port}/healthz", server, tmp_path / "serve.log")
        # The demo's own notices (its followers, leads, referral) go out first.
        wait_for(lambda: "pending" not in notice_statuses(database_url))
        sent, inbox = (len(sandbox.requests(TEMPLATE_SEND)),
                       len(sandbox.inbox(demo_manager_openid(MANAGER))))
        sandbox.inject({"path": TEMPLATE_SEND, "errcode": 45009},
                       {"path": TEMPLATE_SEND, "errcode": -1},
                       {"path": TEMPLATE_SEND, "delay_seconds": 1.0})
        platform = Platform(TOKEN, sandbox.app_id, AES_KEY)
        xml = subscribe_xml("o-e2e-follower", f"m:{MANAGER}", at=int(time.time()))
        replies = {platform.read_reply(platform.post(f"http://127.0.0.1:{port}/wechat", xml,
                                                     "safe").text) for _ in range(4)}
        wait_for(lambda: notice_statuses(database_url).count("unknown") == 1)
        time.sleep(1.0)  # would a resend still come?
    finally:
        stop(server)
    assert len(replies) == 1 and "刘洋" in replies.pop()
    assert len(sandbox.inbox(demo_manager_openid(MANAGER))) == inbox + 1
    # 45009, -1, then the one that went out (its answer came too late: "unknown", not resent)
    assert len(sandbox.requests(TEMPLATE_SEND)) == sent + 3


def test_a_worker_killed_during_slow_sends_leaves_at_most_the_sends_in_flight_uncertain(
        database_url: str, tmp_path: Path, sandbox: SandboxHandle) -> None:
    # A read timeout well above the platform's delay: on a loaded machine a slow answer must
    # not pass for a lost one (only the kill may leave a send uncertain).
    config = write_config(tmp_path / "b.toml", database_url, sandbox, free_port(),
                          read_timeout=5.0, batch_size=25, claim_seconds=10.0, senders=SENDERS)
    assert branchlink(config, "demo", "seed").returncode == 0
    keys = queue_notices(database_url, 22)
    # The platform answers slowly (within the read timeout): the round is still running.
    sandbox.inject({"path": TEMPLATE_SEND, "delay_seconds": 0.3, "times": 1000})
    worker = start(config, "worker", tmp_path / "worker.log")
    wait_for(lambda: len(sandbox.requests(TEMPLATE_SEND)) >= 3)
    stop(worker, signal.SIGKILL)
    restarted = start(config, "worker", tmp_path / "worker.log")
    try:
        wait_for(lambda: not {"pending", "sending"} & set(notice_states(database_url).values()),
                 40)
    finally:
        stop(restarted)
    states = notice_states(database_url)
    sent = Counter(r["json"]["data"]["thing1"]["value"] for r in sandbox.requests(TEMPLATE_SEND))
    uncertain = [key for key in keys if states[key] == "unknown"]
    assert len(uncertain) <= SENDERS  # only the sends the kill interrupted, one per sender
    assert all(states[key] in ("sent", "delivered") and sent[key] == 1
               for key in keys if key not in uncertain)
    assert set(sent.values()) == {1}  # nothing went out twice, the uncertain one included


def queue_notices(database_url: str, count: int) -> list[str]:
    keys = [f"e2e:{i}" for i in range(count)]
    engine = make_engine(database_url)
    with SqlUnitOfWork(make_session_factory(engine)) as uow:
        manager = uow.managers.by_code(MANAGER)
        assert manager is not None
        for key in keys:
            services.enqueue_notice(uow, key, NoticeKind.NEW_CUSTOMER, manager,
                                    {"customer": key, "source": "direct",
                                     "at": "2026-11-28T01:00:00"}, utcnow())
        uow.commit()
    engine.dispose()
    return keys


def notice_states(database_url: str) -> dict[str, str]:
    engine = make_engine(database_url)
    with SqlUnitOfWork(make_session_factory(engine)) as uow:
        states = {notice.key: notice.status.value for notice in uow.notices.listing(None, 10_000)}
    engine.dispose()
    return states
