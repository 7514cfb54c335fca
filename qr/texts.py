"""All Chinese copy the qr package prints by default, kept in one place."""

DEFAULT_FOOTER = "本海报仅用于客户关注公众号，不构成任何产品推荐或收益承诺"
QR_CAPTION = "微信扫一扫  关注公众号"
MANAGER_LABEL = "您的专属客户经理"
SHEET_TITLE = "二维码清单"
SHEET_BRANCH_ONLY = "网点二维码"


def sheet_page_label(page: int, pages: int, total: int) -> str:
    """Return the contact-sheet header line, e.g. '共 120 个 · 第 1/6 页'."""
    return f"共 {total} 个 · 第 {page}/{pages} 页"
