"""The Flask application: blueprints, CSRF, staff login, security headers and the error pages,
built once."""

from collections.abc import Callable
from datetime import datetime
from functools import partial

from flask import Flask, request
from flask_wtf.csrf import CSRFProtect
from werkzeug.middleware.proxy_fix import ProxyFix

from bot import webhook
from bot.config import Settings, load_settings
from bot.runtime import build_runtime
from bot.talk_images import PLATFORM_IMAGE_BYTES
from bot.web import (
    console,
    health,
    metrics,
    product_pages,
    share_card,
    staff_api,
    talk_page,
    visitors,
)
from bot.web.console.classify import MAX_EXTRACT_BYTES
from bot.web.console.nav import init_menu
from bot.web.console.products import MAX_IMPORT_BYTES
from bot.web.console.support import init_time_filters
from bot.web.edge import EXTENSION
from bot.web.errors import init_errors
from bot.web.filters import init_filters
from bot.web.headers import init_headers
from bot.web.staff_auth import init_auth

# Request bodies: console forms, API requests and page forms are small; the routes that take
# more (or must take less) name their own cap.
DEFAULT_MAX_BODY_BYTES = 1024 * 1024


def build_app(settings: Settings | None = None,
              clock: Callable[[], datetime] | None = None) -> Flask:
    """Create the web application for `settings` (default: $BRANCHLINK_CONFIG + environment);
    `clock` (naive UTC), for tests: what time the console takes it to be."""
    settings = settings or load_settings()
    app = Flask(__name__)
    app.config["MAX_CONTENT_LENGTH"] = DEFAULT_MAX_BODY_BYTES
    metrics.init_timing(app)
    # Registered before CSRF protection, which reads the form (and so the body) first.
    app.before_request(partial(_cap_body, {"wechat.receive": settings.webhook.max_body_bytes,
                                           "console.products": MAX_IMPORT_BYTES,
                                           "console.classification": MAX_EXTRACT_BYTES,
                                           "api.upload_import": MAX_EXTRACT_BYTES,
                                           "console.organisations": MAX_IMPORT_BYTES,
                                           "console.talk_image": _image_body_cap(settings),
                                           "api.conversation_image": _image_body_cap(settings)}))
    runtime = build_runtime(settings, clock) if clock else build_runtime(settings)
    app.extensions[EXTENSION] = runtime
    init_auth(app, runtime)
    csrf = CSRFProtect(app)
    # The platform signs its callbacks and API clients send bearer tokens: no CSRF there.
    csrf.exempt(webhook.bp)
    csrf.exempt(staff_api.bp)
    for blueprint in (webhook.bp, console.bp, staff_api.bp, product_pages.bp, visitors.bp,
                      share_card.bp, health.bp, metrics.bp, talk_page.bp):
        app.register_blueprint(blueprint)
    init_errors(app, DEFAULT_MAX_BODY_BYTES)
    init_headers(app)
    init_menu(app)
    init_filters(app)
    init_time_filters(app)
    proxies = settings.web.trusted_proxies
    if proxies:
        # Only the addresses our own proxies appended are believed: request.remote_addr is
        # then the client the outermost proxy saw, whatever the client wrote itself.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies)  # type: ignore[method-assign]
    return app


def _image_body_cap(settings: Settings) -> int:
    # Up to the platform's own limit a photo too large for our cap reaches the route, which
    # says so beside the conversation; the form's fields and framing need a little more.
    return max(settings.talk.media_max_bytes, PLATFORM_IMAGE_BYTES) + 64 * 1024


def _cap_body(caps: dict[str, int]) -> None:
    if request.endpoint in caps:
        request.max_content_length = caps[request.endpoint]
