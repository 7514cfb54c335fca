"""Scorecards: a small book's simulated profit computed by hand, imports refused row by row,
idempotent months, freezing, the loan template's veto, referral credit under both models and
what each role sees."""

from collections.abc import Iterator
from datetime import datetime, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select

from bot import refusals
from crm_core import services
from crm_core.model import (
    AuditEvent,
    LeadStatus,
    ManagerRole,
    OutOfScope,
    Refusal,
    Scope,
    StaffRole,
)
from crm_core.queries import performance as views
from crm_core.services import ImportRejected
from crm_core.services.collaboration import (
    SPLIT,
    ReferralPolicy,
    ReferralRequest,
    record_outcomes,
    refer,
    subject_of,
)
from crm_core.services.performance import (
    DEFAULTS,
    PayRule,
    ProfitPolicy,
    RunPolicy,
    approve_month,
    import_targets,
    month_facts,
    payroll,
    run_month,
    save_template,
    split_pay,
)
from crm_core.unit_of_work import SqlUnitOfWork
from tests.organisation_support import T0, Factory, market, rows
from tests.performance_support import BOOK, DECEMBER, HEADER, NOVEMBER, import_text

NOW = datetime(2026, 12, 2, 2, 0)
HEAD = Scope(1, "head", "总行", StaffRole.HEAD_OFFICE, None, None)


@pytest.fixture
def factory(database_url: str) -> Iterator[Factory]:
    with market(database_url) as made:
        yield made


def _manager_id(uow: SqlUnitOfWork, code: str) -> int:
    found = uow.managers.by_code(code)
    assert found is not None
    return found.id


def _problems(call) -> list[str]:  # type: ignore[no-untyped-def]
    with pytest.raises(ImportRejected) as error:
        call()
    return [refusals.row_problem(e.line, e.code, e.params) for e in error.value.errors]


def _refused(call) -> str:  # type: ignore[no-untyped-def]
    with pytest.raises(Refusal) as error:
        call()
    return refusals.explain(error.value)


def test_a_small_books_simulated_profit_matches_the_hand_computation(factory: Factory) -> None:
    with factory() as uow:
        assert import_text(uow, NOVEMBER, BOOK, NOW) == 4
        facts = month_facts(uow, NOVEMBER, ProfitPolicy(), ReferralPolicy())
        wealth = facts.profits[_manager_id(uow, "SH001-W1")]
        # 1,000,000 x (2.5 - 1.5) % x 30/360 = 833.33; 360,000 x (2.3 - 0.3) % x 30/360 = 600
        assert (wealth.deposit, wealth.fees, wealth.total) == (
            Decimal("1433.33"), Decimal("1200.00"), Decimal("2633.33"))
        loan = facts.profits[_manager_id(uow, "SH001-01")]
        # 1,200,000 x (4.2 - 2.7) % x 30/360 = 1,500, less 2 % of 10,000 overdue
        assert (loan.loan, loan.risk_cost, loan.total) == (
            Decimal("1500.00"), Decimal("200.00"), Decimal("1300.00"))
        rows_ = views.book(uow, HEAD, NOVEMBER, "SH001-W1", ProfitPolicy())
        assert [(r["customer"], r["profit"]) for r in rows_] == [
            ("****0001", Decimal("833.33")), ("****0001", Decimal("1200.00")),
            ("****0002", Decimal("600.00"))]


def test_a_direct_cost_and_provision_rates_are_configurable(factory: Factory) -> None:
    policy = ProfitPolicy(overdue_provision=Decimal(5), direct_cost=Decimal(300))
    with factory() as uow:
        import_text(uow, NOVEMBER, BOOK, NOW)
        facts = month_facts(uow, NOVEMBER, policy, ReferralPolicy())
        assert facts.profits[_manager_id(uow, "SH001-01")].total == Decimal("700.00")


def test_bad_rows_are_refused_with_their_line_and_nothing_is_imported(factory: Factory) -> None:
    bad = HEADER.replace("不良金额", "不良金额,月份") + (
        "10000001,NOBODY,存款,100,1,2,,,,,\n"
        "10000002,SH001-W1,存款,100,1,2,,,,,2026-10\n"
        "10000003,SH001-W1,存款,100,1,250,,,,,\n"
        "10000004,SH001-W1,存款,-5,1,2,,,,,\n")
    with factory() as uow:
        assert _problems(lambda: import_text(uow, NOVEMBER, bad, NOW)) == [
            "第 2 行：找不到客户经理代码“NOBODY”，请核对（可用 branchlink managers list 查看）。",
            "第 3 行：这一行的月份“2026-10”不是正在导入的月份：请核对，或按该月份单独导入。",
            "第 4 行：FTP利率“250”超出范围（0%–15%）：请按年化百分数填写，例如 2.35。",
            "第 5 行：“余额（balance）”“-5”是负数：金额不能为负。"]


