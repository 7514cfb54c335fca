"""Inbound callback XML parsed once, at the edge, into one typed frozen message."""

from dataclasses import dataclass
from typing import Any, NoReturn
from xml.parsers import expat
from xml.parsers.expat import ExpatError

import xmltodict

SCENE_PREFIX = "qrscene_"
SCENE_MAX = 64  # the platform's scene_str limit: a longer key is no code of ours
# What the platform sends is far shorter (openids have 28 characters, MsgId is a 64-bit
# integer, the longest event name about 30); beyond these a callback is refused, never cut.
LIMITS = {"FromUserName": 64, "ToUserName": 64, "MsgType": 32, "Event": 64, "MsgId": 20,
          "MsgID": 20, "CreateTime": 20, "MediaId": 128}


class MalformedMessage(ValueError):
    """The body is not a callback message we can read; the text says why."""


@dataclass(frozen=True)
class Message:
    """One message or event from a follower, as the handlers see it."""

    msg_type: str
    sender: str
    recipient: str
    create_time: int
    msg_id: str | None = None
    event: str | None = None
    content: str | None = None
    event_key: str | None = None
    url: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    label: str | None = None
    status: str | None = None
    media_id: str | None = None      # an image's or voice's media on the platform
    recognition: str | None = None   # the platform's speech recognition of a voice message
    sent_count: int = 0              # MASSSENDJOBFINISH: openids the job reached
    error_count: int = 0             # MASSSENDJOBFINISH: openids it failed for

    @property
    def kind(self) -> str:
        """Return the dispatch key: the message type, or `event:<name>` in lower case."""
        return f"event:{self.event}" if self.event else self.msg_type

    @property
    def command(self) -> str | None:
        """Return the first word of a text, or the key of a menu click: what routes it."""
        if self.msg_type == "text" and self.content:
            words = self.content.split(maxsplit=1)
            return words[0] if words else None
        return self.event_key if self.event == "click" else None

    @property
    def argument(self) -> str:
        """Return what follows the command word in a text."""
        words = (self.content or "").split(maxsplit=1)
        return words[1].strip() if len(words) == 2 else ""

    @property
    def dedupe_key(self) -> str:
        """Return what identifies a delivery across the platform's retries."""
        if self.msg_id and not self.event:
            return f"msg:{self.msg_id}"
        return f"evt:{self.sender}:{self.create_time}:{self.event or self.msg_type}"

    @property
    def scene(self) -> str | None:
        """Return the parametric QR scene of a subscribe or SCAN event, if any."""
        key = self.event_key or ""
        if self.event == "subscribe" and key.startswith(SCENE_PREFIX):
            key = key[len(SCENE_PREFIX):]
        elif self.event != "scan":
            return None
        return key if 0 < len(key) <= SCENE_MAX else None


def _refuse_doctype(*_args: object) -> NoReturn:
    raise ValueError("a DTD is not allowed in a callback")


class _ExpatWithoutDoctype:
    """expat for xmltodict that refuses any DOCTYPE: no DTD belongs in the protocol."""

    @staticmethod
    def ParserCreate(*args: Any, **kwargs: Any) -> Any:
        parser = expat.ParserCreate(*args, **kwargs)
        parser.StartDoctypeDeclHandler = _refuse_doctype
        return parser


def parse_document(xml: bytes | str) -> dict[str, Any]:
    """Parse callback XML safely (no DTD, no entities) and return the <xml> element's fields."""
    try:
        document = xmltodict.parse(xml, disable_entities=True, expat=_ExpatWithoutDoctype)
    except (ExpatError, ValueError) as error:
        raise MalformedMessage(f"unreadable XML: {error}") from error
    root = document.get("xml") if isinstance(document, dict) else None
    if not isinstance(root, dict):
        raise MalformedMessage("root element must be <xml> with fields")
    return root


def parse_message(xml: bytes | str) -> Message:
    """Parse plaintext callback XML into a Message, or raise MalformedMessage."""
    fields = parse_document(xml)
    for name, limit in LIMITS.items():
        if len(_text(fields, name) or "") > limit:
            raise MalformedMessage(f"{name} is longer than {limit} characters")
    msg_type = _text(fields, "MsgType")
    sender, recipient = _text(fields, "FromUserName"), _text(fields, "ToUserName")
    if not msg_type or not sender or not recipient:
        raise MalformedMessage("MsgType, FromUserName and ToUserName are required")
    return Message(
        msg_type=msg_type.lower(), sender=sender, recipient=recipient,
        create_time=_int(fields, "CreateTime"), msg_id=_text(fields, "MsgId") or
        _text(fields, "MsgID"), event=(_text(fields, "Event") or "").lower() or None,
        content=_text(fields, "Content"), event_key=_text(fields, "EventKey"),
        url=_text(fields, "Url"), latitude=_float(fields, "Latitude", "Location_X"),
        longitude=_float(fields, "Longitude", "Location_Y"), label=_text(fields, "Label"),
        status=_text(fields, "Status"), media_id=_text(fields, "MediaId"),
        recognition=_text(fields, "Recognition"), sent_count=_count(fields, "SentCount"),
        error_count=_count(fields, "ErrorCount"),
    )


def encrypted_part(xml: bytes | str) -> str:
    """Return the <Encrypt> text of a safe- or compatible-mode body."""
    encrypted = _text(parse_document(xml), "Encrypt")
    if not encrypted:
        raise MalformedMessage("encrypted mode but no <Encrypt> element")
    return encrypted


def _text(fields: dict[str, Any], name: str) -> str | None:
    value = fields.get(name)
    return value.strip() if isinstance(value, str) else None


def _int(fields: dict[str, Any], name: str) -> int:
    try:
        return int(_text(fields, name) or "")
    except ValueError as error:
        raise MalformedMessage(f"{name} must be an integer") from error


def _count(fields: dict[str, Any], name: str) -> int:
    # Only MASSSENDJOBFINISH carries counts; elsewhere they are absent, and count as 0.
    return _int(fields, name) if _text(fields, name) else 0


def _float(fields: dict[str, Any], *names: str) -> float | None:
    for name in names:
        value = _text(fields, name)
        if value:
            try:
                return float(value)
            except ValueError as error:
                raise MalformedMessage(f"{name} must be a number") from error
    return None
