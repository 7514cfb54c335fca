"""Processing one verified message exactly once: dedupe, dispatch, render, commit."""

import logging
import time
from collections.abc import Callable

from sqlalchemy.exc import InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout

from bot import texts
from bot.context import HandlerContext, HandlerPolicy
from bot.dispatch import dispatch, report
from bot.spool import FAILED, Spool
from bot.wechat.messages import Message, parse_message
from bot.wechat.replies import TextReply, render_reply
from crm_core.model import utcnow
from crm_core.services import claim_delivery, stored_reply
from crm_core.unit_of_work import DuplicateError, UnitOfWork

CHANNEL = "wechat"
ANSWERED_EVENTS = frozenset({"event:subscribe", "event:scan", "event:click"})
log = logging.getLogger(__name__)

# Outage of the database: the message is spooled to disk and processed when it is back. A
# stall counts once a timeout fires: connect, statement, lock, the pool's or the client's cut.
OUTAGE = (OperationalError, InterfaceError, PoolTimeout)


class Inbound:
    """The path every verified message takes after the gate."""

    def __init__(self, uow_factory: Callable[[], UnitOfWork], spool: Spool,
                 policy: HandlerPolicy | None = None) -> None:
        self.uow_factory = uow_factory
        self.spool = spool
        self.policy = policy or HandlerPolicy()

    def receive(self, msg: Message, xml: str) -> str:
        """Process a message and return the reply; never lose it, whatever fails."""
        try:
            return self.process(msg)
        except OUTAGE:
            log.warning("database unavailable, spooled %s", msg.dedupe_key)
            self.spool.put(msg.dedupe_key, xml)
            return self._holding_reply(msg, texts.SPOOLED)
        except Exception as error:  # The one funnel for handler bugs: park, apologise.
            report(error, msg)
            self.spool.put(msg.dedupe_key, xml, FAILED)
            return self._holding_reply(msg, texts.SORRY)

    def process(self, msg: Message) -> str:
        """Process once; a twin delivery gets the reply the first one stored."""
        try:
            return self._process_once(msg)
        except DuplicateError:
            with self.uow_factory() as uow:
                reply = stored_reply(uow, CHANNEL, msg.dedupe_key)
            return reply if reply is not None else render_reply(None, msg, 0)

    def replay(self, xml: str) -> str:
        """Process a spooled message (raises on outage so the spool keeps it)."""
        return self.process(parse_message(xml))

    def _process_once(self, msg: Message) -> str:
        now = utcnow()
        with self.uow_factory() as uow:
            delivery = claim_delivery(uow, CHANNEL, msg.dedupe_key, now)
            reply = dispatch(msg, HandlerContext(uow, now, self.policy))
            delivery.reply = render_reply(reply, msg, int(time.time()))
            uow.commit()
            return delivery.reply

    @staticmethod
    def _holding_reply(msg: Message, text: str) -> str:
        reply = None if msg.event and msg.kind not in ANSWERED_EVENTS else TextReply(text)
        return render_reply(reply, msg, int(time.time()))
