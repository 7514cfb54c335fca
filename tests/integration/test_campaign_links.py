"""A campaign that names a product carries a tracked share link in every message, sent through
the loopback sandbox: one campaign-level link in a mass send (one text for every openid), one
per recipient in customer-service messages. Opening the link on the product page is credited
to the campaign (per customer when the link or the browser names them, by branch and manager);
imported outcome events of contacted customers within 60 days count as its conversions, in the
report, its CSV export and the API."""

import re
from collections.abc import Iterator
from datetime import date, datetime

import pytest
from flask import Flask
from sqlalchemy.orm import Session, sessionmaker

from bot.web.staff_auth import hash_password
from bot.worker.campaigns import CampaignSender, TrackedText
from crm_core import services
from crm_core.db import make_session_factory
from crm_core.model import Product, StaffRole
from crm_core.model.campaigns import refusal_for_content
from crm_core.model.campaigns.policy import LINK_BYTES
from crm_core.model.classification import CustomerKey
from crm_core.model.performance import BookKind, BookRow, PerformanceMonth
from crm_core.services import campaigns
from crm_core.services.campaigns import sending
from crm_core.unit_of_work import SqlUnitOfWork
from tests.builders import org
from tests.campaigns_support import APPROVER, draft, snapshot
from tests.conftest import runtime
from tests.console_support import PASSWORD, login
from tests.product_support import open_link
from tests.sandbox_support import SandboxHandle, api_for, fake_openid
from tests.segments_support import HEAD_OFFICE

DAY = datetime(2026, 11, 18, 2, 0)  # 10:00 in Beijing
FOLLOWERS = [fake_openid(f"linked-{n}") for n in range(4)]
POLICY = campaigns.ContactPolicy()
LINK = re.compile(r"详情：\S*/s/([A-Za-z0-9_.=-]+)$")
Factory = sessionmaker[Session]


@pytest.fixture
def factory(app: Flask, sandbox: SandboxHandle) -> Iterator[Factory]:
    sandbox.follow(*FOLLOWERS)
    made = make_session_factory(runtime(app).engine)
    with SqlUnitOfWork(made) as uow:
        org(uow, {"SH001": ["SH001-01"], "SH002": ["SH002-01"]})
        for n, openid in enumerate(FOLLOWERS):
            services.follow(uow, openid, "m:SH001-01" if n < 2 else "m:SH002-01", DAY)
        uow.session.add(Product(code="WM001", name="稳享理财1号", category="理财", risk_level=2,
                                summary="稳健"))
        services.add_staff(uow, "ho", "总行", hash_password(PASSWORD), StaffRole.HEAD_OFFICE,
                           None, None, "test", DAY)
        uow.commit()
    yield made


def sent_campaign(app: Flask, factory: Factory, sandbox: SandboxHandle,
                  channels: tuple[str, ...]) -> int:
    with SqlUnitOfWork(factory) as uow:
        made = draft(uow, snapshot(uow, now=DAY), now=DAY, channels=channels,
                     product_code="WM001")
        campaigns.submit(uow, HEAD_OFFICE, made, DAY, POLICY)
        campaigns.approve(uow, APPROVER, made, DAY)
        campaigns.start(uow, APPROVER, made, DAY)
        uow.commit()
    # Not a failure test: a fresh sandbox's first answer may take longer than 0.3 s.
    CampaignSender(lambda: SqlUnitOfWork(factory), api_for(sandbox, timeout=5.0), POLICY,
                   sending.Limits(batch_size=10), clock=lambda: DAY,
                   compose=TrackedText(lambda: SqlUnitOfWork(factory), runtime(app).links)).run()
    return made


def tokens_sent(sandbox: SandboxHandle, path: str) -> list[tuple[object, str]]:
    found = []
    for request in sandbox.requests(path):
        body = request["json"]
        match = LINK.search(body["text"]["content"])
        assert match, body["text"]["content"]
        found.append((body["touser"], match.group(1)))
    return found


def outcomes(factory: Factory, campaign_id: int) -> dict:  # type: ignore[type-arg]
    with SqlUnitOfWork(factory) as uow:
        return campaigns.campaign_report(uow, HEAD_OFFICE, campaign_id)["outcomes"]  # type: ignore[no-any-return]


