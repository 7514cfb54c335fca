"""The classification pages: the catalogue with counts in each role's scope, head office's
uploads and edits (audited), staff tags on the customer page, the manager's tiers at home."""

import io
from datetime import date

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from crm_core.model import (
    AuditEvent,
    ClassificationBatch,
    CustomerKey,
    CustomerTag,
    Dimension,
    DimensionValue,
)
from tests.conftest import runtime
from tests.console_support import World, csrf_token, login, populate

NOV, DEC = date(2026, 11, 1), date(2026, 12, 1)
# customer -> (November tier, December tier)
TIERS = {"c1-sh001-01": ("potential", "affluent"), "c2-sh001-02": ("vip", "vip"),
         "c3-sh002-01": ("vip", "affluent")}


@pytest.fixture
def world(app: Flask) -> World:
    """The populated console, its three customers with tiers for two months and a list."""
    found = populate(runtime(app))
    with runtime(app).uow() as uow:
        for openid, tiers in TIERS.items():
            for month, tier in zip((NOV, DEC), tiers, strict=True):
                uow.session.add(DimensionValue(customer_id=found.customers[openid],  # type: ignore[attr-defined]
                                               dimension="tier", month=month, value=tier))
        batch = ClassificationBatch(kind="list", list_name="新市民", month=NOV, filename="x.csv",
                                    sha256="0" * 64, staff="test")
        uow.session.add(batch)  # type: ignore[attr-defined]
        uow.flush()
        uow.session.add(DimensionValue(customer_id=found.customers["c1-sh001-01"],  # type: ignore[attr-defined]
                                       dimension="group", month=NOV, value="新市民",
                                       batch_id=batch.id))
        uow.commit()
    return found


def as_user(app: Flask, name: str) -> FlaskClient:
    client = app.test_client()
    login(client, name)
    return client


def tier_counts(html: str) -> str:
    start = html.index('data-dimension="tier"')
    return html[start:html.index("</table>", start)]


@pytest.mark.parametrize(("name", "affluent", "vip"), [("m1", 1, 0), ("head", 1, 1),
                                                        ("admin", 2, 1)])
def test_each_role_reads_the_catalogue_with_counts_in_its_scope(
        app: Flask, world: World, name: str, affluent: int, vip: int) -> None:
    html = as_user(app, name).get("/console/classification").text
    assert "资产层级" in html and "月日均" in html and "特定客户群" in html
    counts = tier_counts(html)
    assert (f"<td>富裕</td><td class=\"text-end\">{affluent}</td>" in counts) == bool(affluent)
    assert (f"<td>贵宾</td><td class=\"text-end\">{vip}</td>" in counts) == bool(vip)
    assert ('id="extract-import"' in html) == (name == "admin")


def test_head_office_uploads_a_gbk_list_and_a_manager_may_not(app: Flask, world: World) -> None:
    data = "手机号,网点\n13800000001,SH002\n".encode("gbk")
    for name, status in (("m1", 403), ("admin", 200)):
        client = as_user(app, name)
        token = csrf_token(client.get("/console/classification").text)
        response = client.post("/console/classification", data={
            "csrf_token": token, "kind": "list", "list_name": "老年客户", "month": "2026-11",
            "file": (io.BytesIO(data), "老年客户.csv")}, content_type="multipart/form-data")
        assert response.status_code == status
    assert "导入完成：共 1 行，匹配到已关注客户 0 人，尚未关注公众号 1 人。" in response.text
    assert "尚未关注公众号的客户按网点：SH002支行 1。" in response.text
    assert "老年客户" in as_user(app, "admin").get("/console/classification").text


def test_an_upload_with_a_bad_row_is_refused_with_its_line(app: Flask, world: World) -> None:
    client = as_user(app, "admin")
    token = csrf_token(client.get("/console/classification").text)
    response = client.post("/console/classification", data={
        "csrf_token": token, "kind": "balances", "month": "2026-11",
        "file": (io.BytesIO("客户号,月日均资产\n6200000001,-1\n".encode()), "b.csv")},
        content_type="multipart/form-data")
    assert response.status_code == 422 and "是负数" in response.text
    history = response.text[response.text.index('id="batches"'):]
    refused = history[history.index('data-status="refused"'):]
    assert "b.csv" in refused[:1500] and "已拒绝" in refused[:1500]
    assert "第 2 行：" in refused[:2500] and "是负数" in refused[:2500]


def test_the_channel_card_counts_mobile_banking_activity_of_the_latest_month(
        app: Flask, world: World) -> None:
    c1, c2 = world.customers["c1-sh001-01"], world.customers["c2-sh001-02"]
    with runtime(app).uow() as uow:
        uow.session.add_all([DimensionValue(  # type: ignore[attr-defined]
            customer_id=customer, dimension="mobile", month=month, value=state)
            for customer, month, state in [(c1, NOV, "active"), (c2, NOV, "active"),
                                           (c2, DEC, "inactive"), (c1, DEC, "active")]])
        uow.commit()
    html = as_user(app, "admin").get("/console/classification").text
    card = html[html.index('id="dim-channel"'):]
    card = card[:card.index("修改说明")]
    assert "最新月份</dt><dd class=\"col-8 col-md-9\">2026-12" in card
    assert '<td>手机银行月活</td><td class="text-end">1</td>' in card
    assert '<td>手机银行非月活</td><td class="text-end">1</td>' in card
    assert 'data-dimension="mobile"' not in html


