"""Outbox delivery rate and notice latency against the loopback WeChat sandbox.

Floor: a bare loop of wechatpy template sends to the same sandbox. Full: `branchlink worker`
processes (1, then 2) draining a backlog of notices from SQLite (or PostgreSQL with
`--database postgresql`). Latency: notices committed at a steady rate while one worker runs;
from commit to the sandbox receiving the send.

While the workers run, the benchmark watches the database (a plain read) for the notices
to be done, not the sandbox: its request log, read in full, would slow the sandbox down for
the workers and not for the floor. The log is read once at the end for the send times.
"""

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import requests
from sqlalchemy import create_engine, text
from wechatpy import WeChatClient

from benchmarks.support import fresh_database, serving, stop
from crm_core import services
from crm_core.db import make_engine, make_session_factory, upgrade
from crm_core.model import NoticeKind, utcnow
from crm_core.unit_of_work import SqlUnitOfWork

APP_ID, SECRET, PORT = "wx0123456789abcdef", "bench-secret", 18081
SANDBOX = f"http://127.0.0.1:{PORT}"
RATE, STEADY_SECONDS = 20, 10
MANAGER = "SH001-01"
POSTGRESQL = "postgresql+psycopg://postgres@127.0.0.1:5432/{name}"


def main(argv: list[str] | None = None) -> None:
    """Print the floor, 1 and 2 workers, and the latency under a steady trickle."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks outbox")
    parser.add_argument("--database", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--backlog", type=int, default=400)
    options = parser.parse_args(argv if argv is not None else [])
    database, backlog = options.database, options.backlog
    with tempfile.TemporaryDirectory() as name, serving(
            [sys.executable, "-m", "bot.cli", "sandbox", "--port", str(PORT), "--app-id", APP_ID,
             "--everyone-follows"], f"{SANDBOX}/_sandbox/requests",
            {"BRANCHLINK_SANDBOX_APP_SECRET": SECRET}):
        folder = Path(name)
        floor = _floor(backlog)
        print(f"outbox benchmark: {backlog} notices, {database}, sandbox on loopback, "
              f"{os.cpu_count()} cores")
        print(f"{'target':<22}{'sends/s':>9}{'ratio':>8}")
        print(f"{'floor (wechatpy loop)':<22}{floor:>9.0f}{1.0:>8.2f}")
        for workers in (1, 2):
            rate = _drain(_setup(folder / f"w{workers}", database), workers, backlog)
            print(f"{f'outbox, {workers} worker(s)':<22}{rate:>9.0f}{rate / floor:>8.2f}")
        p50, p99 = _latency(_setup(folder / "latency", database))
        print(f"latency commit→send at {RATE}/s for {STEADY_SECONDS}s, 1 worker: "
              f"p50 {p50 * 1000:.0f} ms, p99 {p99 * 1000:.0f} ms")


def _floor(backlog: int) -> float:
    token = requests.post(f"{SANDBOX}/cgi-bin/stable_token", timeout=5, json={
        "grant_type": "client_credential", "appid": APP_ID, "secret": SECRET}).json()
    client = WeChatClient(APP_ID, SECRET, access_token=token["access_token"], timeout=5)
    client.API_BASE_URL = f"{SANDBOX}/cgi-bin/"
    openid = "o" + "f" * 27
    start = time.perf_counter()
    for i in range(backlog):
        client.message.send_template(openid, "TPL", {"thing1": {"value": f"c{i}"}})
    return backlog / (time.perf_counter() - start)


def _drain(setup: tuple[Path, str], workers: int, backlog: int) -> float:
    config, url = setup
    _reset()
    _enqueue(url, backlog, "backlog")
    processes = [_start_worker(config) for _ in range(workers)]
    try:
        times = _wait_sends(url, backlog, "backlog")
    finally:
        for process in processes:
            stop(process)
    return (backlog - 1) / (times[-1] - times[0])


def _latency(setup: tuple[Path, str]) -> tuple[float, float]:
    config, url = setup
    _reset()
    worker = _start_worker(config)
    try:
        time.sleep(3)  # let the worker start and take the leader lease
        committed = {}
        for i in range(RATE * STEADY_SECONDS):
            committed[_enqueue(url, 1, f"steady-{i}")[0]] = time.time()
            time.sleep(1 / RATE)
        _wait_sends(url, len(committed), "steady")
    finally:
        stop(worker)
    sent = {r["json"]["data"]["thing1"]["value"]: r["time"] for r in _requests("steady")}
    delays = sorted(sent[key] - at for key, at in committed.items())
    return statistics.median(delays), delays[int(len(delays) * 0.99) - 1]


def _setup(folder: Path, database: str) -> tuple[Path, str]:
    folder.mkdir()
    url = f"sqlite:///{folder}/bench.db"
    if database == "postgresql":
        fresh_database(f"bench_outbox_{folder.name}")
        url = POSTGRESQL.format(name=f"bench_outbox_{folder.name}")
    config = folder / "bench.toml"
    config.write_text(f'[wechat]\napp_id = "{APP_ID}"\ntoken = "benchtoken"\n'
                      f'app_secret = "{SECRET}"\napi_base_url = "{SANDBOX}"\n'
                      f'[web]\nsecret_key = "{"b" * 32}"\n'
                      f'[database]\nurl = "{url}"\n[webhook]\nspool_dir = "{folder}/spool"\n'
                      f'[notifications]\nnew_customer_template = "TPL"\n'
                      f'new_customer_fields = "thing1,thing2,time3"\n')
    if database == "sqlite":
        upgrade(url)
    subprocess.run([sys.executable, "-m", "bot.cli", "--config", str(config), "demo", "seed"],
                   check=True, capture_output=True)
    return config, url


def _enqueue(url: str, count: int, prefix: str) -> list[str]:
    engine = make_engine(url)
    keys = [f"{prefix}-{i}" for i in range(count)]
    with SqlUnitOfWork(make_session_factory(engine)) as uow:
        manager = uow.managers.by_code(MANAGER)
        if manager is None:
            sys.exit(f"demo manager {MANAGER} is missing")
        for key in keys:
            services.enqueue_notice(uow, key, NoticeKind.NEW_CUSTOMER, manager,
                                    {"customer": key, "source": "direct",
                                     "at": datetime.now(UTC).replace(tzinfo=None).isoformat()},
                                    utcnow())
        uow.commit()
    engine.dispose()
    return keys


def _start_worker(config: Path) -> subprocess.Popen[bytes]:
    log = (config.parent / "worker.log").open("ab")
    return subprocess.Popen([sys.executable, "-m", "bot.cli", "--config", str(config), "worker"],
                            stdout=log, stderr=log, start_new_session=True)


def _wait_sends(url: str, count: int, prefix: str) -> list[float]:
    """Wait until the workers are done with our notices; return the sandbox's send times."""
    engine = create_engine(url)  # plain reads: no writer lock, no write transaction
    done = text("SELECT count(*) FROM notices WHERE key LIKE :prefix "
                "AND status NOT IN ('pending', 'sending')")
    deadline = time.monotonic() + 300
    try:
        while time.monotonic() < deadline:
            with engine.connect() as connection:
                if connection.execute(done, {"prefix": f"{prefix}-%"}).scalar_one() >= count:
                    break
            time.sleep(0.2)
    finally:
        engine.dispose()
    times = sorted(r["time"] for r in _requests(prefix))
    if len(times) < count:
        sys.exit(f"only {len(times)} of {count} notices were sent")
    return times


def _requests(prefix: str) -> list[dict[str, Any]]:
    """The template sends the sandbox accepted for our notices (not the demo's own)."""
    rows = requests.get(f"{SANDBOX}/_sandbox/requests",
                        params={"path": "/cgi-bin/message/template/send"}, timeout=10).json()
    return [row for row in rows if row.get("status", 200) == 200
            and row["json"]["data"]["thing1"]["value"].startswith(prefix)]


def _reset() -> None:
    requests.post(f"{SANDBOX}/_sandbox/reset", timeout=5)
