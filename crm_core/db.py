"""Engines, sessions and migrations for SQLite and PostgreSQL alike."""

import fcntl
import functools
import logging
import os
import socket
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, create_engine, event, inspect, make_url, text
from sqlalchemy.orm import Session, sessionmaker

MIGRATIONS = Path(__file__).parent / "migrations"
# The server cancels a statement at `statement`; the client cuts a round trip this much later,
# so a slow statement on a live server ends with the server's clean error, not a lost socket.
CLIENT_GRACE_SECONDS = 0.5
# The execution option of a SQLite connection that only reads: it neither queues with the
# writers nor takes the write lock (WAL lets it read while one writes).
READER = "branchlink_reader"
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Timeouts:
    """How long (seconds) a process waits on PostgreSQL before taking it for an outage."""

    connect: int = 2  # opening a connection, handshake included (libpq's minimum is 2)
    statement: float = 3.0  # one statement on the server (the client cuts at + grace)
    lock: float = 2.0  # waiting for a row or table lock
    pool: float = 1.0  # waiting for a free connection of the pool


def make_engine(url: str, timeouts: Timeouts | None = None, **kwargs: Any) -> Engine:
    """Create an engine; SQLite gets WAL, a busy timeout, foreign keys and write-ahead locking,
    PostgreSQL the timeouts given (none: wait as long as the driver does)."""
    # Statement parameters are openids and message text: never in an error, so never logged.
    kwargs.setdefault("hide_parameters", True)
    if not url.startswith("sqlite"):
        return _postgresql_engine(url, timeouts, **kwargs)
    database = make_url(url).database
    if database and database != ":memory:":
        Path(database).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, connect_args={"timeout": 30}, **kwargs)
    event.listen(engine, "connect", _sqlite_pragmas)
    if database and database != ":memory:":
        queue = WriterQueue(Path(database + ".writers"))
        event.listen(engine, "begin", queue.enter)
        event.listen(engine, "checkin", queue.leave)
    event.listen(engine, "begin", _sqlite_begin_immediate)
    return engine


def _postgresql_engine(url: str, timeouts: Timeouts | None, **kwargs: Any) -> Engine:
    # No pre-ping round trip per checkout: a dropped connection surfaces as an outage,
    # the message is spooled and the pool reconnects on the next checkout.
    if timeouts is None:
        return create_engine(url, **kwargs)
    options = (f"-c statement_timeout={round(timeouts.statement * 1000)} "
               f"-c lock_timeout={round(timeouts.lock * 1000)}")
    connect_args = {"connect_timeout": timeouts.connect, "options": options}
    engine = create_engine(url, pool_timeout=timeouts.pool, connect_args=connect_args, **kwargs)
    StallGuard(timeouts.statement + CLIENT_GRACE_SECONDS).watch(engine)
    return engine


class StallGuard:
    """Cut a connection whose round trip to the server outlives a deadline.

    A server that stalls without refusing (hung, or a route or proxy that stops forwarding)
    never answers, and no server-side timeout fires for a statement the server never got:
    the caller would wait forever, past any deadline of its own caller. A watchdog thread
    shuts the socket of a connection still busy past its deadline; the driver then fails at
    once with a disconnect, which callers treat as an outage, and the pool drops it.
    """

    TICK_SECONDS = 0.1
    IDLE_TICKS = 50  # the thread ends after 5 s with nothing armed (a new round trip restarts it)

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self._armed: dict[int, tuple[float, Any]] = {}
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None

    def watch(self, engine: Engine) -> None:
        """Arm before every round trip (statement, commit, rollback, reset) and disarm after."""
        event.listen(engine, "before_cursor_execute", self._arm_statement)
        event.listen(engine, "after_cursor_execute", self._disarm_statement)
        event.listen(engine, "commit", self._arm_transaction_end)
        event.listen(engine, "rollback", self._arm_transaction_end)
        event.listen(engine, "reset", self._arm_reset)
        event.listen(engine, "checkin", self._disarm_checkin)

    def arm(self, dbapi_connection: Any) -> None:
        """Give the connection's next round trip `seconds` to complete."""
        with self._lock:
            self._armed[id(dbapi_connection)] = (time.monotonic() + self.seconds,
                                                 dbapi_connection)
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="db-stall-guard",
                                                daemon=True)
                self._thread.start()

    def disarm(self, dbapi_connection: Any) -> None:
        """The round trip is over."""
        with self._lock:
            self._armed.pop(id(dbapi_connection), None)

    def _arm_statement(self, conn: Any, *_args: Any) -> None:
        self.arm(conn.connection.dbapi_connection)

    def _disarm_statement(self, conn: Any, *_args: Any) -> None:
        self.disarm(conn.connection.dbapi_connection)

    def _arm_transaction_end(self, conn: Any) -> None:
        # Disarmed at check-in, or by the next statement's own arming. An invalidated
        # connection (one just cut, say) rolls back without a round trip.
        if not conn.invalidated:
            self.arm(conn.connection.dbapi_connection)

    def _arm_reset(self, dbapi_connection: Any, *_args: Any) -> None:
        self.arm(dbapi_connection)

    def _disarm_checkin(self, dbapi_connection: Any, _record: Any) -> None:
        if dbapi_connection is not None:
            self.disarm(dbapi_connection)

    def _run(self) -> None:
        idle = 0
        while idle < self.IDLE_TICKS:
            time.sleep(self.TICK_SECONDS)
            with self._lock:
                now = time.monotonic()
                for key in [k for k, (deadline, _) in self._armed.items() if deadline <= now]:
                    _cut_if_busy(self._armed.pop(key)[1], self.seconds)
                idle = 0 if self._armed else idle + 1
                if idle >= self.IDLE_TICKS:
                    self._thread = None


