"""Trade chains at scale on PostgreSQL: 100,000 organisations, 2,000,000 relationships,
1,000 key links (`--scale 0.1` for a tenth of each).

Times chain-lead generation for every key link (a first run that makes the leads, and a
second that finds them all open), and the two-hop chain view of an organisation (p50/p99 over
random organisations), each against a baseline measured in the same run: the bare SQL reading
the same relationships. Prints the plans of the view's and the run's queries.
"""

import random
import statistics
import sys
import time
from collections.abc import Callable
from datetime import timedelta

import psycopg
from sqlalchemy import or_, select, text
from sqlalchemy.dialects import postgresql

from benchmarks.support import fresh_database
from crm_core.db import make_engine, make_session_factory
from crm_core.model import Scope, StaffRole, TradeRelationship, utcnow
from crm_core.repositories.chain_runs import candidates_statement
from crm_core.services.organisations import chain_view, make_chain_leads
from crm_core.unit_of_work import SqlUnitOfWork

DATABASE = "bench_chains"
URL = f"postgresql+psycopg://postgres@127.0.0.1:5432/{DATABASE}"
ORGS, RELATIONSHIPS, KEY_LINKS, BRANCHES, VIEWS = 100_000, 2_000_000, 1_000, 20, 200
HEAD_OFFICE = Scope(0, "bench", "bench", StaffRole.HEAD_OFFICE, None, None)
KINDS = "ARRAY['供应商', '采购方', '物流服务商', '出租方']"
INDUSTRIES = "ARRAY['水产', '干货', '物流', '食品', '农业', '纺织', '建材', '电子', '餐饮', '零售']"


