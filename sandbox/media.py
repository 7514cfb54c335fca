"""Temporary media as the platform keeps them: upload (image, voice) and download by media id.

The platform caps an image at 10 MB and a voice at 2 MB (jpg/png/gif; amr/mp3/speex): an
unknown `type` is 40004, a file of another kind 40005, an image too large 40009, a voice too
large 40010, an empty upload 41005; an unknown or expired id is 40007 (on download and in a
customer-service image or voice message alike).
"""

from __future__ import annotations

import secrets

from sandbox.wire import PlatformError

LIMITS = {"image": 10 * 1024 * 1024, "voice": 2 * 1024 * 1024}
TOO_LARGE = {"image": 40009, "voice": 40010}
TYPES = {"image": {"image/jpeg", "image/png", "image/gif"},
         "voice": {"audio/amr", "audio/mpeg", "audio/speex"}}


class MediaBook:
    """Uploaded media by id: (content type, bytes)."""

    def __init__(self) -> None:
        self.items: dict[str, tuple[str, bytes]] = {}

    def upload(self, kind: str, content_type: str, data: bytes) -> str:
        """Keep a file and return its media id (or the platform's error for a bad one)."""
        if kind not in LIMITS:
            raise PlatformError(40004)
        if content_type not in TYPES[kind]:
            raise PlatformError(40005)
        if not data:
            raise PlatformError(41005)
        if len(data) > LIMITS[kind]:
            raise PlatformError(TOO_LARGE[kind])
        media_id = secrets.token_urlsafe(32)
        self.items[media_id] = (content_type, data)
        return media_id

    def get(self, media_id: str) -> tuple[str, bytes]:
        """Return a file's content type and bytes (40007 for an unknown id)."""
        if media_id not in self.items:
            raise PlatformError(40007)
        return self.items[media_id]

    def has(self, media_id: object) -> bool:
        """Whether a media id names a file the platform keeps."""
        return isinstance(media_id, str) and media_id in self.items
