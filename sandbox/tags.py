"""User tags: at most 100 per account, 20 per user, names up to 30 characters."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sandbox.users import OPENID_RE, User
from sandbox.wire import PlatformError

MAX_TAGS = 100
MAX_TAGS_PER_USER = 20
MAX_NAME_LENGTH = 30
MAX_BATCH = 50
_FIRST_TAG_ID = 100  # ids 0..99 are the platform's own


class TagBook:
    """The account's tags; membership is kept on each `User`."""

    def __init__(self) -> None:
        self._names: dict[int, str] = {}

    def create(self, name: Any) -> dict[str, Any]:
        """Create a tag and return its tags/create body."""
        if not isinstance(name, str) or not name:
            raise PlatformError(45157)
        if len(name) > MAX_NAME_LENGTH:
            raise PlatformError(45158)
        if name in self._names.values():
            raise PlatformError(45157)
        if len(self._names) >= MAX_TAGS:
            raise PlatformError(45056)
        tag_id = _FIRST_TAG_ID + len(self._names)
        self._names[tag_id] = name
        return {"tag": {"id": tag_id, "name": name}}

    def listing(self, users: Mapping[str, User]) -> dict[str, Any]:
        """Return the tags/get body with member counts."""
        tags = [
            {"id": tag_id, "name": name, "count": _count(users, tag_id)}
            for tag_id, name in self._names.items()
        ]
        return {"tags": tags}

    def tag_users(self, tag_id: Any, openids: Any, users: Mapping[str, User]) -> None:
        """Put users under a tag (tags/members/batchtagging)."""
        if tag_id not in self._names:
            raise PlatformError(45159)
        if not isinstance(openids, list) or not 0 < len(openids) <= MAX_BATCH:
            raise PlatformError(40032)
        if not all(isinstance(o, str) and OPENID_RE.match(o) and o in users for o in openids):
            raise PlatformError(40003)
        for openid in openids:
            user = users[openid]
            if tag_id not in user.tag_ids:
                if len(user.tag_ids) >= MAX_TAGS_PER_USER:
                    raise PlatformError(45059)
                user.tag_ids.append(tag_id)

    def members(self, tag_id: Any, users: Mapping[str, User]) -> dict[str, Any]:
        """Return the user/tag/get body (one page holds everyone in the sandbox)."""
        if tag_id not in self._names:
            raise PlatformError(45159)
        openids = [u.openid for u in users.values() if tag_id in u.tag_ids]
        return {"count": len(openids), "data": {"openid": openids},
                "next_openid": openids[-1] if openids else ""}


def _count(users: Mapping[str, User], tag_id: int) -> int:
    return sum(tag_id in user.tag_ids for user in users.values())
