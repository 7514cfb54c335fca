"""Copy rules for product material: the one list of banned promises, checked on import.

The phrases are data from the advertising and online-marketing rules (Advertising Law art. 25,
金融产品网络营销管理办法): promises of principal or returns, "expected return" and
low-risk / low-threshold / instant-credit claims. Compliance tunes this list, nothing else.
"""

BANNED_PHRASES = (
    "保证收益", "保本", "保息", "无风险", "零风险", "高收益", "稳赚", "预期收益率", "预期收益",
    "低风险", "低门槛", "秒到账", "刚性兑付", "刚兑", "稳赚不赔", "收益有保障", "绝对安全",
)

# Required wording that contains a banned phrase ("non principal-protected") stays allowed.
ALLOWED_WORDING = ("非保本",)


def banned_phrase(text: str | None) -> str | None:
    """Return the first banned phrase found in `text`, or None."""
    if not text:
        return None
    for wording in ALLOWED_WORDING:
        text = text.replace(wording, "")
    return next((phrase for phrase in BANNED_PHRASES if phrase in text), None)
