"""Console pages at scale on PostgreSQL: 200,000 customers and 1,000,000 interactions in a branch.

Measures the JSON API's lead list and customer search for a branch head and a manager (p50/p99
over repeated requests, in-process through the full app), side by side with the bare SQL of
the same query (the floor), and prints the PostgreSQL plans of those queries.
"""

import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from tempfile import TemporaryDirectory

import psycopg
from sqlalchemy import text
from sqlalchemy.dialects import postgresql

from bot import create_app
from bot.config import settings_from_dict
from bot.web.staff_auth import hash_password
from crm_core import services
from crm_core.db import upgrade
from crm_core.model import LeadStatus, Scope, StaffRole, utcnow
from crm_core.queries.console import SqlConsole

ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/postgres"
URL = "postgresql+psycopg://postgres@127.0.0.1:5432/branchlink_console_bench"
CUSTOMERS, INTERACTIONS, MANAGERS, RUNS = 200_000, 1_000_000, 50, 60
LOAD = [
    "INSERT INTO branches (code, name, rr_counter, created_at) "
    "VALUES ('BIG', '大型支行', 0, now())",
    f"""INSERT INTO managers (code, name, title, role, state, branch_id, is_branch_head, created_at)
        SELECT 'BIG-' || lpad(g::text, 3, '0'), '经理' || g, '客户经理', 'retail', 'active', b.id,
               g = 1, now() FROM generate_series(1, {MANAGERS}) g, branches b""",
    f"""INSERT INTO customers (openid, follow_state, first_touch_at, first_touch_source,
                               last_touch_at, home_branch_id, display_name, phone_last4)
        SELECT 'o' || lpad(g::text, 27, '0'), 'following', now() - g * interval '1 minute',
               'b:BIG', now() - (g % 100000) * interval '1 second', b.id, '客户' || g,
               lpad((g % 10000)::text, 4, '0')
        FROM generate_series(1, {CUSTOMERS}) g, branches b""",
    f"""WITH m AS (SELECT id, row_number() OVER (ORDER BY id) - 1 AS k FROM managers)
        INSERT INTO manager_links (customer_id, manager_id, source, reason, started_at)
        SELECT c.id, m.id, 'b:BIG', 'first_touch', c.first_touch_at
        FROM customers c JOIN m ON m.k = c.id % {MANAGERS}""",
    f"""INSERT INTO interactions (customer_id, channel, direction, kind, summary, occurred_at)
        SELECT (SELECT min(id) FROM customers) + g % {CUSTOMERS}, 'wechat', 'in', 'text',
               '文字：你好', now() - g * interval '1 second'
        FROM generate_series(1, {INTERACTIONS}) g""",
    """INSERT INTO leads (customer_id, manager_id, branch_id, source, status, created_at, due_at)
       SELECT c.id, l.manager_id, c.home_branch_id, 'contact_request',
              CASE WHEN c.id % 4 = 0 THEN 'new' ELSE 'converted' END, now() - interval '1 day',
              now() - interval '1 day' + (c.id % 48) * interval '1 hour'
       FROM customers c JOIN manager_links l ON l.customer_id = c.id WHERE c.id % 10 = 0""",
    "ANALYZE",
]


