"""/metrics for operators: what it counts, who may read it, and the JSON log lines."""

import io
import json
import logging
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlencode

import pytest
from flask import Flask
from flask.testing import FlaskClient
from prometheus_client.parser import text_string_to_metric_families

from bot import create_app
from bot.logs import formatter
from bot.wechat.simulator import Platform
from bot.worker.scheduler import record_deferred
from crm_core import services
from crm_core.model import Direction, NoticeKind, utcnow
from tests.builders import org, post, subscribe_xml, text_xml
from tests.conftest import make_settings, runtime

TOKEN = "metrics-token-0123456789abcdef0123456789"


def scrape(client: FlaskClient, **headers: str) -> dict[tuple[str, tuple[tuple[str, str], ...]],
                                                          float]:
    """Read /metrics as {(sample name, sorted labels): value}."""
    response = client.get("/metrics", headers=headers)
    assert response.status_code == 200, response.text
    assert response.content_type.startswith("text/plain; version=")
    return {(sample.name, tuple(sorted(sample.labels.items()))): sample.value
            for family in text_string_to_metric_families(response.text)
            for sample in family.samples}


def value(samples: dict, name: str, **labels: str) -> float:  # type: ignore[type-arg]
    return float(samples.get((name, tuple(sorted(labels.items()))), 0.0))


@pytest.fixture
def seeded(app: Flask) -> Flask:
    with runtime(app).uow() as uow:
        org(uow, {"SH001": ["SH001-01"]})
        uow.commit()
    return app


def test_a_message_is_timed_by_route_and_kind(seeded: Flask, platform: Platform) -> None:
    client = seeded.test_client()
    before = scrape(client)
    post(client, platform, text_xml("o-1", "我的客户经理", msg_id=1))
    post(client, platform, subscribe_xml("o-2", "b:SH001"))
    after = scrape(client)
    for kind in ("text", "event:subscribe"):
        count = "branchlink_request_seconds_count"
        assert value(after, count, route="/wechat", kind=kind) == \
            value(before, count, route="/wechat", kind=kind) + 1
    bucket = value(after, "branchlink_request_seconds_bucket", route="/wechat", kind="text",
                   le="+Inf")
    assert bucket >= 1


def test_messages_answered_at_once_count_in_the_groups_that_stored_them(
        seeded: Flask, platform: Platform) -> None:
    client = seeded.test_client()
    before = scrape(client)
    post(client, platform, text_xml("o-1", "我的客户经理", msg_id=11))
    post(client, platform, text_xml("o-1", "我的客户经理", msg_id=12))
    post(client, platform, subscribe_xml("o-2", "b:SH001"))  # writes: not grouped
    after = scrape(client)
    for sample in ("branchlink_group_commit_messages_count",
                   "branchlink_group_commit_messages_sum"):
        assert value(after, sample, channel="wechat") == value(before, sample,
                                                               channel="wechat") + 2


def test_refusals_are_counted_by_reason_and_twins_as_dedupe_hits(
        seeded: Flask, platform: Platform) -> None:
    client = seeded.test_client()
    before = scrape(client)
    xml = text_xml("o-1", "你好", msg_id=7)
    post(client, platform, xml)
    post(client, platform, xml)  # the platform's retry of the same delivery
    client.post("/wechat?signature=0&timestamp=1&nonce=2", data=xml)
    client.post(f"/wechat?{urlencode(platform.sign(xml).query)}", data="<xml>")
    after = scrape(client)
    hits = "branchlink_dedupe_hits_total"
    assert value(after, hits, channel="wechat") == value(before, hits, channel="wechat") + 1
    refused = "branchlink_callbacks_refused_total"
    for reason in ("signature", "malformed"):
        assert value(after, refused, reason=reason) == value(before, refused, reason=reason) + 1


def test_the_outbox_backlog_and_the_age_of_its_oldest_due_notice(seeded: Flask) -> None:
    with runtime(seeded).uow() as uow:
        manager = uow.managers.by_code("SH001-01")
        assert manager is not None
        manager.openid = "o-manager"
        for minutes, key in ((10, "old"), (1, "new")):
            services.enqueue_notice(uow, key, NoticeKind.NEW_CUSTOMER, manager, {},
                                    utcnow() - timedelta(minutes=minutes))
        services.enqueue_notice(uow, "later", NoticeKind.NEW_CUSTOMER, manager, {},
                                utcnow() + timedelta(minutes=5))  # not due yet
        uow.commit()
    samples = scrape(seeded.test_client())
    assert value(samples, "branchlink_outbox_backlog") == 2
    assert 600 <= value(samples, "branchlink_outbox_oldest_due_seconds") < 660


