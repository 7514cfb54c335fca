"""Importing a month of balances on PostgreSQL: `branchlink classify import` (streamed, with
its progress bar) against a bare COPY of the same file into a scratch table, in one run.

The data set: ROWS customers (40 % known by bank customer number, 30 % by mobile, the rest by
neither), a file of ROWS rows keyed like them (so 30 % are not yet on WeChat), HISTORY earlier
months of balances already imported, 41 branches. The import is timed as the operator runs it
(a child process), with its peak memory; tiers and lifecycle stages are derived in the same
transaction. Goal: ≥ 0.3× the COPY rate, under 2 minutes and 500 MB for 1,000,000 rows. A floor
is printed beside them: the month's matched values inserted alone into `dimension_values` (as
the import must, at least).
`--rows N` runs a smaller set. `--schema 0019` builds the database as it stood before the
load was made fast (foreign keys on every row, the key led by the customer), to time the same
import against that layout.
"""

import argparse
import os
import random
import resource
import subprocess
import sys
import time
from datetime import date
from pathlib import Path
from tempfile import TemporaryDirectory

import psycopg

from bot.phone_cipher import PhoneCipher
from crm_core.db import upgrade
from crm_core.repositories.classification.derived import add_months

ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/postgres"
DATABASE = "bench_classify"
URL = f"postgresql+psycopg://postgres@127.0.0.1:5432/{DATABASE}"
PLAIN = URL.replace("+psycopg", "")
SECRET = "c" * 48
BRANCHES, MONTH = 41, "2026-11"
CONFIG = """[wechat]
app_id = "wx0123456789abcdef"
token = "benchtoken"
[web]
secret_key = "{secret}"
[database]
url = "{url}"
[webhook]
spool_dir = "{folder}/spool"
"""


