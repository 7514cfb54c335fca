"""Passive replies: typed frozen values, rendered to the platform's XML at the edge."""

from dataclasses import dataclass

from wechatpy import replies as wx

from bot.wechat.messages import Message

NO_REPLY = "success"  # What the platform wants when nothing is to be said.


@dataclass(frozen=True)
class TextReply:
    """A plain text answer."""

    content: str


@dataclass(frozen=True)
class Article:
    """One card of a news reply."""

    title: str
    description: str
    url: str
    image: str = ""


@dataclass(frozen=True)
class NewsReply:
    """A news (card) answer; the platform shows at most 8 cards (1 for service messages)."""

    articles: tuple[Article, ...]


Reply = TextReply | NewsReply


def render_reply(reply: Reply | None, message: Message, at: int) -> str:
    """Render a reply to `message` as XML, or `success` when there is nothing to say."""
    if reply is None:
        return NO_REPLY
    common = {"source": _cdata(message.recipient), "target": _cdata(message.sender), "time": at}
    if isinstance(reply, TextReply):
        return str(wx.TextReply(content=_cdata(reply.content), **common).render())
    news = wx.ArticlesReply(**common)
    for article in reply.articles[:8]:
        news.add_article({"title": _cdata(article.title),
                          "description": _cdata(article.description),
                          "url": _cdata(article.url), "image": _cdata(article.image)})
    return str(news.render())


def _cdata(text: str) -> str:
    # wechatpy wraps every value in one CDATA section, which a "]]>" in the text would end:
    # close the section between "]]" and ">" and open another, so the text reads back whole.
    return text.replace("]]>", "]]]]><![CDATA[>")
