"""Console pages at scale on PostgreSQL: every list page and every home page, per role.

Seeds `benchmarks/console_data.py`'s data set (1,000,000 customers, 5,000,000 interactions;
200,000 customers in the branch viewed) into its own database `bench_lists`, then requests
each page through the whole app in process (logged-in test clients) and prints p50/p99, and
the PostgreSQL plans (EXPLAIN ANALYZE) of the list queries. The database is dropped at the end.
"""

import os
import re
import secrets
import statistics
import sys
import time
from pathlib import Path
from tempfile import TemporaryDirectory
from typing import Any

import psycopg
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import text

from benchmarks import console_data
from bot import create_app
from bot.config import settings_from_dict
from bot.phone_cipher import PhoneCipher
from bot.web.staff_auth import hash_password
from crm_core import services
from crm_core.db import upgrade
from crm_core.model import Notice, Scope, StaffRole, utcnow
from crm_core.queries.customers import CUSTOMERS, CustomerFilter, customers_page_statements
from crm_core.queries.leads import LEADS, LeadFilter, leads_page_statements
from crm_core.queries.paging import capped_count, page_statements
from crm_core.queries.trails import NOTICES, notices_statement

ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/postgres"
NAME = "bench_lists"
URL = f"postgresql+psycopg://postgres@127.0.0.1:5432/{NAME}"
SECRET = "b" * 32
PASSWORD = secrets.token_urlsafe(16)
RUNS = 40
PHONE, PHONE_OWNER = "13912345678", "o" + "1000".rjust(27, "0")  # customer 1000: in BIG
GOAL_MS = 200
HOMES = {"/console/", "/console/branch"}  # the role home pages; every other page is a list
SCALE = float(os.environ.get("BRANCHLINK_BENCH_SCALE", "1"))  # < 1: a quick dry run
PAGES = {
    "manager": ["/console/", "/console/leads", "/console/leads?page=2",
                "/console/leads?status=all&sort=created&order=desc",
                "/console/customers", "/console/customers?page=5",
                f"/console/customers?q={PHONE}", "/console/customers?q=1001",
                "/console/customers?q=客户1", "/console/customers?sort=name&order=asc",
                "/console/shares"],
    "head": ["/console/", "/console/branch", "/console/leads", "/console/leads?page=10",
             "/console/leads?manager=BIG-002", "/console/leads?status=all&from=2026-01-01",
             "/console/leads?status=all&sort=created&order=desc",
             "/console/customers", "/console/customers?page=100",
             f"/console/customers?q={PHONE}", "/console/customers?q=1001",
             "/console/customers?q=客户19", "/console/customers?manager=BIG-002",
             "/console/customers?sort=followed&order=asc", "/console/customers?sort=name",
             "/console/customers?from=2026-11-01", "/console/outbox",
             "/console/outbox?status=dead", "/console/codes", "/console/products",
             "/console/shares"],
    "admin": ["/console/", "/console/branches", "/console/leads", "/console/leads?branch=BIG",
              "/console/leads?status=all&sort=created&order=desc", "/console/customers",
              "/console/customers?branch=BIG", f"/console/customers?q={PHONE}",
              "/console/customers?q=1001", "/console/audit", "/console/audit?action=login",
              "/console/audit?actor=staff7", "/console/audit?from=2026-11-30",
              "/console/outbox", "/console/staff", "/console/products", "/console/shares"],
}


def main() -> None:
    """Load the data set, time every page per role, print the plans, drop the database."""
    try:
        _admin(f"DROP DATABASE IF EXISTS {NAME}", f"CREATE DATABASE {NAME}")
    except psycopg.OperationalError as error:
        sys.exit(f"console benchmark needs PostgreSQL on 127.0.0.1:5432: {error}")
    try:
        _run()
    finally:
        _admin(f"DROP DATABASE IF EXISTS {NAME} WITH (FORCE)")


def _run() -> None:
    upgrade(URL)
    with TemporaryDirectory() as folder:
        app = create_app(settings_from_dict({
            "wechat": {"app_id": "wx0123456789abcdef", "token": "benchtoken"},
            "web": {"secret_key": SECRET}, "database": {"url": URL},
            "webhook": {"spool_dir": str(Path(folder) / "spool")}}, {}))
        runtime = app.extensions["branchlink"]
        started = time.perf_counter()
        console_data.load(URL, SCALE)
        _staff(runtime)
        print(f"console benchmark: PostgreSQL, {int(console_data.CUSTOMERS * SCALE):,} "
              f"customers, {int(console_data.INTERACTIONS * SCALE):,} interactions (a fifth "
              f"of the customers in the branch viewed); loaded in "
              f"{time.perf_counter() - started:.0f} s; {RUNS} requests per page after one warm-up")
        worst = _measure(app)
        _plans(runtime)
        runtime.engine.dispose()
    for kind, p99 in worst.items():
        verdict = "met" if p99 < GOAL_MS else "NOT met"
        print(f"\nworst p99 of the {kind}: {p99:.1f} ms; goal (p99 < {GOAL_MS} ms): {verdict}")