def test_exchanges_waiting_for_the_timeline_and_the_age_of_the_oldest(seeded: Flask) -> None:
    with runtime(seeded).uow() as uow:
        services.answer_at_once(uow, "wechat", [services.AnsweredAtOnce(
            key, utcnow() - timedelta(minutes=minutes), "success", "o-waiting",
            [(Direction.IN, "event:view", "打开菜单链接", None)])
            for minutes, key in ((3, "k-old"), (1, "k-new"))])
        uow.commit()
    samples = scrape(seeded.test_client())
    assert value(samples, "branchlink_timeline_backlog") == 2
    assert 180 <= value(samples, "branchlink_timeline_oldest_seconds") < 240
    record_deferred(runtime(seeded))
    assert value(scrape(seeded.test_client()), "branchlink_timeline_backlog") == 0


def test_spooled_messages_show_as_spool_depth_while_the_database_is_away(
        tmp_path: Path, platform: Platform) -> None:
    down = create_app(make_settings("postgresql+psycopg://nobody@127.0.0.1:9/none", tmp_path))
    client = down.test_client()
    post(client, platform, text_xml("o-1", "你好", msg_id=1))
    post(client, platform, text_xml("o-1", "在吗", msg_id=2))
    samples = scrape(client)
    assert value(samples, "branchlink_spool_depth", folder="pending") == 2
    assert ("branchlink_outbox_backlog", ()) not in samples  # unreadable: left out, not 0


@pytest.fixture
def guarded(tmp_path: Path, database_url: str) -> Iterator[FlaskClient]:
    app = create_app(make_settings(database_url, tmp_path, metrics={"token": TOKEN}))
    yield app.test_client()
    runtime(app).engine.dispose()


def test_only_the_host_itself_reads_metrics_without_a_token(client: FlaskClient) -> None:
    assert client.get("/metrics").status_code == 200
    remote = {"REMOTE_ADDR": "203.0.113.9"}
    assert client.get("/metrics", environ_base=remote).status_code == 403
    # A proxy on this host relays outside callers from loopback: relayed is not local.
    relayed = client.get("/metrics", headers={"X-Forwarded-For": "203.0.113.9"})
    assert relayed.status_code == 403
    assert client.get("/metrics", environ_base=remote,
                      headers={"Authorization": "Bearer anything"}).status_code == 403


def test_a_configured_token_lets_a_remote_scraper_in(guarded: FlaskClient) -> None:
    remote = {"REMOTE_ADDR": "203.0.113.9"}
    good = guarded.get("/metrics", environ_base=remote,
                       headers={"Authorization": f"Bearer {TOKEN}"})
    assert good.status_code == 200 and "branchlink_spool_depth" in good.text
    wrong = guarded.get("/metrics", environ_base=remote,
                        headers={"Authorization": f"Bearer {TOKEN[:-1]}x"})
    assert wrong.status_code == 403


def test_json_log_lines_name_the_delivery_without_content_or_sender(
        tmp_path: Path, platform: Platform) -> None:
    down = create_app(make_settings("postgresql+psycopg://nobody@127.0.0.1:9/none", tmp_path))
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(formatter("json"))
    root = logging.getLogger()
    root.addHandler(handler)
    try:
        post(down.test_client(), platform, text_xml("o-secret-openid", "机密内容", msg_id=4242))
        post(down.test_client(), platform, subscribe_xml("o-secret-openid", "b:SH001"))
    finally:
        root.removeHandler(handler)
    lines = [json.loads(line) for line in stream.getvalue().splitlines()]
    spooled = [line for line in lines if line["message"].startswith("database unavailable")]
    assert [line["delivery"] for line in spooled][:1] == ["msg:4242"]
    assert spooled[1]["delivery"].startswith("evt:") and spooled[1]["kind"] == "event:subscribe"
    assert {"time", "level", "logger"} <= spooled[0].keys()
    assert "o-secret-openid" not in stream.getvalue() and "机密内容" not in stream.getvalue()
