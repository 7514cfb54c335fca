"""A follow, with or without a parametric QR scene: link to a manager and welcome."""

from datetime import timedelta

from bot import texts
from bot.context import HandlerContext
from bot.wechat.messages import Message
from bot.wechat.replies import Reply, TextReply
from crm_core import services


def handle(msg: Message, ctx: HandlerContext) -> Reply | None:
    """Record the follow, link the customer, and greet them with their manager's name."""
    scene = msg.scene or _opened_share(msg, ctx)
    arrival = services.follow(ctx.uow, msg.sender, scene, ctx.now, ctx.default_branch)
    services.organisations.tag_unit_follower(ctx.uow, msg.sender, scene, ctx.now)
    sla = timedelta(minutes=ctx.contact_sla_minutes)
    # Came through a share? Its interest code also asks for a contact about the product.
    interest = services.follow_through_share(ctx.uow, msg.sender, scene, ctx.now, sla)
    welcome = texts.welcome(arrival.manager, arrival.returning)
    if interest is None:
        return TextReply(welcome)
    lead = interest.lead
    return TextReply(welcome + "\n" + texts.interest_received(
        interest.product_name, lead.manager, lead.duplicate, ctx.contact_sla_minutes))


def _opened_share(msg: Message, ctx: HandlerContext) -> str | None:
    # A follow without a code, by someone web authorisation saw on a shared page: the share.
    if ctx.policy.links is None:
        return None
    since = ctx.now - timedelta(days=ctx.policy.products.follow_window_days)
    return services.opened_share_scene(ctx.uow, ctx.policy.links.visitor_of(msg.sender), since)
