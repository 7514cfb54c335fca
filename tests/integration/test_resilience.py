"""Concurrency, key rotation and outages: nothing doubled, nothing lost."""

import logging
import os
import subprocess
import sys
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import func, select

from bot import create_app
from bot.cli.base import Cli
from bot.cli.spool import spool as spool_command
from bot.inbound import Inbound
from bot.spool import FAILED, Spool, delivery_ref
from bot.wechat.messages import parse_message
from bot.wechat.simulator import Platform
from bot.worker.scheduler import record_deferred, replay_spool
from crm_core import services
from crm_core.model import Customer, InboundDelivery, ManagerLink, utcnow
from tests.builders import org, post, subscribe_xml, text_xml
from tests.conftest import AES_KEY, APP_ID, TOKEN, make_settings, runtime
from tests.fakes import FakeUnitOfWork

NEW_KEY = "NEWkey0123456789abcdefghijklmnopqrstuvwxyz0"
ROOT = Path(__file__).parents[2]


def test_concurrent_follows_through_one_branch_code_are_shared_fairly(
        app, platform: Platform) -> None:
    with runtime(app).uow() as uow:
        org(uow, {"SH001": ["SH001-01", "SH001-02", "SH001-03"]})
        uow.commit()

    def follow(i: int) -> int:
        return post(app.test_client(), platform, subscribe_xml(f"c{i}", "b:SH001")).status_code

    with ThreadPoolExecutor(max_workers=6) as pool:
        assert set(pool.map(follow, range(36))) == {200}
    with runtime(app).engine.connect() as connection:
        owners = connection.execute(select(ManagerLink.manager_id)).scalars().all()
    assert sorted(Counter(owners).values()) == [12, 12, 12]


@pytest.mark.parametrize(("accept_previous", "status"), [(True, 200), (False, 403)])
def test_previous_aes_key_is_accepted_after_rotation_only_while_configured(
        database_url: str, tmp_path: Path, accept_previous: bool, status: int) -> None:
    settings = make_settings(database_url, tmp_path, wechat={
        "encoding_aes_key": NEW_KEY, "previous_encoding_aes_key": AES_KEY,
        "accept_previous_key": accept_previous})
    app = create_app(settings)
    old_platform = Platform(TOKEN, APP_ID, AES_KEY)
    response = post(app.test_client(), old_platform, text_xml("o1", "hi"), "safe")
    assert response.status_code == status
    if status == 200:
        assert "<Content>" in old_platform.read_reply(response.text)  # sealed with the old key
    new_platform = Platform(TOKEN, APP_ID, NEW_KEY)
    assert post(app.test_client(), new_platform, text_xml("o1", "hi"), "safe").status_code == 200
    runtime(app).engine.dispose()


def test_database_outage_spools_the_message_and_the_replay_processes_it_once(
        database_url: str, tmp_path: Path, platform: Platform) -> None:
    down = make_settings("postgresql+psycopg://nobody@127.0.0.1:9/none", tmp_path)
    outage_app = create_app(down)
    xml = subscribe_xml("o-outage", "b:SH001", at=int(time.time()))
    response = post(outage_app.test_client(), platform, xml)
    assert response.status_code == 200 and "已收到" in platform.read_reply(response.text)
    assert post(outage_app.test_client(), platform, xml).status_code == 200  # a retry
    spool = Spool(down.webhook.spool_dir)
    assert len(spool.waiting()) == 1

    app = create_app(make_settings(database_url, tmp_path))
    with runtime(app).uow() as uow:
        org(uow, {"SH001": ["SH001-01"]})
        uow.commit()
    assert runtime(app).inbound.replay_spool().done == 1
    post(app.test_client(), platform, xml)  # the platform's late retry changes nothing
    with runtime(app).uow() as uow:
        card = services.my_manager(uow, "o-outage")
        profile = services.customer_profile(uow, "o-outage")
    assert card is not None and card.code == "SH001-01"
    assert profile is not None and len(profile["touches"]) == 1
    assert spool.waiting() == []
    runtime(app).engine.dispose()


class ExplodingUnitOfWork(FakeUnitOfWork):
    """A unit of work with a bug in it, to exercise the error funnel."""

    def __enter__(self):  # type: ignore[no-untyped-def]
        raise RuntimeError("bug")


