"""The QR code registry and touch facts in memory."""

from collections.abc import Sequence
from datetime import datetime

from crm_core.model import Branch, CodeKind, Manager, QrCode, Touch, TouchFact
from tests.fakes.store import FakeStore


class FakeCodes:
    """The QR code registry in memory; touches and names come from the same store."""

    def __init__(self, store: FakeStore) -> None:
        self.store = store

    @property
    def items(self) -> list[QrCode]:
        return self.store.rows(QrCode)

    def latest(self, scene: str) -> QrCode | None:
        mine = [c for c in self.items if c.scene == scene]
        return max(mine, key=lambda c: (c.created_at, c.id), default=None)

    def add(self, code: QrCode) -> None:
        self.store.add(code)

    def count_permanent(self) -> int:
        return sum(c.kind is CodeKind.PERMANENT for c in self.items)

    def listing(self, branch_id: int | None) -> list[QrCode]:
        mine = [c for c in self.items if branch_id is None or c.branch_id == branch_id]
        newest = sorted(mine, key=lambda c: (c.created_at, c.id), reverse=True)
        return sorted(newest, key=lambda c: c.scene)

    def print_targets(self, branch_codes: Sequence[str] | None) -> list[Branch]:
        return sorted((b for b in self.store.rows(Branch)
                       if branch_codes is None or b.code in branch_codes), key=lambda b: b.code)

    def touch_facts(self, start: datetime | None, end: datetime | None,
                    branch_id: int | None) -> list[TouchFact]:
        touches = [t for t in self.store.rows(Touch)
                   if (start is None or t.occurred_at >= start)
                   and (end is None or t.occurred_at < end)
                   and (branch_id is None or t.branch_id == branch_id)]
        return [self._fact(t) for t in sorted(touches, key=lambda t: (t.occurred_at, t.id))]

    def _fact(self, touch: Touch) -> TouchFact:
        branch = self.store.get(Branch, touch.branch_id) if touch.branch_id else None
        manager = self.store.get(Manager, touch.manager_id) if touch.manager_id else None
        return TouchFact(touch.kind, touch.scene, branch.code if branch else None,
                         manager.code if manager else None, touch.campaign, touch.occurred_at)
