"""A follow, with or without a parametric QR scene: link to a manager and welcome."""

from bot import texts
from bot.context import HandlerContext
from bot.wechat.messages import Message
from bot.wechat.replies import Reply, TextReply
from crm_core import services


def handle(msg: Message, ctx: HandlerContext) -> Reply | None:
    """Record the follow, link the customer, and greet them with their manager's name."""
    arrival = services.follow(ctx.uow, msg.sender, msg.scene, ctx.now, ctx.default_branch)
    services.credit_follow(ctx.uow, msg.sender, msg.scene, ctx.now)  # came through a share?
    return TextReply(texts.welcome(arrival.manager, arrival.returning))
