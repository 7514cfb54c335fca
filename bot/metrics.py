"""What operators watch, in Prometheus' terms: the counters and histograms every process keeps.

Under `branchlink serve` each gunicorn worker is a process of its own, and so is the background
worker beside them. With PROMETHEUS_MULTIPROC_DIR set, every process writes its samples to
files in that folder and /metrics adds them up (prometheus-client's multiprocess mode). Serve
sets up a fresh folder unless the environment names one; whoever names one must empty it
before each start (prometheus-client's rule).

Every metric here has labels, so that each value is made by the process that records it,
after serve has chosen the mode: a metric without labels would make its value when this
module is imported, in a process that may not have chosen yet.
"""

import os
import shutil
import tempfile

from prometheus_client import Counter, Gauge, Histogram, multiprocess, values

MULTIPROC_ENV = "PROMETHEUS_MULTIPROC_DIR"

REQUEST_SECONDS = Histogram(
    "branchlink_request_seconds", "Time to answer an HTTP request, by route and message kind.",
    ["route", "kind"],
    buckets=(0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0))
CALLBACKS_REFUSED = Counter(
    "branchlink_callbacks_refused_total", "Platform callbacks refused, by reason.", ["reason"])
DEDUPE_HITS = Counter(
    "branchlink_dedupe_hits_total", "Deliveries answered with the reply stored by their twin.",
    ["channel"])
GROUP_COMMITS = Histogram(
    "branchlink_group_commit_messages",
    "Messages answered from reads alone stored by one commit (group commit), by channel.",
    ["channel"], buckets=(1, 2, 4, 8, 16, 32, 64))
SPOOLED = Counter(
    "branchlink_spooled_total", "Messages written to the disk spool, by folder.", ["folder"])
NOTICE_SENDS = Counter(
    "branchlink_notice_sends_total", "Outcomes of notice sends, by class.", ["outcome"])
TOKEN_REFRESHES = Counter(
    "branchlink_token_refreshes_total", "Access tokens fetched from the platform.", ["forced"])
WORKER_LEADER = Gauge(
    "branchlink_worker_leader", "1 while this worker holds the leader lease (clock jobs).",
    ["role"], multiprocess_mode="liveall")


def multiprocess_dir() -> str | None:
    """Return the folder of the multiprocess samples, or None in single-process mode."""
    return os.environ.get(MULTIPROC_ENV) or None


def prepare_multiprocess() -> str | None:
    """Choose multiprocess mode for this process and its children, before they start: the
    folder the environment names, or a fresh one. Return the folder made here (the caller
    removes it when it stops), or None when the environment named one."""
    made = None
    if multiprocess_dir() is None:
        made = tempfile.mkdtemp(prefix="branchlink-metrics-")
        os.environ[MULTIPROC_ENV] = made
    # The library reads the variable once, when imported; values made from now on follow it.
    values.ValueClass = values.get_value_class()  # type: ignore[no-untyped-call]
    return made


def remove_multiprocess_dir(folder: str | None) -> None:
    """Remove the folder prepare_multiprocess made, if it made one."""
    if folder is not None:
        shutil.rmtree(folder, ignore_errors=True)


def process_dead(pid: int) -> None:
    """Forget the live gauges of a process that exited (in multiprocess mode)."""
    if multiprocess_dir():
        multiprocess.mark_process_dead(pid)  # type: ignore[no-untyped-call]
