"""A pause on the platform calls web pages make, after the platform failed one.

Pages a customer waits on (share QR codes, the share card's config, the web authorisation
callback) call the platform from the same worker threads that answer the webhook. During an
outage every such call would hold a thread for the whole connect and read timeout; after one
failure, calls in the next `pause_seconds` are refused at once instead, and the pages fall back
as they do for any failure. The outbox and the console keep their own retry rules.
"""

import threading
import time
from collections.abc import Callable

from bot.wechat.errors import PermanentError, WeChatApiError

PAUSE_SECONDS = 30.0


class PlatformBreaker:
    """Per process: whether platform calls from web pages are paused, and until when."""

    def __init__(self, pause_seconds: float = PAUSE_SECONDS,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.pause_seconds, self.clock = pause_seconds, clock
        self._until = 0.0
        self._lock = threading.Lock()

    def paused(self) -> bool:
        """Return True while calls are refused after a failure."""
        return self.clock() < self._until

    def failed(self, error: WeChatApiError) -> None:
        """Pause calls after an outage-like failure (a refusal of the request itself is not)."""
        if not isinstance(error, PermanentError):
            with self._lock:
                self._until = self.clock() + self.pause_seconds
