"""Product commands: "详情 <code>", "我要预约 <code>", the personalisation switch, product menus."""

from datetime import timedelta

from bot import answers, texts
from bot.context import HandlerContext
from bot.wechat.messages import Message
from bot.wechat.replies import Reply, TextReply
from crm_core import services


def handle_details(msg: Message, ctx: HandlerContext) -> Reply | None:
    """Show one product's details, or why it is not offered to this customer."""
    return answers.details(msg.argument.upper(), msg, ctx)


def handle_interest(msg: Message, ctx: HandlerContext) -> Reply | None:
    """Open a lead about a product for the customer's manager, who is notified."""
    code = msg.argument.upper()
    if not code:
        return TextReply(texts.AUTOMATED + texts.INTEREST_USAGE)
    sla = timedelta(minutes=ctx.contact_sla_minutes)
    outcome = services.request_product_lead(ctx.uow, msg.sender, code, ctx.now, sla)
    card = services.product_card(ctx.uow, code)
    if outcome is None or card is None:
        return TextReply(texts.AUTOMATED + texts.DETAILS_UNKNOWN.format(code=code))
    return TextReply(texts.interest_received(card.name, outcome.manager, outcome.duplicate,
                                             ctx.contact_sla_minutes))


def handle_personalise_off(msg: Message, ctx: HandlerContext) -> Reply | None:
    """Stop using the customer's profile to order product answers."""
    services.set_personalised(ctx.uow, msg.sender, False, ctx.now)
    return TextReply(texts.PERSONALISE_OFF)


def handle_personalise_on(msg: Message, ctx: HandlerContext) -> Reply | None:
    """Use the customer's profile to order product answers again."""
    services.set_personalised(ctx.uow, msg.sender, True, ctx.now)
    return TextReply(texts.PERSONALISE_ON)


def handle_menu(msg: Message, ctx: HandlerContext) -> Reply | None:
    """Answer a product menu click with the products of its category."""
    category = texts.PRODUCT_MENUS.get(msg.event_key or "")
    return answers.answer_category(category, msg, ctx) if category else None
