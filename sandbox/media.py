"""Temporary media as the platform keeps them: upload (image, voice) and download by media id.

The platform caps an image at 10 MB and a voice at 2 MB (jpg/png/gif; amr/mp3/speex) and
answers an unknown or expired id with 40007.
"""

from __future__ import annotations

import secrets

from sandbox.wire import PlatformError

LIMITS = {"image": 10 * 1024 * 1024, "voice": 2 * 1024 * 1024}
TYPES = {"image": {"image/jpeg", "image/png", "image/gif"},
         "voice": {"audio/amr", "audio/mpeg", "audio/speex"}}


class MediaBook:
    """Uploaded media by id: (content type, bytes)."""

    def __init__(self) -> None:
        self.items: dict[str, tuple[str, bytes]] = {}

    def upload(self, kind: str, content_type: str, data: bytes) -> str:
        """Keep a file and return its media id (40004 bad type, 40009 too large)."""
        if kind not in LIMITS or content_type not in TYPES[kind]:
            raise PlatformError(40004)
        if not data or len(data) > LIMITS[kind]:
            raise PlatformError(40009)
        media_id = secrets.token_urlsafe(32)
        self.items[media_id] = (content_type, data)
        return media_id

    def get(self, media_id: str) -> tuple[str, bytes]:
        """Return a file's content type and bytes (40007 for an unknown id)."""
        if media_id not in self.items:
            raise PlatformError(40007)
        return self.items[media_id]
