"""Concurrency, key rotation and outages: nothing doubled, nothing lost."""

import logging
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from sqlalchemy import select

from bot import create_app
from bot.inbound import Inbound
from bot.spool import FAILED, Spool
from bot.wechat.messages import parse_message
from bot.wechat.simulator import Platform
from crm_core import services
from crm_core.model import Customer, ManagerLink
from tests.builders import org, post, subscribe_xml, text_xml
from tests.conftest import AES_KEY, APP_ID, TOKEN, make_settings, runtime
from tests.fakes import FakeUnitOfWork

NEW_KEY = "NEWkey0123456789abcdefghijklmnopqrstuvwxyz0"


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
    assert spool.replay(runtime(app).inbound.replay) == 1
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
    with runtime(first).engine.connect() as connection:
        assert connection.scalar(select(Customer.id).where(Customer.openid == "o10"))
    for app in (first, second):
        runtime(app).engine.dispose()
