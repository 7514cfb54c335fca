"""BranchLink's Flask application: the composition root and the WeChat edge."""

from flask import Flask

from bot.config import Settings, load_settings
from bot.runtime import build_runtime


def create_app(settings: Settings | None = None) -> Flask:
    """Create the web application for `settings` (default: $BRANCHLINK_CONFIG + environment)."""
    from bot import webhook

    settings = settings or load_settings()
    app = Flask(__name__)
    app.config["MAX_CONTENT_LENGTH"] = settings.webhook.max_body_bytes
    app.extensions["branchlink"] = build_runtime(settings)
    app.register_blueprint(webhook.bp)
    app.add_url_rule("/healthz", "healthz", lambda: {"status": "ok"})
    return app
