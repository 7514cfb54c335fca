"""What every web view shares: the runtime of the app serving the request."""

from flask import current_app

from bot.runtime import Runtime

EXTENSION = "branchlink"  # the runtime's key in app.extensions (set by create_app)


def current_runtime() -> Runtime:
    """Return the runtime (settings, database, pipeline) of the app serving this request."""
    runtime: Runtime = current_app.extensions[EXTENSION]
    return runtime
