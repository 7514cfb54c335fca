"""The classification schema migrates with its catalogue seeded, on SQLite and PostgreSQL."""

from datetime import date
from decimal import Decimal

import pytest
import sqlalchemy as sa
from alembic import command
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from crm_core.db import alembic_config, make_engine, upgrade
from crm_core.model import Customer, Dimension, DimensionValue, utcnow
from crm_core.model.segments import Segment

BUILT_IN = {"tier", "aum", "lifecycle", "medium", "employer", "group", "holding", "channel",
            "interest", "risk", "tag"}


def test_the_catalogue_is_seeded_with_every_built_in_dimension_described(
        database_url: str) -> None:
    engine = make_engine(database_url)
    with Session(engine) as session:
        dimensions = {d.code: d for d in session.scalars(select(Dimension))}
    engine.dispose()
    assert set(dimensions) == BUILT_IN
    assert all(d.name and d.definition and d.standard and d.coverage for d in dimensions.values())
    assert dimensions["tier"].settings["thresholds"]["private"] == 6000000
    assert {c for c, d in dimensions.items() if d.profiling} == {
        "tier", "aum", "lifecycle", "group", "holding", "interest"}


def test_a_customer_holds_one_row_per_dimension_month_and_value(database_url: str) -> None:
    engine = make_engine(database_url)
    with Session(engine) as session:
        session.add(Customer(openid="o-one", first_touch_source="direct"))
        session.flush()
        row = {"dimension": "aum", "month": date(2026, 11, 1), "value": "aum"}
        session.add(DimensionValue(customer_id=1, amount=Decimal("52000.50"), **row))
        session.commit()
        session.add(DimensionValue(customer_id=1, amount=Decimal("1"), **row))
        with pytest.raises(IntegrityError):
            session.commit()
    engine.dispose()


def test_the_classification_revision_downgrades_and_upgrades_again(database_url: str) -> None:
    command.downgrade(alembic_config(database_url), "0015")
    upgrade(database_url)
    engine = make_engine(database_url)
    with Session(engine) as session:
        assert len(session.scalars(select(Dimension)).all()) == len(BUILT_IN)
    engine.dispose()


def test_saved_segments_naming_mobile_become_channel_conditions_and_back(
        database_url: str) -> None:
    rule = {"all": [{"dim": "tier", "op": "eq", "value": "vip"},
                    {"dim": "mobile", "op": "ne", "value": "active", "month": "2026-10"}]}
    command.downgrade(alembic_config(database_url), "0023")
    engine = make_engine(database_url)
    segments = sa.table("segments", *(sa.column(c) for c in (
        "id", "name", "owner", "scope", "kind", "created_at", "updated_at")),
        sa.column("rule", sa.JSON()))
    try:
        with engine.begin() as connection:
            connection.execute(sa.insert(segments).values(
                id=1, name="不用手机银行的贵宾", owner="admin", scope="network", kind="rule",
                rule=rule, created_at=utcnow(), updated_at=utcnow()))
    finally:
        upgrade(database_url)
    with Session(engine) as session:
        now = session.scalar(sa.select(Segment.rule))
        codes = set(session.scalars(sa.select(Dimension.code)))
    command.downgrade(alembic_config(database_url), "0023")
    with Session(engine) as session:
        back = session.scalar(sa.select(Segment.rule))
    upgrade(database_url)
    engine.dispose()
    assert now == {"all": [rule["all"][0], {"not": {
        "dim": "channel", "op": "in", "value": ["mobile:active"], "month": "2026-10"}}]}
    assert "mobile" not in codes
    assert back == {"all": [rule["all"][0], {"not": {
        "dim": "mobile", "op": "in", "value": ["active"], "month": "2026-10"}}]}
