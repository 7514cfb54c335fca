"""Migrations build exactly the schema the models describe, on SQLite and PostgreSQL."""

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from crm_core.db import alembic_config, make_engine, upgrade
from crm_core.model import Base, utcnow


def test_migrated_database_matches_the_models(database_url: str) -> None:
    engine = make_engine(database_url)
    with engine.connect() as connection:
        diff = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    engine.dispose()
    assert diff == []


def test_leads_doubled_before_the_open_lead_indexes_are_closed_by_the_upgrade(
        database_url: str) -> None:
    command.downgrade(alembic_config(database_url), "0007")
    engine = make_engine(database_url)
    try:
        with engine.begin() as connection:
            connection.execute(text(
                "INSERT INTO customers (id, openid, follow_state, first_touch_at,"
                " first_touch_source, last_touch_at)"
                " VALUES (1, 'o-twins', 'following', :t, 'direct', :t)"), {"t": utcnow()})
            for lead_id, source, product in [(1, "contact_request", None),
                                             (2, "contact_request", None),
                                             (3, "product_interest", "WM001"),
                                             (4, "product_interest", "WM001"),
                                             (5, "product_interest", "WM002")]:
                connection.execute(text(
                    "INSERT INTO leads (id, customer_id, source, product_code, status,"
                    " created_at, due_at) VALUES (:id, 1, :source, :product, 'new', :t, :t)"),
                    {"id": lead_id, "source": source, "product": product, "t": utcnow()})
    finally:
        upgrade(database_url)
    with engine.connect() as connection:
        statuses = connection.execute(text("SELECT id, status FROM leads ORDER BY id")).all()
        with pytest.raises(IntegrityError):
            connection.execute(text(
                "INSERT INTO leads (customer_id, source, status, created_at, due_at)"
                " VALUES (1, 'contact_request', 'contacted', :t, :t)"), {"t": utcnow()})
    engine.dispose()
    assert statuses == [(1, "new"), (2, "lost"), (3, "new"), (4, "lost"), (5, "new")]
