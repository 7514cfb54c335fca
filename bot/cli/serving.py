"""Production serving: gunicorn in front of the app, and the background worker beside it."""

import gc
import os
import signal
import sys
from collections.abc import Callable
from typing import Any

from gunicorn.app.base import BaseApplication

from bot.cli.companions import Companions
from bot.config import Settings
from bot.logs import gunicorn_logging
from bot.metrics import process_dead


class GunicornServer(BaseApplication):  # type: ignore[misc]
    """Gunicorn with options from our settings; each worker builds its own app (no preload)."""

    def __init__(self, settings: Settings, bind: str | None = None,
                 workers: int | None = None, companions: Companions | None = None) -> None:
        self.settings = settings
        self.companion_states = companions.states if companions else None
        self.on_stop = companions.stop_restarting if companions else None
        self.options = {
            "bind": bind or settings.server.bind,
            "workers": workers or settings.server.workers,
            "threads": settings.server.threads,
            "worker_class": "gthread",
            "timeout": 30,
            "graceful_timeout": 10,
            "accesslog": None,
            "preload_app": False,
            "when_ready": self._when_ready,
            "child_exit": _child_exit,
            "logconfig_dict": gunicorn_logging(settings.logging.format, settings.logging.level),
        }
        super().__init__()

    def _when_ready(self, _arbiter: Any) -> None:
        # Gunicorn's signal handlers are in place now. A stop signal usually reaches the
        # companions too (a process group, a systemd cgroup): they must not come back while
        # gunicorn drains its workers.
        if self.on_stop is None:
            return
        for number in (signal.SIGTERM, signal.SIGINT, signal.SIGQUIT):
            signal.signal(number, _chained(self.on_stop, signal.getsignal(number)))

    def load_config(self) -> None:
        """Hand our options to gunicorn."""
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self) -> Any:
        """Create the app inside each worker process, its product index built before serving."""
        from bot.web.app import build_app
        from bot.web.edge import EXTENSION
        from bot.web.health import COMPANIONS

        app = build_app(self.settings)
        if self.companion_states is not None:
            app.extensions[COMPANIONS] = self.companion_states  # /readyz reports them
        runtime = app.extensions[EXTENSION]
        # Built here, the index (and jieba's dictionary, ~0.7 s) never delays a customer.
        runtime.inbound.policy.catalogue.warm(runtime.uow)
        # What is loaded now (libraries, dictionaries, the index: some 330,000 objects) lives
        # as long as the worker. Frozen, the garbage collector stops walking it: a full
        # collection took about 150 ms of a customer's request, now under 1 ms.
        gc.collect()
        gc.freeze()
        return app


def _child_exit(_arbiter: Any, worker: Any) -> None:
    process_dead(worker.pid)  # its live gauges go with it


def _chained(first: Callable[[], None], then: Any) -> Callable[[int, Any], None]:
    def handler(number: int, frame: Any) -> None:
        first()
        if callable(then):
            then(number, frame)
    return handler


def start_companions(settings: Settings, config_path: str | None) -> Companions:
    """Start what runs beside the web server, supervised: the worker and, for trials, the
    sandbox."""
    base = [sys.executable, "-m", "bot.cli"] + (["--config", config_path] if config_path else [])
    commands = {}
    if settings.sandbox.enabled:
        host, port = settings.sandbox.bind.rsplit(":", 1)
        commands["sandbox"] = [*base, "sandbox", "--host", host, "--port", port,
                               "--app-id", settings.wechat.app_id, "--everyone-follows",
                               "--webhook-url", f"http://{settings.server.bind}/wechat"]
    if settings.server.embedded_worker:
        commands["worker"] = [*base, "worker"]
    # Secrets go through the environment, never the command line (visible in `ps`).
    env = {**os.environ, "BRANCHLINK_SANDBOX_APP_SECRET": settings.wechat.app_secret or "",
           "BRANCHLINK_SANDBOX_WEBHOOK_TOKEN": settings.wechat.token}
    companions = Companions(commands, env)
    companions.start()
    return companions
