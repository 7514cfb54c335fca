"""Segments counted on the database: nested rules, scope per role, the opt-out, snapshots."""

from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import delete, select

from crm_core.db import make_engine, make_session_factory
from crm_core.model import AuditEvent, CustomerTag, Scope, utcnow
from crm_core.model.segments import RuleError, SegmentMember
from crm_core.queries.segments.audience import members_page
from crm_core.services import segments
from crm_core.services.segments.rules import audience
from crm_core.unit_of_work import SqlUnitOfWork
from tests.segments_support import HEAD_OFFICE, Population, populate_segments

RICH_AND_KNOWN = {"all": [
    {"dim": "tier", "op": "in", "value": ["vip", "private"]},
    {"any": [{"dim": "group", "op": "member", "value": "新市民"},
             {"dim": "tag", "op": "member", "value": "老客户"}]},
    {"not": {"dim": "follow", "op": "eq", "value": "unfollowed"}},
]}
RISK_OR_TAG = {"any": [{"all": [{"dim": "risk", "op": "gte", "value": 3},
                                {"dim": "channel", "op": "within_days", "value": 30}]},
                       {"dim": "tag", "op": "member", "value": "老客户"}]}
AT = segments.moment(utcnow(), "Asia/Shanghai")


@pytest.fixture
def uow(database_url: str) -> Iterator[SqlUnitOfWork]:
    engine = make_engine(database_url)
    with SqlUnitOfWork(make_session_factory(engine)) as unit:
        yield unit
    engine.dispose()


@pytest.fixture
def people(uow: SqlUnitOfWork) -> Population:
    population = populate_segments(uow)
    uow.commit()
    return population


def members(uow: SqlUnitOfWork, scope: Scope, rule: Any) -> set[int]:
    _, wanted = audience(uow, scope, rule, AT)
    return {row[0] for row in members_page(uow.session, wanted, 0, 1000)}


def test_a_nested_rule_holds_exactly_the_expected_customers_and_reports_the_opt_out(
        uow: SqlUnitOfWork, people: Population) -> None:
    assert members(uow, HEAD_OFFICE, RICH_AND_KNOWN) == people.members("p1", "p2")
    count = segments.count_rule(uow, HEAD_OFFICE, RICH_AND_KNOWN, AT)
    assert (count.members, count.excluded) == (2, 1)  # p6 matched, but opted out
    assert count.profiling == ("group", "tier")


def test_a_rule_without_profile_dimensions_keeps_those_who_opted_out(
        uow: SqlUnitOfWork, people: Population) -> None:
    assert members(uow, HEAD_OFFICE, RISK_OR_TAG) == people.members("p1", "p2", "p5", "p6")
    assert segments.count_rule(uow, HEAD_OFFICE, RISK_OR_TAG, AT).excluded == 0


@pytest.mark.parametrize(("rule", "expected"), [
    ({"all": [{"dim": "tier", "op": "eq", "value": "vip", "month": "2026-10"},
              {"dim": "group", "op": "member", "value": "新市民"}]}, {"p7"}),
    ({"dim": "group", "op": "member", "value": "新市民", "month": "2026-10"}, {"p8"}),
    ({"dim": "aum", "op": "between", "value": [500_000, 1_000_000]}, {"p1", "p3", "p4", "p8"}),
    ({"dim": "aum", "op": "gte", "value": 5_000_000}, {"p2"}),
    ({"dim": "tier", "op": "ne", "value": "vip"}, {"p2", "p5", "p7"}),
    ({"dim": "interest", "op": "eq", "value": "理财"}, {"p1"}),
    ({"dim": "risk", "op": "eq", "value": 5}, set()),  # p6's assessment expired
    ({"dim": "manager", "op": "in", "value": ["SH001-02"]}, {"p3", "p4"}),
    ({"not": {"dim": "branch", "op": "eq", "value": "SH001"}}, {"p5", "p6", "p8"}),
    ({"dim": "channel", "op": "eq", "value": "scene:m:SH002-01"}, {"p5", "p6", "p8"}),
    ({"dim": "follow", "op": "eq", "value": "unfollowed"}, {"p4"}),
])
def test_each_kind_of_condition_matches_its_customers(
        uow: SqlUnitOfWork, people: Population, rule: Any, expected: set[str]) -> None:
    assert members(uow, HEAD_OFFICE, rule) == people.members(*expected)


