"""Home pages at scale on PostgreSQL: 1,000,000 customers, 5,000,000 interactions, 41 branches
(200,000 customers and 50 managers in the branch viewed).

Times the figures' refresh (the worker's job) and each role's home page (p50/p99 over repeated
requests, in-process through the full app, logged in through the form), and prints the plans
of the pages' queries and of the refresh.
"""

import os
import re
import statistics
import sys
import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from tempfile import TemporaryDirectory
from typing import Any

import psycopg
from flask.testing import FlaskClient
from sqlalchemy import TextClause, text
from sqlalchemy.dialects import postgresql
from sqlalchemy.orm import Session, sessionmaker

from bot import create_app
from bot.config import settings_from_dict
from bot.web.staff_auth import hash_password
from bot.worker import jobs
from crm_core import services
from crm_core.db import Timeouts, make_engine, make_session_factory, upgrade
from crm_core.model import StaffRole, utcnow
from crm_core.queries.figures import branch_statement, manager_statement, network_statement
from crm_core.queries.workbench import SqlWorkbench
from crm_core.services.home import DUE_SHOWN, NEWCOMERS_SHOWN
from crm_core.unit_of_work import SqlUnitOfWork

ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/postgres"
DATABASE = "bench_homes"
URL = f"postgresql+psycopg://postgres@127.0.0.1:5432/{DATABASE}"
CUSTOMERS, BIG, INTERACTIONS, OTHER_BRANCHES, RUNS = 1_000_000, 200_000, 5_000_000, 40, 200
ZONE, PASSWORD = "Asia/Shanghai", "benchmark-pass"
LOAD = [
    "INSERT INTO branches (code, name, rr_counter, created_at)"
    " VALUES ('BIG', '大型支行', 0, now())",
    f"""INSERT INTO branches (code, name, rr_counter, created_at)
        SELECT 'B' || lpad(g::text, 2, '0'), '支行' || g, 0, now()
        FROM generate_series(1, {OTHER_BRANCHES}) g""",
    """INSERT INTO managers (code, name, title, role, state, branch_id, is_branch_head, created_at)
       SELECT b.code || '-' || lpad(g::text, 3, '0'), b.code || '经理' || g, '客户经理', 'retail',
              'active', b.id, false, now()
       FROM branches b, generate_series(1, 50) g WHERE b.code = 'BIG' OR g <= 20""",
    f"""INSERT INTO customers (openid, follow_state, followed_at, first_touch_at,
                               first_touch_source, last_touch_at, home_branch_id, display_name)
        SELECT 'o' || lpad(g::text, 27, '0'), 'following', now() - g * interval '30 second',
               now() - g * interval '1 minute', 'direct', now() - (g % 100000) * interval '1 s',
               b.id, '客户' || g
        FROM generate_series(1, {CUSTOMERS}) g JOIN branches b
          ON b.code = CASE WHEN g <= {BIG} THEN 'BIG'
                           ELSE 'B' || lpad((g % {OTHER_BRANCHES} + 1)::text, 2, '0') END""",
    """WITH m AS (SELECT id, branch_id, row_number() OVER (PARTITION BY branch_id ORDER BY id) - 1
                         AS k, count(*) OVER (PARTITION BY branch_id) AS n FROM managers)
       INSERT INTO manager_links (customer_id, manager_id, source, reason, started_at)
       SELECT c.id, m.id, 'direct', 'first_touch', c.first_touch_at
       FROM customers c JOIN m ON m.branch_id = c.home_branch_id AND m.k = c.id / 40 % m.n""",
    f"""INSERT INTO interactions (customer_id, channel, direction, kind, summary, occurred_at)
        SELECT (SELECT min(id) FROM customers) + g % {CUSTOMERS}, 'wechat', 'in', 'text',
               '文字：你好', now() - g * interval '1 second'
        FROM generate_series(1, {INTERACTIONS}) g""",
    """INSERT INTO leads (customer_id, manager_id, branch_id, source, status, created_at, due_at)
       SELECT c.id, l.manager_id, c.home_branch_id, 'contact_request',
              (ARRAY['new', 'contacted', 'converted', 'lost'])[c.id / 10 % 4 + 1],
              now() - interval '1 day', now() + (c.id % 48 - 24) * interval '1 hour'
       FROM customers c JOIN manager_links l ON l.customer_id = c.id
       WHERE (c.id + c.id / 40) % 10 = 0""",
]


