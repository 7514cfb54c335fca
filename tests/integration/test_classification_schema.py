"""The classification schema migrates with its catalogue seeded, on SQLite and PostgreSQL."""

from datetime import date
from decimal import Decimal

import pytest
from alembic import command
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from crm_core.db import alembic_config, make_engine, upgrade
from crm_core.model import Customer, Dimension, DimensionValue

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
