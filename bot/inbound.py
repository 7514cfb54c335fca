"""Processing one verified message exactly once: dedupe, answer, render, commit.

Every message is stored with its reply and the exchange to put on the customer's timeline,
which follows in a worker's batch (or before the sender's next message that writes, whichever
comes first). A message whose handler only reads (the customer's manager, a menu, a location)
takes a shorter way: it is answered from what is known and stored in one write."""

import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.exc import InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout

from bot import texts
from bot.context import HandlerContext, HandlerPolicy
from bot.dispatch import Handler, answer, exchange, read_only, report
from bot.group_commit import GroupCommit
from bot.metrics import DEDUPE_HITS, GROUP_COMMITS, SPOOLED
from bot.spool import FAILED, PENDING, Spool, delivery_ref
from bot.wechat.messages import MalformedMessage, Message, parse_message
from bot.wechat.replies import TextReply, render_reply
from crm_core.model import utcnow
from crm_core.services import (
    AnsweredAtOnce,
    answer_at_once,
    answer_delivery,
    claim_delivery,
    record_deferred,
    stored_reply,
)
from crm_core.unit_of_work import DuplicateDelivery, DuplicateError, UnitOfWork

CHANNEL = "wechat"
ANSWERED_EVENTS = frozenset({"event:subscribe", "event:scan", "event:click"})
log = logging.getLogger(__name__)

# Outage of the database: the message is spooled to disk and processed when it is back. A
# stall counts once a timeout fires: connect, statement, lock, the pool's or the client's cut.
OUTAGE = (OperationalError, InterfaceError, PoolTimeout)


class NotRecorded(Exception):
    """Neither the database nor the spool took the message: it must be sent again."""


@dataclass(frozen=True)
class Replayed:
    """What one pass over a spool folder did."""

    done: int
    parked: int


class Inbound:
    """The path every verified message takes after the gate."""

    def __init__(self, uow_factory: Callable[[], UnitOfWork], spool: Spool,
                 policy: HandlerPolicy | None = None) -> None:
        self.uow_factory = uow_factory
        self.spool = spool
        self.policy = policy or HandlerPolicy()
        self.answers = GroupCommit(self._store_answered)

    def receive(self, msg: Message, xml: str) -> str:
        """Process a message and return the reply; never lose it, whatever fails.

        Raises NotRecorded when neither the database nor the spool could keep it.
        """
        try:
            return self.process(msg)
        except OUTAGE:
            self._keep(msg, xml, PENDING)
            log.warning("database unavailable, spooled %s", delivery_ref(msg.dedupe_key),
                        extra=delivery(msg))
            return self._holding_reply(msg, texts.SPOOLED)
        except Exception as error:  # The one funnel for handler bugs: park, apologise.
            report(error, msg)
            self._keep(msg, xml, FAILED)
            return self._holding_reply(msg, texts.SORRY)

    def _keep(self, msg: Message, xml: str, folder: str) -> None:
        try:
            self.spool.put(msg.dedupe_key, xml, folder)
        except OSError as error:
            log.error("could not spool %s: %s", delivery_ref(msg.dedupe_key),
                      error.strerror or error, extra=delivery(msg))
            raise NotRecorded(msg.dedupe_key) from error
        SPOOLED.labels(folder).inc()

    def process(self, msg: Message) -> str:
        """Process once; a twin delivery gets the reply the first one stored."""
        try:
            return self._process_or_answer_twin(msg)
        except DuplicateError:
            # A concurrent message took a unique row first (a link, when two codes are scanned
            # at once): its work is committed now, so the second attempt builds on it.
            log.info("conflict with a concurrent message, processing %s again",
                     delivery_ref(msg.dedupe_key), extra=delivery(msg))
            return self._process_or_answer_twin(msg)

    def replay_spool(self, folder: str = PENDING) -> Replayed:
        """Process spooled messages, oldest first: each one done is removed, each one that
        fails is parked, and an outage (raised) stops the pass with the rest kept."""
        outcomes = [self._replay_file(path) for path in self.spool.waiting(folder)]
        return Replayed(done=outcomes.count(True), parked=outcomes.count(False))

    def _replay_file(self, path: Path) -> bool | None:
        try:
            msg = parse_message(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return None  # another replay (a worker, the command) took it meanwhile
        except (MalformedMessage, UnicodeDecodeError):
            log.error("unreadable spooled message, parked %s", self.spool.park(path).name)
            return False
        try:
            self.process(msg)
        except OUTAGE:
            raise
        except Exception as error:  # The funnel again: set it aside, replay the others.
            report(error, msg)
            log.error("parked %s", self.spool.park(path).name, extra=delivery(msg))
            return False
        path.unlink(missing_ok=True)
        return True

    def _process_or_answer_twin(self, msg: Message) -> str:
        try:
            return self._process_once(msg)
        except DuplicateDelivery:
            with self.uow_factory() as uow:
                reply = stored_reply(uow, CHANNEL, msg.dedupe_key)
            if reply is None:
                raise  # No twin stored a reply (twins wait for each other): not a duplicate.
            DEDUPE_HITS.labels(CHANNEL).inc()
            return reply

    def _process_once(self, msg: Message) -> str:
        handler = read_only(msg)
        if handler is not None:
            return self._answer_at_once(msg, handler)
        now = utcnow()
        with self.uow_factory() as uow:
            delivery = claim_delivery(uow, CHANNEL, msg.dedupe_key, now)
            # What the sender's earlier messages left to record comes first: this one may
            # read it (the conversation relay reads the last reply, say).
            record_deferred(uow, CHANNEL, msg.sender)
            ctx = HandlerContext(uow, now, self.policy)
            answered = answer(msg, ctx)
            reply = render_reply(answered, msg, int(time.time()))
            answer_delivery(uow, delivery, reply, msg.sender, exchange(msg, answered, ctx))
            uow.commit()
            return reply

    def _answer_at_once(self, msg: Message, handler: Handler) -> str:
        """Answer from reads alone, then store the delivery with its reply and the exchange
        to record in one write, shared with the messages other threads answer meanwhile
        (group commit): the message is durable before it is answered, and nothing waits on
        the writers' turn but that one statement."""
        now = utcnow()
        with self.uow_factory() as uow:
            uow.read_only()
            ctx = HandlerContext(uow, now, self.policy)
            answered = handler(msg, ctx)
            entries = exchange(msg, answered, ctx)
        reply = render_reply(answered, msg, int(time.time()))
        if not self.answers.submit(AnsweredAtOnce(msg.dedupe_key, now, reply, msg.sender,
                                                  entries)):
            raise DuplicateDelivery(delivery_ref(msg.dedupe_key))
        return reply

    def _store_answered(self, answered: Sequence[AnsweredAtOnce]) -> list[bool]:
        with self.uow_factory() as uow:
            uow.commit_each_statement()
            stored = answer_at_once(uow, CHANNEL, answered)
            uow.commit()
        GROUP_COMMITS.labels(CHANNEL).observe(len(answered))
        return stored

    @staticmethod
    def _holding_reply(msg: Message, text: str) -> str:
        reply = None if msg.event and msg.kind not in ANSWERED_EVENTS else TextReply(text)
        return render_reply(reply, msg, int(time.time()))


def delivery(msg: Message) -> dict[str, str]:
    """The fields that name a delivery in a log line (`extra=`), never its sender."""
    return {"delivery": delivery_ref(msg.dedupe_key), "kind": msg.kind}
