"""Everything without a handler of its own."""

from bot import texts
from bot.context import HandlerContext
from bot.wechat.messages import Message
from bot.wechat.replies import Reply, TextReply

USER_MESSAGES = frozenset({"image", "voice", "video", "shortvideo", "link", "file"})


def handle(msg: Message, ctx: HandlerContext) -> Reply | None:
    """Tell a customer who sent media we read text; answer events with `success`."""
    return TextReply(texts.UNSUPPORTED) if msg.msg_type in USER_MESSAGES else None