def main() -> None:
    """Load the data set, refresh the figures, time the pages and print the plans."""
    reuse = os.environ.get("HOMES_BENCH_REUSE") == "1"  # keep the data set of an earlier run
    try:
        if not reuse:
            _fresh_database()
    except psycopg.OperationalError as error:
        sys.exit(f"home benchmark needs PostgreSQL on 127.0.0.1:5432: {error}")
    with TemporaryDirectory() as folder:
        app = create_app(settings_from_dict({
            "wechat": {"app_id": "wx0123456789abcdef", "token": "benchtoken"},
            "web": {"secret_key": "b" * 32}, "database": {"url": URL},
            "webhook": {"spool_dir": str(Path(folder) / "spool")}}, {}))
        runtime = app.extensions["branchlink"]
        if not reuse:
            _load(runtime)
        print(f"home benchmark: PostgreSQL, {CUSTOMERS:,} customers, {INTERACTIONS:,} "
              f"interactions, {OTHER_BRANCHES + 1} branches; {RUNS} requests each")
        sessions = make_session_factory(make_engine(URL, Timeouts(
            statement=jobs.FIGURES_STATEMENT_SECONDS)))
        refresh = _time(lambda: _refresh(sessions), 5)
        print(f"figures refresh (worker job): p50 {refresh[0]:.0f} ms, max {refresh[1]:.0f} ms")
        print(f"{'page':<40}{'p50 ms':>9}{'p99 ms':>9}")
        for name, who, path in [("manager BIG-001: /console/", "m", "/console/"),
                                ("branch head BIG: /console/", "head", "/console/"),
                                ("head office: /console/", "admin", "/console/"),
                                ("head office: /console/home/BIG", "admin", "/console/home/BIG")]:
            client = _logged_in(app.test_client(), who)
            p50, p99 = _time(lambda c=client, p=path: _get(c, p), RUNS)  # type: ignore[misc]
            print(f"{name:<40}{p50:>9.1f}{p99:>9.1f}")
        _plans(runtime)
        runtime.engine.dispose()


def _fresh_database() -> None:
    with psycopg.connect(ADMIN_URL, autocommit=True, connect_timeout=3) as connection:
        connection.execute(f"DROP DATABASE IF EXISTS {DATABASE}")
        connection.execute(f"CREATE DATABASE {DATABASE}")
    upgrade(URL)


def _load(runtime) -> None:  # type: ignore[no-untyped-def]
    # Loaded over a plain connection: the app's statement timeout is for requests, not this.
    started = time.perf_counter()
    with psycopg.connect(URL.replace("+psycopg", "")) as connection:
        for statement in LOAD:
            connection.execute(statement)
    with psycopg.connect(URL.replace("+psycopg", ""), autocommit=True) as connection:
        connection.execute("VACUUM ANALYZE")
    now = utcnow()
    with runtime.uow() as uow:
        for name, role, manager, branch in [("m", StaffRole.MANAGER, "BIG-001", None),
                                            ("head", StaffRole.BRANCH_HEAD, None, "BIG"),
                                            ("admin", StaffRole.HEAD_OFFICE, None, None)]:
            services.add_staff(uow, name, name, hash_password(PASSWORD), role, manager, branch,
                               "bench", now)
        uow.commit()
    print(f"loaded in {time.perf_counter() - started:.0f} s")


def _refresh(sessions: sessionmaker[Session]) -> None:
    # As the worker's job does: on connections with the recount's longer statement budget.
    with SqlUnitOfWork(sessions) as uow:
        services.refresh_home_figures(uow, utcnow(), ZONE)
        uow.commit()


def _logged_in(client: FlaskClient, username: str) -> FlaskClient:
    form = client.get("/console/login").text
    token = re.search(r'name="csrf_token" value="([^"]+)"', form)
    assert token is not None  # noqa: S101 - the login form always carries one
    answer = client.post("/console/login", data={"username": username, "password": PASSWORD,
                                                 "csrf_token": token.group(1)})
    assert answer.status_code == 302, answer.status_code  # noqa: S101
    return client


def _get(client: FlaskClient, path: str) -> None:
    answer = client.get(path)
    assert answer.status_code == 200, (path, answer.status_code)  # noqa: S101


def _time(call: Callable[[], object], runs: int) -> tuple[float, float]:
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        call()
        samples.append((time.perf_counter() - started) * 1000)
    samples.sort()
    return statistics.median(samples), samples[max(0, int(len(samples) * 0.99) - 1)]


def _plans(runtime) -> None:  # type: ignore[no-untyped-def]
    now = utcnow()
    until, since = services.day_end(now, ZONE), now - timedelta(days=7)
    week = services.week_start(now, ZONE)
    with runtime.uow() as uow:
        manager = uow.managers.by_code("BIG-001")
        branch = uow.branches.by_code("BIG")
        bench = SqlWorkbench(uow.session, manager.id)
        statements: list[tuple[str, Any]] = [
            ("manager: leads due", bench.due_statement(until, DUE_SHOWN)),
            ("manager: counts", bench.counts_statement(now, until, since)),
            ("manager: new customers", bench.new_customers_statement(since, NEWCOMERS_SHOWN)),
            ("branch: figures", text(
                f"SELECT * FROM branch_figures WHERE branch_id = {branch.id}")),
            ("branch: managers' load", text(
                "SELECT * FROM managers m LEFT JOIN manager_figures f ON f.manager_id = m.id "
                f"WHERE m.branch_id = {branch.id} ORDER BY m.code")),
            ("refresh: managers", manager_statement(now)),
            ("refresh: branches", branch_statement(now, week)),
            ("refresh: network", network_statement(now, week)),
        ]
        for name, statement in statements:
            sql = statement if isinstance(statement, TextClause) else text(str(
                statement.compile(dialect=postgresql.dialect(),
                                  compile_kwargs={"literal_binds": True})))
            plan = uow.session.execute(text(f"EXPLAIN (ANALYZE, BUFFERS) {sql}")).scalars().all()
            print(f"\n-- {name}\n  " + "\n  ".join(plan))
