"""TEMPLATESENDJOBFINISH: the platform's final word on a template message we sent."""

from bot.context import HandlerContext
from bot.wechat.messages import Message
from bot.wechat.replies import Reply
from crm_core import services


def handle(msg: Message, ctx: HandlerContext) -> Reply | None:
    """Mark the notice delivered or failed; the platform expects no reply."""
    if msg.msg_id and msg.msg_id.isdigit():
        services.job_finished(ctx.uow, int(msg.msg_id), msg.status or "", ctx.now)
    return None
