"""Security headers on every answer: no framing, a content security policy, no sniffing, no
referrer to other sites, and nothing stored by caches unless a view chose otherwise.

The policy allows scripts and styles from this origin and inline ones carrying the request's
nonce (`csp_nonce()` in templates), nothing else: a script injected into a page cannot run.
Product pages also load WeChat's JS-SDK (jweixin, from res.wx.qq.com), which reports to
open.weixin.qq.com with an image. Pages show personal data (customers, leads, phone numbers),
so a shared or back-button cache must not keep them: `no-store` unless the view set its own
Cache-Control (the QR images of product pages do).
"""

import secrets

from flask import Flask, Response, g, request

# The blueprints whose pages load the JS-SDK (bot/web/product_pages.py).
WECHAT_PAGES = frozenset({"products"})
WECHAT_SCRIPTS = "https://res.wx.qq.com"
WECHAT_REPORTS = "https://open.weixin.qq.com"


def csp_nonce() -> str:
    """Return this request's nonce for inline scripts and styles."""
    if "csp_nonce" not in g:
        g.csp_nonce = secrets.token_urlsafe(16)
    nonce: str = g.csp_nonce
    return nonce


def policy(nonce: str, wechat: bool) -> str:
    """Return the Content-Security-Policy for a page (with the JS-SDK's hosts if `wechat`)."""
    scripts = f"'self' 'nonce-{nonce}'" + (f" {WECHAT_SCRIPTS}" if wechat else "")
    images = "'self' data:" + (f" {WECHAT_REPORTS}" if wechat else "")
    return (f"default-src 'self'; script-src {scripts}; style-src 'self' 'nonce-{nonce}'; "
            f"img-src {images}; connect-src 'self'; form-action 'self'; "
            "frame-ancestors 'none'; base-uri 'none'; object-src 'none'")


def add_security_headers(response: Response) -> Response:
    """Set the security headers on an answer (after_request)."""
    headers = response.headers
    headers["Content-Security-Policy"] = policy(csp_nonce(), request.blueprint in WECHAT_PAGES)
    headers["X-Frame-Options"] = "DENY"
    headers["X-Content-Type-Options"] = "nosniff"
    headers["Referrer-Policy"] = "same-origin"
    headers.setdefault("Cache-Control", "no-store")
    return response


def init_headers(app: Flask) -> None:
    """Add the security headers to every answer and `csp_nonce()` to the templates."""
    app.after_request(add_security_headers)
    app.jinja_env.globals["csp_nonce"] = csp_nonce
