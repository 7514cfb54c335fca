"""MASSSENDJOBFINISH: the platform's final counts of a campaign's mass-send batch."""

from bot.context import HandlerContext
from bot.wechat.messages import Message
from bot.wechat.replies import Reply
from crm_core.services.campaigns import sending


def handle(msg: Message, ctx: HandlerContext) -> Reply | None:
    """Record the batch's sent and failed counts; the platform expects no reply."""
    if msg.msg_id and msg.msg_id.isdigit():
        sending.mass_job_finished(ctx.uow, int(msg.msg_id), msg.sent_count, msg.error_count)
    return None
