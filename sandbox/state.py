"""Everything the sandbox remembers, in memory, behind one lock (its server is threaded)."""

from __future__ import annotations

import threading
import time
from typing import Any

from sandbox.config import SandboxConfig
from sandbox.faults import FaultQueue
from sandbox.media import MediaBook
from sandbox.oauth_codes import OAuthCodes
from sandbox.qrcodes import QrBook
from sandbox.tags import TagBook
from sandbox.tickets import TicketBook
from sandbox.tokens import TokenRegistry
from sandbox.users import User

_FIRST_MSGID = 200_163_836  # any positive int64 would do; this one reads like a real msgid


class SandboxState:
    """The account's tokens, users, tags, QR codes, inboxes, request log and pending faults."""

    def __init__(self, config: SandboxConfig) -> None:
        self.config = config
        self.lock = threading.RLock()
        self.reset()

    def reset(self) -> None:
        """Forget everything except the configuration."""
        with self.lock:
            self.clock_offset = 0.0
            self.tokens = TokenRegistry(
                self.config.token_ttl_seconds, self.config.token_grace_seconds
            )
            self.users: dict[str, User] = {}
            self.tags = TagBook()
            self.qrcodes = QrBook(self.config.permanent_qr_limit)
            self.tickets = TicketBook(self.config.ticket_ttl_seconds)
            self.faults = FaultQueue()
            self.oauth = OAuthCodes()
            self.oauth_user: str | None = None  # who a browser's authorisation is for
            self.templates = set(self.config.templates)
            self.log: list[dict[str, Any]] = []
            self.inboxes: dict[str, list[dict[str, Any]]] = {}
            self.template_guard: dict[tuple[str, str], tuple[int, float]] = {}
            self.mass_guard: dict[str, int] = {}
            # msg_id -> (openids in the job, openids it reached): MASSSENDJOBFINISH's counts.
            self.mass_results: dict[int, tuple[int, int]] = {}
            self.media = MediaBook()
            self._next_msgid = _FIRST_MSGID
            for openid in self.config.followers:
                self.user(openid).follow(self.now())

    def now(self) -> float:
        """Return the sandbox clock (wall clock plus what tests advanced)."""
        return time.time() + self.clock_offset

    def user(self, openid: str) -> User:
        """Return the user of `openid`, creating a non-follower on first sight."""
        if openid not in self.users:
            self.users[openid] = User(openid)
            if self.config.everyone_follows:
                self.users[openid].follow(self.now())
        return self.users[openid]

    def next_msgid(self) -> int:
        """Return a new message/job id."""
        self._next_msgid += 1
        return self._next_msgid

    def deliver(self, openid: str, kind: str, payload: dict[str, Any], **extra: Any) -> None:
        """Put a message into a user's inbox."""
        entry = {"kind": kind, "at": self.now(), **extra, "payload": payload}
        self.inboxes.setdefault(openid, []).append(entry)
