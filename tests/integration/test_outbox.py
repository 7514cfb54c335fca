"""Delivering notices to the loopback WeChat sandbox over real HTTP: once, whatever fails."""

import threading
from collections import Counter
from collections.abc import Iterator
from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from apscheduler.schedulers.background import BackgroundScheduler
from prometheus_client import REGISTRY

from bot.config import Settings
from bot.runtime import Runtime, build_runtime
from bot.worker.outbox import Outbox, Report
from bot.worker.scheduler import Leadership, build_scheduler, digest_trigger
from crm_core import services
from crm_core.model import (
    CUSTOMER_KINDS,
    LeadStatus,
    NoticeKind,
    NoticeStatus,
    Product,
    Scope,
    StaffRole,
    utcnow,
)
from crm_core.unit_of_work import SqlUnitOfWork
from tests.builders import org
from tests.conftest import make_settings
from tests.sandbox_support import (
    STABLE_TOKEN,
    TEMPLATE_SEND,
    SandboxHandle,
    api_for,
    fake_openid,
    running_sandbox,
)

TEMPLATES = {f"{kind.value}_template": f"TPL_{kind.value.upper()}" for kind in NoticeKind
             if kind not in CUSTOMER_KINDS}
MANAGER = fake_openid("manager-SH001-01")
HEAD = fake_openid("head-SH001-02")


@pytest.fixture
def sandbox() -> Iterator[SandboxHandle]:
    with running_sandbox(followers=(MANAGER, HEAD)) as handle:
        yield handle


CONSOLE = "https://crm.bank.example"


@pytest.fixture
def settings(database_url: str, tmp_path: Path, sandbox: SandboxHandle) -> Settings:
    return make_settings(
        database_url, tmp_path, notifications=TEMPLATES, web={"console_base_url": CONSOLE},
        wechat={"app_id": sandbox.app_id, "app_secret": sandbox.app_secret,
                "api_base_url": sandbox.base_url},
        outbox={"backoff_base_seconds": 0.01, "backoff_max_seconds": 0.05, "max_attempts": 3,
                "claim_seconds": 0.2, "quota_pause_seconds": 0.3})


@pytest.fixture
def runtime(settings: Settings) -> Iterator[Runtime]:
    runtime = build_runtime(settings)
    with runtime.uow() as uow:
        org(uow, {"SH001": ["SH001-01", "SH001-02"]})
        for code, openid in (("SH001-01", MANAGER), ("SH001-02", HEAD)):
            secret = services.issue_bind_code(uow, code, utcnow(), timedelta(minutes=5), "t")
            services.bind_manager(uow, openid, secret, utcnow(), 5, timedelta(hours=1))
        services.set_branch_head(uow, "SH001-02", True)
        uow.commit()
    yield runtime
    runtime.engine.dispose()


def outbox(runtime: Runtime, sandbox: SandboxHandle, name: str = "w1") -> Outbox:
    return Outbox(runtime.uow, api_for(sandbox, timeout=0.3), runtime.settings,
                  name)


def queue(runtime: Runtime, count: int = 1, manager: str = "SH001-01") -> None:
    with runtime.uow() as uow:
        target = uow.managers.by_code(manager)
        assert target is not None
        for i in range(count):
            services.enqueue_notice(uow, f"test:{manager}:{i}", NoticeKind.NEW_CUSTOMER, target,
                                    {"customer": f"客户…{i:06d}", "source": "b:SH001",
                                     "at": "2026-11-28T01:00:00"}, utcnow())
        uow.commit()


def statuses(runtime: Runtime) -> Counter[str]:
    with runtime.uow() as uow:
        return Counter(row["status"] for row in services.list_notices(uow, None, 10_000))


def drain(box: Outbox, rounds: int = 20) -> Report:
    total = Report()
    for _ in range(rounds):
        report = box.deliver_due()
        total.outcomes |= report.outcomes
        if not report.outcomes:
            threading.Event().wait(0.06)
    return total