def test_head_office_tunes_the_tier_thresholds_audited_and_others_cannot(
        app: Flask, world: World) -> None:
    form = {"name": "资产层级", "definition": "按月日均资产分层。", "standard": "见门槛。",
            "coverage": "有资产数据的客户。", "threshold_potential": "60000",
            "threshold_affluent": "200000", "threshold_vip": "500000",
            "threshold_private": "6000000"}
    manager = as_user(app, "m1")
    manager.post("/console/classification/tier", data=form | {
        "csrf_token": csrf_token(manager.get("/console/classification").text)})
    admin = as_user(app, "admin")
    token = csrf_token(admin.get("/console/classification").text)
    falling = admin.post("/console/classification/tier", data=form | {
        "csrf_token": token, "threshold_vip": "100000"}, follow_redirects=True)
    assert "从潜力到私行逐级升高" in falling.text
    admin.post("/console/classification/tier", data=form | {"csrf_token": token})
    with runtime(app).uow() as uow:
        tier = uow.session.get(Dimension, "tier")  # type: ignore[attr-defined]
        audit = uow.session.scalars(select(AuditEvent.detail).where(  # type: ignore[attr-defined]
            AuditEvent.action == "dimension_updated")).all()
        assert tier.settings["thresholds"]["potential"] == 60000
        assert tier.definition == "按月日均资产分层。" and tier.updated_by == "admin"
    assert audit == [{"fields": ["definition", "standard", "coverage", "thresholds"]}]


def test_managers_tag_their_customers_and_head_office_only_reads(
        app: Flask, world: World) -> None:
    c1, c3 = world.customers["c1-sh001-01"], world.customers["c3-sh002-01"]
    manager = as_user(app, "m1")
    page = manager.get(f"/console/customers/{c1}").text
    added = manager.post(f"/console/customers/{c1}/tags", data={
        "csrf_token": csrf_token(page), "tag": " 有房贷需求 "}, headers={"HX-Request": "true"})
    assert "已添加标签“有房贷需求”" in added.text and 'data-tag="有房贷需求"' in added.text
    assert manager.post(f"/console/customers/{c3}/tags", data={
        "csrf_token": csrf_token(page), "tag": "越权"}).status_code == 403
    admin = as_user(app, "admin")
    refused = admin.post(f"/console/customers/{c1}/tags", data={
        "csrf_token": csrf_token(admin.get(f"/console/customers/{c1}").text), "tag": "总行"},
        headers={"HX-Request": "true"})
    assert "只有客户经理和网点负责人" in refused.text
    removed = manager.post(f"/console/customers/{c1}/tags/remove", data={
        "csrf_token": csrf_token(page), "tag": "有房贷需求"}, headers={"HX-Request": "true"})
    assert "已删除标签" in removed.text
    with runtime(app).uow() as uow:
        tags = uow.session.scalars(select(CustomerTag)).all()  # type: ignore[attr-defined]
        actions = uow.session.scalars(select(AuditEvent.action).where(  # type: ignore[attr-defined]
            AuditEvent.action.like("customer_%tagged"))).all()
    assert tags == [] and sorted(actions) == ["customer_tagged", "customer_untagged"]


def test_the_manager_home_shows_tiers_groups_and_this_months_moves(
        app: Flask, world: World) -> None:
    html = as_user(app, "m1").get("/console/").text
    assert '<tr data-tier="affluent"><td>富裕</td><td class="text-end">1</td>' in html
    assert 'data-group="新市民"' in html
    assert html.count('data-move="up"') == 1 and 'data-move="down"' not in html
    head = as_user(app, "head").get("/console/").text
    assert "本月层级变动" not in head  # a branch head's home is the branch's figures


def test_a_manager_records_a_customer_number_kept_only_as_its_hash(
        app: Flask, world: World) -> None:
    c1, c2 = world.customers["c1-sh001-01"], world.customers["c2-sh001-02"]
    manager = as_user(app, "m1")
    token = csrf_token(manager.get(f"/console/customers/{c1}").text)
    bad = manager.post(f"/console/customers/{c1}/number", data={
        "csrf_token": token, "number": "12-34"}, headers={"HX-Request": "true"})
    assert "格式不对" in bad.text
    done = manager.post(f"/console/customers/{c1}/number", data={
        "csrf_token": token, "number": "6200000001"}, headers={"HX-Request": "true"})
    assert "已登记客户号" in done.text and "6200000001" not in done.text
    other = as_user(app, "m2")
    taken = other.post(f"/console/customers/{c2}/number", data={
        "csrf_token": csrf_token(other.get(f"/console/customers/{c2}").text),
        "number": "6200000001"}, headers={"HX-Request": "true"})
    assert "另一位客户名下" in taken.text
    with runtime(app).uow() as uow:
        keys = uow.session.scalars(select(CustomerKey)).all()  # type: ignore[attr-defined]
        assert [(k.customer_id, k.source, len(k.key_hash)) for k in keys] == [(c1, "staff", 64)]


def test_the_customer_page_shows_mobile_banking_activity_in_chinese(
        app: Flask, world: World) -> None:
    c1 = world.customers["c1-sh001-01"]
    with runtime(app).uow() as uow:
        uow.session.add(DimensionValue(customer_id=c1, dimension="mobile", month=NOV,  # type: ignore[attr-defined]
                                       value="active", amount=12))
        uow.commit()
    page = as_user(app, "m1").get(f"/console/customers/{c1}").text
    shown = page[page.index('id="class-mobile"'):]
    assert shown[:shown.index("</dd>")].endswith(">手机银行月活（当月 12 笔）")
    last = page[page.index('id="class-last-login"'):]
    assert last[:last.index("</dd>")].endswith(">2026-11")
