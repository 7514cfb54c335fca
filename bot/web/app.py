"""The Flask application: blueprints, CSRF, staff login and the error pages, built once."""

from flask import Flask, render_template, request
from flask_wtf.csrf import CSRFProtect
from werkzeug.exceptions import HTTPException

from bot import texts, webhook
from bot.config import Settings, load_settings
from bot.runtime import build_runtime
from bot.web import console, product_pages, share_card, staff_api, visitors
from bot.web.edge import EXTENSION
from bot.web.staff_auth import init_auth

# The pages customers open: share links, product pages and the web authorisation callback.
_PUBLIC_PAGES = ("/s/", "/p/", visitors.CALLBACK)


def build_app(settings: Settings | None = None) -> Flask:
    """Create the web application for `settings` (default: $BRANCHLINK_CONFIG + environment)."""
    settings = settings or load_settings()
    app = Flask(__name__)
    app.config["MAX_CONTENT_LENGTH"] = settings.webhook.max_body_bytes
    runtime = build_runtime(settings)
    app.extensions[EXTENSION] = runtime
    init_auth(app, runtime)
    csrf = CSRFProtect(app)
    # The platform signs its callbacks and API clients send bearer tokens: no CSRF there.
    csrf.exempt(webhook.bp)
    csrf.exempt(staff_api.bp)
    for blueprint in (webhook.bp, console.bp, staff_api.bp, product_pages.bp, visitors.bp,
                      share_card.bp):
        app.register_blueprint(blueprint)
    app.register_error_handler(HTTPException, _error_page)
    app.jinja_env.globals["label"] = texts.label
    app.add_url_rule("/healthz", "healthz", lambda: {"status": "ok"})
    return app


def _error_page(error: HTTPException) -> tuple[str, int] | HTTPException:
    # Staff and customers read Chinese: the console's pages and the public product pages get
    # their own error pages; the webhook and the API keep their plain answers.
    code = error.code or 500
    if request.path.startswith("/console"):
        message = texts.HTTP_ERRORS.get(code, texts.HTTP_ERROR_OTHER)
        return render_template("console/error.html", code=code, message=message), code
    if request.path.startswith(_PUBLIC_PAGES):
        message = texts.PAGE_ERRORS.get(code, texts.PAGE_ERROR_OTHER)
        return render_template("products/error.html", message=message, texts=texts), code
    return error
