"""A database that stalls without refusing is an outage: spooled in time, replayed once; a
slow statement on a live server is cancelled there; an idle connection is never cut.

The stall is a loopback TCP proxy in front of PostgreSQL that stops forwarding: connections
stay open and nothing answers, as with a hung server or a route that went dark.
"""

import contextlib
import socket
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import make_url, text
from sqlalchemy.exc import OperationalError

from bot import create_app, texts
from bot.wechat.simulator import Platform
from bot.worker.scheduler import record_deferred, replay_spool
from crm_core import services
from crm_core.db import CLIENT_GRACE_SECONDS, StallGuard, Timeouts, make_engine
from tests.builders import post, text_xml
from tests.conftest import make_settings, runtime

# A callback that has not answered by then is waiting on the stalled database for good; the
# guard only keeps a failing run from hanging (the budget configured below is about 1.5 s).
HANG_GUARD_SECONDS = 30
TIMEOUTS = {"connect_timeout": 2, "statement_timeout": 1.0, "lock_timeout": 1.0,
            "pool_timeout": 1.0}


class StallingProxy:
    """Forward loopback TCP connections to `target` until told to stall, then hold every byte
    (connections stay open, new ones are accepted) until told to forward again."""

    def __init__(self, target: tuple[str, int]) -> None:
        self.target = target
        self.forwarding = threading.Event()
        self.forwarding.set()
        self.closed = False
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.sockets: list[socket.socket] = [self.listener]
        threading.Thread(target=self._accept, name="stalling-proxy", daemon=True).start()

    def stall(self) -> None:
        """Stop forwarding in both directions."""
        self.forwarding.clear()

    def resume(self) -> None:
        """Forward again, what was held first."""
        self.forwarding.set()

    def close(self) -> None:
        """Close every socket; the pumping threads end with them."""
        self.closed = True
        self.forwarding.set()
        for sock in self.sockets:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
            sock.close()

    def _accept(self) -> None:
        while not self.closed:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            upstream = socket.create_connection(self.target)
            self.sockets += [client, upstream]
            for source, sink in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pump, args=(source, sink), daemon=True).start()

    def _pump(self, source: socket.socket, sink: socket.socket) -> None:
        with contextlib.suppress(OSError):
            while data := source.recv(65536):
                self.forwarding.wait()
                if self.closed:
                    break
                sink.sendall(data)
        for sock in (source, sink):
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)


@pytest.fixture
def proxied(database_url: str) -> Iterator[tuple[StallingProxy, str]]:
    """The test database behind a stalling proxy, and the URL that goes through it."""
    if not database_url.startswith("postgresql"):
        pytest.skip("a stalled connection needs a networked database (run with PostgreSQL)")
    url = make_url(database_url)
    proxy = StallingProxy((url.host or "127.0.0.1", url.port or 5432))
    try:
        yield proxy, url.set(host="127.0.0.1", port=proxy.port).render_as_string(
            hide_password=False)
    finally:
        proxy.close()


def answer_or_hang(call: Any) -> Any:
    """Run `call` in a thread; fail (instead of hanging) if it never answers."""
    result: list[Any] = []
    thread = threading.Thread(target=lambda: result.append(call()), daemon=True)
    thread.start()
    thread.join(HANG_GUARD_SECONDS)
    if not result:
        pytest.fail("the request is still waiting on the stalled database")
    return result[0]


def test_a_callback_during_a_database_stall_is_spooled_in_time_and_replayed_once(
        proxied: tuple[StallingProxy, str], tmp_path: Path, platform: Platform) -> None:
    proxy, url = proxied
    app = create_app(make_settings(url, tmp_path, database=TIMEOUTS))
    client = app.test_client()
    assert post(client, platform, text_xml("o-stall", "你好")).status_code == 200  # pool warm
    proxy.stall()
    xml = text_xml("o-stall", "存款利率")
    try:
        response = answer_or_hang(lambda: post(client, platform, xml))
        assert answer_or_hang(lambda: client.get("/healthz")).status_code == 200
    finally:
        proxy.resume()
    assert texts.SPOOLED in platform.read_reply(response.text)
    assert len(runtime(app).inbound.spool.waiting()) == 1
    assert replay_spool(runtime(app)) == 1
    post(client, platform, xml)  # the platform's retry, after the database came back
    record_deferred(runtime(app))  # the worker puts the exchanges on the timeline
    with runtime(app).uow() as uow:
        profile = services.customer_profile(uow, "o-stall")
    assert profile is not None
    asked = [i for i in profile["recent_interactions"]
             if i["direction"] == "in" and i["summary"] == "文字：存款利率"]
    assert len(asked) == 1
    runtime(app).engine.dispose()


def test_a_slow_statement_is_cancelled_by_the_server_and_an_idle_connection_is_kept(
        proxied: tuple[StallingProxy, str]) -> None:
    _proxy, url = proxied
    engine = make_engine(url, Timeouts(statement=0.5))
    with engine.connect() as connection:
        with pytest.raises(OperationalError, match="statement timeout"):
            connection.execute(text("SELECT pg_sleep(3)"))
        connection.rollback()
        assert not connection.invalidated  # the server's clean error: no socket was cut
        connection.commit()  # arms the guard; the connection then idles past the deadline
        threading.Event().wait(StallGuard.TICK_SECONDS * 2 + 0.5 + CLIENT_GRACE_SECONDS)
        assert connection.execute(text("SELECT 1")).scalar() == 1
    engine.dispose()
