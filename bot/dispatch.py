"""Which handler answers which message, and the one place unexpected handler errors go."""

import logging
from collections.abc import Callable, Mapping
from types import MappingProxyType

from bot import texts
from bot.context import HandlerContext
from bot.handlers import (
    bind,
    click,
    contact,
    fallback,
    job_finish,
    location,
    mass_finish,
    optout,
    products,
    referral,
    scan,
    subscribe,
    talk,
    text,
    unsubscribe,
    view,
)
from bot.labels import label
from bot.spool import delivery_ref
from bot.wechat.messages import Message
from bot.wechat.replies import NewsReply, Reply, TextReply
from crm_core.model import Direction
from crm_core.services import ExchangeEntry

log = logging.getLogger(__name__)
PLATFORM_EVENTS = frozenset({"event:templatesendjobfinish", "event:masssendjobfinish"})

Handler = Callable[[Message, HandlerContext], Reply | None]
# (kind, command): the command is a text's first word or a menu key; None matches any.
Route = tuple[str, str | None]


def handler_table(*entries: tuple[Route, Handler]) -> Mapping[Route, Handler]:
    """Build a read-only handler table, refusing a route registered twice."""
    table: dict[Route, Handler] = {}
    for route, handler in entries:
        if route in table:
            raise ValueError(f"two handlers registered for {route!r}")
        table[route] = handler
    return MappingProxyType(table)


HANDLERS = handler_table(
    (("event:subscribe", None), subscribe.handle),
    (("event:scan", None), scan.handle),
    (("event:unsubscribe", None), unsubscribe.handle),
    (("text", texts.BIND_COMMAND), bind.handle),
    *((("text", word), text.handle_my_manager) for word in texts.MY_MANAGER_KEYWORDS),
    (("text", texts.UNBIND_COMMAND), bind.handle_unbind),
    (("text", texts.REFERRAL_COMMAND), referral.handle),
    *((("text", word), contact.handle) for word in texts.CONTACT_KEYWORDS),
    *((("text", word), talk.handle_open) for word in texts.TALK_KEYWORDS),
    (("event:click", texts.MENU_TALK), talk.handle_open),
    (("text", texts.DETAILS_COMMAND), products.handle_details),
    (("text", texts.INTEREST_COMMAND), products.handle_interest),
    (("text", texts.PERSONALISE_OFF_COMMAND), products.handle_personalise_off),
    (("text", texts.PERSONALISE_ON_COMMAND), products.handle_personalise_on),
    *((("text", word), optout.handle_opt_out) for word in texts.OPT_OUT_KEYWORDS),
    (("text", texts.OPT_IN_COMMAND), optout.handle_opt_in),
    (("text", None), text.handle),
    (("event:click", texts.MENU_APPOINTMENT), contact.handle),
    *((("event:click", key), products.handle_menu) for key in texts.PRODUCT_MENUS),
    (("event:click", None), click.handle),
    (("event:view", None), view.handle),
    (("event:location", None), location.handle),
    (("location", None), location.handle),
    (("event:templatesendjobfinish", None), job_finish.handle),
    (("event:masssendjobfinish", None), mass_finish.handle),
)


# Handlers that read and write nothing but the record of the exchange (which dispatch
# writes): their message is answered from what is known, and the record follows in a batch.
READ_ONLY: frozenset[Handler] = frozenset({
    text.handle_my_manager, click.handle, view.handle, location.handle, fallback.handle})


def route(msg: Message) -> Handler:
    """Return the handler for a message: its exact command first, then its kind, else fallback."""
    return (HANDLERS.get((msg.kind, msg.command)) or HANDLERS.get((msg.kind, None))
            or fallback.handle)


def answer(msg: Message, ctx: HandlerContext) -> Reply | None:
    """Run the message's handler; a customer's message without a command of its own goes to
    their open conversation first (commands keep working mid-conversation)."""
    handler = route(msg)
    if _relayed(msg):
        return talk.relay(msg, ctx, handler)
    return handler(msg, ctx)


def read_only(msg: Message) -> Handler | None:
    """Return the handler of a message answered from reads alone (READ_ONLY, never relayed
    into a conversation), None for any other message."""
    handler = route(msg)
    if handler not in READ_ONLY or _relayed(msg) or msg.kind in PLATFORM_EVENTS:
        return None
    return handler


def exchange(msg: Message, reply: Reply | None, ctx: HandlerContext) -> list[ExchangeEntry]:
    """Describe both sides of an exchange for the customer's timeline (nothing for the
    platform's own reports: they are not the customer's)."""
    if msg.kind in PLATFORM_EVENTS:
        return []
    entries: list[ExchangeEntry] = [(Direction.IN, msg.kind, summarize(msg), None)]
    if reply is not None:
        entries.append((Direction.OUT, "reply",
                        texts.REPLY_SUMMARY.format(content=_reply_text(reply)),
                        ctx.evidence or None))
    return entries


def _relayed(msg: Message) -> bool:
    commanded = msg.command is not None and (msg.kind, msg.command) in HANDLERS
    return msg.kind in talk.RELAYED and not commanded


def summarize(msg: Message) -> str:
    """Describe a message for the interaction timeline."""
    template = texts.SUMMARY.get(msg.kind, texts.SUMMARY_OTHER)
    scene = f"（{msg.scene}）" if msg.scene else ""
    content = msg.content or ""
    if msg.command == texts.BIND_COMMAND:
        content = f"{texts.BIND_COMMAND} ********"  # a one-time code is a credential
    return template.format(content=content, label=msg.label or "", scene=scene,
                           event_key=texts.menu_name(msg.event_key or ""),
                           kind=label("message_kind", msg.kind))


def report(error: BaseException, msg: Message) -> None:
    """The funnel for unexpected errors: log the traceback with the delivery's digest, no
    content."""
    ref = delivery_ref(msg.dedupe_key)
    log.error("handler failed for %s (%s)", ref, msg.kind, exc_info=error,
              extra={"delivery": ref, "kind": msg.kind})


def _reply_text(reply: Reply) -> str:
    if isinstance(reply, TextReply):
        return reply.content
    assert isinstance(reply, NewsReply)  # noqa: S101 - the Reply union has two members
    return "；".join(article.title for article in reply.articles)
