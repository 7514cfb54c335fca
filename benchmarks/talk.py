"""Conversations at scale on PostgreSQL: the inbox over 10,000 open conversations, and a
customer's message reaching a manager's open conversation while 200 are open and polled.

`python -m benchmarks talk [--scale 0.1]`. Prints p50/p99 of
- the inbox (one page of waiting and of open conversations) for a manager, the branch's online
  service agent and head office, in-process through the full app, against a baseline measured
  in the same run: the bare page of conversation ids the inbox is cut from;
- a customer's message through the webhook into an open conversation (the callback's time),
  and the console's poll of one transcript (new messages after the last seen) while 200 open
  conversations are polled every second by 4 threads: the message is visible after at most the
  callback, one poll interval (1 s) and one poll.
"""

import argparse
import statistics
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from tempfile import TemporaryDirectory
from urllib.parse import urlencode

import psycopg
from flask import Flask
from sqlalchemy import select

from benchmarks.homes import _get, _logged_in
from benchmarks.support import fresh_database
from bot import create_app
from bot.config import settings_from_dict
from bot.web.console.talk import POLL_SECONDS
from bot.web.staff_auth import hash_password
from bot.wechat.simulator import Platform, text_xml
from crm_core import services
from crm_core.model import StaffRole, utcnow
from crm_core.model.conversations import Conversation, Presence
from crm_core.services import conversations as talk

DATABASE = "bench_talk"
URL = f"postgresql+psycopg://postgres@127.0.0.1:5432/{DATABASE}"
CONVERSATIONS, MANAGERS, MESSAGES, POLLED, RUNS = 10_000, 200, 5, 200, 200
PASSWORD, TOKEN, AES_KEY, APP_ID = "benchmark-pass", "benchtoken", "a" * 43, "wx0123456789abcdef"