def test_importing_a_month_again_replaces_it(factory: Factory) -> None:
    with factory() as uow:
        import_text(uow, NOVEMBER, BOOK, NOW)
        import_text(uow, NOVEMBER, BOOK, NOW)
        uow.commit()
        assert len(views.book(uow, HEAD, NOVEMBER, "SH001-W1", ProfitPolicy())) == 3


def test_a_draft_month_runs_again_to_the_same_cards_and_a_frozen_month_is_refused(
        factory: Factory) -> None:
    with factory() as uow:
        import_text(uow, NOVEMBER, BOOK, NOW)
        # the book's two managers, and SH001-02 who linked a new customer in November
        assert run_month(uow, NOVEMBER, RunPolicy(), "head", NOW) == 3
        first = views.card(uow, HEAD, NOVEMBER, "SH001-W1")
        assert run_month(uow, NOVEMBER, RunPolicy(), "head", NOW) == 3
        assert views.card(uow, HEAD, NOVEMBER, "SH001-W1") == first
        approve_month(uow, NOVEMBER, "head", NOW)
        uow.commit()
        frozen = "2026-11 的考核已经总行审批冻结，不能再导入或重算；如需更正请联系总行。"
        assert _refused(lambda: run_month(uow, NOVEMBER, RunPolicy(), "head", NOW)) == frozen
        assert _refused(lambda: import_text(uow, NOVEMBER, BOOK, NOW)) == frozen


def test_a_month_without_cards_cannot_be_approved(factory: Factory) -> None:
    with factory() as uow:
        assert _refused(lambda: approve_month(uow, DECEMBER, "head", NOW)) == \
            "2026-12 还没有计算考核卡，请先计算再审批。"


def test_each_card_line_explains_its_value_target_score_and_weight(factory: Factory) -> None:
    with factory() as uow:
        import_text(uow, NOVEMBER, BOOK, NOW)
        run_month(uow, NOVEMBER, RunPolicy(), "head", NOW)
        card = views.card(uow, HEAD, NOVEMBER, "SH001-W1")
        profit = card["lines"][0]
        # 2,633.33 of a 50,000 target is 5.27 %: under the 60 % floor, so it scores nothing
        assert {k: profit[k] for k in ("metric", "value", "target", "percent", "score",
                                       "weight")} == {
            "metric": "profit", "value": "2633.33", "target": "50000", "percent": "0.00",
            "score": "0.00", "weight": 35}
        customers = card["lines"][2]  # 2 of 150 customers: under the floor as well
        assert (customers["metric"], customers["value"], customers["score"]) == (
            "customers", "2.00", "0.00")
        fees = card["lines"][4]  # ranked alone in the platform: the whole weight
        assert (fees["metric"], fees["rank"], fees["peers"], fees["score"]) == (
            "fees", 1, 1, "15.00")
        assert card["total"] == Decimal("15.00")


def _loan_book(uow: SqlUnitOfWork, overdue: str) -> None:
    services.add_manager(uow, "SH001-L1", "信贷经理", "SH001", role=ManagerRole.LOAN)
    services.add_manager(uow, "SH002-L1", "信贷经理二", "SH002", role=ManagerRole.LOAN)
    uow.flush()
    import_text(uow, NOVEMBER, HEADER + (
        f"10000011,SH001-L1,贷款,100000,4.5,2.5,,,{overdue},\n"
        "10000012,SH002-L1,贷款,100000,4.5,2.5,,,,\n"), NOW)


def test_the_loan_template_zeroes_asset_quality_above_the_overdue_threshold(
        factory: Factory) -> None:
    with factory() as uow:
        _loan_book(uow, "5000")  # 5 % of the loans overdue: above the 3 % veto
        run_month(uow, NOVEMBER, RunPolicy(), "head", NOW)
        quality = views.card(uow, HEAD, NOVEMBER, "SH001-L1")["lines"][2]
        assert quality["metric"] == "asset_quality" and quality["score"] == "0.00"
        assert quality["veto"]["effect"] == "zero" and quality["veto"]["value"] == "5.00"
        clean = views.card(uow, HEAD, NOVEMBER, "SH002-L1")["lines"][2]
        assert clean["score"] == "25.00" and clean["veto"] is None


