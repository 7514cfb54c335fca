"""A manager binds (or unbinds) their own WeChat account: "绑定 <code>" / "解除绑定"."""

from datetime import timedelta

from bot import texts
from bot.context import HandlerContext
from bot.wechat.messages import Message
from bot.wechat.replies import Reply, TextReply
from crm_core import services
from crm_core.services import BindResult


def handle(msg: Message, ctx: HandlerContext) -> Reply | None:
    """Bind with a one-time code, throttling repeated wrong codes."""
    if not msg.argument:
        return TextReply(texts.BIND_USAGE)
    window = timedelta(minutes=ctx.binding.failure_window_minutes)
    outcome = services.bind_manager(ctx.uow, msg.sender, msg.argument, ctx.now,
                                    ctx.binding.max_failures, window)
    card = outcome.manager
    if outcome.result is BindResult.BOUND and card:
        return TextReply(texts.BIND_OK.format(name=card.name, branch=card.branch_name))
    if outcome.result is BindResult.TAKEN and card:
        return TextReply(texts.BIND_TAKEN.format(name=card.name))
    if outcome.result is BindResult.THROTTLED:
        return TextReply(texts.BIND_THROTTLED)
    return TextReply(texts.BIND_WRONG)


def handle_unbind(msg: Message, ctx: HandlerContext) -> Reply | None:
    """Undo the binding of the sender's WeChat account."""
    card = services.bound_manager(ctx.uow, msg.sender)
    if card is None:
        return TextReply(texts.UNBIND_NONE)
    services.unbind_manager(ctx.uow, card.code, ctx.now, actor=msg.sender)
    return TextReply(texts.UNBIND_OK)
