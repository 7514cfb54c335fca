"""Product commands and menus reach the product handlers; other text keeps its handler."""

import pytest

from bot.dispatch import route
from bot.handlers import products, text
from bot.wechat.messages import parse_message
from bot.wechat.simulator import event_xml, text_xml


@pytest.mark.parametrize(("xml", "handler"), [
    (text_xml("u", "详情 WM001"), products.handle_details),
    (text_xml("u", "我要预约 WM001"), products.handle_interest),
    (text_xml("u", "关闭个性化推荐"), products.handle_personalise_off),
    (text_xml("u", "开启个性化推荐"), products.handle_personalise_on),
    (event_xml("u", "CLICK", "PRODUCTS_WEALTH"), products.handle_menu),
    (text_xml("u", "大额存单利率多少"), text.handle),  # free text: answered by text.handle
])
def test_product_messages_reach_their_handler(xml: str, handler) -> None:  # type: ignore[no-untyped-def]
    assert route(parse_message(xml)) is handler
