"""BranchLink: the WeChat edge of the shared CRM core (create_app builds the web service)."""

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Callable
    from datetime import datetime

    from flask import Flask

    from bot.config import Settings


def create_app(settings: "Settings | None" = None,
               clock: "Callable[[], datetime] | None" = None) -> "Flask":
    """Create the web application for `settings` (default: $BRANCHLINK_CONFIG + environment);
    `clock` (naive UTC, for tests) is what time the console takes it to be.

    Flask is imported here, not at the top: importing a handler or the worker loads no web code.
    """
    from bot.web.app import build_app

    return build_app(settings, clock)
