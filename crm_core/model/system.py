"""State shared by all processes of a deployment: small values with an owner lease."""

from datetime import datetime

from sqlalchemy import Column, Float, Integer, LargeBinary, String, Table, Text, Unicode
from sqlalchemy.orm import Mapped, mapped_column

from crm_core.model.base import Base


class SharedValue(Base):
    """A named value (e.g. an access token) with expiry, and a lease one process may hold."""

    __tablename__ = "shared_values"

    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    value: Mapped[str | None] = mapped_column(Text)
    expires_at: Mapped[datetime | None]
    lease_owner: Mapped[str | None] = mapped_column(String(64))
    lease_until: Mapped[datetime | None]


class RateCounter(Base):
    """Hits on one key in one time window, counted for every process alike (rate caps)."""

    __tablename__ = "rate_counters"

    key: Mapped[str] = mapped_column(String(160), primary_key=True)  # name and window number
    hits: Mapped[int] = mapped_column(Integer)
    expires_at: Mapped[datetime] = mapped_column(index=True)


# The table APScheduler's SQLAlchemy job store uses, declared here so that Alembic creates and
# migrates it like every other table (APScheduler then finds it in place).
scheduler_jobs = Table(
    "apscheduler_jobs",
    Base.metadata,
    Column("id", Unicode(191), primary_key=True),
    Column("next_run_time", Float(25), index=True),
    Column("job_state", LargeBinary, nullable=False),
)
