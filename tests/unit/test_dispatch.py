"""The handler table: explicit, loud on duplicates, first the exact command, then the kind."""

import pytest

from bot.dispatch import handler_table, route
from bot.handlers import bind, click, contact, fallback, job_finish, text
from bot.wechat.messages import parse_message
from bot.wechat.simulator import event_xml, text_xml


def test_a_route_registered_twice_is_refused() -> None:
    with pytest.raises(ValueError, match="two handlers"):
        handler_table((("text", None), text.handle), (("text", None), fallback.handle))


@pytest.mark.parametrize(("xml", "handler"), [
    (text_xml("u", "绑定 12345678"), bind.handle),
    (text_xml("u", "解除绑定"), bind.handle_unbind),
    (text_xml("u", "联系客户经理"), contact.handle),
    (text_xml("u", "我的客户经理"), text.handle_my_manager),
    (text_xml("u", "绑定12345678"), text.handle),  # no space: not the command
    (event_xml("u", "CLICK", "APPOINTMENT"), contact.handle),
    (event_xml("u", "CLICK", "MY_MANAGER"), click.handle),
    (event_xml("u", "TEMPLATESENDJOBFINISH"), job_finish.handle),
    (event_xml("u", "kf_create_session"), fallback.handle),
])
def test_messages_reach_the_handler_of_their_command_or_kind(xml: str, handler) -> None:  # type: ignore[no-untyped-def]
    assert route(parse_message(xml)) is handler
