"""/metrics for operators, and the timing of every request it reports.

The counters come from every process of the host (bot.metrics); the backlog figures are
read when Prometheus asks: messages waiting in the disk spool, notices due and how long the
oldest has waited. Only the host itself (loopback, not relayed by a proxy) or a caller with
the `[metrics] token` may read them.
"""

import hmac
import logging
import time
from collections.abc import Iterable, Iterator

from flask import Blueprint, Flask, Response, g, request
from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY, CollectorRegistry, generate_latest
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.multiprocess import MultiProcessCollector
from prometheus_client.registry import Collector
from sqlalchemy.exc import SQLAlchemyError

from bot.inbound import CHANNEL
from bot.metrics import REQUEST_SECONDS, multiprocess_dir
from bot.runtime import Runtime
from bot.spool import FAILED, PENDING
from bot.web.edge import current_runtime
from crm_core import services
from crm_core.model import utcnow

bp = Blueprint("metrics", __name__)
log = logging.getLogger(__name__)
LOOPBACK = frozenset({"127.0.0.1", "::1"})
# A request relayed by a proxy on this host comes from loopback too: these say it was relayed.
RELAY_HEADERS = ("X-Forwarded-For", "Forwarded", "X-Real-IP")


def init_timing(app: Flask) -> None:
    """Time every request into the latency histogram, by route and message kind."""
    app.before_request(_start_clock)
    app.teardown_request(_stop_clock)


def _start_clock() -> None:
    g.started = time.perf_counter()


def _stop_clock(_error: BaseException | None) -> None:
    started = g.get("started")
    if started is None:
        return
    route = request.url_rule.rule if request.url_rule else "unmatched"
    REQUEST_SECONDS.labels(route, g.get("message_kind", "")).observe(
        time.perf_counter() - started)


@bp.get("/metrics")
def metrics() -> Response:
    """The Prometheus exposition of this host's processes and the service's backlogs."""
    if not _allowed(current_runtime().settings.metrics.token):
        return Response("forbidden", status=403, mimetype="text/plain")
    body = generate_latest(_Sources(_process_metrics(), Backlogs(current_runtime())))
    return Response(body, mimetype=CONTENT_TYPE_LATEST)


def _allowed(token: str | None) -> bool:
    given = request.headers.get("Authorization", "")
    if token and hmac.compare_digest(given.encode(), f"Bearer {token}".encode()):
        return True
    relayed = any(name in request.headers for name in RELAY_HEADERS)
    return request.remote_addr in LOOPBACK and not relayed


def _process_metrics() -> CollectorRegistry:
    if multiprocess_dir() is None:
        return REGISTRY
    registry = CollectorRegistry()
    MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
    return registry


class _Sources:
    """Several collectors read as one, for one exposition."""

    def __init__(self, *sources: Collector) -> None:
        self.sources = sources

    def collect(self) -> Iterator[Metric]:
        """Yield every source's metrics in turn."""
        for source in self.sources:
            yield from source.collect()


class Backlogs:
    """What waits, read at each scrape: the spool's folders and the due notices."""

    def __init__(self, runtime: Runtime) -> None:
        self.runtime = runtime

    def collect(self) -> Iterable[Metric]:
        """Yield the spool depth by folder, and the outbox backlog when the database answers."""
        spool = GaugeMetricFamily("branchlink_spool_depth", "Messages waiting in the disk spool.",
                                  labels=["folder"])
        for folder in (PENDING, FAILED):
            spool.add_metric([folder], self.runtime.inbound.spool.depth(folder))
        yield spool
        try:
            with self.runtime.uow() as uow:
                count, age = services.outbox_backlog(uow, utcnow())
                waiting, waited = services.timeline_backlog(uow, CHANNEL, utcnow())
        except SQLAlchemyError as error:  # the database's state is /readyz's to report
            log.warning("outbox backlog unreadable: %s", type(error).__name__)
            return
        yield GaugeMetricFamily("branchlink_outbox_backlog", "Notices due and not sent yet.",
                                value=count)
        yield GaugeMetricFamily("branchlink_outbox_oldest_due_seconds",
                                "How long the oldest due notice has waited.", value=age)
        yield GaugeMetricFamily("branchlink_timeline_backlog",
                                "Answered messages whose exchange waits to be put on the timeline.",
                                value=waiting)
        yield GaugeMetricFamily("branchlink_timeline_oldest_seconds",
                                "How long the oldest of them has waited.", value=waited)
