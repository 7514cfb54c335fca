"""Which handler answers which message, and the one place unexpected handler errors go."""

import logging
from collections.abc import Callable, Mapping
from types import MappingProxyType

from bot import texts
from bot.context import HandlerContext
from bot.handlers import click, fallback, location, scan, subscribe, text, unsubscribe, view
from bot.wechat.messages import Message
from bot.wechat.replies import NewsReply, Reply, TextReply
from crm_core.model import Direction
from crm_core.services import record_interaction

log = logging.getLogger(__name__)

Handler = Callable[[Message, HandlerContext], Reply | None]


def handler_table(*entries: tuple[str, Handler]) -> Mapping[str, Handler]:
    """Build a read-only handler table, refusing a kind registered twice."""
    table: dict[str, Handler] = {}
    for kind, handler in entries:
        if kind in table:
            raise ValueError(f"two handlers registered for {kind!r}")
        table[kind] = handler
    return MappingProxyType(table)


HANDLERS = handler_table(
    ("event:subscribe", subscribe.handle),
    ("event:scan", scan.handle),
    ("event:unsubscribe", unsubscribe.handle),
    ("text", text.handle),
    ("event:click", click.handle),
    ("event:view", view.handle),
    ("event:location", location.handle),
    ("location", location.handle),
)


def dispatch(msg: Message, ctx: HandlerContext) -> Reply | None:
    """Run the message's handler (or the fallback) and record both sides of the exchange."""
    reply = HANDLERS.get(msg.kind, fallback.handle)(msg, ctx)
    record_interaction(ctx.uow, msg.sender, Direction.IN, msg.kind, summarize(msg), ctx.now)
    if reply is not None:
        record_interaction(ctx.uow, msg.sender, Direction.OUT, "reply",
                           texts.REPLY_SUMMARY.format(content=_reply_text(reply)), ctx.now)
    return reply


def summarize(msg: Message) -> str:
    """Describe a message for the interaction timeline."""
    template = texts.SUMMARY.get(msg.kind, texts.SUMMARY_OTHER)
    scene = f"（{msg.scene}）" if msg.scene else ""
    return template.format(content=msg.content or "", label=msg.label or "", scene=scene,
                           event_key=msg.event_key or "", kind=msg.kind)


def report(error: BaseException, msg: Message) -> None:
    """The funnel for unexpected errors: log the traceback with the delivery key, no content."""
    log.error("handler failed for %s (%s)", msg.dedupe_key, msg.kind, exc_info=error)


def _reply_text(reply: Reply) -> str:
    if isinstance(reply, TextReply):
        return reply.content
    assert isinstance(reply, NewsReply)  # noqa: S101 - the Reply union has two members
    return "；".join(article.title for article in reply.articles)
