"""The complaints and suitability-override registers: recorded and judged in scope, every
step audited, a substantiated complaint and an override deducting on the month's card beside
the book's events; and the wealth line at head office reading only wealth managers' cards."""

from collections.abc import Iterator
from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import select

from bot import refusals
from crm_core import services
from crm_core.model import AuditEvent, ManagerRole, OutOfScope, Product, Refusal, Scope, StaffRole
from crm_core.model.performance.registers import ComplaintChannel, ComplaintVerdict
from crm_core.queries import performance as views
from crm_core.queries.performance import registers as listed
from crm_core.services.performance import RunPolicy, run_month
from crm_core.services.performance.registers import (
    ComplaintForm,
    OverrideForm,
    decide_complaint,
    record_complaint,
    record_override,
)
from crm_core.services.suitability import record_staff_assessment
from crm_core.unit_of_work import SqlUnitOfWork
from tests.organisation_support import Factory, market
from tests.performance_support import BOOK, NOVEMBER, import_text

NOW = datetime(2026, 12, 2, 2, 0)
TODAY = date(2026, 12, 2)
VALIDITY = timedelta(days=365)
HEAD = Scope(1, "head", "总行", StaffRole.HEAD_OFFICE, None, None)
WEALTH_LINE = Scope(4, "wealth", "财富条线", StaffRole.HEAD_OFFICE, None, None, ManagerRole.WEALTH)


@pytest.fixture
def factory(database_url: str) -> Iterator[Factory]:
    with market(database_url) as made:
        with made() as uow:
            services.add_manager(uow, "SH002-W1", "经理SH002-W1", "SH002", role=ManagerRole.WEALTH)
            uow.session.add(Product(code="FD001", name="进取混合基金", category="基金",
                                    risk_level=4, summary="高波动"))
            uow.commit()
        yield made


def _branch_head(uow: SqlUnitOfWork, branch: str) -> Scope:
    found = uow.branches.by_code(branch)
    assert found is not None
    return Scope(3, f"head-{branch}", "行长", StaffRole.BRANCH_HEAD, None, found.id)


def _manager(uow: SqlUnitOfWork, code: str) -> Scope:
    found = uow.managers.by_code(code)
    assert found is not None
    return Scope(2, code.lower(), "经理", StaffRole.MANAGER, found.id, found.branch_id)


def _customer(uow: SqlUnitOfWork, openid: str = "boss-zhang") -> int:
    found = uow.customers.by_openid(openid)
    assert found is not None
    return found.id


def _complaint(uow: SqlUnitOfWork, scope: Scope, manager: str = "SH001-W1",
               received: date = date(2026, 11, 20)) -> int:
    form = ComplaintForm(_customer(uow), manager, received, ComplaintChannel.PHONE,
                         "理财产品风险未讲清", "客户称购买时未告知可能亏损本金。")
    return record_complaint(uow, scope, form, TODAY, NOW).id


def _refused(call) -> str:  # type: ignore[no-untyped-def]
    with pytest.raises(Refusal) as error:
        call()
    return refusals.explain(error.value)


def _penalty(uow: SqlUnitOfWork, code: str, fact: str) -> dict[str, object]:
    lines = views.card(uow, HEAD, NOVEMBER, code)["lines"]
    return next(line for line in lines if line["metric"] == fact)


def test_a_substantiated_complaint_deducts_on_its_months_card_beside_the_books_event(
        factory: Factory) -> None:
    with factory() as uow:
        import_text(uow, NOVEMBER, BOOK + "10000001,SH001-W1,事件,,,,投诉成立,,,\n", NOW)
        kept = _complaint(uow, _branch_head(uow, "SH001"))
        dropped = _complaint(uow, HEAD)
        _complaint(uow, HEAD, received=date(2026, 12, 1))  # December's, pending
        decide_complaint(uow, _branch_head(uow, "SH001"), kept, True, "录音证实未做风险提示", NOW)
        decide_complaint(uow, HEAD, dropped, False, "客户撤回", NOW)
        run_month(uow, NOVEMBER, RunPolicy(), "head", NOW)
        line = _penalty(uow, "SH001-W1", "complaints")
        assert (line["breaches"], line["score"]) == (2, "-10.00")
        assert line["source"] == {"rows": "complaints", "count": 1, "ids": [kept], "book": 1}


def test_only_head_office_revises_a_verdict_and_no_one_judges_a_complaint_about_themselves(
        factory: Factory) -> None:
    with factory() as uow:
        found = _complaint(uow, HEAD)
        branch = _branch_head(uow, "SH001")
        decide_complaint(uow, branch, found, False, "证据不足", NOW)
        assert _refused(lambda: decide_complaint(uow, branch, found, True, "改判", NOW)) == (
            f"第 {found} 号投诉已有认定结论：网点负责人只能认定一次，如需改判请联系总行。")
        assert decide_complaint(uow, HEAD, found, True, "复核成立", NOW).verdict is \
            ComplaintVerdict.SUBSTANTIATED
        with pytest.raises(OutOfScope):
            decide_complaint(uow, _branch_head(uow, "SH002"), found, True, "越权", NOW)
        with pytest.raises(OutOfScope):
            decide_complaint(uow, _manager(uow, "SH001-W1"), found, False, "本人", NOW)
        actions = uow.session.scalars(select(AuditEvent.action).where(
            AuditEvent.subject == f"complaint:{found}").order_by(AuditEvent.id)).all()
        assert actions == ["complaint_recorded", "complaint_decided", "complaint_decided"]