def test_the_loan_template_cuts_asset_quality_between_the_thresholds(factory: Factory) -> None:
    with factory() as uow:
        _loan_book(uow, "2000")  # 2 %: above 1.5, below 3: half of 98 % x 25
        run_month(uow, NOVEMBER, RunPolicy(), "head", NOW)
        quality = views.card(uow, HEAD, NOVEMBER, "SH001-L1")["lines"][2]
        assert quality["score"] == "12.25" and quality["veto"]["effect"] == "cut"


def test_a_substantiated_complaint_deducts_points(factory: Factory) -> None:
    with factory() as uow:
        import_text(uow, NOVEMBER, BOOK + "10000001,SH001-W1,事件,,,,投诉成立,,,\n", NOW)
        run_month(uow, NOVEMBER, RunPolicy(), "head", NOW)
        lines = views.card(uow, HEAD, NOVEMBER, "SH001-W1")["lines"]
        assert lines[-1]["metric"] == "complaints" and lines[-1]["score"] == "-5.00"


def _converted_referral(uow: SqlUnitOfWork) -> int:
    subject = subject_of(uow, uow.customers.by_openid("boss-zhang").id, None)  # type: ignore[union-attr]
    referrer = uow.managers.by_code("SH001-01")
    assert referrer is not None
    referral = refer(uow, referrer, subject, ReferralRequest(ManagerRole.CORPORATE),
                     ReferralPolicy(), T0)
    record_outcomes(uow, rows("openid,line,outcome,amount\nboss-zhang,对公,开户,1000000\n"),
                    "outcomes.csv", T0 + timedelta(days=10))
    return referral.id


@pytest.mark.parametrize(("model", "referrer", "receiver"), [
    ("shadow", "1000000.00", "1000000.00"), (SPLIT, "300000.00", "700000.00")])
def test_referral_credit_flows_into_both_managers_cards(
        factory: Factory, model: str, referrer: str, receiver: str) -> None:
    with factory() as uow:
        referral_id = _converted_referral(uow)
        policy = RunPolicy(referrals=ReferralPolicy(credit_model=model))
        run_month(uow, DECEMBER, policy, "head", NOW)
        retail = views.card(uow, HEAD, DECEMBER, "SH001-01")["lines"]
        credit = next(line for line in retail if line["metric"] == "referral_credit")
        assert (credit["value"], credit["source"]) == (referrer, [referral_id])
        corporate = views.card(uow, HEAD, DECEMBER, "SH001-C1")["lines"]
        credit = next(line for line in corporate if line["metric"] == "referral_credit")
        assert credit["value"] == receiver


def test_each_role_sees_its_own_cards_and_everyone_the_league_table(factory: Factory) -> None:
    with factory() as uow:
        import_text(uow, NOVEMBER, BOOK + "10000009,SH002-01,存款,10,1,2,,,,\n", NOW)
        run_month(uow, NOVEMBER, RunPolicy(), "head", NOW)
        own = Scope(2, "w1", "经理", StaffRole.MANAGER, _manager_id(uow, "SH001-W1"), None)
        head = Scope(3, "h1", "行长", StaffRole.BRANCH_HEAD, None,
                     uow.branches.by_code("SH001").id)  # type: ignore[union-attr]
        assert [c.manager_code for c in views.cards(uow, own, NOVEMBER)] == ["SH001-W1"]
        with pytest.raises(OutOfScope):
            views.card(uow, own, NOVEMBER, "SH001-01")
        assert sorted(c.manager_code for c in views.cards(uow, head, NOVEMBER)) == [
            "SH001-01", "SH001-02", "SH001-W1"]
        with pytest.raises(OutOfScope):
            views.book(uow, head, NOVEMBER, "SH002-01", ProfitPolicy())
        assert len(views.cards(uow, HEAD, NOVEMBER)) == 4
        league = views.league(uow, NOVEMBER, ManagerRole.RETAIL)
        # SH002-01 alone holds deposits: first of three, 30 points; the other two tie for
        # second, each (3 - 2) / (3 - 1) of the weight
        assert [(r.rank, r.manager_code, r.total) for r in league] == [
            (1, "SH002-01", Decimal("30.00")), (2, "SH001-01", Decimal("15.00")),
            (2, "SH001-02", Decimal("15.00"))]


