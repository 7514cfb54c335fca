"""A follower scanned a parametric QR code: a touch, and a link only if they have no manager."""

from datetime import timedelta

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
    services.organisations.tag_unit_follower(ctx.uow, msg.sender, msg.scene, ctx.now)
    sla = timedelta(minutes=ctx.contact_sla_minutes)
    # Came through a share? Its interest code also asks for a contact about the product.
    interest = services.follow_through_share(ctx.uow, msg.sender, msg.scene, ctx.now, sla)
    if interest is not None:
        lead = interest.lead
        text = texts.interest_received(interest.product_name, lead.manager, lead.duplicate,
                                       ctx.contact_sla_minutes)
        welcome = texts.welcome(arrival.manager, returning=True) + "\n"
        return TextReply(welcome + text if arrival.newly_linked else text)
    if arrival.newly_linked:
        return TextReply(texts.welcome(arrival.manager, returning=True))
    return TextReply(texts.my_manager(arrival.manager))
