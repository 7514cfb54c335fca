"""The error pages: every HTTP error a person can meet answered in Chinese, saying what to do.

The staff API answers its JSON error; the console its own page inside the console's layout;
the webhook (read by the platform, not a person) werkzeug's plain answer; every other path -
product pages, share links, the web authorisation callback, anything mistyped - the
customer-facing page.
"""

import logging
from collections.abc import Callable

from flask import Flask, render_template, request
from flask.typing import ResponseReturnValue
from werkzeug.exceptions import HTTPException

from bot import texts
from bot.web import staff_api

WEBHOOK = "/wechat"
log = logging.getLogger(__name__)
# When even the error page cannot be drawn (the database gone while loading the account):
# a page without the layout, still in Chinese.
BARE = ('<!doctype html><html lang="zh-CN"><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        "<title>{title}</title><h1>{title}</h1><p>{message}</p></html>")


def init_errors(app: Flask, default_body_cap: int) -> None:
    """Answer every HTTP error (and any unexpected exception, as a 500) in Chinese."""
    app.register_error_handler(HTTPException, lambda error: error_page(error, default_body_cap))


def error_page(error: HTTPException, default_body_cap: int) -> ResponseReturnValue:
    """Answer one error on the page of whoever asked."""
    code = error.code or 500
    if staff_api.serves(request.path):
        return staff_api.error_answer(error)
    if request.path == WEBHOOK or request.path.startswith(WEBHOOK + "/"):
        return error
    if request.path.startswith("/console"):
        message = texts.too_large(request.max_content_length or default_body_cap) \
            if code == 413 else texts.HTTP_ERRORS.get(code, texts.HTTP_ERROR_OTHER)
        title = texts.HTTP_ERROR_TITLES.get(code, texts.HTTP_ERROR_TITLE_OTHER)
        page = _drawn(lambda: render_template("console/error.html", code=code, title=title,
                                              message=message), title, message)
        return page, code, _allow(error)
    message = texts.PAGE_ERRORS.get(code, texts.PAGE_ERROR_OTHER)
    page = _drawn(lambda: render_template("products/error.html", code=code, texts=texts,
                                          message=message), texts.PAGE_ERROR_TITLE, message)
    return page, code, _allow(error)


def _drawn(render: Callable[[], str], title: str, message: str) -> str:
    try:
        return render()
    except Exception:  # whatever broke, the reader still gets Chinese
        log.exception("the error page could not be drawn")
        return BARE.format(title=title, message=message)


def _allow(error: HTTPException) -> dict[str, str]:
    # A 405 names the methods the address takes, as HTTP asks.
    return {k: v for k, v in error.get_headers() if k == "Allow"}
