"""Leads and the notice outbox in memory."""

from collections.abc import Sequence
from datetime import datetime

from crm_core.model import (
    OPEN_STATUSES,
    Customer,
    DueNotice,
    Lead,
    LeadStatus,
    Manager,
    Notice,
    NoticeStatus,
)
from tests.fakes.store import FakeStore


class FakeLeads:
    """Leads in memory."""

    def __init__(self, store: FakeStore) -> None:
        self.store = store

    @property
    def items(self) -> list[Lead]:
        return self.store.rows(Lead)

    def add_unless_open(self, lead: Lead) -> Lead | None:
        # The model's partial unique indexes on open leads decide, as they do in SQL.
        return lead if self.store.insert_unless_taken(lead) else None

    def get(self, lead_id: int) -> Lead | None:
        return self.store.get(Lead, lead_id)

    def open_for(self, customer: Customer, source: str, product: str | None) -> Lead | None:
        return next((lead for lead in self.items
                     if (lead.customer_id, lead.source, lead.product_code)
                     == (customer.id, source, product) and lead.status in OPEN_STATUSES), None)

    def open_of(self, customer_ids: list[int], manager_id: int) -> list[Lead]:
        return sorted((lead for lead in self.items if lead.customer_id in customer_ids
                       and lead.manager_id == manager_id and lead.status in OPEN_STATUSES),
                      key=lambda lead: lead.id)

    def overdue(self, now: datetime) -> list[Lead]:
        late = [lead for lead in self.items if lead.status is LeadStatus.NEW
                and lead.due_at <= now and lead.escalated_at is None]
        return sorted(late, key=lambda lead: lead.due_at)

    def listing(self, manager: Manager | None, status: LeadStatus | None,
                limit: int) -> list[Lead]:
        found = [lead for lead in self.items
                 if (manager is None or lead.manager_id == manager.id)
                 and (status is None or lead.status is status)]
        return sorted(found, key=lambda lead: lead.id, reverse=True)[:limit]

    def open_counts(self, now: datetime) -> dict[int, tuple[int, int]]:
        counts: dict[int, tuple[int, int]] = {}
        for lead in self.items:
            if lead.status in OPEN_STATUSES and lead.manager_id is not None:
                late = lead.status is LeadStatus.NEW and lead.due_at <= now
                n, overdue = counts.get(lead.manager_id, (0, 0))
                counts[lead.manager_id] = (n + 1, overdue + late)
        return counts


class FakeNotices:
    """The outbox in memory."""

    def __init__(self, store: FakeStore) -> None:
        self.store = store

    @property
    def items(self) -> list[Notice]:
        return self.store.rows(Notice)

    def add(self, notice: Notice) -> None:
        self.store.add(notice)

    def add_unless_taken(self, notice: Notice) -> bool:
        return self.store.insert_unless_taken(notice)

    def by_key(self, key: str) -> Notice | None:
        return next((n for n in self.items if n.key == key), None)

    def get(self, notice_id: int) -> Notice | None:
        return self.store.get(Notice, notice_id)

    def by_msgid(self, msgid: int) -> Notice | None:
        return next((n for n in self.items if n.wechat_msgid == msgid), None)

    def _next_due(self, now: datetime) -> Notice | None:
        due = [n for n in self.items
               if n.status is NoticeStatus.PENDING and n.next_attempt_at <= now]
        return min(due, key=lambda n: n.id, default=None)

    def backlog(self, now: datetime) -> tuple[int, datetime | None]:
        due = [n.next_attempt_at for n in self.items
               if n.status is NoticeStatus.PENDING and n.next_attempt_at <= now]
        return len(due), min(due, default=None)

    def claim_next(self, due_by: datetime, worker: str, until: datetime,
                   sent: Sequence[tuple[int, int | None, datetime]] = ()) -> DueNotice | None:
        self.mark_sent(sent)
        notice = self._next_due(due_by)
        if notice is None:
            return None
        if notice.recipient_openid:
            notice.status, notice.claimed_by = NoticeStatus.SENDING, worker
            notice.claimed_until, notice.attempts = until, notice.attempts + 1
        else:
            notice.status = NoticeStatus.HELD
        return DueNotice(notice.id, notice.key, notice.kind, notice.payload, notice.attempts,
                         notice.recipient_openid)

    def mark_sent(self, sent: Sequence[tuple[int, int | None, datetime]]) -> None:
        for notice_id, msgid, at in sent:
            notice = self._row(notice_id)
            notice.status, notice.wechat_msgid, notice.sent_at = NoticeStatus.SENT, msgid, at
            notice.error_code = notice.error = notice.claimed_by = notice.claimed_until = None

    def _row(self, notice_id: int) -> Notice:
        notice = self.store.get(Notice, notice_id)
        assert notice is not None
        return notice

    def expire_claims(self, now: datetime, error: str) -> int:
        stale = [n for n in self.items if n.status is NoticeStatus.SENDING
                 and n.claimed_until is not None and n.claimed_until < now]
        for notice in stale:
            notice.status, notice.error_code, notice.error = NoticeStatus.UNKNOWN, None, error
            notice.claimed_by = notice.claimed_until = None
            notice.finished_at = now
        return len(stale)

    def held_for(self, manager: Manager) -> list[Notice]:
        return [n for n in self.items
                if n.manager_id == manager.id and n.status is NoticeStatus.HELD]

    def listing(self, status: NoticeStatus | None, limit: int) -> list[Notice]:
        found = [n for n in self.items if status is None or n.status is status]
        return sorted(found, key=lambda n: n.id, reverse=True)[:limit]

    def postpone_pending(self, until: datetime) -> int:
        pending = [n for n in self.items
                   if n.status is NoticeStatus.PENDING and n.next_attempt_at < until]
        for notice in pending:
            notice.next_attempt_at = until
        return len(pending)
