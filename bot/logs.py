"""Log lines: text for a terminal, or one JSON object per line for a log collector.

Log lines name a delivery by `delivery` (bot.spool.delivery_ref) and carry no message content
and no personal data: callers pass only such fields as `extra`.
"""

import logging
from typing import Any

from pythonjsonlogger.json import JsonFormatter

TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s %(message)s"
# The `extra` fields a text line shows after its message (a JSON line shows every one).
FIELDS = ("delivery", "kind", "reason", "outcome")


class TextLines(logging.Formatter):
    """The text format, with the delivery fields appended when a line has them."""

    def __init__(self) -> None:
        super().__init__(TEXT_FORMAT)

    def format(self, record: logging.LogRecord) -> str:
        """Format the line and append `name=value` for each delivery field it carries."""
        line = super().format(record)
        extras = " ".join(f"{name}={getattr(record, name)}" for name in FIELDS
                          if hasattr(record, name))
        return f"{line} [{extras}]" if extras else line


class JsonLines(JsonFormatter):
    """One JSON object per line: time, level, logger, message, process and the extras."""

    def __init__(self) -> None:
        super().__init__("%(asctime)s %(levelname)s %(name)s %(process)d %(message)s",
                         rename_fields={"asctime": "time", "levelname": "level",
                                        "name": "logger"})


def formatter(fmt: str) -> logging.Formatter:
    """Return the formatter of a `[logging] format`."""
    return JsonLines() if fmt == "json" else TextLines()


def configure_logging(fmt: str = "text", level: str = "INFO") -> None:
    """Send this process's log lines to stderr in `fmt` from `level` up."""
    handler = logging.StreamHandler()
    handler.setFormatter(formatter(fmt))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    logging.getLogger("apscheduler").setLevel(logging.WARNING)  # one line per run is noise


def gunicorn_logging(fmt: str, level: str) -> dict[str, Any]:
    """Return gunicorn's logging configuration for `fmt`: empty for text (its own lines), else
    its lines and ours through one JSON handler."""
    if fmt != "json":
        return {}
    quiet = {"level": level, "handlers": [], "propagate": True}
    return {"formatters": {"json": {"()": JsonLines}},
            "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "json",
                                     "stream": "ext://sys.stderr"}},
            "root": {"level": level, "handlers": ["console"]},
            "loggers": {"gunicorn.error": quiet, "gunicorn.access": quiet,
                        "apscheduler": {"level": "WARNING"}}}
