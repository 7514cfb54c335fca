"""A manager refers a customer or organisation from their own WeChat: "转介 1024 对公 备注"."""

from bot import refusals, texts
from bot.context import HandlerContext
from bot.wechat.messages import Message
from bot.wechat.replies import Reply, TextReply
from crm_core.model import Refusal
from crm_core.services import collaboration

PARTS = 3  # subject, line, note


def handle(msg: Message, ctx: HandlerContext) -> Reply | None:
    """Register the referral for the bound manager who sent it, or say why not."""
    referrer = ctx.uow.managers.bound_to(msg.sender)
    if referrer is None:
        return TextReply(texts.REFERRAL_NOT_MANAGER)
    words = msg.argument.split(maxsplit=PARTS - 1)
    line = collaboration.LINES.get(words[1]) if len(words) >= 2 else None
    if line is None:
        return TextReply(texts.REFERRAL_USAGE)
    target, note = words[0], words[2] if len(words) == PARTS else None
    try:
        subject = collaboration.subject_of(ctx.uow, int(target) if target.isdigit() else None,
                                           None if target.isdigit() else target)
        referral = collaboration.refer(ctx.uow, referrer, subject,
                                       collaboration.ReferralRequest(line, note=note),
                                       ctx.policy.referrals, ctx.now)
    except Refusal as error:
        return TextReply(refusals.explain(error))
    receiver = referral.receiver.name if referral.receiver else \
        texts.REFERRAL_QUEUE.format(branch=referral.branch.name)
    return TextReply(texts.REFERRAL_DONE.format(subject=collaboration.subject_label(referral),
                                                receiver=receiver, id=referral.id))