def test_a_mass_send_carries_one_campaign_link_and_its_opens_count(
        app: Flask, factory: Factory, sandbox: SandboxHandle) -> None:
    campaign_id = sent_campaign(app, factory, sandbox, ("mass",))
    ((openids, token),) = tokens_sent(sandbox, "/cgi-bin/message/mass/send")
    assert sorted(openids) == sorted(FOLLOWERS)  # type: ignore[type-var]
    claim = runtime(app).links.tokens.verify(token)
    assert (claim.sharer, claim.product) == (f"k{campaign_id}", "WM001")
    for _ in range(2):
        browser = app.test_client()
        assert open_link(browser, f"/s/{token}").status_code == 200
        open_link(browser, f"/s/{token}")  # the same browser again: one open
    found = outcomes(factory, campaign_id)
    # Opened by two browsers nobody identified: counted for the campaign, no customer named.
    assert (found["opened"], found["opened_customers"], found["managers"]) == (2, 0, [])


def test_customer_service_messages_carry_a_link_per_recipient_credited_to_their_manager(
        app: Flask, factory: Factory, sandbox: SandboxHandle) -> None:
    campaign_id = sent_campaign(app, factory, sandbox, ("custom",))
    sent = dict(tokens_sent(sandbox, "/cgi-bin/message/custom/send"))
    assert sorted(sent) == sorted(FOLLOWERS)  # type: ignore[type-var]
    with SqlUnitOfWork(factory) as uow:
        ids = {openid: services.customer_id_of(uow, openid) for openid in FOLLOWERS}
    sharers = {runtime(app).links.tokens.verify(token).sharer for token in sent.values()}
    assert sharers == {f"k{campaign_id}-{ids[openid]}" for openid in FOLLOWERS}
    open_link(app.test_client(), f"/s/{sent[FOLLOWERS[0]]}")
    open_link(app.test_client(), f"/s/{sent[FOLLOWERS[3]]}")
    found = outcomes(factory, campaign_id)
    assert (found["opened"], found["opened_customers"]) == (2, 2)
    assert [(row["branch"], row["opened"]) for row in found["branches"]] == \
        [("SH001支行", 1), ("SH002支行", 1)]
    assert sorted(row["manager"] for row in found["managers"]) == ["SH001-01", "SH002-01"]


def test_outcome_events_within_60_days_of_contact_are_the_campaign_s_conversions(
        app: Flask, factory: Factory, sandbox: SandboxHandle) -> None:
    campaign_id = sent_campaign(app, factory, sandbox, ("mass",))
    with SqlUnitOfWork(factory) as uow:
        ids = [services.customer_id_of(uow, openid) for openid in FOLLOWERS]
        manager = uow.managers.by_code("SH001-01")
        assert manager is not None
        for month in (date(2026, 12, 1), date(2027, 3, 1)):
            uow.session.add(PerformanceMonth(month=month))
        uow.flush()
        for n, customer_id in enumerate(ids[:3]):
            uow.session.add(CustomerKey(key_hash=f"key{n}", customer_id=customer_id,
                                        source="test", recorded_by="test"))
        for line, (key, month, event) in enumerate((
                ("key0", date(2026, 12, 1), "开户"),  # 13 days after the message: credited
                ("key0", date(2026, 12, 1), "购买理财"),
                ("key1", date(2027, 3, 1), "开户"),  # over 60 days later: not credited
                ("key2", date(2026, 12, 1), "购买理财"))):
            uow.session.add(BookRow(month=month, line=line, manager_id=manager.id,
                                    customer_key=key, customer_tail="0001",
                                    kind=BookKind.EVENT, product=event))
        uow.commit()
    found = outcomes(factory, campaign_id)
    assert (found["converted"], found["events"]) == (2, {"开户": 1, "购买理财": 2})
    assert {row["manager"]: row["converted"] for row in found["managers"]} == \
        {"SH001-01": 1, "SH002-01": 1}
    client = app.test_client()
    assert login(client, "ho").status_code == 302
    exported = client.get(f"/console/campaigns/{campaign_id}/report.csv").text
    assert "转化客户,2" in exported and "转化事件：购买理财,2" in exported
    page = client.get(f"/console/campaigns/{campaign_id}").text
    assert "转化 2 人" in page and 'id="outcomes-by-manager"' in page


def test_a_linked_campaign_keeps_room_for_its_link() -> None:
    text = "好" * ((2048 - LINK_BYTES) // 3 + 1)
    assert refusal_for_content(text, None) is None
    refused = refusal_for_content(text, None, linked=True)
    assert refused is not None and refused[0] == "content_too_long"


def test_a_product_that_cannot_be_shared_is_refused_on_the_draft(
        app: Flask, factory: Factory) -> None:
    with SqlUnitOfWork(factory) as uow, pytest.raises(campaigns.CampaignRefused) as caught:
        draft(uow, snapshot(uow, now=DAY), now=DAY, product_code="NOPE")
    assert caught.value.code == "campaign_product"
