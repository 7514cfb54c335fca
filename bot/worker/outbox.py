"""Delivering notices: claim due rows, send template messages, record each outcome once."""

import hashlib
import logging
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from bot import texts
from bot.config import Settings, console_url
from bot.metrics import NOTICE_SENDS
from bot.talk_images import read_image
from bot.talk_links import talk_path
from bot.wechat.api import WeChatApi
from bot.wechat.errors import (
    PermanentError,
    QuotaExceededError,
    TokenError,
    TransientError,
    UnknownOutcomeError,
    WeChatApiError,
)
from bot.worker.notices import MissingTemplate, render_notice
from crm_core import services
from crm_core.model import CUSTOMER_KINDS, NoticeKind, NoticeStatus, utcnow
from crm_core.services import NoticeJob
from crm_core.unit_of_work import UnitOfWork

log = logging.getLogger(__name__)


@dataclass
class Report:
    """What one delivery round did."""

    sent: int = 0
    retried: int = 0
    failed: int = 0
    unknown: int = 0
    released: int = 0
    outcomes: dict[int, str] = field(default_factory=dict)
    unrecorded: list[tuple[int, int | None, datetime]] = field(default_factory=list)


class Outbox:
    """One delivery loop over the shared outbox (a worker runs `[outbox] senders` of them)."""

    def __init__(self, uow_factory: Callable[[], UnitOfWork], api: WeChatApi, settings: Settings,
                 worker_id: str, clock: Callable[[], datetime] = utcnow) -> None:
        self.uow_factory = uow_factory
        self.api = api
        self.settings = settings
        self.worker_id = worker_id
        self.clock = clock
        self.zone = ZoneInfo(settings.leads.timezone)

    def deliver_backlog(self, budget_seconds: float = 10.0) -> int:
        """Deliver batch after batch while full batches come back (within a time budget)."""
        deadline = self.clock() + timedelta(seconds=budget_seconds)
        handled = 0
        while True:
            report = self.deliver_due()
            handled += len(report.outcomes)
            full = len(report.outcomes) >= self.settings.outbox.batch_size
            if not full or report.released or self.clock() >= deadline:
                return handled

    def deliver_due(self) -> Report:
        """Send up to `batch_size` due notices, each claimed just before its own send (a
        worker killed mid-round leaves only this loop's send in flight uncertain); stop the
        round if the quota is spent. A round takes only what was due when it began: a notice it
        put back to wait is the next round's, however short the wait.

        A successful send is recorded with the claim of the next notice (on PostgreSQL in
        the one statement that claims it, committed alone: one round trip per notice); the
        round's last one is recorded as the round ends. A worker killed in between leaves the
        same uncertainty as before: the send in flight. Claims of vanished workers are taken
        over (made unknown) once per round, in its first claim's transaction.
        """
        report, started = Report(), self.clock()
        for turn in range(self.settings.outbox.batch_size):
            job = self._claim(started, report, sweep=turn == 0)
            if job is None or self._deliver(job, report) is not None:
                break
        if report.unrecorded:
            with self.uow_factory() as uow:
                services.record_sends(uow, report.unrecorded)
                uow.commit()
            report.unrecorded.clear()
        return report

    def _claim(self, due_by: datetime, report: Report, sweep: bool) -> NoticeJob | None:
        """Record the sends accepted since the last commit and claim the next notice, in one
        transaction; the round's first also takes over the claims of vanished workers."""
        with self.uow_factory() as uow:
            now = self.clock()
            if sweep:
                services.expire_claims(uow, now)
            else:  # the claim's statements are each whole: no transaction around them
                uow.commit_each_statement()
            job = services.claim_next(uow, self.worker_id, now,
                                      self.settings.outbox.claim_seconds, due_by,
                                      report.unrecorded)
            uow.commit()
        report.unrecorded.clear()
        return job

    def _deliver(self, job: NoticeJob, report: Report) -> datetime | None:
        """Send one notice and record the outcome; return until when sending must pause."""
        try:
            msgid = self._send(job)
        except MissingTemplate as error:
            self._record(job, report, "failed", services.notice_failed, None, str(error))
        except QuotaExceededError as error:
            until = self.clock() + timedelta(seconds=self.settings.outbox.quota_pause_seconds)
            self._pause(job, report, until, error)
            return until
        except UnknownOutcomeError as error:
            self._record(job, report, "unknown", services.notice_failed, error.errcode,
                         str(error), unknown=True)
        except (TransientError, TokenError) as error:
            self._retry(job, report, error)
        except (PermanentError, WeChatApiError) as error:
            self._record(job, report, "failed", services.notice_failed, error.errcode, str(error))
        else:
            report.unrecorded.append((job.id, msgid, self.clock()))
            report.sent += 1
            report.outcomes[job.id] = "sent"
            NOTICE_SENDS.labels("sent").inc()
        return None

    def _send(self, job: NoticeJob) -> int | None:
        if job.kind is NoticeKind.TALK_REPLY:
            self._send_talk(job)
            return None
        if job.kind in CUSTOMER_KINDS and job.kind is not NoticeKind.TALK_PAGE:
            # Customers get a customer-service message: no template for marketing-free notices.
            self.api.send_custom_text(job.openid, texts.MANAGER_CHANGED.format(**job.payload))
            return None
        message = render_notice(job.kind, job.payload, self.settings.notifications, self.zone,
                                self._link_base(job))
        if job.kind is NoticeKind.TALK_PAGE:  # the customer's page, not the console's
            web = self.settings.web
            path = talk_path(web.secret_key, int(job.payload["conversation_id"]))
            message = replace(message, url=web.public_base_url.rstrip("/") + path)
        return self.api.send_template(job.openid, message.template_id, message.data,
                                      url=message.url, client_msg_id=_client_msg_id(job.key))

    def _send_talk(self, job: NoticeJob) -> None:
        """A conversation's message as a customer-service message: news, image or text."""
        if job.payload.get("news"):
            self.api.send_custom_news(job.openid, **job.payload["news"])
        elif job.payload.get("image"):
            name = str(job.payload["image"])
            try:
                kind, data = read_image(Path(self.settings.talk.media_dir), name)
            except FileNotFoundError as error:
                raise PermanentError(None, f"stored image missing: {name}") from error
            media_id = self.api.upload_media("image", name, kind, data)
            self.api.send_custom_image(job.openid, media_id)
        else:
            said = job.payload.get("text") or texts.TALK_SYSTEM[job.payload["say"]]
            self.api.send_custom_text(job.openid, said)

    def _link_base(self, job: NoticeJob) -> str | None:
        return None if job.kind is NoticeKind.TALK_PAGE else console_url(self.settings.web)

    def _retry(self, job: NoticeJob, report: Report, error: WeChatApiError) -> None:
        outbox = self.settings.outbox
        delay = min(outbox.backoff_base_seconds * 2 ** (job.attempts - 1),
                    outbox.backoff_max_seconds)
        with self.uow_factory() as uow:
            status = services.notice_retry(uow, job.id, self.clock(), delay, outbox.max_attempts,
                                           error.errcode, str(error)[:200])
            uow.commit()
        report.retried += 1
        report.outcomes[job.id] = status.value
        NOTICE_SENDS.labels("retried" if status is NoticeStatus.PENDING else "dead").inc()
        log.info("notice %s will be retried (%s): %s", job.id, status.value, error)

    def _pause(self, job: NoticeJob, report: Report, until: datetime,
               error: WeChatApiError) -> None:
        log.warning("template quota spent (%s); notices wait until %s", error.errcode, until)
        self._release(job, report, until)
        with self.uow_factory() as uow:
            services.pause_notices(uow, until)  # every worker's pending notices, not just ours
            uow.commit()

    def _release(self, job: NoticeJob, report: Report, until: datetime) -> None:
        with self.uow_factory() as uow:
            services.notice_release(uow, job.id, until)
            uow.commit()
        report.outcomes[job.id] = "released"
        report.released += 1
        NOTICE_SENDS.labels("quota").inc()

    def _record(self, job: NoticeJob, report: Report, outcome: str,
                record: Callable[..., None], code: int | None, error: str,
                **kwargs: bool) -> None:
        with self.uow_factory() as uow:
            record(uow, job.id, self.clock(), code, error[:200], **kwargs)
            uow.commit()
        setattr(report, outcome, getattr(report, outcome) + 1)
        report.outcomes[job.id] = outcome
        NOTICE_SENDS.labels(outcome).inc()
        log.warning("notice %s %s: %s", job.id, outcome, error)


def _client_msg_id(key: str) -> str:
    # The platform sends one message per openid + client_msg_id within ten minutes.
    return hashlib.sha256(key.encode()).hexdigest()[:32]
