"""State shared by all processes of a deployment: small values with an owner lease."""

from datetime import datetime

from sqlalchemy import String, Text
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