def load(conversations: int) -> list[str]:
    """The SQL of the data set: one branch, its managers and customers, open conversations
    (a third waiting, the rest open) with a few messages each."""
    per = max(conversations // MANAGERS, 1)
    return [
        "INSERT INTO branches (code, name, rr_counter, created_at) VALUES ('BIG', '大型支行', 0, "
        "now())",
        f"""INSERT INTO managers (code, name, title, role, state, branch_id, is_branch_head,
                                  created_at)
            SELECT 'BIG-' || lpad(g::text, 3, '0'), '经理' || g, '客户经理', 'retail', 'active',
                   b.id, false, now() FROM branches b, generate_series(1, {MANAGERS}) g""",
        f"""INSERT INTO customers (openid, follow_state, followed_at, first_touch_at,
                                   first_touch_source, last_touch_at, home_branch_id,
                                   display_name, current_manager_id, manager_branch_id)
            SELECT 'o' || lpad(g::text, 27, '0'), 'following', now(), now(), 'direct', now(),
                   m.branch_id, '客户' || g, m.id, m.branch_id
            FROM generate_series(1, {conversations}) g
            JOIN managers m ON m.code = 'BIG-' || lpad(((g - 1) / {per} % {MANAGERS} + 1)::text,
                                                       3, '0')""",
        """INSERT INTO manager_links (customer_id, manager_id, source, reason, started_at)
           SELECT id, current_manager_id, 'direct', 'first_touch', now() FROM customers""",
        """INSERT INTO conversations (customer_id, status, source, branch_id, opened_at,
                                      last_message_at, last_customer_at)
           SELECT c.id, CASE WHEN c.id % 3 = 0 THEN 'waiting' ELSE 'open' END, 'keyword',
                  c.manager_branch_id, now() - c.id * interval '1 second',
                  now() - c.id * interval '1 second', now() - c.id * interval '1 second'
           FROM customers c""",
        f"""INSERT INTO conversation_messages (conversation_id, at, author, kind, body)
            SELECT v.id, v.opened_at + g * interval '1 second', 'customer', 'text',
                   '您好，我想咨询一下大额存单' || g
            FROM conversations v, generate_series(1, {MESSAGES}) g""",
    ]


def main(argv: list[str] | None = None) -> None:
    """Load the data set and time the inbox and the message's way to an open conversation."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks talk")
    parser.add_argument("--scale", type=float, default=1.0)
    scale = parser.parse_args(argv if argv is not None else sys.argv[2:]).scale
    conversations = max(int(CONVERSATIONS * scale), MANAGERS)
    try:
        _fresh(conversations)
    except psycopg.OperationalError as error:
        sys.exit(f"talk benchmark needs PostgreSQL on 127.0.0.1:5432: {error}")
    with TemporaryDirectory() as folder:
        app = create_app(settings_from_dict({
            "wechat": {"app_id": APP_ID, "token": TOKEN, "encoding_aes_key": AES_KEY,
                       "mode": "compatible"},
            "web": {"secret_key": "b" * 32}, "database": {"url": URL},
            "webhook": {"spool_dir": str(Path(folder) / "spool")}}, {}))
        _staff(app)
        print(f"talk benchmark: PostgreSQL, {conversations:,} open conversations, "
              f"{conversations * MESSAGES:,} messages, {MANAGERS} managers; {RUNS} runs each")
        _inbox(app)
        _message_to_inbox(app, min(POLLED, conversations))
        app.extensions["branchlink"].engine.dispose()


def _fresh(conversations: int) -> None:
    fresh_database(DATABASE)
    with psycopg.connect(URL.replace("+psycopg", "")) as connection:
        for statement in load(conversations):
            connection.execute(statement)
    with psycopg.connect(URL.replace("+psycopg", ""), autocommit=True) as connection:
        connection.execute("VACUUM ANALYZE")


def _staff(app: Flask) -> None:
    runtime, now = app.extensions["branchlink"], utcnow()
    with runtime.uow() as uow:
        for name, role, manager, branch in [("m", StaffRole.MANAGER, "BIG-001", None),
                                            ("agent", StaffRole.SERVICE, None, "BIG"),
                                            ("admin", StaffRole.HEAD_OFFICE, None, None)]:
            services.add_staff(uow, name, name, hash_password(PASSWORD), role, manager, branch,
                               "bench", now)
        uow.flush()
        account = uow.staff.by_username("m")
        assert account is not None  # noqa: S101
        talk.set_presence(uow, services.scope_of(account), Presence.ONLINE, None, now)
        uow.commit()


def _inbox(app: Flask) -> None:
    baseline_sql = select(Conversation.id).where(Conversation.status == "waiting").order_by(
        Conversation.opened_at, Conversation.id).limit(20)
    engine = app.extensions["branchlink"].engine

    def baseline() -> None:
        with engine.connect() as connection:
            connection.execute(baseline_sql).all()

    base50, base99 = _time(baseline, RUNS)
    print(f"{'baseline: a bare page of ids':<44}{base50:>8.1f}{base99:>8.1f}  (p50/p99 ms)")
    for who in ("m", "agent", "admin"):
        client = _logged_in(app.test_client(), who)
        for tab in ("waiting", "open"):
            p50, p99 = _time(lambda c=client, t=tab: _get(c, f"/console/talk?tab={t}"), RUNS)  # type: ignore[misc]
            print(f"{f'{who}: /console/talk?tab={tab}':<44}{p50:>8.1f}{p99:>8.1f}"
                  f"  ×{p99 / base99:.0f} of the baseline's p99")


def _message_to_inbox(app: Flask, polled: int) -> None:
    runtime = app.extensions["branchlink"]
    with runtime.uow() as uow:
        ids = [c.id for c in uow.session.scalars(  # type: ignore[attr-defined]
            select(Conversation).order_by(Conversation.id).limit(polled))]
    stop, polls = threading.Event(), []

    def poll_all(share: list[int]) -> None:
        client = _logged_in(app.test_client(), "admin")
        while not stop.is_set():
            round_started = time.perf_counter()
            for conversation_id in share:
                started = time.perf_counter()
                _get(client, f"/console/talk/{conversation_id}/messages?after=999999999")
                polls.append((time.perf_counter() - started) * 1000)
            stop.wait(max(0.0, POLL_SECONDS - (time.perf_counter() - round_started)))

    threads = [threading.Thread(target=poll_all, args=(ids[i::4],)) for i in range(4)]
    for thread in threads:
        thread.start()
    platform, callbacks = Platform(TOKEN, APP_ID, AES_KEY), []
    client = app.test_client()
    for n in range(RUNS):
        openid = "o" + str(n % polled + 1).rjust(27, "0")
        signed = platform.sign(text_xml(openid, f"请问利率是多少{n}"), "plain")
        started = time.perf_counter()
        answer = client.post(f"/wechat?{urlencode(signed.query)}", data=signed.body)
        assert answer.status_code == 200  # noqa: S101
        callbacks.append((time.perf_counter() - started) * 1000)
    stop.set()
    for thread in threads:
        thread.join()
    c50, c99 = _quantiles(callbacks)
    p50, p99 = _quantiles(polls)
    print(f"{'callback into an open conversation':<44}{c50:>8.1f}{c99:>8.1f}")
    print(f"{f'poll of a transcript ({polled} polled each s)':<44}{p50:>8.1f}{p99:>8.1f}")
    worst = c99 + POLL_SECONDS * 1000 + p99
    print(f"message visible in an open transcript: at most {worst:.0f} ms at p99 "
          f"(goal 2000 ms); {len(polls) / max(1, len(callbacks)):.1f} polls per callback")


def _time(call: Callable[[], None], runs: int) -> tuple[float, float]:
    for _ in range(5):
        call()
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        call()
        samples.append((time.perf_counter() - started) * 1000)
    return _quantiles(samples)


def _quantiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    return statistics.median(ordered), ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]
