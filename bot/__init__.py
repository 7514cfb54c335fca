"""BranchLink's Flask application: the composition root and the WeChat edge."""

from flask import Flask, render_template, request
from flask_wtf.csrf import CSRFProtect
from werkzeug.exceptions import HTTPException

from bot import texts
from bot.config import Settings, load_settings
from bot.edge import EXTENSION
from bot.runtime import build_runtime

ERRORS = {403: "您无权查看该内容。", 404: "页面不存在。", 400: "请求无效，请刷新后重试。"}


def create_app(settings: Settings | None = None) -> Flask:
    """Create the web application for `settings` (default: $BRANCHLINK_CONFIG + environment)."""
    from bot import api, console, product_oauth, product_pages, product_share, webhook
    from bot.auth import init_auth

    settings = settings or load_settings()
    app = Flask(__name__)
    app.config["MAX_CONTENT_LENGTH"] = settings.webhook.max_body_bytes
    runtime = build_runtime(settings)
    app.extensions[EXTENSION] = runtime
    init_auth(app, runtime)
    csrf = CSRFProtect(app)
    # The platform signs its callbacks and API clients send bearer tokens: no CSRF there.
    csrf.exempt(webhook.bp)
    csrf.exempt(api.bp)
    for blueprint in (webhook.bp, console.bp, api.bp, product_pages.bp, product_oauth.bp,
                      product_share.bp):
        app.register_blueprint(blueprint)
    app.register_error_handler(HTTPException, _console_error)
    app.jinja_env.globals["label"] = texts.label
    app.add_url_rule("/healthz", "healthz", lambda: {"status": "ok"})
    return app


def _console_error(error: HTTPException) -> tuple[str, int] | HTTPException:
    if not request.path.startswith("/console"):
        return error
    code = error.code or 500
    message = ERRORS.get(code, error.description or "")
    return render_template("console/error.html", code=code, message=message), code