def load_statements(orgs: int, relationships: int, key_links: int) -> list[str]:
    """The data set: branches with five corporate managers each, organisations (60 % owned,
    40 % with a settlement account, one key link in every orgs/key_links), relationships
    spread evenly (each organisation starts about relationships/orgs of them)."""
    per = max(relationships // orgs, 1)
    step = max(orgs // key_links, 1)
    return [
        f"""INSERT INTO branches (code, name, rr_counter, created_at)
            SELECT 'B' || lpad(g::text, 2, '0'), '支行' || g, 0, now()
            FROM generate_series(1, {BRANCHES}) g""",
        """INSERT INTO managers (code, name, title, role, state, branch_id, is_branch_head,
                                 created_at)
           SELECT b.code || '-C' || g, b.code || '对公' || g, '公司客户经理', 'corporate',
                  'active', b.id, false, now()
           FROM branches b, generate_series(1, 5) g""",
        f"""INSERT INTO organisations (code, name, kind, industry, branch_id, manager_id,
                                       key_link, products, created_at, updated_at)
            SELECT 'O' || g, '单位' || g, '商户', ({INDUSTRIES})[g % 10 + 1],
                   (SELECT min(id) FROM branches) + g % {BRANCHES},
                   CASE WHEN g % 5 < 3 THEN (SELECT min(id) FROM managers) + g % {BRANCHES * 5}
                   END, g % {step} = 0,
                   CASE WHEN g % 5 < 2 THEN '["结算"]' ELSE '[]' END::json, now(), now()
            FROM generate_series(1, {orgs}) g""",
        f"""INSERT INTO trade_relationships (organisation_id, counterparty_id, kind,
                                             monthly_volume, source, as_of, created_at)
            SELECT o.first + a, o.first + (a + 1 + (k * 4999 + a * 31) % ({orgs} - 1)) % {orgs},
                   ({KINDS})[k % 4 + 1], 1000 + (a * 7 + k * 13) % 500000, 'bench',
                   current_date, now()
            FROM (SELECT min(id) AS first FROM organisations) o,
                 generate_series(0, {orgs} - 1) a, generate_series(0, {per} - 1) k""",
    ]


def main(args: list[str] | None = None) -> None:
    """Load the data set, time chain leads and chain views, print the plans."""
    args = sys.argv[2:] if args is None else args
    scale = float(args[args.index("--scale") + 1]) if "--scale" in args else 1.0
    orgs, rels = int(ORGS * scale), int(RELATIONSHIPS * scale)
    keys = max(int(KEY_LINKS * scale), 10)
    try:
        fresh_database(DATABASE)
    except psycopg.OperationalError as error:
        sys.exit(f"chains benchmark needs PostgreSQL on 127.0.0.1:5432: {error}")
    started = time.perf_counter()
    with psycopg.connect(URL.replace("+psycopg", "")) as connection:
        for statement in load_statements(orgs, rels, keys):
            connection.execute(statement)
    with psycopg.connect(URL.replace("+psycopg", ""), autocommit=True) as connection:
        connection.execute("VACUUM ANALYZE")
    engine = make_engine(URL)
    sessions = make_session_factory(engine)
    with engine.connect() as connection:
        counts = connection.execute(text(
            "SELECT (SELECT count(*) FROM organisations), (SELECT count(*) FROM "
            "trade_relationships), (SELECT count(*) FROM organisations WHERE key_link)")).one()
    print(f"chains benchmark: PostgreSQL, {counts[0]:,} organisations, {counts[1]:,} "
          f"relationships, {counts[2]:,} key links (loaded in "
          f"{time.perf_counter() - started:.0f} s)")
    _leads(sessions)
    _views(sessions, counts[0])
    _plans(sessions)
    engine.dispose()


def _leads(sessions) -> None:  # type: ignore[no-untyped-def]
    baseline = _once(lambda: _bare_relationships(sessions))
    for run in ("first run (makes the leads)", "second run (all open already)"):
        with SqlUnitOfWork(sessions) as uow:
            began = time.perf_counter()
            report = make_chain_leads(uow, utcnow(), timedelta(hours=2))
            uow.commit()
            took = time.perf_counter() - began
        print(f"chain leads, {run}: {took:.1f} s ({len(report.created):,} made, "
              f"{report.already_open:,} already open); baseline (bare read of the key links' "
              f"relationships) {baseline:.2f} s, ratio {took / baseline:.1f}x; goal < 30 s")


def _bare_relationships(sessions) -> None:  # type: ignore[no-untyped-def]
    with sessions() as session:
        session.execute(text(
            "SELECT r.* FROM trade_relationships r JOIN organisations k ON k.key_link AND "
            "(k.id = r.organisation_id OR k.id = r.counterparty_id)")).all()


def _views(sessions, orgs: int) -> None:  # type: ignore[no-untyped-def]
    picked = random.Random(7).sample(range(1, orgs + 1), VIEWS)
    with SqlUnitOfWork(sessions) as uow:
        codes = [f"O{n}" for n in picked]
        view = _samples(lambda c: chain_view(uow, HEAD_OFFICE, c), codes)
        bare = _samples(lambda c: _bare_two_hops(uow, c), codes)
        nodes = statistics.median(len(chain_view(uow, HEAD_OFFICE, c)["nodes"]) for c in codes)
    print(f"two-hop chain view ({VIEWS} organisations, median {nodes:.0f} nodes): p50 "
          f"{view[0]:.1f} ms, p99 {view[1]:.1f} ms; baseline (the two hops' rows alone) p50 "
          f"{bare[0]:.1f} ms, p99 {bare[1]:.1f} ms, ratio {view[1] / bare[1]:.1f}x at p99; "
          "goal p99 < 300 ms")


def _bare_two_hops(uow: SqlUnitOfWork, code: str) -> None:
    centre = uow.organisations.by_code(code)
    assert centre is not None  # noqa: S101 - every sampled code exists
    first = {end for edge in uow.organisations.edges_of([centre.id]) for end in edge[1:3]}
    uow.organisations.edges_of(sorted(first))


def _samples(call: Callable[[str], object], codes: list[str]) -> tuple[float, float]:
    times = []
    for code in codes:
        began = time.perf_counter()
        call(code)
        times.append((time.perf_counter() - began) * 1000)
    times.sort()
    return statistics.median(times), times[max(0, int(len(times) * 0.99) - 1)]


def _once(call: Callable[[], object]) -> float:
    began = time.perf_counter()
    call()
    return time.perf_counter() - began


def _plans(sessions) -> None:  # type: ignore[no-untyped-def]
    with SqlUnitOfWork(sessions) as uow:
        ids = [o.id for o in uow.organisations.key_links()][:40]
        rel = TradeRelationship
        stmt = select(rel).where(or_(rel.organisation_id.in_(ids), rel.counterparty_id.in_(ids)))
        sql = str(stmt.compile(dialect=postgresql.dialect(),
                               compile_kwargs={"literal_binds": True}))
        plan = uow.session.execute(text(f"EXPLAIN (ANALYZE, BUFFERS) {sql}")).scalars().all()
        print("\n-- relationships of 40 organisations (one hop of the view)\n  "
              + "\n  ".join(plan))
        run = str(candidates_statement(None).compile(
            dialect=postgresql.dialect(), compile_kwargs={"literal_binds": True}))
        plan = uow.session.execute(text(f"EXPLAIN (ANALYZE, BUFFERS) {run}")).scalars().all()
        print("\n-- a run's candidates: every key link's counterparties, open leads marked\n  "
              + "\n  ".join(plan))