def test_notice_reaches_the_managers_wechat_as_a_template_within_the_field_limits(
        runtime: Runtime, sandbox: SandboxHandle) -> None:
    queue(runtime)
    assert outbox(runtime, sandbox).deliver_due().sent == 1
    [message] = sandbox.inbox(MANAGER)
    body = sandbox.requests(TEMPLATE_SEND)[0]["json"]
    assert body["template_id"] == "TPL_NEW_CUSTOMER" and body["touser"] == MANAGER
    values = [field["value"] for field in body["data"].values()]
    assert values == ["客户…000000", "扫网点码关注", "2026-11-28 09:00"]  # Beijing time
    assert all(len(v) <= 20 and "\n" not in v for v in values)
    assert message["kind"] == "template"


def test_transient_errors_are_retried_with_backoff_and_delivered_once(
        runtime: Runtime, sandbox: SandboxHandle) -> None:
    queue(runtime)
    sandbox.inject({"path": TEMPLATE_SEND, "errcode": -1},
                   {"path": TEMPLATE_SEND, "http_status": 503})
    drain(outbox(runtime, sandbox), rounds=10)
    assert len(sandbox.inbox(MANAGER)) == 1
    assert statuses(runtime) == {"sent": 1}


def test_read_timeout_marks_the_notice_unknown_and_never_resends_it(
        runtime: Runtime, sandbox: SandboxHandle) -> None:
    queue(runtime)
    sandbox.inject({"path": TEMPLATE_SEND, "delay_seconds": 0.6})
    report = drain(outbox(runtime, sandbox), rounds=5)
    assert list(report.outcomes.values()) == ["unknown"]
    assert statuses(runtime) == {"unknown": 1}
    assert len(sandbox.requests(TEMPLATE_SEND)) == 1


def test_permanent_error_is_recorded_with_its_code(runtime: Runtime,
                                                   sandbox: SandboxHandle) -> None:
    queue(runtime)
    sandbox.inject({"path": TEMPLATE_SEND, "errcode": 43004})
    outbox(runtime, sandbox).deliver_due()
    with runtime.uow() as uow:
        [row] = services.list_notices(uow, None, 10)
    assert (row["status"], row["error_code"]) == ("failed", 43004)


def test_quota_spent_pauses_every_pending_notice_then_sends_them(
        runtime: Runtime, sandbox: SandboxHandle) -> None:
    queue(runtime, 3)
    sandbox.inject({"path": TEMPLATE_SEND, "errcode": 45009})
    report = outbox(runtime, sandbox).deliver_due()
    assert report.released == 1 and report.sent == 0
    assert outbox(runtime, sandbox, "w2").deliver_due().outcomes == {}  # paused for everyone
    assert statuses(runtime) == {"pending": 3}
    threading.Event().wait(0.35)
    drain(outbox(runtime, sandbox), rounds=3)
    assert statuses(runtime) == {"sent": 3}
    assert len(sandbox.requests(TEMPLATE_SEND)) == 4  # the refused one, then each once


def test_repeated_failures_end_as_a_dead_letter_that_an_operator_can_retry(
        runtime: Runtime, sandbox: SandboxHandle) -> None:
    queue(runtime)
    sandbox.inject({"path": TEMPLATE_SEND, "errcode": -1, "times": 3})
    drain(outbox(runtime, sandbox), rounds=10)
    assert statuses(runtime) == {"dead": 1}
    with runtime.uow() as uow:
        [row] = services.list_notices(uow, NoticeStatus.DEAD, 10)
        services.retry_notice(uow, row["id"], utcnow())
        uow.commit()
    outbox(runtime, sandbox).deliver_due()
    assert statuses(runtime) == {"sent": 1} and len(sandbox.inbox(MANAGER)) == 1


def test_token_storm_ends_after_a_bounded_number_of_fetches_and_the_notice_waits(
        runtime: Runtime, sandbox: SandboxHandle) -> None:
    queue(runtime)
    sandbox.inject({"path": TEMPLATE_SEND, "errcode": 40001, "times": 50})
    report = outbox(runtime, sandbox).deliver_due()
    assert list(report.outcomes.values()) == ["pending"]
    assert len(sandbox.requests(STABLE_TOKEN)) <= 3
    assert len(sandbox.requests(TEMPLATE_SEND)) == 2


