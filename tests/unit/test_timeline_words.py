"""The customer timeline staff read names menu buttons and message kinds in Chinese, not the
platform's keys (`MY_MANAGER`, `image`)."""

import pytest

from bot.dispatch import summarize
from bot.wechat.messages import Message


def message(msg_type: str, **fields: str) -> Message:
    return Message(msg_type, "o-1", "gh_bank", 1_700_000_000, **fields)  # type: ignore[arg-type]


@pytest.mark.parametrize(("key", "said"), [
    ("MY_MANAGER", "点击菜单：我的客户经理"), ("APPOINTMENT", "点击菜单：预约"),
    ("PRODUCTS_WEALTH", "点击菜单：理财"), ("SOMETHING_NEW", "点击菜单：SOMETHING_NEW"),
])
def test_a_menu_click_names_the_button(key: str, said: str) -> None:
    assert summarize(message("event", event="click", event_key=key)) == said


@pytest.mark.parametrize(("msg_type", "said"), [
    ("image", "消息（图片）"), ("voice", "消息（语音）"), ("video", "消息（视频）")])
def test_other_messages_are_named_by_kind(msg_type: str, said: str) -> None:
    assert summarize(message(msg_type)) == said
