"""The notice outbox: enqueue with the event, claim for delivery, record every outcome."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from crm_core.model import Customer, Manager, Notice, NoticeKind, NoticeStatus, seconds_since
from crm_core.unit_of_work import UnitOfWork

RETRYABLE = (NoticeStatus.DEAD, NoticeStatus.FAILED, NoticeStatus.UNKNOWN)
MSGID_MAX = 2**63 - 1
STOPPED_WHILE_SENDING = "worker stopped while sending"
# (notice id, the platform's msgid, when it accepted the send)
SentNotice = tuple[int, int | None, datetime]


class NotRetryable(ValueError):
    """The notice may not be sent again from where it stands (`status`)."""

    def __init__(self, notice_id: int, status: NoticeStatus) -> None:
        super().__init__(f"notice {notice_id} is {status.value}, not retryable")
        self.status = status


@dataclass(frozen=True)
class NoticeJob:
    """A claimed notice, as the delivering channel needs it."""

    id: int
    key: str
    kind: NoticeKind
    openid: str
    payload: dict[str, Any]
    attempts: int


def enqueue_notice(uow: UnitOfWork, key: str, kind: NoticeKind, manager: Manager,
                   payload: dict[str, Any], now: datetime) -> bool:
    """Queue a notice unless one with this idempotency key exists; True if queued."""
    status = NoticeStatus.PENDING if manager.openid else NoticeStatus.HELD
    return uow.notices.add_unless_taken(Notice(
        key=key, kind=kind, manager=manager, payload=payload, status=status, attempts=0,
        next_attempt_at=now, created_at=now))


def enqueue_customer_notice(uow: UnitOfWork, key: str, kind: NoticeKind, customer: Customer,
                            payload: dict[str, Any], now: datetime) -> bool:
    """Queue a notice to a customer unless one with this key exists; True if queued."""
    return uow.notices.add_unless_taken(Notice(
        key=key, kind=kind, customer=customer, payload=payload, status=NoticeStatus.PENDING,
        attempts=0, next_attempt_at=now, created_at=now))


def expire_claims(uow: UnitOfWork, now: datetime) -> int:
    """Notices whose worker vanished while sending them (the claim ran out) become unknown:
    the send may have gone out, so they are never resent blindly. Return how many."""
    return uow.notices.expire_claims(now, STOPPED_WHILE_SENDING)


def claim_next(uow: UnitOfWork, worker: str, now: datetime, lease_seconds: float,
               due_by: datetime, sent: Sequence[SentNotice] = ()) -> NoticeJob | None:
    """Record `sent` (sends the platform accepted since the last commit), then claim the
    oldest notice due by `due_by` for a send about to start; notices to a recipient without
    WeChat are held on the way.

    One notice at a time, claimed just before its own send: a worker killed mid-round leaves
    at most the send in flight uncertain, and every notice it had not reached stays due.
    Each statement is whole by itself (see `UnitOfWork.commit_each_statement`).
    """
    until = now + timedelta(seconds=lease_seconds)
    kept = [(notice_id, _kept(msgid), at) for notice_id, msgid, at in sent]
    while (due := uow.notices.claim_next(due_by, worker, until, kept)) is not None:
        kept = []  # recorded
        if due.openid:
            return NoticeJob(due.id, due.key, due.kind, due.openid, dict(due.payload),
                             due.attempts)
    return None


def record_sends(uow: UnitOfWork, sent: Sequence[SentNotice]) -> None:
    """Record sends the platform accepted: (notice id, its msgid, when), by primary key."""
    uow.notices.mark_sent([(notice_id, _kept(msgid), at) for notice_id, msgid, at in sent])


def outbox_backlog(uow: UnitOfWork, now: datetime) -> tuple[int, float]:
    """Return how many notices are due now and how long the oldest has waited (seconds)."""
    count, oldest = uow.notices.backlog(now)
    return count, seconds_since(oldest, now)


def notice_sent(uow: UnitOfWork, notice_id: int, msgid: int | None, now: datetime) -> None:
    """The platform accepted the notice."""
    notice = _get(uow, notice_id)
    notice.wechat_msgid, notice.sent_at = _kept(msgid), now
    _finish(notice, NoticeStatus.SENT, now, None, None)


def notice_retry(uow: UnitOfWork, notice_id: int, now: datetime, delay_seconds: float,
                 max_attempts: int, code: int | None, error: str) -> NoticeStatus:
    """A transient failure: try again after a delay, or give up as a dead letter."""
    notice = _get(uow, notice_id)
    if notice.attempts >= max_attempts:
        _finish(notice, NoticeStatus.DEAD, now, code, error)
        return NoticeStatus.DEAD
    notice.next_attempt_at = now + timedelta(seconds=delay_seconds)
    _finish(notice, NoticeStatus.PENDING, None, code, error)
    return NoticeStatus.PENDING


def notice_release(uow: UnitOfWork, notice_id: int, until: datetime) -> None:
    """Put a claimed notice back untried (for example while the daily quota is spent)."""
    notice = _get(uow, notice_id)
    notice.attempts = max(notice.attempts - 1, 0)
    notice.next_attempt_at = until
    _finish(notice, NoticeStatus.PENDING, None, notice.error_code, notice.error)


def pause_notices(uow: UnitOfWork, until: datetime) -> int:
    """Hold every pending notice until `until` (the platform's quota is spent for all)."""
    return uow.notices.postpone_pending(until)


def notice_failed(uow: UnitOfWork, notice_id: int, now: datetime, code: int | None,
                  error: str, unknown: bool = False) -> None:
    """A permanent failure, or (unknown=True) an outcome we cannot know: never resent blindly."""
    status = NoticeStatus.UNKNOWN if unknown else NoticeStatus.FAILED
    _finish(_get(uow, notice_id), status, now, code, error)


def job_finished(uow: UnitOfWork, msgid: int, status: str, now: datetime) -> bool:
    """Apply the platform's TEMPLATESENDJOBFINISH result; False if the msgid is not ours."""
    notice = uow.notices.by_msgid(msgid) if _storable(msgid) else None
    if notice is None:
        return False
    if status == "success":
        _finish(notice, NoticeStatus.DELIVERED, now, None, None)
    else:
        _finish(notice, NoticeStatus.FAILED, now, None, f"platform: {status}"[:200])
    return True


def _kept(msgid: int | None) -> int | None:
    # A msgid beyond the column's signed 64 bits cannot be kept; the notice is sent all the same.
    return msgid if msgid is not None and _storable(msgid) else None


def _storable(msgid: int) -> bool:
    """The platform's msgids are unsigned 64-bit; the column (BIGINT) holds the signed half."""
    return 0 < msgid <= MSGID_MAX


def retry_notice(uow: UnitOfWork, notice_id: int, now: datetime,
                 retryable: tuple[NoticeStatus, ...] = RETRYABLE) -> Notice:
    """Send a dead, failed or unknown notice again (an operator's decision)."""
    notice = _get(uow, notice_id)
    if notice.status not in retryable:
        raise NotRetryable(notice_id, notice.status)
    notice.attempts, notice.next_attempt_at = 0, now
    _finish(notice, NoticeStatus.PENDING, None, None, None)
    return notice


def release_held(uow: UnitOfWork, manager: Manager, now: datetime) -> int:
    """Make notices that waited for the manager's binding due now."""
    held = uow.notices.held_for(manager)
    for notice in held:
        notice.status, notice.next_attempt_at = NoticeStatus.PENDING, now
    return len(held)


def _get(uow: UnitOfWork, notice_id: int) -> Notice:
    notice = uow.notices.get(notice_id)
    if notice is None:
        raise LookupError(f"no notice {notice_id}")
    return notice


def _finish(notice: Notice, status: NoticeStatus, at: datetime | None, code: int | None,
            error: str | None) -> None:
    notice.status, notice.error_code, notice.error = status, code, error
    notice.claimed_by = notice.claimed_until = None
    if at is not None and status not in (NoticeStatus.PENDING, NoticeStatus.SENT):
        notice.finished_at = at
