"""An unfollow: the customer's link and history are kept for a later refollow."""

from bot.context import HandlerContext
from bot.wechat.messages import Message
from bot.wechat.replies import Reply
from crm_core import services


def handle(msg: Message, ctx: HandlerContext) -> Reply | None:
    """Record the unfollow; the platform shows nothing to an unfollowed user."""
    services.unfollow(ctx.uow, msg.sender, ctx.now)
    return None
