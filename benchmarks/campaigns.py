"""Planning a campaign at scale on PostgreSQL: the contact policy over a million recipients.

`python -m benchmarks campaigns [--customers N]` loads customers (the segments data set's
organisation, opt-outs of personalisation and risk assessments), a snapshot holding every one
of them, opt-outs and do-not-contacts, and an earlier approved campaign that counts against
the caps, into its own database `bench_campaigns`. It then times the submission of a campaign
about an R3 product (every rule evaluated per recipient, suppressions stored, a 10 % control
group) beside the baseline measured in the same run: a bare INSERT ... SELECT of the same
members into the same table. Goals: < 60 s for 1,000,000, and at least 0.3x the bare rate.
The client's peak memory and the database backend's (sampled while planning) are printed;
the database is dropped at the end.
"""

import argparse
import os
import resource
import sys
import threading
import time
from pathlib import Path

import psycopg
from sqlalchemy import create_engine, text
from sqlalchemy.orm import Session

from benchmarks import segments_data
from crm_core.db import make_session_factory, upgrade
from crm_core.model import Scope, StaffRole, utcnow
from crm_core.services import campaigns
from crm_core.unit_of_work import SqlUnitOfWork

ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/postgres"
NAME = "bench_campaigns"
URL = f"postgresql+psycopg://postgres@127.0.0.1:5432/{NAME}"
GOAL_SECONDS, GOAL_RATIO = 60.0, 0.3
HEAD_OFFICE = Scope(0, "bench", "总行", StaffRole.HEAD_OFFICE, None, None)
TEXT = "稳健理财新品发售，欢迎咨询您的客户经理。理财非存款、产品有风险、投资须谨慎"
SETUP = [
    """INSERT INTO segments (name, owner, scope, kind, rule, created_at, updated_at)
       VALUES ('全部客户', 'bench', 'network', 'rule',
               '{"dim": "follow", "op": "ne", "value": "unknown"}', now(), now())""",
    """INSERT INTO segment_snapshots (segment_id, taken_at, rule, members, excluded, staff)
       SELECT id, now(), rule, 0, 0, 'bench' FROM segments""",
    """INSERT INTO segment_members (snapshot_id, customer_id)
       SELECT 1, id FROM customers""",
    """INSERT INTO contact_blocks (customer_id, kind, by, at)
       SELECT id, 'opt_out', 'bench', now() FROM customers WHERE id % 50 = 7""",
    """INSERT INTO contact_blocks (customer_id, kind, by, at)
       SELECT id, 'dnc', 'bench', now() FROM customers WHERE id % 97 = 3""",
    """INSERT INTO campaigns (name, purpose, snapshot_id, channels, content, control_share,
                              owner, scope, state, created_at, updated_at)
       VALUES ('上一次活动', 'marketing', 1, '["mass"]', '开放日', 0, 'bench', 'network',
               'done', now(), now())""",
    """INSERT INTO campaign_recipients (campaign_id, customer_id, channel, status, due_at)
       SELECT 1, id, 'mass', 'sent', now() - interval '1 day' FROM customers
       WHERE id % 5 = 0""",
    """INSERT INTO campaign_recipients (campaign_id, customer_id, channel, status, due_at)
       SELECT 1, id, 'custom', 'sent', now() - interval '2 day' FROM customers
       WHERE id % 10 = 0""",
]
BARE = """INSERT INTO campaign_recipients (campaign_id, customer_id, channel, status, due_at)
          SELECT 999, customer_id, 'mass', 'planned', now() FROM segment_members
          WHERE snapshot_id = 1"""


