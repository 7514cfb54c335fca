"""Monthly scorecard run at scale on PostgreSQL: 5,000 managers over 2,000,000 customers'
balances with 12 months of history (`--scale 0.02` for a fiftieth of managers and customers).

Times the run of the latest month (facts, scoring of every card, storing them) against a
baseline measured in the same run: the bare SQL aggregates the run needs (this month's and
last month's book totals, the outcome events). Prints the peak memory and the plans.
"""

import os
import resource
import sys
import time
from collections.abc import Callable
from datetime import date

import psycopg
from sqlalchemy import event, text

from benchmarks.support import fresh_database
from crm_core.db import make_engine, make_session_factory
from crm_core.model import utcnow
from crm_core.repositories import performance as sql
from crm_core.services.performance import RunPolicy, add_months, run_month
from crm_core.services.performance.templates import DEFAULTS
from crm_core.unit_of_work import SqlUnitOfWork

DATABASE = "bench_scorecards"
URL = f"postgresql+psycopg://postgres@127.0.0.1:5432/{DATABASE}"
MANAGERS, CUSTOMERS, MONTHS, BRANCHES = 5_000, 2_000_000, 12, 100
LAST = date(2026, 11, 1)
ROLES = "ARRAY['wealth', 'loan', 'retail', 'corporate']"


BOOK_ROWS = """
    INSERT INTO book_rows (id, month, line, manager_id, customer_key, customer_tail, kind,
                           product, balance, customer_rate, ftp_rate, fee, overdue, npl)
    SELECT {offset} + c * 4 + k.n, date '{month}', c + 1, f.first + c % {managers},
           md5(c::text), lpad((c % 10000)::text, 4, '0'), k.kind,
           CASE k.kind WHEN 'fee' THEN '基金' WHEN 'event' THEN '开户' ELSE '' END,
           CASE WHEN k.kind IN ('deposit', 'loan') THEN 1000 + (c * 37 % 500000) ELSE 0 END,
           CASE k.kind WHEN 'deposit' THEN 1.5 WHEN 'loan' THEN 4.2 ELSE 0 END,
           CASE k.kind WHEN 'deposit' THEN 2.5 WHEN 'loan' THEN 2.7 ELSE 0 END,
           CASE k.kind WHEN 'fee' THEN 100 + c % 900 ELSE 0 END,
           CASE WHEN k.kind = 'loan' AND c % 50 = 0 THEN 5000 ELSE 0 END, 0
    FROM (SELECT min(id) AS first FROM managers) f, generate_series(0, {customers} - 1) c,
         (VALUES ('deposit', 1), ('loan', 2), ('fee', 3), ('event', 4)) k(kind, n)
    WHERE k.kind = 'deposit' OR (k.kind = 'loan' AND c % 10 < 3)
       OR (k.kind = 'fee' AND c % 5 = 0) OR (k.kind = 'event' AND c % 10 = 0)"""

# book_rows is loaded bare (UNLOGGED: a scratch table the run only reads, so no WAL is
# written for 38 million generated rows) and its key, index and foreign keys are built after.
BARE = ["ALTER TABLE book_rows DROP CONSTRAINT fk_book_rows_manager_id_managers",
        "ALTER TABLE book_rows DROP CONSTRAINT fk_book_rows_month_performance_months",
        "ALTER TABLE book_rows DROP CONSTRAINT pk_book_rows",
        "DROP INDEX ix_book_rows_month_manager",
        "ALTER TABLE book_rows SET UNLOGGED"]
BUILT = ["SET maintenance_work_mem = '256MB'",
         "ALTER TABLE book_rows ADD CONSTRAINT pk_book_rows PRIMARY KEY (id)",
         "CREATE INDEX ix_book_rows_month_manager ON book_rows (month, manager_id)",
         "ALTER TABLE book_rows ADD CONSTRAINT fk_book_rows_manager_id_managers "
         "FOREIGN KEY (manager_id) REFERENCES managers (id)",
         "ALTER TABLE book_rows ADD CONSTRAINT fk_book_rows_month_performance_months "
         "FOREIGN KEY (month) REFERENCES performance_months (month)",
         "SELECT setval(pg_get_serial_sequence('book_rows', 'id'), max(id)) FROM book_rows"]


