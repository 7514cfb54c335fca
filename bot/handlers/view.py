"""A menu link was opened: recorded by dispatch; the platform shows no reply."""

from bot.context import HandlerContext
from bot.wechat.messages import Message
from bot.wechat.replies import Reply


def handle(msg: Message, ctx: HandlerContext) -> Reply | None:
    """Nothing to say: the customer is already on the page."""
    return None
