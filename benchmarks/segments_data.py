"""The segments benchmark's data set on PostgreSQL, loaded in SQL with generate_series.

`customers` customers in 20 branches of 10 managers; 12 months of 月日均 AUM and of tiers
(24 rows a customer), the latest month of three more dimensions (lifecycle, medium, holding),
three lists (新市民 14%, 商户 5%, 代发客户 20%), a staff tag on 2%, 1.9% who switched off
personalised recommendations, a risk assessment for a quarter. Tiers: mass 50%, potential 30%,
affluent 12%, vip 7%, private 1% (a tenth of the customers drift a bucket a month).
"""

from sqlalchemy import create_engine, text

BRANCHES, MANAGERS = 20, 10
MONTHS = 12
# Classification values load fastest without their indexes: they are built once the rows are
# in (the table has no foreign keys since migration 0023), as migration 0023 shapes them.
DROP_INDEXES = ["ALTER TABLE dimension_values DROP CONSTRAINT pk_dimension_values",
                "DROP INDEX ix_dimension_values_lookup", "DROP INDEX ix_dimension_values_amount"]
CREATE_INDEXES = [
    "ALTER TABLE dimension_values ADD CONSTRAINT pk_dimension_values "
    "PRIMARY KEY (dimension, month, customer_id, value)",
    "CREATE INDEX ix_dimension_values_lookup ON dimension_values "
    "(dimension, month, value, customer_id)",
    "CREATE INDEX ix_dimension_values_amount ON dimension_values (dimension, month, amount)"
    " WHERE amount IS NOT NULL"]
BUCKET = "((c.id * 37 + CASE WHEN c.id % 10 = 0 THEN m ELSE 0 END) % 100)"
TIER = (f"CASE WHEN {BUCKET} < 50 THEN 'mass' WHEN {BUCKET} < 80 THEN 'potential' "
        f"WHEN {BUCKET} < 92 THEN 'affluent' WHEN {BUCKET} < 99 THEN 'vip' ELSE 'private' END")
AUM = (f"CASE WHEN {BUCKET} < 50 THEN 1000 + {BUCKET} * 900 "
       f"WHEN {BUCKET} < 80 THEN 50000 + ({BUCKET} - 50) * 5000 "
       f"WHEN {BUCKET} < 92 THEN 200000 + ({BUCKET} - 80) * 25000 "
       f"WHEN {BUCKET} < 99 THEN 500000 + ({BUCKET} - 92) * 700000 ELSE 8000000 END")
MONTH = "date_trunc('month', now())::date - make_interval(months => m)"
LATEST = "date_trunc('month', now())::date"
LISTS = (("新市民", 7, 0), ("商户", 20, 1), ("代发客户", 5, 2))


def statements(customers: int) -> list[str]:
    """Return the SQL that loads the data set."""
    return [*_organisation(customers), *DROP_INDEXES, *_values(), *_lists(), *_profile()]


def _organisation(customers: int) -> list[str]:
    return [
        f"""INSERT INTO branches (code, name, rr_counter, created_at)
            SELECT 'B' || lpad(g::text, 2, '0'), '支行' || g, 0, now()
            FROM generate_series(0, {BRANCHES - 1}) g""",
        f"""INSERT INTO managers (code, name, title, role, state, branch_id, is_branch_head,
                                 created_at)
            SELECT b.code || '-' || lpad(g::text, 3, '0'), '经理' || b.code || '-' || g,
                   '客户经理', 'retail', 'active', b.id, g = 1, now()
            FROM branches b, generate_series(1, {MANAGERS}) g""",
        f"""INSERT INTO customers (openid, follow_state, followed_at, first_touch_at,
                                   first_touch_source, last_touch_at, home_branch_id,
                                   current_manager_id, manager_branch_id)
            SELECT 'o' || lpad(g::text, 27, '0'),
                   CASE WHEN g % 17 = 0 THEN 'unfollowed' ELSE 'following' END,
                   now() - g * interval '20 second', now() - g * interval '20 second',
                   'b:' || b.code, now() - (g % 365) * interval '1 day', b.id, m.id, b.id
            FROM generate_series(1, {customers}) g
            JOIN branches b ON b.code = 'B' || lpad((g % {BRANCHES})::text, 2, '0')
            JOIN managers m ON m.code = b.code || '-'
                 || lpad((g / {BRANCHES} % {MANAGERS} + 1)::text, 3, '0')""",
    ]


def _values() -> list[str]:
    return [
        f"""INSERT INTO dimension_values (customer_id, dimension, month, value, amount)
            SELECT c.id, 'aum', {MONTH}, 'aum', {AUM}
            FROM customers c, generate_series(0, {MONTHS - 1}) m""",
        f"""INSERT INTO dimension_values (customer_id, dimension, month, value)
            SELECT c.id, 'tier', {MONTH}, {TIER}
            FROM customers c, generate_series(0, {MONTHS - 1}) m""",
        f"""INSERT INTO dimension_values (customer_id, dimension, month, value)
            SELECT c.id, 'lifecycle', {LATEST},
                   (ARRAY['new', 'growing', 'mature', 'declining', 'dormant', 'lost'])
                   [1 + c.id % 6] FROM customers c""",
        f"""INSERT INTO dimension_values (customer_id, dimension, month, value)
            SELECT c.id, 'medium', {LATEST}, 'debit' FROM customers c UNION ALL
            SELECT c.id, 'medium', {LATEST}, 'credit' FROM customers c WHERE c.id % 3 = 0""",
        f"""INSERT INTO dimension_values (customer_id, dimension, month, value, amount)
            SELECT c.id, 'holding', {LATEST},
                   (ARRAY['wealth', 'deposit', 'fund', 'insurance'])[1 + c.id % 4],
                   1000 + c.id % 500000 FROM customers c""",
    ]


def _lists() -> list[str]:
    found = []
    for name, every, remainder in LISTS:
        found += [
            f"""INSERT INTO classification_batches (kind, list_name, month, filename, sha256,
                                                    rows, matched, unmatched, staff, created_at)
                SELECT 'list', '{name}', {LATEST}, '{name}.csv', repeat('0', 64), 0, 0, 0,
                       'bench', now()""",
            f"""INSERT INTO dimension_values (customer_id, dimension, month, value)
                SELECT c.id, 'group', {LATEST}, '{name}' FROM customers c
                WHERE c.id % {every} = {remainder}"""]
    return found


def _profile() -> list[str]:
    return [
        """INSERT INTO customer_tags (customer_id, tag, tagged_by, tagged_at)
           SELECT id, '老客户', 'bench', now() FROM customers WHERE id % 50 = 0""",
        # 53 is prime to the lists' and tiers' moduli: the opt-outs fall in every segment.
        """INSERT INTO recommendation_prefs (customer_id, personalised, changed_at)
           SELECT id, false, now() FROM customers WHERE id % 53 = 5""",
        """INSERT INTO risk_assessments (customer_id, level, assessed_on, source, recorded_at)
           SELECT id, 1 + id % 5, current_date - (id % 500), 'bench', now()
           FROM customers WHERE id % 4 = 0""",
    ]


def load(url: str, customers: int) -> None:
    """Load the data set without foreign-key checks, build the indexes, vacuum and analyse."""
    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(text("SET session_replication_role = replica"))
        connection.execute(text("SET maintenance_work_mem = '256MB'"))
        for statement in [*statements(customers), *CREATE_INDEXES]:
            connection.execute(text(statement))
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.execute(text("VACUUM ANALYZE"))
    engine.dispose()
