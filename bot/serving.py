"""Production serving: gunicorn in front of the app, and the background worker beside it."""

import subprocess
import sys
from typing import Any

from gunicorn.app.base import BaseApplication

from bot.config import Settings


class GunicornServer(BaseApplication):  # type: ignore[misc]
    """Gunicorn with options from our settings; each worker builds its own app (no preload)."""

    def __init__(self, settings: Settings, bind: str | None = None,
                 workers: int | None = None) -> None:
        self.settings = settings
        self.options = {
            "bind": bind or settings.server.bind,
            "workers": workers or settings.server.workers,
            "threads": settings.server.threads,
            "worker_class": "gthread",
            "timeout": 30,
            "graceful_timeout": 10,
            "accesslog": None,
            "preload_app": False,
        }
        super().__init__()

    def load_config(self) -> None:
        """Hand our options to gunicorn."""
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self) -> Any:
        """Create the app inside each worker process."""
        from bot import create_app

        return create_app(self.settings)


def start_worker_process(config_path: str | None) -> subprocess.Popen[bytes]:
    """Start `branchlink worker` beside the web server (the embedded scheduler)."""
    args = [sys.executable, "-m", "bot.cli"]
    if config_path:
        args += ["--config", config_path]
    return subprocess.Popen([*args, "worker"])  # noqa: S603 - our own interpreter and module
