"""Marketing opt-out: "退订"/"TD" stops every campaign channel, "订阅" resumes it."""

from bot import texts
from bot.context import HandlerContext
from bot.wechat.messages import Message
from bot.wechat.replies import Reply, TextReply
from crm_core.services import campaigns


def handle_opt_out(msg: Message, ctx: HandlerContext) -> Reply | None:
    """Stop marketing to the customer and confirm how to resume."""
    campaigns.opt_out(ctx.uow, msg.sender, ctx.now)
    return TextReply(texts.OPT_OUT)


def handle_opt_in(msg: Message, ctx: HandlerContext) -> Reply | None:
    """Resume marketing to the customer (say so if they had not opted out)."""
    resumed = campaigns.opt_in(ctx.uow, msg.sender, ctx.now)
    return TextReply(texts.OPT_IN if resumed else texts.OPT_IN_ALREADY)
