"""The QR code registry and touch facts in SQL."""

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from crm_core.model import (
    Branch,
    CodeKind,
    Manager,
    QrCode,
    Touch,
    TouchFact,
)


class SqlCodes:
    """The QR code registry in SQL."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def latest(self, scene: str) -> QrCode | None:
        """Return the newest code issued for `scene`."""
        stmt = (select(QrCode).where(QrCode.scene == scene)
                .order_by(QrCode.created_at.desc(), QrCode.id.desc()).limit(1))
        return self.session.scalar(stmt)

    def add(self, code: QrCode) -> None:
        """Add an issued code."""
        self.session.add(code)

    def count_permanent(self) -> int:
        """Count the permanent codes ever issued (the platform never takes one back)."""
        stmt = select(func.count()).select_from(QrCode).where(QrCode.kind == CodeKind.PERMANENT)
        return int(self.session.scalar(stmt) or 0)

    def listing(self, branch_id: int | None) -> list[QrCode]:
        """Return every code (of one branch if given), by scene then newest first."""
        stmt = select(QrCode).order_by(QrCode.scene, QrCode.created_at.desc(), QrCode.id.desc())
        if branch_id is not None:
            stmt = stmt.where(QrCode.branch_id == branch_id)
        return list(self.session.scalars(stmt))

    def print_targets(self, branch_codes: Sequence[str] | None) -> list[Branch]:
        """Return the branches (all, or those named) with their managers loaded, by code."""
        stmt = select(Branch).options(selectinload(Branch.managers)).order_by(Branch.code)
        if branch_codes is not None:
            stmt = stmt.where(Branch.code.in_(branch_codes))
        return list(self.session.scalars(stmt))

    def touch_facts(self, start: datetime | None, end: datetime | None,
                    branch_id: int | None) -> list[TouchFact]:
        """Return touches in [start, end) with branch and manager codes, oldest first."""
        stmt = (select(Touch.kind, Touch.scene, Branch.code, Manager.code, Touch.campaign,
                       Touch.occurred_at)
                .outerjoin(Branch, Branch.id == Touch.branch_id)
                .outerjoin(Manager, Manager.id == Touch.manager_id)
                .order_by(Touch.occurred_at, Touch.id))
        if start is not None:
            stmt = stmt.where(Touch.occurred_at >= start)
        if end is not None:
            stmt = stmt.where(Touch.occurred_at < end)
        if branch_id is not None:
            stmt = stmt.where(Touch.branch_id == branch_id)
        return [TouchFact(*row) for row in self.session.execute(stmt)]