def test_each_role_counts_only_its_own_customers(uow: SqlUnitOfWork, people: Population) -> None:
    everyone = {"dim": "follow", "op": "in", "value": ["following", "unfollowed"]}
    assert members(uow, people.branch_head("SH002"), everyone) == people.members("p5", "p6", "p8")
    assert members(uow, people.manager("SH001-02"), everyone) == people.members("p3", "p4")
    assert members(uow, people.branch_head("SH001"), RICH_AND_KNOWN) == people.members("p1", "p2")
    assert members(uow, people.manager("SH001-02"), RICH_AND_KNOWN) == set()


def test_a_branch_heads_segment_stays_in_the_branch_whoever_counts_it(
        uow: SqlUnitOfWork, people: Population) -> None:
    everyone = {"dim": "follow", "op": "in", "value": ["following", "unfollowed"]}
    card = segments.create_segment(uow, people.branch_head("SH002"), "本行全部", everyone,
                                   AT.now)
    assert segments.count_segment(uow, HEAD_OFFICE, card.id, AT).members == 3
    with pytest.raises(segments.SegmentRefused):
        segments.count_segment(uow, people.manager("SH001-01"), card.id, AT)


def test_a_snapshot_freezes_the_members_and_the_rule(uow: SqlUnitOfWork,
                                                      people: Population) -> None:
    card = segments.create_segment(uow, HEAD_OFFICE, "贵宾新市民", RICH_AND_KNOWN, AT.now)
    snapshot = segments.take_snapshot(uow, HEAD_OFFICE, card.id, AT)
    uow.session.execute(delete(CustomerTag).where(CustomerTag.customer_id == people.ids["p2"]))
    segments.update_segment(uow, HEAD_OFFICE, card.id, "贵宾新市民", {"dim": "tag", "op": "eq",
                                                                 "value": "无"}, AT.now)
    uow.commit()
    frozen = set(uow.session.scalars(select(SegmentMember.customer_id).where(
        SegmentMember.snapshot_id == snapshot.id)))
    assert frozen == people.members("p1", "p2")
    assert (snapshot.members, snapshot.excluded, snapshot.rule) == (2, 1, RICH_AND_KNOWN)
    assert segments.count_segment(uow, HEAD_OFFICE, card.id, AT).members == 0
    actions = set(uow.session.scalars(select(AuditEvent.action)))
    assert {"segment_created", "segment_snapshot", "segment_updated"} <= actions


def test_a_static_segment_is_the_list_frozen_on_its_latest_month(
        uow: SqlUnitOfWork, people: Population) -> None:
    card = segments.create_static_segment(uow, HEAD_OFFICE, "新市民名单", "新市民", AT.now)
    assert card.rule["month"] == "2026-11"
    count = segments.count_segment(uow, HEAD_OFFICE, card.id, AT)
    assert (count.members, count.excluded) == (4, 1)  # p1 p4 p5 p7; p6 opted out
    with pytest.raises(segments.SegmentRefused):
        segments.create_static_segment(uow, HEAD_OFFICE, "无", "外星人", AT.now)


def test_an_unknown_list_in_a_saved_rule_is_refused_with_its_path(
        uow: SqlUnitOfWork, people: Population) -> None:
    with pytest.raises(RuleError) as caught:
        segments.create_segment(uow, HEAD_OFFICE, "坏规则", {"any": [
            {"dim": "tag", "op": "member", "value": "老客户"},
            {"dim": "group", "op": "member", "value": "外星人"}]}, AT.now)
    assert (caught.value.code, caught.value.path) == ("no_such_group", "$.any[1].value")


def test_the_preview_and_the_export_mask_names_and_phones(uow: SqlUnitOfWork,
                                                           people: Population) -> None:
    card = segments.create_segment(uow, HEAD_OFFICE, "贵宾新市民", RICH_AND_KNOWN, AT.now)
    preview = segments.preview_rule(uow, HEAD_OFFICE, RICH_AND_KNOWN, AT)
    assert [row["id"] for row in preview] == sorted(people.members("p1", "p2"))
    assert all(row["name"].startswith("客户…") for row in preview)
    _, rows = segments.export_segment(uow, HEAD_OFFICE, card.id, AT)
    assert [row[5] for row in rows] == ["vip", "private"]
    breakdown = segments.breakdown_rule(uow, HEAD_OFFICE, RICH_AND_KNOWN, AT)
    assert breakdown["manager"] == [("经理SH001-01", 2)]
    assert dict(breakdown["tier"]) == {"vip": 1, "private": 1}
    assert uow.session.scalar(select(AuditEvent.detail).where(
        AuditEvent.action == "segment_exported")) == {"name": "贵宾新市民", "rows": 2}
