"""The Flask application: blueprints, CSRF, staff login and the error pages, built once."""

from flask import Flask, render_template, request
from flask_wtf.csrf import CSRFProtect
from werkzeug.exceptions import HTTPException

from bot import texts, webhook
from bot.config import Settings, load_settings
from bot.runtime import build_runtime
from bot.web import console, health, product_pages, share_card, staff_api, visitors
from bot.web.edge import EXTENSION
from bot.web.staff_auth import init_auth


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
                      share_card.bp, health.bp):
        app.register_blueprint(blueprint)
    app.register_error_handler(HTTPException, _console_error)
    app.jinja_env.globals["label"] = texts.label
    return app


def _console_error(error: HTTPException) -> tuple[str, int] | HTTPException:
    if not request.path.startswith("/console"):
        return error
    code = error.code or 500
    message = texts.HTTP_ERRORS.get(code, texts.HTTP_ERROR_OTHER)
    return render_template("console/error.html", code=code, message=message), code