def main() -> None:
    """Load the data set, then time pages and bare queries and print the plans."""
    try:
        _fresh_database()
    except psycopg.OperationalError as error:
        sys.exit(f"console benchmark needs PostgreSQL on 127.0.0.1:5432: {error}")
    with TemporaryDirectory() as folder:
        app = create_app(settings_from_dict({
            "wechat": {"app_id": "wx0123456789abcdef", "token": "benchtoken"},
            "web": {"secret_key": "b" * 32}, "database": {"url": URL},
            "webhook": {"spool_dir": str(Path(folder) / "spool")}}, {}))
        runtime = app.extensions["branchlink"]
        tokens = _load(runtime)
        client = app.test_client()
        print(f"console benchmark: PostgreSQL, {CUSTOMERS:,} customers, {INTERACTIONS:,} "
              f"interactions, {MANAGERS} managers in one branch; {RUNS} requests each")
        print(f"{'page':<34}{'p50 ms':>9}{'p99 ms':>9}{'sql p99':>9}{'ratio':>7}")
        head = Scope(0, "head", "head", StaffRole.BRANCH_HEAD, None, _branch_id(runtime))
        manager = Scope(0, "m", "m", StaffRole.MANAGER, _manager_id(runtime), None)
        for name, who, path, query in [
            ("branch head: open leads", "head", "/api/v1/leads",
             lambda c: c.leads(head, None, 200)),
            ("branch head: search phone 1234", "head", "/api/v1/customers?q=1234",
             lambda c: c.customers(head, "1234", 50)),
            ("branch head: search name 客户1999", "head", "/api/v1/customers?q=客户1999",
             lambda c: c.customers(head, "客户1999", 50)),
            ("branch head: latest customers", "head", "/api/v1/customers",
             lambda c: c.customers(head, "", 50)),
            ("manager: open leads", "m", "/api/v1/leads",
             lambda c: c.leads(manager, LeadStatus.NEW, 200)),
            ("manager: latest customers", "m", "/api/v1/customers",
             lambda c: c.customers(manager, "", 50)),
        ]:
            auth = {"Authorization": f"Bearer {tokens[who]}"}
            page = _time(lambda p=path, h=auth: client.get(p, headers=h))  # type: ignore[misc]
            bare = _time(lambda q=query: _run_sql(runtime, q))  # type: ignore[misc]
            print(f"{name:<34}{page[0]:>9.1f}{page[1]:>9.1f}{bare[1]:>9.1f}"
                  f"{page[1] / bare[1]:>7.1f}")
        _plans(runtime, head)
        runtime.engine.dispose()


def _fresh_database() -> None:
    with psycopg.connect(ADMIN_URL, autocommit=True, connect_timeout=3) as connection:
        connection.execute("DROP DATABASE IF EXISTS branchlink_console_bench")
        connection.execute("CREATE DATABASE branchlink_console_bench")
    upgrade(URL)


def _load(runtime) -> dict[str, str]:  # type: ignore[no-untyped-def]
    started = time.perf_counter()
    with runtime.engine.begin() as connection:
        for statement in LOAD[:-1]:
            connection.execute(text(statement))
    with runtime.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.execute(text(LOAD[-1]))
    now = utcnow()
    with runtime.uow() as uow:
        services.add_staff(uow, "head", "负责人", hash_password("benchmark-pass"),
                           StaffRole.BRANCH_HEAD, None, "BIG", "bench", now)
        services.add_staff(uow, "m", "经理", hash_password("benchmark-pass"), StaffRole.MANAGER,
                           "BIG-001", None, "bench", now)
        tokens = {who: services.issue_api_token(uow, who, "bench", now, "bench")
                  for who in ("head", "m")}
        uow.commit()
    print(f"loaded in {time.perf_counter() - started:.0f} s")
    return tokens


def _time(call: Callable[[], object]) -> tuple[float, float]:
    samples = []
    for _ in range(RUNS):
        started = time.perf_counter()
        call()
        samples.append((time.perf_counter() - started) * 1000)
    samples.sort()
    return statistics.median(samples), samples[int(len(samples) * 0.99) - 1]


def _run_sql(runtime, query) -> None:  # type: ignore[no-untyped-def]
    with runtime.uow() as uow:
        query(SqlConsole(uow.session))


def _branch_id(runtime) -> int:  # type: ignore[no-untyped-def]
    with runtime.engine.connect() as connection:
        return int(connection.scalar(text("SELECT id FROM branches WHERE code = 'BIG'")))


def _manager_id(runtime) -> int:  # type: ignore[no-untyped-def]
    with runtime.engine.connect() as connection:
        return int(connection.scalar(text("SELECT id FROM managers WHERE code = 'BIG-001'")))


def _plans(runtime, head: Scope) -> None:  # type: ignore[no-untyped-def]
    captured: list[str] = []
    with runtime.uow() as uow:
        console = SqlConsole(uow.session)
        for statement in (console.leads_statement(head, None, 200),
                          console.customers_statement(head, "1234", 50),
                          console.customers_statement(head, "", 50)):
            sql = str(statement.compile(dialect=postgresql.dialect(),
                                        compile_kwargs={"literal_binds": True}))
            plan = uow.session.execute(text("EXPLAIN ANALYZE " + sql)).scalars().all()
            captured.append(sql.splitlines()[0][:80] + " ...\n  " + "\n  ".join(plan))
    print("\nplans (EXPLAIN ANALYZE):\n" + "\n\n".join(captured))
