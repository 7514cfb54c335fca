"""Failures queued by a test and applied to the next matching platform requests."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

ANY_PATH = "*"


@dataclass
class Fault:
    """What to do to the next `times` requests to `path` ("*" matches every platform path)."""

    path: str
    times: int = 1
    errcode: int | None = None
    errmsg: str | None = None
    http_status: int | None = None
    delay_seconds: float = 0.0

    @classmethod
    def from_json(cls, raw: Any) -> Fault:
        """Build a fault from its JSON form; raise ValueError when malformed."""
        if not isinstance(raw, dict) or not isinstance(raw.get("path"), str):
            raise ValueError("a fault needs a string 'path'")
        try:
            fault = cls(**raw)
        except TypeError as exc:
            raise ValueError(str(exc)) from exc
        if fault.times < 1 or fault.delay_seconds < 0:
            raise ValueError("times must be >= 1 and delay_seconds >= 0")
        return fault

    def short_circuits(self) -> bool:
        """Whether the request is answered by the fault instead of the platform rules."""
        return self.errcode is not None or self.http_status is not None


class FaultQueue:
    """Pending faults in the order they were added."""

    def __init__(self) -> None:
        self._faults: list[Fault] = []

    def add(self, faults: list[Fault]) -> None:
        """Queue faults behind the ones already pending."""
        self._faults.extend(faults)

    def take(self, path: str) -> Fault | None:
        """Consume one use of the first fault matching `path`."""
        for fault in self._faults:
            if fault.path in (path, ANY_PATH):
                fault.times -= 1
                if fault.times == 0:
                    self._faults.remove(fault)
                return fault
        return None

    def pending(self) -> list[dict[str, Any]]:
        """Return the faults still queued."""
        return [asdict(fault) for fault in self._faults]
