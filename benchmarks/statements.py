"""Statements and in-process time per message: the webhook's database work, counted.

Runs the full Flask app in this process (no gunicorn, no network) over SQLite and, when it
answers, PostgreSQL: 300 text messages ("我的客户经理" by customers already linked), the same
text and a product question ("大额存单利率多少") from senders never seen before (as the load
benchmarks send them), and 300 follows through a branch code, each with a fresh key. Prints
the statements and round trips (BEGIN and COMMIT included) per message and this process's
CPU time per message (SQLite's work included, PostgreSQL's server not).
"""

import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlencode

from sqlalchemy import event

from benchmarks.webhook import PG_BENCH, TOKEN, _branchlink, _config, _fresh_postgres
from bot import create_app
from bot.config import load_settings
from bot.web.edge import EXTENSION
from bot.wechat.simulator import Platform, event_xml, text_xml

COUNT = 300


def main() -> None:
    """Count and time each scenario over each database."""
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        databases = {"sqlite": f"sqlite:///{folder}/statements.db"}
        if _fresh_postgres():
            databases["postgresql"] = PG_BENCH
        print(f"{'scenario':<22}{'database':<12}{'statements':>11}{'trips':>7}{'cpu ms':>8}")
        for db, url in databases.items():
            for scenario, figures in _measure(folder, db, url).items():
                statements, trips, ms = figures
                print(f"{scenario:<22}{db:<12}{statements:>11.1f}{trips:>7.1f}{ms:>8.2f}")


def _measure(folder: Path, db: str, url: str) -> dict[str, tuple[float, float, float]]:
    config = _config(folder, db, url)
    _branchlink(config, "db", "upgrade")
    _branchlink(config, "demo", "seed")
    app = create_app(load_settings(config))
    runtime = app.extensions[EXTENSION]
    counter = _Counter()
    event.listen(runtime.engine, "before_cursor_execute", counter.statement)
    event.listen(runtime.engine, "begin", counter.trip)
    event.listen(runtime.engine, "commit", counter.trip)
    client, platform = app.test_client(), Platform(TOKEN)
    stamp = int(time.time())

    def post(xml: str) -> None:
        signed = platform.sign(xml)
        response = client.post(f"/wechat?{urlencode(signed.query)}", data=signed.body)
        if response.status_code != 200:
            sys.exit(f"{response.status_code}: {response.text}")

    for n in range(COUNT):  # the text scenario's customers, linked before it is measured
        post(event_xml(f"t-{stamp}-{n}", "subscribe", "qrscene_b:SH001"))
    scenarios: dict[str, Callable[[int], str]] = {
        "text": lambda n: text_xml(f"t-{stamp}-{n}", "我的客户经理", msg_id=stamp * 1000 + n),
        "text, new sender": lambda n: text_xml(f"x-{stamp}-{n}", "我的客户经理",
                                               msg_id=stamp * 1000 + COUNT + n),
        "product, new sender": lambda n: text_xml(f"p-{stamp}-{n}", "大额存单利率多少",
                                                  msg_id=stamp * 1000 + 2 * COUNT + n),
        "subscribe+scene": lambda n: event_xml(f"n-{stamp}-{n}", "subscribe", "qrscene_b:SH001"),
    }
    results = {}
    for scenario, xml in scenarios.items():
        counter.reset()
        started = time.process_time()
        for n in range(COUNT):
            post(xml(n))
        cpu = time.process_time() - started
        results[scenario] = (counter.statements / COUNT, (counter.statements + counter.trips)
                             / COUNT, cpu * 1000 / COUNT)
    runtime.engine.dispose()
    return results


class _Counter:
    def __init__(self) -> None:
        self.statements = self.trips = 0

    def reset(self) -> None:
        self.statements = self.trips = 0

    def statement(self, *_args: object) -> None:
        self.statements += 1

    def trip(self, *_args: object) -> None:
        self.trips += 1
