"""Conversations with a person: "人工" (and its menu key) opens one; while it is open, what the
customer sends goes to it instead of the bot; after a close, a digit 1–5 rates it.

Commands with a route of their own (绑定, 联系客户经理, 关闭个性化推荐…) never reach `relay`:
the dispatcher sends them to their handlers first, so they keep working mid-conversation.
"""

import unicodedata
from collections.abc import Callable

from bot import texts
from bot.context import HandlerContext
from bot.wechat.messages import Message
from bot.wechat.replies import Reply, TextReply
from crm_core.services import conversations as talk

# What a customer may send into a conversation (the rest goes to its usual handler).
RELAYED = frozenset({"text", "image", "voice", "location"})
Handler = Callable[[Message, HandlerContext], Reply | None]


def handle_open(msg: Message, ctx: HandlerContext) -> Reply | None:
    """Open (or find) the customer's conversation and say who answers, and when."""
    return _open(msg, ctx, "menu" if msg.event else "keyword")


def relay(msg: Message, ctx: HandlerContext, otherwise: Handler) -> Reply | None:
    """Put the message into the customer's open conversation, or rate a closed one, or let
    the usual handler answer (opening a conversation when the bot could not help twice)."""
    body = _body(msg)
    if talk.customer_message(ctx.uow, msg.sender, msg.msg_type, body, msg.media_id,
                             ctx.now) is not None:
        return None  # the person who answers replies through the console
    digit = unicodedata.normalize("NFKC", (msg.content or "").strip())
    if msg.msg_type == "text" and digit in ("1", "2", "3", "4", "5") and \
            talk.rate(ctx.uow, msg.sender, int(digit), ctx.now):
        return TextReply(texts.TALK_RATED)
    reply = otherwise(msg, ctx)
    if _helpless(reply) and talk.last_reply_was(
            ctx.uow, msg.sender, texts.REPLY_SUMMARY.format(content=texts.HELP)):
        opened = _open(msg, ctx, "fallback")
        assert isinstance(opened, TextReply)  # noqa: S101 - _open always says something
        return TextReply(f"{texts.TALK_FROM_FALLBACK}{opened.content}")
    return reply


def _open(msg: Message, ctx: HandlerContext, source: str) -> Reply:
    opened = talk.open_conversation(ctx.uow, msg.sender, source, ctx.now, ctx.policy.timezone)
    who = texts.TALK_MANAGER.format(name=opened.answerer) if opened.answerer \
        else texts.TALK_SERVICE
    if opened.again:
        words = texts.TALK_AGAIN.format(who=who)
    elif opened.answerer:
        words = texts.TALK_OPENED.format(who=who)
    else:
        words = texts.TALK_OPENED_QUEUE
    if opened.opens_at is not None:
        words += texts.TALK_AFTER_HOURS.format(when=texts.talk_when(opened.opens_at))
    return TextReply(words)


def _helpless(reply: Reply | None) -> bool:
    return isinstance(reply, TextReply) and reply.content == texts.HELP


def _body(msg: Message) -> str:
    if msg.msg_type == "voice":
        return msg.recognition or ""
    if msg.msg_type == "image":
        return texts.TALK_IMAGE
    if msg.msg_type == "location":
        return msg.label or f"{msg.latitude},{msg.longitude}"
    return msg.content or ""
