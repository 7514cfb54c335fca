"""The floor of the webhook's work: a bare Flask endpoint that checks the signature and
parses the XML with wechatpy, then answers `success`. Served by gunicorn like the real app."""

import hashlib
import hmac
import os

from flask import Flask, request
from wechatpy import parse_message

app = Flask(__name__)
TOKEN = os.environ.get("FLOOR_TOKEN", "")


@app.post("/wechat")
def wechat() -> tuple[str, int]:
    """Verify, parse, answer."""
    args = request.args
    parts = sorted([TOKEN, args.get("timestamp", ""), args.get("nonce", "")])
    expected = hashlib.sha1("".join(parts).encode()).hexdigest()  # noqa: S324 - protocol
    if not hmac.compare_digest(expected, args.get("signature", "")):
        return "forbidden", 403
    parse_message(request.get_data())
    return "success", 200