def main(args: list[str] | None = None) -> None:
    """Load the data set, time the planning against the bare copy, drop the database."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks campaigns")
    parser.add_argument("--customers", type=int, default=1_000_000)
    parser.add_argument("--keep", action="store_true", help="leave the database")
    options = parser.parse_args(args or [])
    try:
        _admin(f"DROP DATABASE IF EXISTS {NAME}", f"CREATE DATABASE {NAME}")
    except psycopg.OperationalError as error:
        sys.exit(f"campaigns benchmark needs PostgreSQL on 127.0.0.1:5432: {error}")
    try:
        _load(options.customers)
        _run(options.customers)
    finally:
        if not options.keep:
            _admin(f"DROP DATABASE IF EXISTS {NAME}")


def _load(customers: int) -> None:
    upgrade(URL)
    started = time.perf_counter()
    engine = create_engine(URL)
    with engine.begin() as connection:
        connection.execute(text("SET session_replication_role = replica"))
        for statement in [*segments_data.statements(customers)[:3],
                          *segments_data._profile(), *SETUP]:
            connection.execute(text(statement))
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.execute(text("VACUUM ANALYZE"))
    engine.dispose()
    print(f"campaigns benchmark: {customers:,} customers loaded in "
          f"{time.perf_counter() - started:.0f} s")


def _run(customers: int) -> None:
    engine = create_engine(URL)
    try:
        with SqlUnitOfWork(make_session_factory(engine)) as uow:
            backend = uow.session.execute(text("SELECT pg_backend_pid()")).scalar_one()
            bare = _bare(uow.session)
            with _Sampler(backend) as sampler:
                took, figures = _plan(uow)
    finally:
        engine.dispose()
    ratio = bare / took
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"plan: {customers:,} recipients in {took:.2f} s "
          f"(goal < {GOAL_SECONDS:.0f} s: {'met' if took < GOAL_SECONDS else 'NOT met'}); "
          f"baseline (bare INSERT ... SELECT of the same members) {bare:.2f} s; rate "
          f"{ratio:.2f}x the bare one (goal >= {GOAL_RATIO}x: "
          f"{'met' if ratio >= GOAL_RATIO else 'NOT met'}); client peak RSS {peak:.0f} MB, "
          f"database backend while planning: peak private memory {sampler.private()}, "
          f"peak RSS {sampler.total()} (shared buffers it read included); "
          f"load {os.getloadavg()[0]:.1f}, {os.cpu_count()} cores")
    print("audience: " + ", ".join(f"{key} {value:,}" for key, value in sorted(figures.items())))


class _Sampler:
    """Watch a process on this host (the database backend): its peak resident memory, and
    the peak of its private part (RssAnon, sampled every 20 ms)."""

    def __init__(self, pid: int) -> None:
        self.status = Path(f"/proc/{pid}/status")
        self.peak_private, self.peak_total = 0, 0
        self.done = threading.Event()
        self.thread = threading.Thread(target=self._watch, daemon=True)

    def __enter__(self) -> "_Sampler":
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._read()
        self.done.set()
        self.thread.join()

    def private(self) -> str:
        """Return the peak private memory, or why it is unknown."""
        return f"{self.peak_private / 1024:.0f} MB" if self.peak_private else "unknown"

    def total(self) -> str:
        """Return the peak resident memory (VmHWM), or why it is unknown."""
        return f"{self.peak_total / 1024:.0f} MB" if self.peak_total else "unknown"

    def _watch(self) -> None:
        while not self.done.wait(0.02) and self._read():
            pass

    def _read(self) -> bool:
        try:
            lines = dict(line.split(":", 1) for line in self.status.read_text().splitlines())
        except OSError:  # the database is on another host
            return False
        self.peak_private = max(self.peak_private, int(lines["RssAnon"].split()[0]))
        self.peak_total = max(self.peak_total, int(lines["VmHWM"].split()[0]))
        return True


def _bare(session: Session) -> float:
    started = time.perf_counter()
    session.execute(text(BARE))
    session.commit()
    took = time.perf_counter() - started
    session.execute(text("DELETE FROM campaign_recipients WHERE campaign_id = 999"))
    session.commit()
    return took


def _plan(uow: SqlUnitOfWork) -> tuple[float, dict[str, int]]:
    now = utcnow()
    draft = campaigns.Draft(name="R3 理财", purpose="marketing", snapshot_id=1, content=TEXT,
                            channels=("mass", "custom", "task"), product_risk=3,
                            control_share=10)
    campaign = campaigns.create_campaign(uow, HEAD_OFFICE, draft, now)
    uow.commit()
    started = time.perf_counter()
    figures = campaigns.submit(uow, HEAD_OFFICE, campaign.id, now, campaigns.ContactPolicy())
    uow.commit()
    return time.perf_counter() - started, figures


def _admin(*statements: str) -> None:
    with psycopg.connect(ADMIN_URL, autocommit=True) as connection:
        for statement in statements:
            connection.execute(statement)  # type: ignore[arg-type]
