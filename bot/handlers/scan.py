"""A follower scanned a parametric QR code: a touch, and a link only if they have no manager."""

from bot import texts
from bot.context import HandlerContext
from bot.wechat.messages import Message
from bot.wechat.replies import Reply, TextReply
from crm_core import services


def handle(msg: Message, ctx: HandlerContext) -> Reply | None:
    """Record the scan; tell a newly linked customer who their manager is."""
    if not msg.scene:
        return None
    arrival = services.scan(ctx.uow, msg.sender, msg.scene, ctx.now)
    services.credit_follow(ctx.uow, msg.sender, msg.scene, ctx.now)  # came through a share?
    if arrival.newly_linked:
        return TextReply(texts.welcome(arrival.manager, returning=True))
    return TextReply(texts.my_manager(arrival.manager))
