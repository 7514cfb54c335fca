"""Rendering replies to the platform's XML: whatever the text, the XML reads back as it."""

from bot.wechat.messages import parse_document, parse_message
from bot.wechat.replies import Article, NewsReply, TextReply, render_reply
from bot.wechat.simulator import text_xml

QUOTED = "详情 ]]></Content><MsgType>news</MsgType>]]]]>>"


def test_a_text_quoting_the_end_of_cdata_round_trips() -> None:
    msg = parse_message(text_xml("o1", QUOTED, msg_id=1))
    rendered = parse_document(render_reply(TextReply(f"没有找到「{QUOTED}」"), msg, 5))
    assert rendered["Content"] == f"没有找到「{QUOTED}」"
    assert (rendered["MsgType"], rendered["ToUserName"]) == ("text", "o1")


def test_a_news_card_quoting_the_end_of_cdata_round_trips() -> None:
    msg = parse_message(text_xml("o1", "理财", msg_id=2))
    card = Article(title=QUOTED, description="a]]>b", url="https://bank.example/?q=]]>")
    [item] = [parse_document(render_reply(NewsReply((card,)), msg, 5))["Articles"]["item"]]
    assert (item["Title"], item["Description"], item["Url"]) == (
        QUOTED, "a]]>b", "https://bank.example/?q=]]>")