def _cut_if_busy(dbapi_connection: Any, seconds: float) -> None:
    # libpq's PQTRANS_ACTIVE (psycopg and psycopg2 alike): a command is still in progress,
    # so an idle connection whose disarming was skipped is never cut.
    info = getattr(dbapi_connection, "info", None)
    if getattr(info, "transaction_status", None) != 1:
        return
    try:
        # shutdown() acts on the socket itself, so the driver's own descriptor sees it too.
        with socket.socket(fileno=os.dup(dbapi_connection.fileno())) as sock:
            sock.shutdown(socket.SHUT_RDWR)
    except Exception:  # closed meanwhile (OSError, or the driver's own error): nothing to cut
        return
    log.warning("database round trip still unanswered after %.1f s: connection cut", seconds)


class WriterQueue:
    """Serialise SQLite transactions of every thread and process on a file lock.

    SQLite's own busy handler makes a waiting writer sleep in growing steps (up to 100 ms),
    which under load turns a 2 ms transaction into a 1 s wait. A blocking flock wakes the
    next writer the moment the previous connection is returned to the pool.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self.local = threading.local()

    def enter(self, connection: Any) -> None:
        """Take the lock before BEGIN (held until the connection is checked in)."""
        info = connection.connection.info
        if "writer_lock" in info or connection.get_execution_options().get(READER):
            return
        if getattr(self.local, "holding", False):
            # A second unit of work in a thread that holds the lock would wait for itself.
            raise RuntimeError("a unit of work is already open in this thread (SQLite)")
        handle = self.path.open("a")
        fcntl.flock(handle, fcntl.LOCK_EX)
        info["writer_lock"] = handle
        self.local.holding = True

    def leave(self, _dbapi_connection: Any, record: Any) -> None:
        """Release the lock once the transaction is over and the connection is back."""
        handle = record.info.pop("writer_lock", None)
        if handle is not None:
            fcntl.flock(handle, fcntl.LOCK_UN)
            handle.close()
            self.local.holding = False


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # Take over transaction control from pysqlite so that BEGIN below is ours.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    for pragma in ("journal_mode=WAL", "synchronous=NORMAL", "foreign_keys=ON",
                   "busy_timeout=30000"):
        cursor.execute(f"PRAGMA {pragma}")
    cursor.close()


def _sqlite_begin_immediate(connection: Any) -> None:
    # Writers queue at BEGIN instead of failing on a stale read snapshot: with several
    # workers this is what keeps read-then-write transactions (round robin) serialisable.
    # A reader's BEGIN takes no lock: its reads share one snapshot.
    reader = connection.get_execution_options().get(READER)
    connection.exec_driver_sql("BEGIN" if reader else "BEGIN IMMEDIATE")


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    """Return the session factory every unit of work uses."""
    return sessionmaker(engine, expire_on_commit=False)


def alembic_config(url: str) -> Config:
    """Return an Alembic configuration pointing at the packaged migrations."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def upgrade(url: str, revision: str = "head") -> None:
    """Migrate the database at `url` to `revision`."""
    command.upgrade(alembic_config(url), revision)


def schema_revision(engine: Engine) -> str | None:
    """Return the migration the database is at (None: never migrated); raises if unreachable."""
    with engine.connect() as connection:
        if not inspect(connection).has_table("alembic_version"):
            return None
        revision = connection.execute(text("SELECT version_num FROM alembic_version")).scalar()
        return None if revision is None else str(revision)


@functools.cache
def head_revision() -> str | None:
    """Return the latest migration this code ships (read once per process)."""
    return ScriptDirectory.from_config(alembic_config("")).get_current_head()
