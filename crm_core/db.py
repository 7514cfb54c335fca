"""Engines, sessions and migrations for SQLite and PostgreSQL alike."""

import fcntl
import threading
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, event, make_url
from sqlalchemy.orm import Session, sessionmaker

MIGRATIONS = Path(__file__).parent / "migrations"


def make_engine(url: str, **kwargs: Any) -> Engine:
    """Create an engine; SQLite gets WAL, a busy timeout, foreign keys and write-ahead locking."""
    # Statement parameters are openids and message text: never in an error, so never logged.
    kwargs.setdefault("hide_parameters", True)
    if not url.startswith("sqlite"):
        # No pre-ping round trip per checkout: a dropped connection surfaces as an outage,
        # the message is spooled and the pool reconnects on the next checkout.
        return create_engine(url, **kwargs)
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
        if "writer_lock" in info:
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
    connection.exec_driver_sql("BEGIN IMMEDIATE")


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
