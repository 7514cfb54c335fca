"""Text messages: "我的客户经理", a number picking one of our choices, product questions and
a helpful default."""

import unicodedata

from bot import answers, texts
from bot.context import HandlerContext
from bot.wechat.messages import Message
from bot.wechat.replies import Reply, TextReply
from crm_core import services


def handle(msg: Message, ctx: HandlerContext) -> Reply | None:
    """Answer a picked choice, a product question, or how to ask."""
    content = (msg.content or "").strip()
    number = unicodedata.normalize("NFKC", content)
    if number in texts.CHOICE_REPLIES:
        chosen = answers.answer_choice(int(number), msg, ctx)
        if chosen is not None:
            return chosen
    return answers.answer_question(msg, ctx) or TextReply(texts.HELP)


def handle_my_manager(msg: Message, ctx: HandlerContext) -> Reply | None:
    """Answer who the customer's manager is (read only: see `dispatch.READ_ONLY`)."""
    return TextReply(texts.my_manager(services.my_manager(ctx.uow, msg.sender)))
