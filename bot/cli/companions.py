"""What `branchlink serve` runs beside gunicorn (the worker and, for trials, the sandbox), kept
running: a companion that exits is logged and started again after a growing pause.

Without its worker, serve would go on answering callbacks with no outbox and no spool replay,
and nobody would notice. Each companion has a watcher thread blocked on its exit. The states
live in shared memory made before gunicorn forks its web workers, so each of them can report
them at /readyz.
"""

import ctypes
import logging
import multiprocessing
import os
import signal
import subprocess
import threading
import time
from dataclasses import dataclass
from typing import Any

from bot.metrics import process_dead

log = logging.getLogger(__name__)
FIRST_PAUSE_SECONDS, MAX_PAUSE_SECONDS = 1.0, 60.0
STABLE_SECONDS = 60.0  # a companion that ran this long is paused briefly again if it exits


class CompanionStates:
    """Whether each companion runs and how often it was restarted, readable after a fork."""

    def __init__(self, names: list[str]) -> None:
        self.names = names
        self._values = multiprocessing.RawArray(ctypes.c_long, 2 * len(names))

    def record(self, index: int, running: bool, restarts: int) -> None:
        """Record one companion's state."""
        self._values[2 * index], self._values[2 * index + 1] = int(running), restarts

    def states(self) -> dict[str, dict[str, Any]]:
        """Return {name: {"running": bool, "restarts": int}}."""
        return {name: {"running": bool(self._values[2 * i]), "restarts": self._values[2 * i + 1]}
                for i, name in enumerate(self.names)}


@dataclass
class Companion:
    """One supervised child process."""

    name: str
    command: list[str]
    process: subprocess.Popen[bytes] | None = None
    started_at: float = 0.0
    restarts: int = 0
    pause: float = FIRST_PAUSE_SECONDS

    def next_pause(self, now: float) -> float:
        """Return how long to wait before the restart; the pause doubles while it keeps dying."""
        if now - self.started_at >= STABLE_SECONDS:
            self.pause = FIRST_PAUSE_SECONDS
        pause, self.pause = self.pause, min(self.pause * 2, MAX_PAUSE_SECONDS)
        return pause


class Companions:
    """Start the companions, restart any that exits, stop them all with serve."""

    def __init__(self, commands: dict[str, list[str]], env: dict[str, str]) -> None:
        self.companions = [Companion(name, command) for name, command in commands.items()]
        self.env = env
        self.states = CompanionStates(list(commands))
        self._stopping = threading.Event()
        self._lock = threading.Lock()
        self._watchers: list[threading.Thread] = []
        self._owner = os.getpid()

    def start(self) -> None:
        """Start every companion and a watcher for each."""
        for index, companion in enumerate(self.companions):
            self._spawn(index, companion)
            watcher = threading.Thread(target=self._watch, args=(index, companion),
                                       name=f"watch-{companion.name}", daemon=True)
            watcher.start()
            self._watchers.append(watcher)

    def stop_restarting(self) -> None:
        """Serve is stopping: a companion that exits now stays down."""
        self._stopping.set()

    def stop(self) -> None:
        """Stop restarting, then terminate every companion and wait for it."""
        if os.getpid() != self._owner:
            # A gunicorn worker is a fork of serve and leaves through serve's own `finally`:
            # the companions are not its to stop.
            return
        with self._lock:
            self._stopping.set()
            running = [c.process for c in self.companions if c.process is not None]
        for process in running:
            process.terminate()
        for process in running:
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()  # serve must not leave a companion behind
        for watcher in self._watchers:
            watcher.join(timeout=10)

    def _watch(self, index: int, companion: Companion) -> None:
        while companion.process is not None:
            code = companion.process.wait()
            process_dead(companion.process.pid)
            if self._stopping.is_set():
                return
            pause = companion.next_pause(time.monotonic())
            self.states.record(index, False, companion.restarts)
            log.error("%s exited (%s); restarting it in %.0f s", companion.name,
                      _describe(code), pause)
            if self._stopping.wait(pause) or not self._spawn(index, companion, restart=True):
                return
            log.warning("%s restarted (restart %d)", companion.name, companion.restarts)

    def _spawn(self, index: int, companion: Companion, restart: bool = False) -> bool:
        with self._lock:
            if self._stopping.is_set():
                return False
            # Our own interpreter and module, with arguments from our own settings.
            companion.process = subprocess.Popen(companion.command, env=self.env)  # noqa: S603
            companion.started_at = time.monotonic()
            companion.restarts += restart
            self.states.record(index, True, companion.restarts)
        return True


def _describe(code: int) -> str:
    if code < 0:
        return f"killed by {signal.Signals(-code).name}"
    # Gunicorn's master reaps every child it sees exit, ours too: we then read 0.
    return f"exit code {code}" if code else "exit status taken by gunicorn, or 0"
