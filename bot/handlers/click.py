"""Custom menu clicks."""

from bot import texts
from bot.context import HandlerContext
from bot.wechat.messages import Message
from bot.wechat.replies import Reply, TextReply
from crm_core import services


def handle(msg: Message, ctx: HandlerContext) -> Reply | None:
    """Answer the menu keys we know; say a key we do not know is coming soon."""
    if msg.event_key == texts.MENU_MY_MANAGER:
        return TextReply(texts.my_manager(services.my_manager(ctx.uow, msg.sender)))
    return TextReply(texts.UNKNOWN_MENU)