def _admin(*statements: str) -> None:
    with psycopg.connect(ADMIN_URL, autocommit=True, connect_timeout=3) as connection:
        for statement in statements:
            connection.execute(statement)


def _staff(runtime: Any) -> None:
    cipher = PhoneCipher(SECRET)
    sealed = cipher.seal(PHONE)
    console_data.set_phone(runtime.engine, PHONE_OWNER, sealed.last4, sealed.digest,
                           sealed.cipher)
    now = utcnow()
    with runtime.uow() as uow:
        for name, role, manager, branch in (("manager", StaffRole.MANAGER, "BIG-001", None),
                                            ("head", StaffRole.BRANCH_HEAD, None, "BIG"),
                                            ("admin", StaffRole.HEAD_OFFICE, None, None)):
            services.add_staff(uow, name, name, hash_password(PASSWORD), role, manager,
                               branch, "bench", now)
        uow.commit()


def _login(app: Flask, username: str) -> FlaskClient:
    client = app.test_client()
    form = client.get("/console/login").text
    token = re.search(r'name="csrf_token" value="([^"]+)"', form)
    assert token is not None  # noqa: S101 - the login form carries its token
    client.post("/console/login", data={"username": username, "password": PASSWORD,
                                        "csrf_token": token.group(1)})
    return client


def _measure(app: Flask) -> dict[str, float]:
    print(f"\n{'role':<8}{'page':<52}{'p50 ms':>9}{'p99 ms':>9}  status")
    worst = {"list pages": 0.0, "home pages": 0.0}
    for role, paths in PAGES.items():
        client = _login(app, role)
        for path in paths:
            p50, p99, status = _time(client, path)
            kind = "home pages" if path in HOMES else "list pages"
            worst[kind] = max(worst[kind], p99)
            print(f"{role:<8}{path:<52}{p50:>9.1f}{p99:>9.1f}  {status}")
    return worst


def _time(client: FlaskClient, path: str) -> tuple[float, float, int]:
    status = client.get(path, follow_redirects=True).status_code  # warm-up
    samples = []
    for _ in range(RUNS):
        started = time.perf_counter()
        client.get(path, follow_redirects=True)
        samples.append((time.perf_counter() - started) * 1000)
    samples.sort()
    return statistics.median(samples), samples[int(len(samples) * 0.99) - 1], status


def _plans(runtime: Any) -> None:
    branch, manager = _id(runtime, "branches", "BIG"), _id(runtime, "managers", "BIG-001")
    head = Scope(0, "head", "head", StaffRole.BRANCH_HEAD, None, branch)
    own = Scope(0, "m", "m", StaffRole.MANAGER, manager, None)
    admin = Scope(0, "a", "a", StaffRole.HEAD_OFFICE, None, None)
    digests = PhoneCipher(SECRET).search_digests(PHONE)
    first = LEADS.request({})
    touched = CUSTOMERS.request({})
    cases = [
        ("branch head: open leads, due first", leads_page_statements(head, LeadFilter(), first)),
        ("manager: open leads, due first", leads_page_statements(own, LeadFilter(), first)),
        ("head office: open leads, due first",
         leads_page_statements(admin, LeadFilter(), first)),
        ("branch head: customers, latest contact",
         customers_page_statements(head, CustomerFilter(), touched)),
        ("manager: customers, latest contact",
         customers_page_statements(own, CustomerFilter(), touched)),
        ("branch head: whole phone number",
         customers_page_statements(head, CustomerFilter(PHONE, digests), touched)),
        ("branch head: name prefix 客户19",
         customers_page_statements(head, CustomerFilter("客户19"), touched)),
        ("branch head: customers by name",
         customers_page_statements(head, CustomerFilter(), CUSTOMERS.request({"sort": "name"}))),
        ("branch head: notices", _notices(head)),
    ]
    print("\nplans (EXPLAIN ANALYZE) of the first page and of its capped count:")
    with runtime.engine.connect() as connection:
        for title, (paged, counted) in cases:
            for part, stmt in (("page", paged), ("count", capped_count(counted))):
                compiled = stmt.compile(connection,
                                        compile_kwargs={"render_postcompile": True})
                plan = connection.exec_driver_sql("EXPLAIN ANALYZE " + str(compiled),
                                                  compiled.params).scalars().all()
                print(f"\n-- {title} ({part})\n  " + "\n  ".join(plan))


def _notices(scope: Scope) -> tuple[Any, Any]:
    stmt = notices_statement(scope, None, None)
    return page_statements(stmt, NOTICES.request({}), [Notice.id.desc()])


def _id(runtime: Any, table: str, code: str) -> int:
    with runtime.engine.connect() as connection:
        return int(connection.scalar(text(f"SELECT id FROM {table} WHERE code = :c"),
                                     {"c": code}))
