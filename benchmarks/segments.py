"""Segments at scale on PostgreSQL: a three-condition count and a 200,000-member snapshot.

`python -m benchmarks segments [--customers N]` loads `benchmarks/segments_data.py`'s data set
(1,000,000 customers by default: 12 months of AUM and tiers, three more dimensions, three
lists) into its own database `bench_segments`, then times, through the core's services with
head office's scope: the count of a three-condition rule (p50/p95 of 20 runs, goal p95 < 1 s)
and a snapshot of the affluent-and-above (a fifth of the customers, goal < 10 s). Each is set
beside a baseline measured in the same run, the bare index lookup of its biggest condition.
The plans (EXPLAIN ANALYZE) are printed; the database is dropped at the end.
"""

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from typing import Any

import psycopg
from sqlalchemy import Executable, create_engine, text
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

from benchmarks import segments_data
from crm_core import services
from crm_core.db import make_session_factory, upgrade
from crm_core.model import Scope, StaffRole, utcnow
from crm_core.queries.segments import audience as queries
from crm_core.services.segments.rules import audience
from crm_core.unit_of_work import SqlUnitOfWork

ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/postgres"
NAME = "bench_segments"
URL = f"postgresql+psycopg://postgres@127.0.0.1:5432/{NAME}"
RUNS = 20
COUNT_GOAL, SNAPSHOT_GOAL = 1.0, 10.0
HEAD_OFFICE = Scope(0, "bench", "总行", StaffRole.HEAD_OFFICE, None, None)
THREE = {"all": [{"dim": "tier", "op": "in", "value": ["affluent", "vip", "private"]},
                 {"dim": "group", "op": "member", "value": "代发客户"},
                 {"dim": "channel", "op": "within_days", "value": 90}]}
NESTED = {"all": [{"dim": "aum", "op": "gte", "value": 200000},
                  {"any": [{"dim": "group", "op": "member", "value": "新市民"},
                           {"dim": "tag", "op": "member", "value": "老客户"}]},
                  {"not": {"dim": "follow", "op": "eq", "value": "unfollowed"}}]}
AFFLUENT = {"dim": "tier", "op": "in", "value": ["affluent", "vip", "private"]}
BARE = ("SELECT count(*) FROM dimension_values WHERE dimension = 'tier' AND month = "
        "date_trunc('month', now())::date AND value IN ('affluent', 'vip', 'private')")


def main(args: list[str] | None = None) -> None:
    """Load the data set, time the count and the snapshot, print the plans, drop the database."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks segments")
    parser.add_argument("--customers", type=int, default=1_000_000)
    parser.add_argument("--keep", action="store_true", help="leave the database for --reuse")
    parser.add_argument("--reuse", action="store_true", help="time the kept database again")
    options = parser.parse_args(args or [])
    try:
        if not options.reuse:
            _admin(f"DROP DATABASE IF EXISTS {NAME}", f"CREATE DATABASE {NAME}")
    except psycopg.OperationalError as error:
        sys.exit(f"segments benchmark needs PostgreSQL on 127.0.0.1:5432: {error}")
    try:
        if not options.reuse:
            _load(options.customers)
        _run()
    finally:
        if not options.keep:
            _admin(f"DROP DATABASE IF EXISTS {NAME}")


def _load(customers: int) -> None:
    upgrade(URL)
    started = time.perf_counter()
    segments_data.load(URL, customers)
    print(f"segments benchmark: {customers:,} customers loaded in "
          f"{time.perf_counter() - started:.0f} s")


def _run() -> None:
    engine = create_engine(URL)
    at = services.segments.moment(utcnow(), "Asia/Shanghai")
    try:
        with SqlUnitOfWork(make_session_factory(engine)) as uow:
            for name, rule in (("three conditions", THREE), ("nested and/or/not", NESTED)):
                _count(uow, name, rule, at)
            _snapshot(uow, at)
    finally:
        engine.dispose()


def _count(uow: SqlUnitOfWork, name: str, rule: Any, at: Any) -> None:
    bare = _times(lambda: uow.session.execute(text(BARE)).scalar())
    count = services.segments.count_rule(uow, HEAD_OFFICE, rule, at)
    times = _times(lambda: services.segments.count_rule(uow, HEAD_OFFICE, rule, at))
    p50, p95 = _p(times, 50), _p(times, 95)
    print(f"\ncount, {name}: {count.members:,} members, {count.excluded:,} left out "
          f"(opt-out); p50 {p50 * 1000:.0f} ms, p95 {p95 * 1000:.0f} ms "
          f"(goal p95 < {COUNT_GOAL:.0f} s: {'met' if p95 < COUNT_GOAL else 'NOT met'}); "
          f"baseline (bare index count of the tier condition) p95 "
          f"{_p(bare, 95) * 1000:.0f} ms, ratio {p95 / _p(bare, 95):.1f}x")
    _, wanted = audience(uow, HEAD_OFFICE, rule, at)
    _explain(uow.session, queries.count_statement(wanted))


def _snapshot(uow: SqlUnitOfWork, at: Any) -> None:
    card = services.segments.create_segment(uow, HEAD_OFFICE, "富裕及以上", AFFLUENT, at.now)
    uow.commit()
    started = time.perf_counter()
    snapshot = services.segments.take_snapshot(uow, HEAD_OFFICE, card.id, at)
    uow.commit()
    took = time.perf_counter() - started
    bare = _bare_copy(uow.session)
    print(f"\nsnapshot: {snapshot.members:,} members ({snapshot.excluded:,} left out) in "
          f"{took:.2f} s (goal < {SNAPSHOT_GOAL:.0f} s: "
          f"{'met' if took < SNAPSHOT_GOAL else 'NOT met'}); baseline (bare CREATE TABLE AS "
          f"of the same tier rows) {bare:.2f} s, ratio {took / bare:.1f}x")
    _, wanted = audience(uow, HEAD_OFFICE, AFFLUENT, at)
    uow.session.execute(text("DELETE FROM segment_members WHERE snapshot_id = :id"),
                        {"id": snapshot.id})  # put back by the rollback after the plan
    _explain(uow.session, queries.freeze_statement(wanted, snapshot.id), rollback=True)


def _bare_copy(session: Session) -> float:
    started = time.perf_counter()
    session.execute(text(f"CREATE TEMPORARY TABLE scratch AS "
                         f"{BARE.replace('count(*)', 'customer_id')}"))
    session.commit()
    return time.perf_counter() - started


def _explain(session: Session, statement: Executable, rollback: bool = False) -> None:
    connection: Connection = session.connection()
    compiled = statement.compile(dialect=connection.dialect,  # type: ignore[attr-defined]
                                 compile_kwargs={"render_postcompile": True})
    plan = connection.exec_driver_sql("EXPLAIN (ANALYZE, BUFFERS) " + str(compiled),
                                      compiled.params)
    print("\n".join(f"    {row[0]}" for row in plan))
    if rollback:  # EXPLAIN ANALYZE of an INSERT inserts: keep the snapshot as it was
        session.rollback()


def _times(call: Callable[[], object]) -> list[float]:
    call()  # warm-up
    found = []
    for _ in range(RUNS):
        started = time.perf_counter()
        call()
        found.append(time.perf_counter() - started)
    return found


def _p(values: list[float], percent: int) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[percent - 1]


def _admin(*statements: str) -> None:
    with psycopg.connect(ADMIN_URL, autocommit=True, connect_timeout=3) as connection:
        for statement in statements:
            connection.execute(statement)
