"""Process helpers shared by the benchmarks: start a server, wait for it, stop its group."""

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import psycopg
import requests

from crm_core.db import upgrade

ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/postgres"


@contextmanager
def serving(args: list[str], url: str,
            env: dict[str, str] | None = None) -> Iterator[subprocess.Popen[bytes]]:
    """Run a server process (own process group) until the block ends, once `url` answers."""
    server = subprocess.Popen(args, start_new_session=True, env={**os.environ, **(env or {})},
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_http(url)
        yield server
    finally:
        stop(server)


def forked_workers(server: subprocess.Popen[bytes]) -> list[int]:
    """Return the server's worker processes: its children forked with its own command line
    (gunicorn's workers; a companion that `serve` starts has a command line of its own)."""
    own = Path(f"/proc/{server.pid}/cmdline").read_bytes()
    return [int(child) for task in Path(f"/proc/{server.pid}/task").iterdir()
            for child in (task / "children").read_text().split()
            if Path(f"/proc/{child}/cmdline").read_bytes() == own]


def cpu_seconds(pid: int) -> float:
    """Return the CPU time (user and system) a process has used so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def stop(process: subprocess.Popen[bytes]) -> None:
    """Stop a process and its children."""
    os.killpg(process.pid, signal.SIGTERM)
    process.wait(timeout=20)


def wait_http(url: str) -> None:
    """Wait (at most 20 s) until `url` answers anything, or exit the benchmark."""
    for _ in range(100):
        try:
            requests.get(url, timeout=1)
            return
        except (requests.ConnectionError, requests.Timeout):
            time.sleep(0.2)
    sys.exit(f"{url} did not come up")


def fresh_database(name: str) -> None:
    """Drop and create the PostgreSQL database `name` on loopback, then migrate it."""
    with psycopg.connect(ADMIN_URL, autocommit=True, connect_timeout=3) as connection:
        connection.execute(f"DROP DATABASE IF EXISTS {name}")
        connection.execute(f"CREATE DATABASE {name}")
    upgrade(f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}")
