"""The append-only audit trail: bindings, exports, transfers, logins."""

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from crm_core.model.base import Base, BigId, utcnow


class AuditEvent(Base):
    """Who did what to whom, and when."""

    __tablename__ = "audit_events"
    __table_args__ = (Index("ix_audit_events_action_subject", "action", "subject", "at"),
                      # The audit log filtered by action or by who acted, latest first.
                      Index("ix_audit_events_action_at", "action", "at"),
                      Index("ix_audit_events_actor_at", "actor", "at"))

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    actor: Mapped[str] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(32))
    subject: Mapped[str] = mapped_column(String(64))
    detail: Mapped[dict[str, Any] | None] = mapped_column(JSON)


class BindCode(Base):
    """A one-time code a manager sends from WeChat to bind that account; stored hashed."""

    __tablename__ = "bind_codes"

    id: Mapped[int] = mapped_column(primary_key=True)
    manager_id: Mapped[int] = mapped_column(ForeignKey("managers.id"), index=True)
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]
