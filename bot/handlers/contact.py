"""A customer asks to be contacted ("联系客户经理", the appointment menu): open a lead."""

from datetime import timedelta

from bot import texts
from bot.context import HandlerContext
from bot.wechat.messages import Message
from bot.wechat.replies import Reply, TextReply
from crm_core import services


def handle(msg: Message, ctx: HandlerContext) -> Reply | None:
    """Open (or find) the customer's lead and confirm who will call back."""
    source = "menu_appointment" if msg.event else "contact_request"
    sla = timedelta(minutes=ctx.contact_sla_minutes)
    outcome = services.open_lead(ctx.uow, msg.sender, source, ctx.now, sla)
    if outcome.manager is None:
        return TextReply(texts.LEAD_NO_MANAGER)
    who = texts.manager_named(outcome.manager)
    template = texts.LEAD_CONFIRMED_AGAIN if outcome.duplicate else texts.LEAD_CONFIRMED
    return TextReply(template.format(who=who, hours=max(1, ctx.contact_sla_minutes // 60)))