def load_statements(managers: int, customers: int) -> list[str]:
    """Branches, managers of the four roles, each manager's target for every completion line
    of its role's template in the latest month, and per month each customer's deposit, a
    loan for three in ten, a fee for one in five and an outcome event for one in ten."""
    first = add_months(LAST, 1 - MONTHS)
    return [
        f"""INSERT INTO branches (code, name, rr_counter, created_at)
            SELECT 'B' || g, '支行' || g, 0, now() FROM generate_series(1, {BRANCHES}) g""",
        f"""INSERT INTO managers (code, name, title, role, state, branch_id, is_branch_head,
                                 created_at)
            SELECT 'M' || g, '经理' || g, '客户经理', ({ROLES})[g % 4 + 1], 'active',
                   (SELECT min(id) FROM branches) + g % {BRANCHES}, false, now()
            FROM generate_series(1, {managers}) g""",
        f"""INSERT INTO performance_months (month, state, rows)
            SELECT (date '{first}' + make_interval(months => m))::date, 'draft', 0
            FROM generate_series(0, {MONTHS - 1}) m""",
        f"""INSERT INTO score_targets (month, manager_id, metric, target)
            SELECT date '{LAST}', m.id, t.metric, t.target * (8 + m.id % 5) / 10
            FROM managers m JOIN (VALUES {_target_lines()}) t(role, metric, target)
                 ON t.role = m.role""",
        *BARE,
        *(BOOK_ROWS.format(offset=m * 4 * customers, month=add_months(first, m),
                           managers=managers, customers=customers) for m in range(MONTHS)),
        *BUILT,
    ]


def _target_lines() -> str:
    """Each role's completion lines with their default target, as SQL VALUES rows."""
    return ", ".join(f"('{role.value}', '{line['metric']}', {line['target']})"
                     for role, rules in DEFAULTS.items() for line in rules["lines"]
                     if line["method"] == "completion")


def main(args: list[str] | None = None) -> None:
    """Load the data set, time the bare aggregates and the run, print memory and plans."""
    args = sys.argv[2:] if args is None else args
    scale = float(args[args.index("--scale") + 1]) if "--scale" in args else 1.0
    managers, customers = max(int(MANAGERS * scale), 8), max(int(CUSTOMERS * scale), 100)
    try:
        fresh_database(DATABASE)
    except psycopg.OperationalError as error:
        sys.exit(f"scorecards benchmark needs PostgreSQL on 127.0.0.1:5432: {error}")
    started = time.perf_counter()
    with psycopg.connect(URL.replace("+psycopg", ""), autocommit=True) as connection:
        for statement in load_statements(managers, customers):
            connection.execute(statement)
        connection.execute("VACUUM ANALYZE")
    engine = make_engine(URL)
    sessions = make_session_factory(engine)
    with engine.connect() as connection:
        rows = connection.execute(text("SELECT count(*) FROM book_rows")).scalar_one()
        goals = connection.execute(text("SELECT count(*) FROM score_targets")).scalar_one()
    print(f"scorecards benchmark: PostgreSQL, {managers:,} managers, {customers:,} customers, "
          f"{MONTHS} months, {rows:,} book rows, "
          f"{goals:,} targets (loaded in {time.perf_counter() - started:.0f} s)")
    _run(sessions)
    _plans(sessions)
    engine.dispose()


def _bare(sessions) -> None:  # type: ignore[no-untyped-def]
    with sessions() as session:
        sql.book_totals(session, LAST)
        sql.book_totals(session, add_months(LAST, -1))
        sql.event_counts(session, LAST)


def _timed(call: Callable[[], object]) -> float:
    began = time.perf_counter()
    call()
    return time.perf_counter() - began


def _run(sessions) -> None:  # type: ignore[no-untyped-def]
    baseline = min(_timed(lambda: _bare(sessions)) for _ in range(2))
    for label in ("first run", "second run (recomputes the draft)"):
        with SqlUnitOfWork(sessions) as uow:
            began = time.perf_counter()
            cards = run_month(uow, LAST, RunPolicy(), "bench", utcnow())
            uow.commit()
            took = time.perf_counter() - began
        print(f"scorecards run, {label}: {took:.1f} s for {cards:,} cards; baseline (bare "
              f"SQL aggregates the run needs) {baseline:.2f} s, ratio {took / baseline:.1f}x; "
              f"goal < 300 s and <= 4x (load average {os.getloadavg()[0]:.1f})")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory of this process: {peak:.0f} MB (goal < 1024 MB)")


def _plans(sessions) -> None:  # type: ignore[no-untyped-def]
    with sessions() as session:
        for name, stmt in _statements(session):
            print(f"plan of {name}:")
            for (line,) in session.execute(text(f"EXPLAIN (ANALYZE, BUFFERS) {stmt}")):
                print(f"  {line}")


def _statements(session) -> list[tuple[str, str]]:  # type: ignore[no-untyped-def]
    captured: list[str] = []

    def keep(conn, cursor, statement, parameters, *_):  # type: ignore[no-untyped-def]
        captured.append(psycopg.ClientCursor(cursor.connection).mogrify(statement, parameters))

    event.listen(session.get_bind(), "before_cursor_execute", keep)
    sql.book_totals(session, LAST)
    sql.event_counts(session, LAST)
    event.remove(session.get_bind(), "before_cursor_execute", keep)
    return [("book totals", captured[0]), ("outcome events", captured[1])]
