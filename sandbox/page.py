"""The inbox page a newcomer watches while notices arrive (Simplified Chinese labels)."""

from __future__ import annotations

import json
import time
from typing import Any

from flask import render_template_string

KIND_LABELS = {"template": "模板消息", "custom": "客服消息", "mass": "群发消息"}

_PAGE = """<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta http-equiv="refresh" content="3">
<title>微信沙箱 · 收件箱</title>
<style>
body { font-family: sans-serif; margin: 2em; }
table { border-collapse: collapse; margin-bottom: 2em; }
th, td { border: 1px solid #ccc; padding: .3em .6em; text-align: left; vertical-align: top; }
pre { margin: 0; white-space: pre-wrap; }
</style>
</head>
<body>
<h1>微信沙箱收件箱</h1>
<p>每个用户（openid）收到的模板消息、客服消息和群发消息，最新的在上面。本页每 3 秒自动刷新。</p>
{% for openid, rows in inboxes.items() %}
<h2>用户 {{ openid }}（{{ rows|length }} 条）</h2>
<table>
<tr><th>类型</th><th>时间</th><th>消息编号</th><th>内容</th></tr>
{% for row in rows %}
<tr><td>{{ row.kind }}</td><td>{{ row.at }}</td><td>{{ row.msgid }}</td>
<td><pre>{{ row.payload }}</pre></td></tr>
{% endfor %}
</table>
{% else %}
<p>还没有任何消息。</p>
{% endfor %}
</body>
</html>
"""


def render_inbox_page(inboxes: dict[str, list[dict[str, Any]]]) -> str:
    """Render every openid's inbox, newest first."""
    rows = {openid: [_row(entry) for entry in reversed(entries)]
            for openid, entries in inboxes.items()}
    return render_template_string(_PAGE, inboxes=rows)


def _row(entry: dict[str, Any]) -> dict[str, str]:
    return {
        "kind": KIND_LABELS.get(entry["kind"], entry["kind"]),
        "at": time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(entry["at"])),
        "msgid": str(entry.get("msgid") or entry.get("msg_id") or ""),
        "payload": json.dumps(entry["payload"], ensure_ascii=False, indent=2),
    }
