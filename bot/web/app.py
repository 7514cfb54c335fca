"""The Flask application: blueprints, CSRF, staff login, security headers and the error pages,
built once."""

from functools import partial

from flask import Flask, render_template, request
from flask.typing import ResponseReturnValue
from flask_wtf.csrf import CSRFProtect
from werkzeug.exceptions import HTTPException
from werkzeug.middleware.proxy_fix import ProxyFix

from bot import texts, webhook
from bot.config import Settings, load_settings
from bot.runtime import build_runtime
from bot.web import (
    console,
    health,
    metrics,
    product_pages,
    share_card,
    staff_api,
    visitors,
)
from bot.web.console.products import MAX_IMPORT_BYTES
from bot.web.edge import EXTENSION
from bot.web.headers import init_headers
from bot.web.staff_auth import init_auth

# Request bodies: console forms, API requests and page forms are small; the routes that take
# more (or must take less) name their own cap.
DEFAULT_MAX_BODY_BYTES = 1024 * 1024
# The pages customers open: share links, product pages and the web authorisation callback.
_PUBLIC_PAGES = ("/s/", "/p/", visitors.CALLBACK)


def build_app(settings: Settings | None = None) -> Flask:
    """Create the web application for `settings` (default: $BRANCHLINK_CONFIG + environment)."""
    settings = settings or load_settings()
    app = Flask(__name__)
    app.config["MAX_CONTENT_LENGTH"] = DEFAULT_MAX_BODY_BYTES
    metrics.init_timing(app)
    # Registered before CSRF protection, which reads the form (and so the body) first.
    app.before_request(partial(_cap_body, {"wechat.receive": settings.webhook.max_body_bytes,
                                           "console.products": MAX_IMPORT_BYTES}))
    runtime = build_runtime(settings)
    app.extensions[EXTENSION] = runtime
    init_auth(app, runtime)
    csrf = CSRFProtect(app)
    # The platform signs its callbacks and API clients send bearer tokens: no CSRF there.
    csrf.exempt(webhook.bp)
    csrf.exempt(staff_api.bp)
    for blueprint in (webhook.bp, console.bp, staff_api.bp, product_pages.bp, visitors.bp,
                      share_card.bp, health.bp, metrics.bp):
        app.register_blueprint(blueprint)
    app.register_error_handler(HTTPException, _error_page)
    init_headers(app)
    app.jinja_env.globals["label"] = texts.label
    proxies = settings.web.trusted_proxies
    if proxies:
        # Only the addresses our own proxies appended are believed: request.remote_addr is
        # then the client the outermost proxy saw, whatever the client wrote itself.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies)  # type: ignore[method-assign]
    return app


def _cap_body(caps: dict[str, int]) -> None:
    if request.endpoint in caps:
        request.max_content_length = caps[request.endpoint]


def _error_page(error: HTTPException) -> ResponseReturnValue:
    # Errors no blueprint handled (a URL or method routed nowhere). Staff and customers read
    # Chinese: the API answers its JSON error under its prefix, the console and the public
    # product pages their own pages; the webhook keeps werkzeug's plain answer.
    if staff_api.serves(request.path):
        return staff_api.error_answer(error)
    code = error.code or 500
    if request.path.startswith("/console"):
        message = texts.HTTP_ERRORS.get(code, texts.HTTP_ERROR_OTHER) if code != 413 \
            else texts.too_large(request.max_content_length or DEFAULT_MAX_BODY_BYTES)
        return render_template("console/error.html", code=code, message=message), code
    if request.path.startswith(_PUBLIC_PAGES):
        message = texts.PAGE_ERRORS.get(code, texts.PAGE_ERROR_OTHER)
        return render_template("products/error.html", message=message, texts=texts), code
    return error
