"""The JS-SDK signature and the text of a forwarded product page's card."""

import hashlib
from dataclasses import replace

from bot import texts
from bot.web.share_card import DESC_MAX, share_data
from bot.wechat.jssdk import js_config, jsapi_signature
from tests.product_support import sample_cards

# The platform's documented example (JS-SDK 说明文档, 附录1).
TICKET = ("sM4AOVdWfPE4DxkXGEs8VMCPGGVi4C3VM0P37wVUCFvkVAy_90u5h9nbSlYy3-Sl-HhTdfl2fzFy1AOcHKP7qg")


def test_the_signature_matches_the_platforms_example() -> None:
    signature = jsapi_signature(TICKET, "Wm3WZYTPz0wzccnW", 1414587457,
                                "http://mp.weixin.qq.com?params=value")
    assert signature == "0f9de62fce790f9a083d5c99e95740ceb90c27ed"


def test_a_config_signs_the_url_without_its_fragment() -> None:
    config = js_config("wx1", TICKET, "https://bank.example/p/WM001?t=a.b#top")
    signed = (f"jsapi_ticket={TICKET}&noncestr={config.nonce_str}&timestamp={config.timestamp}"
              "&url=https://bank.example/p/WM001?t=a.b")
    assert config.app_id == "wx1"
    assert config.signature == hashlib.sha1(signed.encode()).hexdigest()  # noqa: S324


def card(code: str):  # type: ignore[no-untyped-def]
    return next(c for c in sample_cards() if c.code == code)


def test_an_investment_card_leads_with_the_risk_disclosure_and_keeps_it_whole() -> None:
    wealth = card("WM003")  # past performance too
    data = share_data(replace(wealth, summary="长" * 200), "L")
    desc = data["share"]["desc"]
    assert desc.startswith(texts.RISK_DISCLOSURE + texts.SHARE_DISCLOSURE_JOIN
                           + texts.PAST_PERFORMANCE_DISCLOSURE)
    assert len(desc) == DESC_MAX and desc.endswith("…")
    assert texts.RISK_DISCLOSURE in data["timeline"]["title"]
    assert data["share"]["link"] == data["timeline"]["link"] == "L"


def test_a_deposit_card_has_no_risk_disclosure() -> None:
    data = share_data(card("DP002"), "L")
    assert data["share"]["desc"] == card("DP002").summary
    assert data["timeline"]["title"] == card("DP002").name
    assert texts.RISK_DISCLOSURE not in str(data)
