"""Soak: scale-out shown. `python -m benchmarks soak [--minutes 10]`.

Two `branchlink serve` processes on two ports (two hosts behind a balancer) and two
`branchlink worker` processes share one PostgreSQL database and one Redis (the token store),
with the loopback sandbox as the platform. A mixed load runs for the given minutes: follows
through branch and manager codes, "my manager" texts, product questions, contact requests and
duplicate deliveries. Halfway, one web process and one worker get SIGKILL and are started
again. A callback not answered 200 is sent again (to the other port), as the platform would.
Then the database is checked and the counts, the rate and p99 before, during and after the
kills are printed.
"""

import argparse
import itertools
import os
import random
import signal
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import psycopg
import redis
import requests

from benchmarks.support import serving, stop, wait_http
from benchmarks.webhook import PG_ADMIN
from bot.wechat.simulator import Platform, event_xml, text_xml

APP_ID, SECRET, TOKEN = "wx50a50a50a50a50a5", "soak-secret", "soaktoken"
DB = os.environ.get("BRANCHLINK_BENCH_DB", "branchlink_bench") + "_soak"
REDIS_URL = "redis://127.0.0.1:6379/13"
SANDBOX_PORT, WEB_PORTS, THREADS = 18091, (18092, 18093), 6
DURING_SECONDS, RESTART_AFTER = 20.0, 3.0
MIX = ["follow_branch"] * 3 + ["follow_manager", "text", "text", "product", "contact",
                                "duplicate", "duplicate"]


@dataclass
class Sent:
    """What the load generator saw: one row per accepted callback, and every first reply."""

    rows: list[tuple[float, float]] = field(default_factory=list)  # (at, seconds)
    replies: dict[str, str] = field(default_factory=dict)  # xml -> first reply
    accepted: list[str] = field(default_factory=list)  # the same xml, to pick duplicates from
    differing: int = 0
    retries: int = 0
    followers: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)


