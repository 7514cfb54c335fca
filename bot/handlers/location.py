"""Locations: the periodic LOCATION event (silent) and a location sent as a message."""

from bot import texts
from bot.context import HandlerContext
from bot.wechat.messages import Message
from bot.wechat.replies import Reply, TextReply


def handle(msg: Message, ctx: HandlerContext) -> Reply | None:
    """Acknowledge a location the customer sent; stay silent on the automatic report."""
    return None if msg.event else TextReply(texts.LOCATION_RECEIVED)