def test_a_template_whose_weights_miss_100_or_names_an_unknown_metric_is_refused(
        factory: Factory) -> None:
    rules = {**DEFAULTS[ManagerRole.WEALTH]}
    short = {**rules, "lines": rules["lines"][:-1]}
    unknown = {**rules, "lines": [{**rules["lines"][0], "metric": "golf"}, *rules["lines"][1:]]}
    with factory() as uow:
        assert _refused(lambda: save_template(uow, ManagerRole.WEALTH, short, "head", NOW)) == \
            "各项指标的权重合计须为 100，现在是 85：请调整后再保存。"
        assert _refused(lambda: save_template(uow, ManagerRole.WEALTH, unknown, "head", NOW)) \
            == "第 1 项：没有“golf”这个指标，请从指标列表中选择。"
        first = save_template(uow, ManagerRole.WEALTH, rules, "head", NOW)
        assert save_template(uow, ManagerRole.WEALTH, rules, "head", NOW).version == \
            first.version + 1


def test_targets_are_imported_per_manager_or_branch_and_unknown_ones_are_refused(
        factory: Factory) -> None:
    with factory() as uow:
        assert _problems(lambda: import_targets(uow, NOVEMBER, rows(
            "客户经理或网点,指标,目标\nNOBODY,profit,100\nSH001-W1,golf,5\n"), "head", NOW)) == [
            "第 2 行：找不到客户经理或网点代码“NOBODY”，请核对后重新导入目标。",
            "第 3 行：没有“golf”这个指标，请从指标列表中选择。"]
        assert import_targets(uow, NOVEMBER, rows(
            "客户经理或网点,指标,目标\nSH001,profit,2000\nSH001-W1,profit,2500\n"),
            "head", NOW) == 5  # the branch's five managers, SH001-W1 by their own row
        import_text(uow, NOVEMBER, BOOK, NOW)
        run_month(uow, NOVEMBER, RunPolicy(), "head", NOW)
        profit = views.card(uow, HEAD, NOVEMBER, "SH001-W1")["lines"][0]
        # 2,633.33 of 2,500 is 105.33 %: 35 x 105.33 % = 36.87
        assert (profit["target"], profit["percent"], profit["score"]) == (
            "2500.00", "105.33", "36.87")


def test_pay_defers_forty_percent_over_three_years_for_risk_roles() -> None:
    rule = PayRule()
    assert split_pay(Decimal("1000.00"), ManagerRole.WEALTH, rule) == (
        Decimal("600.00"), (Decimal("133.33"), Decimal("133.33"), Decimal("133.34")))
    assert split_pay(Decimal("1000.00"), ManagerRole.RETAIL, rule) == (Decimal("1000.00"), ())


def test_payroll_is_exported_only_for_a_frozen_month_and_audited(factory: Factory) -> None:
    rule = PayRule(rate=Decimal(10), threshold=Decimal(1000), min_score=Decimal(0))
    with factory() as uow:
        import_text(uow, NOVEMBER, BOOK, NOW)
        run_month(uow, NOVEMBER, RunPolicy(), "head", NOW)
        assert _refused(lambda: payroll(uow, NOVEMBER, rule, "head", NOW)) == \
            "2026-11 的考核还没有经总行审批冻结，不能导出计酬：请先审批。"
        approve_month(uow, NOVEMBER, "head", NOW)
        lines = {p.manager_code: p for p in payroll(uow, NOVEMBER, rule, "head", NOW)}
        wealth = lines["SH001-W1"]  # (2,633.33 - 1,000) x 10 % = 163.33, 40 % deferred
        assert (wealth.pay, wealth.now, wealth.deferred, wealth.clawback) == (
            Decimal("163.33"), Decimal("98.00"),
            (Decimal("21.78"), Decimal("21.78"), Decimal("21.77")), True)
        assert lines["SH001-02"].pay == 0
        events = uow.session.scalars(select(AuditEvent).where(
            AuditEvent.action == "payroll_export")).all()
        assert [e.subject for e in events] == ["payroll:2026-11"]


def test_leads_contacted_within_the_sla_and_converted_are_counted_for_the_month(
        factory: Factory) -> None:
    with factory() as uow:
        lead = services.open_lead(uow, "boss-zhang", "contact_request", T0,
                                  timedelta(hours=2)).lead_id
        services.update_lead(uow, lead, LeadStatus.CONTACTED, T0 + timedelta(hours=1))
        services.update_lead(uow, lead, LeadStatus.CONVERTED, T0 + timedelta(days=3))
        november = month_facts(uow, NOVEMBER, ProfitPolicy(), ReferralPolicy())
        december = month_facts(uow, DECEMBER, ProfitPolicy(), ReferralPolicy())
        manager_id = _manager_id(uow, "SH001-01")
        assert november.values[manager_id]["leads_in_sla"] == 1
        assert november.values[manager_id]["leads_converted"] == 0
        assert december.values[manager_id]["leads_converted"] == 1  # closed on 3 December
