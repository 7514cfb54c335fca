"""The floor of the webhook's work: a bare Flask endpoint that checks the signature and
parses the XML with wechatpy, then answers `success`. Served by gunicorn like the real app.

With `FLOOR_DATABASE` set it is the durable floor: the least a service that answers only
what it has kept can do, one `INSERT` of the message committed before the answer (SQLite in
WAL with `synchronous=NORMAL`, as the service runs it, or PostgreSQL)."""

import hashlib
import hmac
import os
from typing import Any

from flask import Flask, request
from sqlalchemy import create_engine, event, text
from wechatpy import parse_message

app = Flask(__name__)
TOKEN = os.environ.get("FLOOR_TOKEN", "")
DATABASE = os.environ.get("FLOOR_DATABASE", "")
# Made by the benchmark before the server starts (gunicorn's workers import this at once).
INBOX = "CREATE TABLE floor_inbox (key VARCHAR(200) PRIMARY KEY, body TEXT)"
KEEP = text("INSERT INTO floor_inbox (key, body) VALUES (:key, :body)")
engine = create_engine(DATABASE, pool_size=8) if DATABASE else None


@app.post("/wechat")
def wechat() -> tuple[str, int]:
    """Verify, parse, (keep,) answer."""
    args = request.args
    parts = sorted([TOKEN, args.get("timestamp", ""), args.get("nonce", "")])
    expected = hashlib.sha1("".join(parts).encode()).hexdigest()  # noqa: S324 - protocol
    if not hmac.compare_digest(expected, args.get("signature", "")):
        return "forbidden", 403
    body = request.get_data(as_text=True)
    msg = parse_message(body)
    if engine is not None:
        with engine.begin() as connection:
            connection.execute(KEEP, {"key": f"{msg.source}:{msg.id}", "body": body})
    return "success", 200


if engine is not None and engine.dialect.name == "sqlite":
    @event.listens_for(engine, "connect")
    def _pragmas(dbapi_connection: Any, _record: Any) -> None:
        for pragma in ("journal_mode=WAL", "synchronous=NORMAL", "busy_timeout=30000"):
            dbapi_connection.execute(f"PRAGMA {pragma}")