def test_handler_bug_is_logged_with_the_key_parked_and_answered_politely(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    inbound = Inbound(ExplodingUnitOfWork, Spool(tmp_path))
    msg = parse_message(text_xml("o9", "你好", msg_id=99))
    with caplog.at_level(logging.ERROR):
        reply = inbound.receive(msg, text_xml("o9", "你好", msg_id=99))
    assert "系统繁忙" in reply
    assert "msg:99" in caplog.text and "你好" not in caplog.text
    assert len(Spool(tmp_path).waiting(FAILED)) == 1


def test_two_app_instances_share_dedupe_through_the_database(
        settings, platform: Platform) -> None:  # type: ignore[no-untyped-def]
    first, second = create_app(settings), create_app(settings)
    xml = text_xml("o10", "你好", msg_id=4242)
    a = post(first.test_client(), platform, xml)
    b = post(second.test_client(), platform, xml)
    assert a.text == b.text
    assert record_deferred(runtime(second)) == 1  # one exchange for the timeline, not two
    with runtime(first).engine.connect() as connection:
        assert connection.scalar(select(Customer.id).where(Customer.openid == "o10"))
    for app in (first, second):
        runtime(app).engine.dispose()


def poisoned_spool(spool: Spool) -> tuple[Path, list[str]]:
    """Spool one message that can never be processed, then ten good ones after it."""
    bad = spool.put("evt:o-bad:1:subscribe", "<xml><MsgType>event</MsgType><Event>sub")
    os.utime(bad, (1, 1))  # the oldest: replayed first
    good = [text_xml(f"o-good-{i}", "你好", msg_id=500 + i) for i in range(10)]
    for i, xml in enumerate(good):
        spool.put(f"msg:{500 + i}", xml)
    return bad, good


def test_a_spooled_message_that_cannot_be_processed_is_parked_and_the_rest_replayed(
        app, caplog: pytest.LogCaptureFixture) -> None:  # type: ignore[no-untyped-def]
    spool = runtime(app).inbound.spool
    bad, _good = poisoned_spool(spool)
    with caplog.at_level(logging.INFO):
        assert replay_spool(runtime(app)) == 10
    assert spool.waiting() == [] and [p.name for p in spool.waiting(FAILED)] == [bad.name]
    assert f"parked {bad.name}" in caplog.text and "replay stopped" not in caplog.text
    with runtime(app).engine.connect() as connection:
        assert connection.scalar(select(func.count()).select_from(InboundDelivery)) == 10


def test_spool_replay_command_parks_what_fails_and_replays_the_rest(app) -> None:  # type: ignore[no-untyped-def]
    spool = runtime(app).inbound.spool
    poisoned_spool(spool)
    cli = Cli(None)
    cli.__dict__["runtime"] = runtime(app)
    result = CliRunner().invoke(spool_command, ["replay"], obj=cli)
    assert result.exit_code == 0, result.output
    assert "replayed 10 message(s); 1 parked" in result.output
    again = CliRunner().invoke(spool_command, ["replay", "--failed"], obj=cli)
    assert again.exit_code == 0 and "replayed 0 message(s); 1 parked" in again.output
    assert len(spool.waiting(FAILED)) == 1


def test_while_the_database_is_down_the_worker_keeps_every_spooled_message(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    down = create_app(make_settings("postgresql+psycopg://nobody@127.0.0.1:9/none", tmp_path))
    spool = runtime(down).inbound.spool
    _bad, good = poisoned_spool(spool)
    os.utime(spool.waiting()[-1], (0, 0))  # a good one first, so the outage is met at once
    with caplog.at_level(logging.WARNING):
        assert replay_spool(runtime(down)) == 0
    assert len(spool.waiting()) == len(good) + 1 and spool.waiting(FAILED) == []
    assert "replay stopped; 11 message(s) wait" in caplog.text


@pytest.fixture
def refuse_rows(app):  # type: ignore[no-untyped-def]
    """Make the database refuse every new row of a table (a trigger): a real error that is
    not an outage. Returns the function that sets it up; the triggers go at teardown."""
    engine, tables = runtime(app).engine, []

    def refuse(table: str) -> None:
        tables.append(table)
        with engine.begin() as connection:
            for statement in REFUSE[engine.dialect.name]:
                connection.exec_driver_sql(statement.format(table=table))

    yield refuse
    with engine.begin() as connection:
        for table in tables:
            connection.exec_driver_sql(f"DROP TRIGGER IF EXISTS refuse_{table}"
                                       + (f" ON {table}" if engine.dialect.name != "sqlite"
                                          else ""))


REFUSE = {
    "sqlite": ["CREATE TRIGGER refuse_{table} BEFORE INSERT ON {table} "
               "BEGIN SELECT RAISE(ABORT, 'refused by the test'); END"],
    "postgresql": ["CREATE OR REPLACE FUNCTION refuse_row() RETURNS trigger LANGUAGE plpgsql "
                   "AS $$ BEGIN RAISE EXCEPTION 'refused by the test'; END $$",
                   "CREATE TRIGGER refuse_{table} BEFORE INSERT ON {table} "
                   "FOR EACH ROW EXECUTE FUNCTION refuse_row()"],
}


def test_a_spooled_message_the_database_refuses_is_parked_with_its_key_logged(
        app, refuse_rows, caplog: pytest.LogCaptureFixture) -> None:  # type: ignore[no-untyped-def]
    spool = runtime(app).inbound.spool
    refuse_rows("inbound_deliveries")  # on SQLite an IntegrityError, yet no twin delivery
    spool.put("msg:77", text_xml("o-known", "你好", msg_id=77))
    with caplog.at_level(logging.INFO):
        assert replay_spool(runtime(app)) == 0
    assert len(spool.waiting(FAILED)) == 1 and spool.waiting() == []
    assert "handler failed for msg:77" in caplog.text and "replay stopped" not in caplog.text


def test_a_database_error_is_logged_with_the_key_and_without_the_message(
        app, platform: Platform, refuse_rows,
        caplog: pytest.LogCaptureFixture) -> None:  # type: ignore[no-untyped-def]
    secret = "o-private-openid"
    refuse_rows("customers")
    xml = subscribe_xml(secret, "b:SH001", at=4711)
    with caplog.at_level(logging.INFO):
        response = post(app.test_client(), platform, xml)
    assert "系统繁忙" in response.text  # the apology: parked, never lost
    assert f"handler failed for {delivery_ref(parse_message(xml).dedupe_key)}" in caplog.text
    assert "refused by the test" in caplog.text  # the database's own reason is kept
    assert secret not in caplog.text


def test_an_exchange_the_timeline_refuses_waits_and_is_logged_without_the_message(
        app, platform: Platform, refuse_rows,
        caplog: pytest.LogCaptureFixture) -> None:  # type: ignore[no-untyped-def]
    secret = "机密的留言内容"
    refuse_rows("interactions")
    response = post(app.test_client(), platform, text_xml("o-writer", f"详情 {secret}",
                                                          msg_id=4712))
    assert response.status_code == 200 and "系统繁忙" not in response.text  # answered
    with caplog.at_level(logging.INFO):
        assert record_deferred(runtime(app)) == 0
    assert "refused by the test" in caplog.text and secret not in caplog.text
    with runtime(app).uow() as uow:  # kept for the next batch, not lost
        assert services.timeline_backlog(uow, "wechat", utcnow())[0] == 1


# Run in a child process: the file size limit (RLIMIT_FSIZE, the kernel's own refusal to grow
# a file, here to 16 bytes) must not reach pytest's files. SIGXFSZ ignored: writes fail EFBIG.
FULL_DISK = """
import resource, signal, sys
from bot import create_app
from tests.builders import post, text_xml
from tests.conftest import make_settings
from bot.wechat.simulator import Platform
from tests.conftest import AES_KEY, APP_ID, TOKEN
from pathlib import Path

app = create_app(make_settings("postgresql+psycopg://nobody@127.0.0.1:9/none", Path(sys.argv[1])))
client, platform = app.test_client(), Platform(TOKEN, APP_ID, AES_KEY)
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
resource.setrlimit(resource.RLIMIT_FSIZE, (16, resource.RLIM_INFINITY))
response = post(client, platform, text_xml("o-full", "你好", msg_id=808))
print(response.status_code, response.text)
"""


def test_a_message_the_full_spool_cannot_take_is_refused_for_a_retry_and_leaves_no_file(
        tmp_path: Path) -> None:
    done = subprocess.run([sys.executable, "-c", FULL_DISK, str(tmp_path)], cwd=ROOT,
                          capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    status, _, body = done.stdout.strip().partition(" ")
    assert status == "503" and "success" not in body  # no 200: the platform sends it again
    assert "could not spool msg:808" in done.stderr
    assert [p.name for p in (tmp_path / "spool").rglob("*")] == ["pending"]
