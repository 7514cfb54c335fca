"""Issued QR codes: the registry of what was printed, with its branch, manager and campaign."""

import enum
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import ForeignKey, Index, String, text
from sqlalchemy.orm import Mapped, mapped_column

from crm_core.model.activity import TouchKind
from crm_core.model.base import Base, str_enum, utcnow

#: The platform's cap on permanent codes per account.
PERMANENT_CODE_CAP = 100_000
#: The platform's longest life for a temporary code.
MAX_TEMPORARY_DAYS = 30
# A temporary code this close to its end is re-issued rather than printed again.
REISSUE_MARGIN = timedelta(hours=1)


class CodeKind(enum.StrEnum):
    """Permanent (QR_LIMIT_STR_SCENE) or temporary (QR_STR_SCENE, 30 days at most)."""

    PERMANENT = "permanent"
    TEMPORARY = "temporary"


class QrCode(Base):
    """One code the platform issued for a scene; older rows of a scene are history."""

    __tablename__ = "qr_codes"
    __table_args__ = (
        Index("ix_qr_codes_scene_created", "scene", "created_at"),
        # Permanent codes never expire: one per scene, whatever races happen.
        Index("uq_qr_codes_permanent_scene", "scene", unique=True,
              sqlite_where=text("kind = 'permanent'"),
              postgresql_where=text("kind = 'permanent'")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    scene: Mapped[str] = mapped_column(String(64))
    kind: Mapped[CodeKind] = mapped_column(str_enum(CodeKind))
    ticket: Mapped[str] = mapped_column(String(255))
    url: Mapped[str] = mapped_column(String(255))
    expires_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    branch_id: Mapped[int | None] = mapped_column(ForeignKey("branches.id"), index=True)
    manager_id: Mapped[int | None] = mapped_column(ForeignKey("managers.id"), index=True)
    campaign: Mapped[str | None] = mapped_column(String(24))

    def usable_at(self, now: datetime) -> bool:
        """Return True if the code may still be printed at `now`: permanent, or not about to end."""
        return self.expires_at is None or self.expires_at - REISSUE_MARGIN > now


@dataclass(frozen=True)
class TouchFact:
    """One follow or scan, flattened for channel statistics (codes, not ids)."""

    kind: TouchKind
    scene: str
    branch: str | None
    manager: str | None
    campaign: str | None
    occurred_at: datetime
