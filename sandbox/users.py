"""Followers and the customer-service reply window each user's actions open."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

OPENID_RE = re.compile(r"^[A-Za-z0-9_-]{28}$")
ACTIONS = frozenset({"message", "follow", "scan", "click", "unfollow"})
MESSAGE_WINDOW_SECONDS = 48 * 3600
MESSAGE_WINDOW_REPLIES = 5
EVENT_WINDOW_SECONDS = 60
EVENT_WINDOW_REPLIES = 3


@dataclass
class User:
    """One openid of the account and what it has done."""

    openid: str
    following: bool = False
    subscribe_time: int = 0
    qr_scene_str: str = ""
    tag_ids: list[int] = field(default_factory=list)
    message_at: float | None = None
    message_replies: int = 0
    event_at: float | None = None
    event_replies: int = 0
    mass_by_month: dict[str, int] = field(default_factory=dict)

    def follow(self, now: float, scene: str = "") -> None:
        """Start following (no reply window by itself)."""
        if not self.following:
            self.following = True
            self.subscribe_time = int(now)
            self.qr_scene_str = scene

    def act(self, kind: str, now: float, scene: str = "") -> None:
        """Record a user action; any action but unfollow implies following."""
        if kind == "unfollow":
            self.following = False
            self.message_at = self.event_at = None
            return
        self.follow(now, scene)
        if kind == "message":
            self.message_at, self.message_replies = now, 0
        else:
            self.event_at, self.event_replies = now, 0

    def take_reply_slot(self, now: float) -> bool:
        """Use one customer-service message of the open window; False if none is left."""
        if not self.following:
            return False
        if _open(self.event_at, EVENT_WINDOW_SECONDS, now) and (
            self.event_replies < EVENT_WINDOW_REPLIES
        ):
            self.event_replies += 1
            return True
        if _open(self.message_at, MESSAGE_WINDOW_SECONDS, now) and (
            self.message_replies < MESSAGE_WINDOW_REPLIES
        ):
            self.message_replies += 1
            return True
        return False

    def profile(self) -> dict[str, Any]:
        """Return the user/info body (no nickname or avatar since 2021-12-27)."""
        if not self.following:
            return {"subscribe": 0, "openid": self.openid}
        scene = "ADD_SCENE_QR_CODE" if self.qr_scene_str else "ADD_SCENE_OTHERS"
        return {
            "subscribe": 1, "openid": self.openid, "language": "zh_CN",
            "subscribe_time": self.subscribe_time, "remark": "", "groupid": 0,
            "tagid_list": list(self.tag_ids), "subscribe_scene": scene,
            "qr_scene": 0, "qr_scene_str": self.qr_scene_str,
        }


def _open(started_at: float | None, length: float, now: float) -> bool:
    return started_at is not None and now - started_at <= length
