"""Onboarding scene strings: what a QR code says about its branch, manager and campaign.

Format (at most 64 characters, the platform's `scene_str` limit): `;`-separated parts, each a
one-letter tag, a colon and a code of letters, digits, `-` or `_`:

    b:<branch code>    the branch that printed the code
    m:<manager code>   the customer manager the code belongs to
    c:<campaign code>  the campaign the code was printed for
    u:<unit code>      the partner unit (organisation) whose people the code is for

At least one of b or m; each tag at most once; order free. Examples: `b:SH001`,
`m:SH001-07`, `b:SH001;c:SPRING26`, `b:SH001;u:LOG01`. Anything else is a foreign scene:
recorded, never linked.
"""

import re
from dataclasses import dataclass

from crm_core.model.refusal import Refusal

MAX_SCENE_LENGTH = 64
_CODE = re.compile(r"^[A-Za-z0-9_-]{1,24}$")
_TAGS = {"b": "branch", "m": "manager", "c": "campaign", "u": "unit"}


class SceneError(Refusal):
    """A scene string that does not follow the onboarding format."""


@dataclass(frozen=True)
class Scene:
    """A parsed onboarding scene."""

    branch: str | None = None
    manager: str | None = None
    campaign: str | None = None
    unit: str | None = None

    def __str__(self) -> str:
        parts = [f"{tag}:{getattr(self, name)}" for tag, name in _TAGS.items()
                 if getattr(self, name)]
        return ";".join(parts)


def parse_scene(text: str) -> Scene:
    """Parse a scene string, raising SceneError with the reason when it is not ours."""
    if not text or len(text) > MAX_SCENE_LENGTH:
        raise SceneError("scene_length", f"scene must be 1..{MAX_SCENE_LENGTH} characters",
                         limit=MAX_SCENE_LENGTH)
    fields: dict[str, str] = {}
    for part in text.split(";"):
        tag, sep, code = part.partition(":")
        if not sep or tag not in _TAGS or not _CODE.match(code):
            raise SceneError("scene_part", f"bad scene part {part!r}", part=part[:30])
        if _TAGS[tag] in fields:
            raise SceneError("scene_tag_twice", f"scene tag {tag!r} given twice", tag=tag)
        fields[_TAGS[tag]] = code
    if "branch" not in fields and "manager" not in fields:
        raise SceneError("scene_no_subject", "scene names neither a branch nor a manager")
    return Scene(**fields)


def format_scene(scene: Scene) -> str:
    """Render a scene, checking it round-trips and fits the platform limit."""
    text = str(scene)
    parse_scene(text)
    return text