def main(argv: list[str]) -> None:
    """Run the soak for --minutes (default 10) and print its figures and checks."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks soak")
    parser.add_argument("--minutes", type=float, default=10.0)
    minutes = parser.parse_args(argv).minutes
    url = _fresh_database()
    redis.Redis.from_url(REDIS_URL).flushdb()  # this run's own Redis database
    with tempfile.TemporaryDirectory() as name, serving(
            [sys.executable, "-m", "bot.cli", "sandbox", "--port", str(SANDBOX_PORT),
             "--app-id", APP_ID, "--everyone-follows"],
            f"http://127.0.0.1:{SANDBOX_PORT}/_sandbox/requests",
            {"BRANCHLINK_SANDBOX_APP_SECRET": SECRET}):
        config = _config(Path(name), url)
        _branchlink(config, "db", "upgrade")
        _branchlink(config, "demo", "seed")
        print(f"soak: {minutes:g} min, 2 web x 2 gunicorn workers, 2 workers, PostgreSQL, "
              f"Redis, {THREADS} senders, {os.cpu_count()} cores, load {os.getloadavg()[0]:.1f}")
        sent, kill_at = _run(config, Path(name), minutes * 60)
        _report(sent, kill_at)
        _checks(sent)


def _run(config: Path, folder: Path, seconds: float) -> tuple[Sent, float]:
    webs = [_web(config, folder, port) for port in WEB_PORTS]
    workers = [_worker(config, folder) for _ in range(2)]
    sent, start = Sent(), time.time()
    stop_at, kill_at = start + seconds, start + seconds / 2
    senders = [threading.Thread(target=_send_loop, args=(n, sent, stop_at)) for n in
               range(THREADS)]
    try:
        for sender in senders:
            sender.start()
        time.sleep(max(kill_at - time.time(), 0))
        for process in (webs[0], workers[0]):
            os.killpg(process.pid, signal.SIGKILL)
        time.sleep(RESTART_AFTER)
        webs[0], workers[0] = _web(config, folder, WEB_PORTS[0], wait=False), _worker(config,
                                                                                   folder)
        for sender in senders:
            sender.join()
        _wait_drained()
    finally:
        for process in webs + workers:
            stop(process)
    return sent, kill_at


def _send_loop(n: int, sent: Sent, stop_at: float) -> None:
    platform, rng, counter = Platform(TOKEN), random.Random(n), itertools.count()
    with requests.Session() as session:
        while time.time() < stop_at:
            xml = _message(n, next(counter), rng, sent)
            if xml is not None:
                _deliver(platform, session, n, xml, sent)


def _message(n: int, i: int, rng: random.Random, sent: Sent) -> str | None:
    kind = rng.choice(MIX)
    if kind.startswith("follow") or not sent.followers:
        openid = f"soak-{n}-{i:07d}"
        scene = "b:SH001" if kind == "follow_branch" else "m:SH001-02"
        with sent.lock:
            sent.followers.append(openid)
        return event_xml(openid, "subscribe", f"qrscene_{scene}")
    if kind == "duplicate":
        with sent.lock:
            return rng.choice(sent.accepted) if sent.accepted else None
    openid = rng.choice(sent.followers)
    content = {"text": "我的客户经理", "product": "稳盈90天理财", "contact": "预约"}[kind]
    return text_xml(openid, content, msg_id=int(time.time() * 1e6) * 100 + n)


def _deliver(platform: Platform, session: requests.Session, n: int, xml: str,
             sent: Sent) -> None:
    for attempt in range(40):  # the platform retries; the balancer picks a live host
        port = WEB_PORTS[(n + attempt) % 2]
        started = time.time()
        try:
            reply = platform.post(f"http://127.0.0.1:{port}/wechat", xml, session=session,
                                  timeout=5)
        except requests.RequestException:
            reply = None
        if reply is not None and reply.status_code == 200:
            _record(sent, xml, reply.text, started)
            return
        with sent.lock:
            sent.retries += 1
        time.sleep(0.05)
    sys.exit("a callback was refused 40 times")


def _record(sent: Sent, xml: str, reply: str, started: float) -> None:
    with sent.lock:
        sent.rows.append((started, time.time() - started))
        first = sent.replies.setdefault(xml, reply)
        if first is reply:
            sent.accepted.append(xml)
        sent.differing += first != reply


def _report(sent: Sent, kill_at: float) -> None:
    phases = {"before": (0.0, kill_at), "during": (kill_at, kill_at + DURING_SECONDS),
              "after": (kill_at + DURING_SECONDS, float("inf"))}
    start = min(at for at, _ in sent.rows)
    end = max(at for at, _ in sent.rows)
    print(f"{'phase':<8}{'accepted':>9}{'req/s':>8}{'p50 ms':>8}{'p99 ms':>8}")
    for phase, (low, high) in phases.items():
        rows = sorted(s for at, s in sent.rows if max(low, start) <= at < high)
        span = min(high, end) - max(low, start)
        if rows and span > 0:
            p50, p99 = rows[len(rows) // 2], rows[max(int(len(rows) * 0.99) - 1, 0)]
            print(f"{phase:<8}{len(rows):>9}{len(rows) / span:>8.0f}{p50 * 1000:>8.1f}"
                  f"{p99 * 1000:>8.1f}")
    print(f"sent again after no answer or an error: {sent.retries}")


def _checks(sent: Sent) -> None:
    with psycopg.connect(_plain(DB)) as connection:
        one = lambda sql: connection.execute(sql).fetchone()[0]  # noqa: E731
        figures = {
            "distinct callbacks accepted": len(sent.replies),
            "deliveries recorded": one("SELECT count(*) FROM inbound_deliveries"),
            "deliveries without a stored reply": one(
                "SELECT count(*) FROM inbound_deliveries WHERE reply IS NULL"),
            "exchanges not yet on the timelines": one(
                "SELECT count(*) FROM inbound_deliveries WHERE deferred IS NOT NULL"),
            "replies differing between retries": sent.differing,
            "followers sent": len(sent.followers),
            "followers linked": one("SELECT count(DISTINCT customer_id) FROM manager_links"),
            "followers with more than one link": one(
                "SELECT count(*) FROM (SELECT customer_id FROM manager_links GROUP BY "
                "customer_id HAVING count(*) > 1) AS twice"),
            "new-customer notices": one("SELECT count(*) FROM notices WHERE key LIKE 'link:%'"),
            "notices not sent": one("SELECT count(*) FROM notices WHERE status NOT IN "
                                    "('sent', 'delivered')"),
            "notices unknown (worker killed mid-send)": one(
                "SELECT count(*) FROM notices WHERE status = 'unknown'"),
            "notices sent": one("SELECT count(*) FROM notices WHERE status IN "
                                "('sent', 'delivered')"),
            "sends the platform accepted": len(_template_sends()),
            "notices the platform got twice": _sent_twice(),
        }
    for name, value in figures.items():
        print(f"{name:<44}{value:>8}")


def _template_sends() -> list[dict[str, object]]:
    rows = requests.get(f"http://127.0.0.1:{SANDBOX_PORT}/_sandbox/requests",
                        params={"path": "/cgi-bin/message/template/send"}, timeout=30).json()
    return [row for row in rows if row.get("status", 200) == 200]


def _sent_twice() -> int:
    keys = [row["json"].get("client_msg_id") for row in _template_sends()]  # type: ignore[union-attr]
    return len(keys) - len(set(keys))


def _wait_drained() -> None:
    deadline = time.monotonic() + 120
    with psycopg.connect(_plain(DB), autocommit=True) as connection:
        while time.monotonic() < deadline:
            left = connection.execute(
                "SELECT (SELECT count(*) FROM notices WHERE status IN ('pending', 'sending'))"
                " + (SELECT count(*) FROM inbound_deliveries WHERE deferred IS NOT NULL)"
            ).fetchone()
            if left is not None and left[0] == 0:
                return
            time.sleep(0.5)
    print("the outbox and the timelines did not drain within 120 s")


def _web(config: Path, folder: Path, port: int, wait: bool = True) -> subprocess.Popen[bytes]:
    log = (folder / f"web{port}.log").open("ab")
    spool = {"BRANCHLINK_WEBHOOK_SPOOL_DIR": str(folder / f"spool{port}")}  # one per host
    process = subprocess.Popen([sys.executable, "-m", "bot.cli", "--config", str(config),
                                "serve", "--bind", f"127.0.0.1:{port}"],
                               stdout=log, stderr=log, start_new_session=True,
                               env={**os.environ, **spool})
    if wait:
        wait_http(f"http://127.0.0.1:{port}/healthz")
    return process


def _worker(config: Path, folder: Path) -> subprocess.Popen[bytes]:
    log = (folder / "workers.log").open("ab")
    return subprocess.Popen([sys.executable, "-m", "bot.cli", "--config", str(config), "worker"],
                            stdout=log, stderr=log, start_new_session=True)


def _fresh_database() -> str:
    with psycopg.connect(PG_ADMIN, autocommit=True, connect_timeout=3) as connection:
        connection.execute(f"DROP DATABASE IF EXISTS {DB}")
        connection.execute(f"CREATE DATABASE {DB}")
    return f"postgresql+psycopg://postgres@127.0.0.1:5432/{DB}"


def _plain(name: str) -> str:
    return f"postgresql://postgres@127.0.0.1:5432/{name}"


def _config(folder: Path, url: str) -> Path:
    path = folder / "soak.toml"
    path.write_text(f'[wechat]\napp_id = "{APP_ID}"\ntoken = "{TOKEN}"\n'
                    f'app_secret = "{SECRET}"\n'
                    f'api_base_url = "http://127.0.0.1:{SANDBOX_PORT}"\n'
                    f'[token_store]\nbackend = "redis"\nredis_url = "{REDIS_URL}"\n'
                    f'[web]\nsecret_key = "{"s" * 32}"\n[database]\nurl = "{url}"\n'
                    f'[webhook]\nspool_dir = "{folder}/spool"\n'
                    f"[server]\nworkers = 2\nthreads = 4\nembedded_worker = false\n"
                    f'[notifications]\nnew_customer_template = "TPL_NEW"\n'
                    f'new_lead_template = "TPL_LEAD"\n')
    return path


def _branchlink(config: Path, *args: str) -> None:
    subprocess.run([sys.executable, "-m", "bot.cli", "--config", str(config), *args],
                   check=True, capture_output=True)
