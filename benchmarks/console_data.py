"""The console benchmark's data set on PostgreSQL, loaded in SQL with generate_series.

1,000,000 customers in 20 branches; the branch viewed (BIG) has 200,000 of them and 50
managers, the other 19 branches 10 managers each. 5,000,000 interactions, 100,000 leads (a
quarter open), 100,000 notices and 300,000 audit events; a fifth of the customers have a phone.
"""

from sqlalchemy import create_engine, text
from sqlalchemy.engine import Engine

CUSTOMERS, INTERACTIONS = 1_000_000, 5_000_000
BIG_MANAGERS, OTHER_MANAGERS, OTHER_BRANCHES = 50, 10, 19
NOTICES, AUDIT_EVENTS = 100_000, 300_000


def statements(scale: float) -> list[str]:
    """Return the SQL that loads the data set (`scale` < 1: a smaller one for a dry run)."""
    customers, interactions = int(CUSTOMERS * scale), int(INTERACTIONS * scale)
    notices, audit_events = int(NOTICES * scale), int(AUDIT_EVENTS * scale)
    return _load(customers, interactions, notices, audit_events)


def _load(customers: int, interactions: int, notices: int, audit_events: int) -> list[str]:
    # Customer g belongs to BIG when g % 5 == 0 (a fifth of them); else to branch g % 19.
    return [
        """INSERT INTO branches (code, name, rr_counter, created_at)
           SELECT 'BIG', '大型支行', 0, now() UNION ALL
           SELECT 'B' || lpad(g::text, 2, '0'), '支行' || g, 0, now()
           FROM generate_series(0, 18) g""",
        f"""INSERT INTO managers (code, name, title, role, state, branch_id, is_branch_head,
                                 created_at)
            SELECT b.code || '-' || lpad(g::text, 3, '0'), '经理' || b.code || '-' || g, '客户经理',
                   'retail', 'active', b.id, g = 1, now()
            FROM branches b, generate_series(1, {BIG_MANAGERS}) g
            WHERE b.code = 'BIG' OR g <= {OTHER_MANAGERS}""",
        f"""INSERT INTO customers (openid, follow_state, followed_at, first_touch_at,
                                   first_touch_source, last_touch_at, home_branch_id,
                                   current_manager_id, manager_branch_id, display_name,
                                   phone_last4, phone_hash)
            SELECT 'o' || lpad(g::text, 27, '0'), 'following', now() - g * interval '5 second',
                   now() - g * interval '5 second', 'b:BIG',
                   now() - (g % 100000) * interval '13 second', m.branch_id, m.id, m.branch_id,
                   CASE WHEN g % 3 = 0 THEN '客户' || g END,
                   CASE WHEN g % 5 = 1 THEN lpad((g % 10000)::text, 4, '0') END,
                   CASE WHEN g % 5 = 1 THEN md5(g::text) || md5(g::text || 'x') END
            FROM generate_series(1, {customers}) g
            JOIN managers m ON m.code = CASE
                WHEN g % 5 = 0 THEN 'BIG-' || lpad((g % {BIG_MANAGERS} + 1)::text, 3, '0')
                ELSE 'B' || lpad((g % 19)::text, 2, '0') || '-'
                     || lpad((g % {OTHER_MANAGERS} + 1)::text, 3, '0') END""",
        """INSERT INTO manager_links (customer_id, manager_id, source, reason, started_at)
           SELECT id, current_manager_id, 'b:BIG', 'first_touch', first_touch_at
           FROM customers""",
        f"""INSERT INTO interactions (customer_id, channel, direction, kind, summary, occurred_at)
            SELECT (SELECT min(id) FROM customers) + g % {customers}, 'wechat', 'in', 'text',
                   '文字：你好', now() - g * interval '1 second'
            FROM generate_series(1, {interactions}) g""",
        """INSERT INTO leads (customer_id, manager_id, branch_id, source, status, created_at,
                             due_at, note)
           SELECT c.id, l.manager_id, c.home_branch_id,
                  CASE WHEN c.id % 3 = 0 THEN 'contact_request' ELSE 'product_interest' END,
                  CASE WHEN c.id % 40 = 0 THEN 'new' WHEN c.id % 40 = 10 THEN 'contacted'
                       WHEN c.id % 40 = 20 THEN 'lost' ELSE 'converted' END,
                  now() - (c.id % 90) * interval '1 day',
                  now() - (c.id % 90) * interval '1 day' + (c.id % 48) * interval '1 hour',
                  CASE WHEN c.id % 20 = 0 THEN '已联系，待回访' END
           FROM customers c JOIN manager_links l ON l.customer_id = c.id WHERE c.id % 10 = 0""",
        f"""INSERT INTO notices (key, kind, manager_id, payload, status, attempts, next_attempt_at,
                                created_at)
            SELECT 'bench-' || g, 'new_lead', (SELECT min(id) FROM managers) + g % 240, '{{}}',
                   CASE WHEN g % 50 = 0 THEN 'dead' WHEN g % 7 = 0 THEN 'failed' ELSE 'delivered'
                   END, 1, now(), now() - g * interval '30 second'
            FROM generate_series(1, {notices}) g""",
        f"""INSERT INTO audit_events (at, actor, action, subject, detail)
            SELECT now() - g * interval '10 second', 'staff' || (g % 300),
                   (ARRAY['login', 'pii_viewed', 'lead_updated', 'transfer',
                          'leads_exported'])[1 + g % 5], 'subject' || g, '{{}}'
            FROM generate_series(1, {audit_events}) g""",
        """INSERT INTO products (code, name, category, risk_level, rate, term, summary, details,
                                private_placement, version, updated_at)
           SELECT 'WM' || lpad(g::text, 3, '0'), '理财' || g || '号', '理财', 1 + g % 5, '3.1%',
                  '1年', '稳健', '', false, 1, now() FROM generate_series(1, 60) g""",
    ]


def load(url: str, scale: float) -> None:
    """Load the data set (on a connection without the service's statement timeout), then
    vacuum and analyse it for the planner."""
    engine = create_engine(url)
    with engine.begin() as connection:
        for statement in statements(scale):
            connection.execute(text(statement))
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.execute(text("VACUUM ANALYZE"))
    engine.dispose()


def set_phone(engine: Engine, openid: str, last4: str, digest: str, cipher: str) -> None:
    """Give one customer a real sealed phone number (what the search finds)."""
    with engine.begin() as connection:
        connection.execute(text("UPDATE customers SET phone_cipher = :c, phone_last4 = :l, "
                                "phone_hash = :h WHERE openid = :o"),
                           {"c": cipher, "l": last4, "h": digest, "o": openid})