def test_each_role_lists_the_complaints_in_its_scope_with_the_customer_masked(
        factory: Factory) -> None:
    with factory() as uow:
        services.set_customer_details(uow, "boss-zhang", "张大海", None, "test", NOW)
        _complaint(uow, HEAD, "SH001-W1")
        _complaint(uow, HEAD, "SH002-01")
        _complaint(uow, HEAD, "SH002-W1")
        def seen(scope: Scope) -> list[str]:
            return sorted(row.manager_code for row in listed.complaints(uow, scope)[0])
        assert seen(HEAD) == ["SH001-W1", "SH002-01", "SH002-W1"]
        assert seen(_branch_head(uow, "SH002")) == ["SH002-01", "SH002-W1"]
        assert seen(_manager(uow, "SH001-W1")) == ["SH001-W1"]
        assert seen(WEALTH_LINE) == ["SH001-W1", "SH002-W1"]
        rows, total = listed.complaints(uow, HEAD, month=NOVEMBER)
        assert total == 3 and {row.customer for row in rows} == {"张**"}


def test_the_desk_records_but_only_a_judge_in_scope_decides_and_a_manager_cannot_record(
        factory: Factory) -> None:
    with factory() as uow:
        with pytest.raises(OutOfScope):
            _complaint(uow, _manager(uow, "SH001-W1"))
        with pytest.raises(OutOfScope):
            _complaint(uow, _branch_head(uow, "SH002"), "SH001-W1")
        assert _refused(lambda: _complaint(uow, HEAD, received=date(2026, 12, 3))) == \
            "日期“2026-12-03”晚于今天，请核对。"
        desk = Scope(5, "desk", "在线客服", StaffRole.SERVICE, None, None)
        other_line = _complaint(uow, desk, "SH001-01")
        with pytest.raises(OutOfScope):
            decide_complaint(uow, WEALTH_LINE, other_line, True, "越线", NOW)
        assert listed.complaints(uow, desk) == ([], 0)


def test_an_override_deducts_and_a_sale_the_assessment_covered_is_refused(
        factory: Factory) -> None:
    with factory() as uow:
        customer = uow.customers.by_openid("boss-zhang")
        assert customer is not None
        record_staff_assessment(uow, customer, 3, date(2026, 6, 1), "test", NOW)
        own = _manager(uow, "SH001-W1")
        form = OverrideForm(customer.id, "SH001-W1", "FD001", date(2026, 11, 12),
                            "客户主动要求购买，已签署风险确认书")
        override = record_override(uow, own, form, TODAY, VALIDITY, NOW)
        assert (override.customer_level, override.product_level) == (3, 4)
        record_staff_assessment(uow, customer, 4, date(2026, 11, 13), "test", NOW)
        later = OverrideForm(customer.id, "SH001-W1", "FD001", date(2026, 11, 14), "再次购买")
        assert _refused(lambda: record_override(uow, own, later, TODAY, VALIDITY, NOW)) == (
            "客户当日的风险评估（C4）已覆盖产品风险等级（R4），这不是适当性突破，无需登记。")
        with pytest.raises(OutOfScope):
            record_override(uow, _manager(uow, "SH001-01"), form, TODAY, VALIDITY, NOW)
        import_text(uow, NOVEMBER, BOOK, NOW)
        run_month(uow, NOVEMBER, RunPolicy(), "head", NOW)
        line = _penalty(uow, "SH001-W1", "suitability")
        assert (line["breaches"], line["score"]) == (1, "-10.00")
        assert [r.manager_code for r in listed.overrides(uow, _branch_head(uow, "SH001"))[0]] \
            == ["SH001-W1"]
        assert listed.overrides(uow, _branch_head(uow, "SH002")) == ([], 0)


def test_the_wealth_line_reads_every_wealth_managers_card_across_branches_and_no_other(
        factory: Factory) -> None:
    with factory() as uow:
        import_text(uow, NOVEMBER, BOOK + "10000009,SH002-W1,存款,10,1,2,,,,\n", NOW)
        run_month(uow, NOVEMBER, RunPolicy(), "head", NOW)
        assert sorted(c.manager_code for c in views.cards(uow, WEALTH_LINE, NOVEMBER)) == [
            "SH001-W1", "SH002-W1"]
        assert views.card(uow, WEALTH_LINE, NOVEMBER, "SH002-W1")["manager"] == "SH002-W1"
        with pytest.raises(OutOfScope):
            views.card(uow, WEALTH_LINE, NOVEMBER, "SH001-01")
        with pytest.raises(OutOfScope):
            views.league(uow, NOVEMBER, ManagerRole.RETAIL, WEALTH_LINE)
        assert len(views.league(uow, NOVEMBER, ManagerRole.WEALTH, WEALTH_LINE)) == 2
        assert len(views.cards(uow, HEAD, NOVEMBER)) == 4


def test_a_head_office_account_is_put_on_the_wealth_line_with_an_audit_event(
        factory: Factory) -> None:
    with factory() as uow:
        services.add_staff(uow, "wealth", "财富条线", "x", StaffRole.HEAD_OFFICE, None, None,
                           "admin", NOW)
        services.add_staff(uow, "bh", "行长", "x", StaffRole.BRANCH_HEAD, None, "SH001",
                           "admin", NOW)
        account = services.set_staff_line(uow, "wealth", ManagerRole.WEALTH, "admin", NOW)
        assert services.scope_of(account).line is ManagerRole.WEALTH
        with pytest.raises(ValueError, match="head-office"):
            services.set_staff_line(uow, "bh", ManagerRole.WEALTH, "admin", NOW)
        event = uow.session.scalars(select(AuditEvent).where(
            AuditEvent.action == "staff_line")).one()
        assert (event.subject, event.detail) == ("wealth", {"line": "wealth",
                                                            "previous_line": ""})