def test_a_round_leaves_a_notice_it_put_back_for_the_next_round_however_slow_it_ran(
        runtime: Runtime, sandbox: SandboxHandle) -> None:
    queue(runtime)
    sandbox.inject({"path": TEMPLATE_SEND, "errcode": -1, "times": 50})
    readings = iter(utcnow() + timedelta(seconds=i) for i in range(1000))
    slow = Outbox(runtime.uow, api_for(sandbox, timeout=0.3), runtime.settings, "w1",
                  clock=lambda: next(readings))
    report = slow.deliver_due()
    assert list(report.outcomes.values()) == ["pending"]
    assert len(sandbox.requests(TEMPLATE_SEND)) == 1


def test_two_workers_racing_on_200_due_notices_deliver_each_once(
        runtime: Runtime, sandbox: SandboxHandle) -> None:
    queue(runtime, 200)
    workers = [outbox(runtime, sandbox, f"w{i}") for i in range(2)]
    threads = [threading.Thread(target=drain, args=(w, 15)) for w in workers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    sent = [r["json"]["client_msg_id"] for r in sandbox.requests(TEMPLATE_SEND)]
    assert len(sent) == 200 and len(set(sent)) == 200
    assert statuses(runtime) == {"sent": 200}


def test_a_worker_sends_on_each_of_its_senders_while_the_platform_is_slow_and_each_once(
        settings: Settings, runtime: Runtime, sandbox: SandboxHandle) -> None:
    queue(runtime, 9)
    delay = 1.0  # each send is answered a second late (within the read timeout)
    sandbox.inject({"path": TEMPLATE_SEND, "delay_seconds": delay, "times": 1000})
    worker = build_runtime(replace(settings, outbox=replace(
        settings.outbox, senders=3, poll_seconds=0.05), wechat=replace(
        settings.wechat, read_timeout=10.0)))
    scheduler = build_scheduler(worker, None)
    scheduler.remove_job("leadership")  # clock jobs are not what this test is about
    thread = threading.Thread(target=scheduler.start)
    thread.start()
    try:
        for _ in range(200):
            if statuses(runtime) == {"sent": 9}:
                break
            threading.Event().wait(0.1)
    finally:
        scheduler.shutdown(wait=False)
        thread.join()
        worker.engine.dispose()
    assert statuses(runtime) == {"sent": 9}
    sends = sandbox.requests(TEMPLATE_SEND)
    assert len({r["json"]["client_msg_id"] for r in sends}) == len(sends) == 9
    # Three sends reached the platform before the first one was answered.
    times = sorted(r["time"] for r in sends)
    assert times[2] - times[0] < delay


def test_notice_whose_worker_vanished_mid_send_becomes_unknown_not_resent(
        runtime: Runtime, sandbox: SandboxHandle) -> None:
    queue(runtime, 3)
    with runtime.uow() as uow:
        now = utcnow()
        services.claim_next(uow, "dead-worker", now, 0.1, now)
        uow.commit()
    threading.Event().wait(0.15)
    report = outbox(runtime, sandbox).deliver_due()
    # Only the notice it was sending is uncertain; the ones it never reached go out.
    assert sorted(report.outcomes.values()) == ["sent", "sent"]
    assert statuses(runtime) == {"unknown": 1, "sent": 2}
    assert len(sandbox.requests(TEMPLATE_SEND)) == 2


def test_notice_to_a_manager_who_unbound_waits_held_and_goes_out_once_rebound(
        runtime: Runtime, sandbox: SandboxHandle) -> None:
    queue(runtime, 1, "SH001-01")
    queue(runtime, 1, "SH001-02")
    with runtime.uow() as uow:
        services.unbind_manager(uow, "SH001-01", utcnow(), "test")
        uow.commit()
    box = outbox(runtime, sandbox)
    assert list(box.deliver_due().outcomes.values()) == ["sent"]  # the head's; the other waits
    assert statuses(runtime) == {"held": 1, "sent": 1}
    with runtime.uow() as uow:
        secret = services.issue_bind_code(uow, "SH001-01", utcnow(), timedelta(minutes=5), "t")
        services.bind_manager(uow, MANAGER, secret, utcnow(), 5, timedelta(hours=1))
        uow.commit()
    assert list(box.deliver_due().outcomes.values()) == ["sent"]
    assert statuses(runtime) == {"sent": 2}
    with runtime.uow() as uow:
        attempts = [row["attempts"] for row in services.list_notices(uow, None, 10)]
    assert attempts == [1, 1]  # holding it cost the notice no attempt
    assert [r["json"]["touser"] for r in sandbox.requests(TEMPLATE_SEND)] == [HEAD, MANAGER]


def test_job_finish_event_marks_the_notice_delivered(runtime: Runtime,
                                                     sandbox: SandboxHandle) -> None:
    queue(runtime)
    outbox(runtime, sandbox).deliver_due()
    msgid = sandbox.requests(TEMPLATE_SEND)[0]["response"]["msgid"]
    with runtime.uow() as uow:
        assert services.job_finished(uow, msgid, "success", utcnow())
        assert not services.job_finished(uow, 1, "success", utcnow())
        uow.commit()
    assert statuses(runtime) == {"delivered": 1}


def test_overdue_lead_reminds_the_manager_then_escalates_to_the_branch_head(
        runtime: Runtime) -> None:
    t0 = datetime(2026, 11, 28, 1, 0)
    with runtime.uow() as uow:
        services.follow(uow, "cust-1", "m:SH001-01", t0)
        lead = services.open_lead(uow, "cust-1", "contact_request", t0, timedelta(hours=2))
        uow.commit()
    escalate = timedelta(hours=4)

    def chase(at: datetime) -> int:
        with runtime.uow() as uow:
            queued = services.chase_overdue_leads(uow, at, escalate)
            uow.commit()
        return queued

    assert chase(t0 + timedelta(hours=1, minutes=59)) == 0
    assert chase(t0 + timedelta(hours=2)) == 1  # the manager's reminder
    assert chase(t0 + timedelta(hours=3)) == 0
    assert chase(t0 + timedelta(hours=6)) == 1  # the branch head hears of it
    assert chase(t0 + timedelta(hours=9)) == 0
    with runtime.uow() as uow:
        kinds = {(r["kind"], r["manager"]) for r in services.list_notices(uow, None, 10)}
        services.update_lead(uow, lead.lead_id, LeadStatus.CONTACTED, t0)
        uow.commit()
    assert ("lead_reminder", "SH001-01") in kinds and ("lead_escalation", "SH001-02") in kinds


def test_contacted_lead_is_never_chased(runtime: Runtime) -> None:
    t0 = datetime(2026, 11, 28, 1, 0)
    with runtime.uow() as uow:
        services.follow(uow, "cust-2", "m:SH001-01", t0)
        lead = services.open_lead(uow, "cust-2", "contact_request", t0, timedelta(hours=2))
        services.update_lead(uow, lead.lead_id, LeadStatus.CONTACTED, t0 + timedelta(hours=1))
        assert services.chase_overdue_leads(uow, t0 + timedelta(days=1), timedelta(hours=4)) == 0


def test_daily_digest_fires_at_local_time_and_is_queued_once_per_manager_and_day(
        runtime: Runtime) -> None:
    trigger = digest_trigger("08", "30", "Asia/Shanghai")
    frozen = datetime(2026, 11, 28, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
    assert trigger.get_next_fire_time(None, frozen) == datetime(
        2026, 11, 29, 8, 30, tzinfo=ZoneInfo("Asia/Shanghai"))
    day = frozen.date()
    with runtime.uow() as uow:
        assert services.queue_digests(uow, day, utcnow()) == 2
        assert services.queue_digests(uow, day, utcnow()) == 0
        assert services.queue_digests(uow, day + timedelta(days=1), utcnow()) == 2


def test_transferred_customers_are_told_inside_the_service_window_only(
        runtime: Runtime, sandbox: SandboxHandle) -> None:
    talking, silent = fake_openid("recent-talker"), fake_openid("silent-follower")
    with runtime.uow() as uow:
        for openid in (talking, silent):
            services.follow(uow, openid, "m:SH001-02", utcnow())
        uow.commit()
    sandbox.act(talking, "message")
    head_office = Scope(0, "hq", "hq", StaffRole.HEAD_OFFICE, None, None)
    with runtime.uow() as uow:
        assert isinstance(uow, SqlUnitOfWork)
        moved = services.transfer_customers(uow, head_office, "SH001-02", "SH001-01", "all",
                                            utcnow(), tell_customers=True)
        uow.commit()
    assert moved == 2
    drain(outbox(runtime, sandbox), rounds=3)
    [told] = sandbox.inbox(talking)
    assert told["kind"] == "custom" and "经理SH001-01" in str(told)
    with runtime.uow() as uow:
        rows = {r["customer"]: r for r in services.list_notices(uow, None, 50) if r["customer"]}
    assert rows[talking]["status"] == "sent"
    assert (rows[silent]["status"], rows[silent]["error_code"]) == ("failed", 45015)


def test_a_lead_notice_links_to_the_lead_page_and_names_customer_product_and_source(
        runtime: Runtime, sandbox: SandboxHandle) -> None:
    with runtime.uow() as uow:
        uow.products.add(Product(code="WM001", name="稳盈90天理财", category="理财",
                                 risk_level=2, summary="固收类理财"))
        services.follow(uow, "cust-3", "m:SH001-01", utcnow())
        customer = uow.customers.by_openid("cust-3")
        assert customer is not None
        customer.display_name = "王女士"
        lead = services.open_lead(uow, "cust-3", "product_interest", utcnow(),
                                  timedelta(hours=2), "WM001").lead_id
        uow.commit()
    drain(outbox(runtime, sandbox), rounds=3)
    sent = {r["json"]["template_id"]: r["json"] for r in sandbox.requests(TEMPLATE_SEND)}
    lead_notice, welcome = sent["TPL_NEW_LEAD"], sent["TPL_NEW_CUSTOMER"]
    assert lead_notice["url"] == f"{CONSOLE}/console/leads/{lead}"
    values = [field["value"] for field in lead_notice["data"].values()]
    assert values[:2] == ["王女士", "产品咨询：稳盈90天理财"]
    assert welcome["url"] == f"{CONSOLE}/console/customers/{customer.id}"
    assert [f["value"] for f in welcome["data"].values()][1] == "扫客户经理码关注"


def test_a_transfer_that_moves_nobody_sends_no_notice(runtime: Runtime,
                                                       sandbox: SandboxHandle) -> None:
    head_office = Scope(0, "hq", "hq", StaffRole.HEAD_OFFICE, None, None)
    with runtime.uow() as uow:
        moved = services.transfer_customers(uow, head_office, "SH001-02", "SH001-01", "all",
                                            utcnow())
        uow.commit()
    assert moved == 0
    drain(outbox(runtime, sandbox), rounds=2)
    assert sandbox.requests(TEMPLATE_SEND) == []


def sample(name: str, **labels: str) -> float:
    return REGISTRY.get_sample_value(name, labels) or 0.0


def test_send_outcomes_and_token_refreshes_are_counted_for_operators(
        runtime: Runtime, sandbox: SandboxHandle) -> None:
    names = {"sent": ("branchlink_notice_sends_total", {"outcome": "sent"}),
             "retried": ("branchlink_notice_sends_total", {"outcome": "retried"}),
             "refreshes": ("branchlink_token_refreshes_total", {"forced": "false"})}
    before = {key: sample(name, **labels) for key, (name, labels) in names.items()}
    queue(runtime, count=2)
    sandbox.inject({"path": TEMPLATE_SEND, "errcode": -1})
    drain(outbox(runtime, sandbox), rounds=10)
    after = {key: sample(name, **labels) for key, (name, labels) in names.items()}
    assert {key: after[key] - before[key] for key in names} == {
        "sent": 2, "retried": 1, "refreshes": 1}


def test_the_worker_holding_the_leader_lease_says_so(runtime: Runtime) -> None:
    scheduler = BackgroundScheduler()
    first = Leadership(runtime, scheduler, "w1", None)
    second = Leadership(runtime, BackgroundScheduler(), "w2", None)
    assert first.check() and sample("branchlink_worker_leader", role="scheduler") == 1
    assert not second.check() and sample("branchlink_worker_leader", role="scheduler") == 0