def main(argv: list[str] | None = None) -> None:
    """Build the data set, time a bare COPY and the import of the same file, print both."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks classify")
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--history", type=int, default=2, help="earlier months loaded")
    parser.add_argument("--schema", default="head", help="migration to build (0019: before)")
    args = parser.parse_args(argv or [])
    try:
        _fresh_database(args.schema)
    except psycopg.OperationalError as error:
        sys.exit(f"classify benchmark needs PostgreSQL on 127.0.0.1:5432: {error}")
    with TemporaryDirectory() as folder:
        extract = Path(folder) / "balances.csv"
        started = time.perf_counter()
        _load(args.rows, args.history)
        _write_extract(extract, args.rows)
        print(f"classify benchmark: PostgreSQL at {args.schema}, {args.rows:,} customers and"
              f" rows, {args.history} earlier months;"
              f" set up in {time.perf_counter() - started:.0f} s")
        copy = _bare_copy(extract)
        took, peak = _import(extract, Path(folder))
        print(f"{'step':<34}{'seconds':>9}{'rows/s':>11}")
        print(f"{'bare COPY into a scratch table':<34}{copy:>9.1f}{args.rows / copy:>11,.0f}")
        print(f"{'classify import (CLI process)':<34}{took:>9.1f}{args.rows / took:>11,.0f}")
        print(f"ratio to COPY: {copy / took:.2f}× (goal ≥ 0.3×); "
              f"peak memory of the import {peak / 1024:.0f} MB (goal < 500 MB)")
        matched, floor = _floor()
        print(f"floor: INSERT … SELECT of the {matched:,} matched values alone into"
              f" dimension_values (rolled back) {floor:.1f} s, {copy / floor:.2f}× the COPY")
        _counts()


def _fresh_database(schema: str) -> None:
    with psycopg.connect(ADMIN_URL, autocommit=True, connect_timeout=3) as connection:
        connection.execute(f"DROP DATABASE IF EXISTS {DATABASE}")
        connection.execute(f"CREATE DATABASE {DATABASE}")
    upgrade(URL, schema)


def _number(n: int) -> str:
    return f"62{n:010d}"


def _mobile(n: int) -> str:
    return f"139{n:08d}"


def _load(rows: int, history: int) -> None:
    cipher = PhoneCipher(SECRET)
    with psycopg.connect(PLAIN) as connection:
        connection.execute(
            "INSERT INTO branches (code, name, rr_counter, created_at) SELECT 'B' || "
            f"lpad(g::text, 2, '0'), '支行' || g, 0, now() FROM generate_series(1, {BRANCHES}) g")
        with connection.cursor().copy(
                "COPY customers (openid, follow_state, first_touch_at, first_touch_source,"
                " last_touch_at, phone_hash) FROM STDIN") as copy:
            for n in range(rows):
                phone = cipher.phone_key(_mobile(n)) if 4 <= n % 10 < 7 else None
                copy.write_row((f"o{n:027d}", "following", "2025-01-01", "direct",
                                "2026-11-20", phone))
        with connection.cursor().copy("COPY customer_keys (key_hash, customer_id, source,"
                                      " recorded_by, recorded_at) FROM STDIN") as copy:
            for n in range(rows):
                if n % 10 < 4:
                    copy.write_row((cipher.customer_key(_number(n)), n + 1, "mapping", "bench",
                                    "2026-11-01"))
        for back in range(history, 0, -1):
            month = add_months(date(2026, 11, 1), -back)
            connection.execute(
                "INSERT INTO dimension_values (customer_id, dimension, month, value, amount)"
                " SELECT id, 'aum', %s, 'aum', (id::bigint * 7919 %% 9000000) FROM customers",
                (month,))
    with psycopg.connect(PLAIN, autocommit=True) as connection:
        connection.execute("VACUUM ANALYZE")


def _write_extract(path: Path, rows: int) -> None:
    randomness = random.Random(13)
    with path.open("w", encoding="utf-8", newline="") as handle:
        handle.write("客户号,手机号,网点,月日均资产\n")
        for n in range(rows):
            amount = f"{randomness.randint(0, 8_000_000)}.{n % 100:02d}"
            branch = f"B{n % BRANCHES + 1:02d}"
            if n % 10 < 4:
                handle.write(f"{_number(n)},,{branch},{amount}\n")
            else:
                handle.write(f",{_mobile(n)},{branch},{amount}\n")


def _bare_copy(extract: Path) -> float:
    with psycopg.connect(PLAIN) as connection:
        connection.execute("CREATE TABLE scratch (customer_no text, mobile text, branch text,"
                           " aum numeric(18, 2))")
        started = time.perf_counter()
        with extract.open("rb") as handle, connection.cursor().copy(
                "COPY scratch FROM STDIN (FORMAT csv, HEADER true)") as copy:
            while chunk := handle.read(1 << 20):
                copy.write(chunk)
        connection.commit()
        took = time.perf_counter() - started
        connection.execute("DROP TABLE scratch")
    return took


def _import(extract: Path, folder: Path) -> tuple[float, int]:
    config = folder / "bench.toml"
    config.write_text(CONFIG.format(secret=SECRET, url=URL, folder=folder), encoding="utf-8")
    command = [str(Path(sys.executable).parent / "branchlink"), "--config", str(config),
               "classify", "import", str(extract), "--kind", "balances", "--month", MONTH]
    started = time.perf_counter()
    subprocess.run(command, check=True, env=os.environ | {"BRANCHLINK_CONFIG": str(config)})
    took = time.perf_counter() - started
    return took, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss


def _floor() -> tuple[int, float]:
    # The least any import writes: the month's matched values, already prepared, inserted
    # into the live table with its indexes (as another month, then rolled back). The tiers and
    # lifecycle stages of a balances import write as many rows again, twice.
    with psycopg.connect(PLAIN) as connection:
        started = time.perf_counter()
        cursor = connection.execute(
            "INSERT INTO dimension_values (customer_id, dimension, month, value, amount,"
            " batch_id) SELECT customer_id, dimension, (month + interval '2 months')::date,"
            " value, amount, batch_id FROM dimension_values WHERE dimension = 'aum'"
            f" AND month = '{MONTH}-01' ORDER BY customer_id")
        took = time.perf_counter() - started
        connection.rollback()
    return cursor.rowcount, took


def _counts() -> None:
    with psycopg.connect(PLAIN) as connection:
        for label, sql in [
                ("aum values this month", "SELECT count(*) FROM dimension_values WHERE"
                 " dimension = 'aum' AND month = '2026-11-01'"),
                ("tiers for December", "SELECT count(*) FROM dimension_values WHERE"
                 " dimension = 'tier' AND month = '2026-12-01'"),
                ("not yet on WeChat", "SELECT count(*) FROM offline_prospects")]:
            print(f"{label}: {connection.execute(sql).fetchone()[0]:,}")  # type: ignore[index]
