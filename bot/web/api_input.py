"""Reading the staff API's input strictly: a JSON object of known fields, each of its type.

Text must be storable as it is: no NUL or other control characters (PostgreSQL refuses NUL)
and no lone surrogates (they cannot be encoded). Anything else is refused, naming the field,
rather than coerced: a wrong value is never widened into a different request.
"""

import json
import re
from collections.abc import Iterable, Mapping
from typing import Any

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")  # tab, line feed and return may stay


class BadField(ValueError):
    """A field that is missing, unknown, of the wrong type or unfit to store; `reason` says
    which, `field` names it and `limit` is the length it exceeded."""

    def __init__(self, field: str, reason: str, limit: int = 0) -> None:
        super().__init__(f"{field}: {reason}")
        self.field, self.reason, self.limit = field, reason, limit


class NotAnObject(ValueError):
    """The body is not a JSON object."""


def json_object(data: bytes, fields: Iterable[str]) -> dict[str, Any]:
    """Parse a body that must be a JSON object with no fields but `fields`."""
    try:
        body = json.loads(data)
    except (ValueError, RecursionError) as error:
        raise NotAnObject(str(error)) from error
    if not isinstance(body, dict):
        raise NotAnObject(type(body).__name__)
    unknown = sorted(set(body) - set(fields))
    if unknown:
        raise BadField(unknown[0][:40], "unknown")
    return body


def text(body: Mapping[str, Any], field: str, max_length: int, *,
         required: bool = False) -> str | None:
    """Return a text field (None if absent or null, unless required)."""
    value = body.get(field)
    if value is None:
        if required:
            raise BadField(field, "required")
        return None
    if not isinstance(value, str):
        raise BadField(field, "not_text")
    return storable(field, value, max_length)


def storable(field: str, value: str, max_length: int) -> str:
    """Return `value` if it can be stored as it is, refusing it otherwise."""
    if _CONTROL.search(value):
        raise BadField(field, "control")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as error:
        raise BadField(field, "surrogate") from error
    if len(value) > max_length:
        raise BadField(field, "too_long", max_length)
    return value


def flag(body: Mapping[str, Any], field: str) -> bool:
    """Return a true/false field (false if absent)."""
    value = body.get(field, False)
    if not isinstance(value, bool):
        raise BadField(field, "not_flag")
    return value


def ids(body: Mapping[str, Any], field: str, largest: int) -> list[int]:
    """Return a list of row ids, none above `largest` (empty if absent)."""
    value = body.get(field)
    if value is None:
        return []
    # bool is an int in Python, but `true` is not an id.
    if not isinstance(value, list) or not all(
            type(item) is int and 0 < item <= largest for item in value):
        raise BadField(field, "not_ids")
    return value


def number(body: Mapping[str, Any], field: str, largest: int) -> int | None:
    """Return an optional whole number from 0 to `largest` (None if absent or null)."""
    value = body.get(field)
    if value is None:
        return None
    if type(value) is not int or not 0 <= value <= largest:
        raise BadField(field, "not_number", largest)
    return value
