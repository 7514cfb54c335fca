"""Messages whose handler only reads are answered at once and stored with their reply in one
write. Every message's exchange reaches the timeline in a worker's batch, or before the
sender's next message that writes. Real database (SQLite, or PostgreSQL in `make test-pg`)."""

from concurrent.futures import ThreadPoolExecutor
from typing import Any

from sqlalchemy import Row, select

from bot import texts
from bot.worker.scheduler import record_deferred
from crm_core import services
from crm_core.model import Customer, Direction, InboundDelivery, Interaction, utcnow
from tests.builders import event_xml, org, post, subscribe_xml, text_xml
from tests.conftest import runtime
from tests.integration.test_webhook import reply_content

MY_MANAGER = "我的客户经理"


def seeded(app):  # type: ignore[no-untyped-def]
    with runtime(app).uow() as uow:
        org(uow, {"SH001": ["SH001-01"]})
        uow.commit()
    return app


def timeline(app, openid: str) -> list[tuple[str, str, str]]:  # type: ignore[no-untyped-def]
    """The sender's interactions in the order they were written: (direction, kind, summary)."""
    with runtime(app).engine.connect() as connection:
        rows = connection.execute(
            select(Interaction.direction, Interaction.kind, Interaction.summary)
            .join(Customer, Customer.id == Interaction.customer_id)
            .where(Customer.openid == openid).order_by(Interaction.id)).all()
    return [(str(direction), kind, summary) for direction, kind, summary in rows]


def deliveries(app) -> list[Row[Any]]:  # type: ignore[no-untyped-def]
    """The stored deliveries, oldest first (sender, reply, received_at, deferred)."""
    table = InboundDelivery.__table__
    with runtime(app).engine.connect() as connection:
        return list(connection.execute(select(table).order_by(table.c.id)))


def test_the_manager_card_is_answered_at_once_and_recorded_by_the_worker(
        app, client, platform) -> None:  # type: ignore[no-untyped-def]
    seeded(app)
    post(client, platform, subscribe_xml("a1", "b:SH001"))
    assert record_deferred(runtime(app)) == 1  # the follow's exchange
    before = timeline(app, "a1")

    reply = reply_content(platform, post(client, platform, text_xml("a1", MY_MANAGER)))

    assert reply is not None and "经理SH001-01" in reply and "SH001支行" in reply
    assert timeline(app, "a1") == before  # not yet on the timeline
    stored = deliveries(app)[-1]
    assert stored.sender == "a1" and stored.deferred is not None
    assert stored.reply is not None and "经理SH001-01" in stored.reply
    assert record_deferred(runtime(app)) == 1
    assert timeline(app, "a1")[len(before):] == [
        ("in", "text", texts.SUMMARY["text"].format(content=MY_MANAGER)),
        ("out", "reply", texts.REPLY_SUMMARY.format(content=reply))]
    with runtime(app).uow() as uow:
        customer = uow.customers.by_openid("a1")
        assert customer is not None and customer.last_touch_at == stored.received_at
    assert deliveries(app)[-1].deferred is None
    assert record_deferred(runtime(app)) == 0  # recorded once


def test_a_retry_gets_the_first_reply_even_after_the_customer_was_linked(
        app, client, platform) -> None:  # type: ignore[no-untyped-def]
    seeded(app)
    first = text_xml("a2", MY_MANAGER, msg_id=7001)
    answered = reply_content(platform, post(client, platform, first))
    assert answered == texts.NO_MANAGER
    linked = reply_content(platform, post(client, platform, subscribe_xml("a2", "b:SH001")))
    assert linked is not None and "经理SH001-01" in linked

    assert reply_content(platform, post(client, platform, first)) == answered
    record_deferred(runtime(app))
    asked = [row for row in timeline(app, "a2") if row[1] == "text"]
    assert len(asked) == 1


def test_the_senders_next_message_that_writes_records_what_waits_first(
        app, client, platform) -> None:  # type: ignore[no-untyped-def]
    seeded(app)
    post(client, platform, text_xml("a3", MY_MANAGER, msg_id=7101))
    post(client, platform, event_xml("a3", "CLICK", "MY_MANAGER"))
    post(client, platform, text_xml("a3", "你好", msg_id=7102))  # its handler writes

    kinds = [(direction, kind) for direction, kind, _ in timeline(app, "a3")]
    assert kinds == [("in", "text"), ("out", "reply"), ("in", "event:click"), ("out", "reply")]
    assert record_deferred(runtime(app)) == 1  # the last one's own exchange, by the worker
    kinds = [(direction, kind) for direction, kind, _ in timeline(app, "a3")]
    assert kinds[4:] == [("in", "text"), ("out", "reply")]
    first = deliveries(app)[0]
    with runtime(app).uow() as uow:
        customer = uow.customers.by_openid("a3")
        assert customer is not None and customer.first_touch_at == first.received_at
    assert record_deferred(runtime(app)) == 0


def test_personal_numbers_wait_masked(app) -> None:  # type: ignore[no-untyped-def]
    with runtime(app).uow() as uow:
        assert services.answer_at_once(uow, "wechat", [answered(
            "k1", "a4", (Direction.IN, "link", "链接：我的手机13812345678", None))]) == [True]
        assert services.answer_at_once(uow, "wechat", [answered("k1", "a4")]) == [False]
        uow.commit()
    stored = deliveries(app)[-1]
    assert stored.deferred is not None and "13812345678" not in str(stored.deferred)
    assert "138****5678" in str(stored.deferred)


def test_of_twins_written_together_the_first_is_stored_and_the_other_told_so(
        app) -> None:  # type: ignore[no-untyped-def]
    with runtime(app).uow() as uow:
        assert services.answer_at_once(uow, "wechat", [
            answered("k2", "a5", reply="first"), answered("k3", "a6"),
            answered("k2", "a5", reply="second")]) == [True, True, False]
        uow.commit()
    with runtime(app).uow() as uow:
        assert services.stored_reply(uow, "wechat", "k2") == "first"
        assert services.answer_at_once(uow, "wechat", [answered("k3", "a6"), answered(
            "k4", "a6")]) == [False, True]


def answered(key: str, sender: str, *entries: services.ExchangeEntry,
             reply: str = "success") -> services.AnsweredAtOnce:
    return services.AnsweredAtOnce(key, utcnow(), reply, sender, list(entries))


def test_concurrent_recorders_record_each_exchange_once(
        app, client, platform) -> None:  # type: ignore[no-untyped-def]
    seeded(app)
    senders = [f"c{n}" for n in range(8)]
    for n in range(24):
        post(client, platform, text_xml(senders[n % 8], MY_MANAGER, msg_id=7200 + n))

    def recorder() -> None:
        while True:
            with runtime(app).uow() as uow:
                done = services.record_deferred(uow, "wechat", limit=3)
                uow.commit()
            if done == 0:
                return

    with ThreadPoolExecutor(3) as pool:
        for future in [pool.submit(recorder) for _ in range(3)]:
            future.result(timeout=60)  # a recorder's error is raised here
    for sender in senders:
        assert len(timeline(app, sender)) == 6  # three exchanges of two entries, once each
    assert all(d.deferred is None for d in deliveries(app))
