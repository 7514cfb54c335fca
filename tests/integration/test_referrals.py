"""Referrals between staff: scope, self and owner refusals, the lock period, the life cycle
with a frozen clock (SLA reminder, escalation, expiry), notices, credit and disputes."""

from collections.abc import Iterator
from datetime import timedelta

import pytest
from sqlalchemy import select

from bot import refusals
from crm_core import services
from crm_core.model import (
    AuditEvent,
    ManagerRole,
    Notice,
    NoticeKind,
    ReferralStatus,
    Refusal,
    Scope,
    StaffRole,
)
from crm_core.services import ImportRejected
from crm_core.services.collaboration import (
    SPLIT,
    ReferralPolicy,
    ReferralRequest,
    chase_referrals,
    credit,
    move_referral,
    record_outcomes,
    refer,
    referrer_record,
    settle_referral,
    subject_of,
)
from crm_core.unit_of_work import SqlUnitOfWork
from tests.organisation_support import T0, Factory, market, rows, with_organisations

POLICY = ReferralPolicy(lock_days=90, accept_hours=24, contact_hours=48,
                        escalate_after_hours=24, expire_days=60)
CORPORATE = ReferralRequest(ManagerRole.CORPORATE, product_interest="结算账户",
                            potential_value=500_000, note="开了三家店")


@pytest.fixture
def factory(database_url: str) -> Iterator[Factory]:
    with market(database_url) as made:
        with_organisations(made)
        yield made


def manager(uow: SqlUnitOfWork, code: str):  # type: ignore[no-untyped-def]
    found = uow.managers.by_code(code)
    assert found is not None
    return found


def customer_id(uow: SqlUnitOfWork, openid: str) -> int:
    found = uow.customers.by_openid(openid)
    assert found is not None
    return found.id


def refer_boss(uow: SqlUnitOfWork, wanted: ReferralRequest = CORPORATE,
               referrer: str = "SH001-01", hours: int = 0):  # type: ignore[no-untyped-def]
    subject = subject_of(uow, customer_id(uow, "boss-zhang"), None)
    return refer(uow, manager(uow, referrer), subject, wanted, POLICY,
                 T0 + timedelta(hours=hours))


def _notices(uow: SqlUnitOfWork) -> list[tuple[str, str]]:
    stmt = select(Notice).where(Notice.kind == NoticeKind.REFERRAL).order_by(Notice.id)
    return [(n.payload["event"], n.manager.code if n.manager else "")
            for n in uow.session.scalars(stmt)]


def refused(call) -> str:  # type: ignore[no-untyped-def]
    with pytest.raises(Refusal) as error:
        call()
    return refusals.explain(error.value)


def test_a_retail_manager_refers_a_business_owner_to_a_corporate_manager_of_the_branch(
        factory: Factory) -> None:
    with factory() as uow:
        referral = refer_boss(uow)
        uow.commit()
        # The organisation's owner SH001-C1 is not the boss's owner: the least loaded
        # corporate manager of the branch receives it.
        assert referral.receiver is not None and referral.receiver.code == "SH001-C1"
        assert referral.status is ReferralStatus.SUBMITTED
        assert referral.due_at == T0 + timedelta(hours=24)
        assert _notices(uow) == [("submitted", "SH001-C1")]


def test_a_customer_outside_the_referrers_scope_is_refused(factory: Factory) -> None:
    with factory() as uow:
        assert refused(lambda: refer_boss(uow, referrer="SH001-02")).startswith(
            "只能转介自己名下的客户")


def test_a_corporate_manager_refers_a_contact_person_of_their_organisation(
        factory: Factory) -> None:
    with factory() as uow:
        subject = subject_of(uow, customer_id(uow, "boss-zhang"), None)
        referral = refer(uow, manager(uow, "SH001-C1"), subject,
                         ReferralRequest(ManagerRole.WEALTH), POLICY, T0)
        assert referral.receiver is not None and referral.receiver.code == "SH001-W1"


def test_referrals_to_oneself_to_the_current_owner_or_to_ones_own_line_are_refused(
        factory: Factory) -> None:
    with factory() as uow:
        to_owner = ReferralRequest(ManagerRole.RETAIL, receiver_code="SH001-01")
        assert refused(lambda: refer_boss(uow, ReferralRequest(
            ManagerRole.WEALTH, receiver_code="SH001-01"))) == "不能把客户转介给自己。"
        assert refused(lambda: refer_boss(uow, to_owner, referrer="SH001-C1")) == \
            "“经理SH001-01”已经是这位客户（单位）的客户经理，无需转介。"
        assert refused(lambda: refer_boss(uow, ReferralRequest(ManagerRole.RETAIL))) == \
            "转介要转给其他条线，不能转给自己所在的条线。"


def test_a_second_referral_inside_the_lock_period_is_answered_with_the_first(
        factory: Factory) -> None:
    with factory() as uow:
        first = refer_boss(uow)
        uow.commit()
        answer = refused(lambda: refer_boss(uow, hours=1))
        assert answer == (f"这位客户（单位）已由经理SH001-01转介到该条线（转介编号 {first.id}），"
                          "锁定期内不能重复转介；如有争议请网点负责人裁定。")
        later = refer_boss(uow, hours=24 * 91)  # after the lock: a new referral
        assert later.id != first.id


def test_the_life_cycle_with_a_frozen_clock_reminds_escalates_and_expires(
        factory: Factory) -> None:
    with factory() as uow:
        referral = refer_boss(uow)
        uow.commit()
        assert chase_referrals(uow, POLICY, T0 + timedelta(hours=23)) == 0
        assert chase_referrals(uow, POLICY, T0 + timedelta(hours=24)) == 1  # reminder
        assert chase_referrals(uow, POLICY, T0 + timedelta(hours=30)) == 0
        assert chase_referrals(uow, POLICY, T0 + timedelta(hours=48)) == 0  # no head bound
        receiver = manager(uow, "SH001-C1")
        move_referral(uow, receiver, referral.id, ReferralStatus.ACCEPTED, POLICY,
                      T0 + timedelta(hours=50))
        assert referral.due_at == T0 + timedelta(hours=98)
        assert chase_referrals(uow, POLICY, T0 + timedelta(hours=98)) == 1  # contact SLA
        move_referral(uow, receiver, referral.id, ReferralStatus.CONTACTED, POLICY,
                      T0 + timedelta(hours=99))
        assert chase_referrals(uow, POLICY, T0 + timedelta(days=61)) == 1  # expiry
        assert referral.status is ReferralStatus.EXPIRED
        assert [event for event, _ in _notices(uow)] == [
            "submitted", "reminder-submitted", "accepted", "reminder-accepted", "contacted",
            "expired"]


def test_escalation_goes_to_the_branch_heads(factory: Factory) -> None:
    with factory() as uow:
        services.set_branch_head(uow, "SH001-02", True)
        refer_boss(uow)
        chase_referrals(uow, POLICY, T0 + timedelta(hours=24))
        chase_referrals(uow, POLICY, T0 + timedelta(hours=48))
        assert _notices(uow)[-1] == ("escalation-submitted", "SH001-02")


def test_only_the_receiver_takes_steps_and_a_decline_needs_its_reason(
        factory: Factory) -> None:
    with factory() as uow:
        referral = refer_boss(uow)
        other = manager(uow, "SH001-C2")
        assert refused(lambda: move_referral(
            uow, other, referral.id, ReferralStatus.ACCEPTED, POLICY, T0)) == \
            "只有接收转介的客户经理可以推进这条转介。"
        receiver = manager(uow, "SH001-C1")
        assert refused(lambda: move_referral(uow, receiver, referral.id,
                                             ReferralStatus.DECLINED, POLICY, T0)) == "请填写原因。"
        assert refused(lambda: move_referral(uow, receiver, referral.id,
                                             ReferralStatus.CONVERTED, POLICY, T0)).startswith(
            "这条转介目前的状态不能直接改为")
        move_referral(uow, receiver, referral.id, ReferralStatus.DECLINED, POLICY, T0,
                      "已有他行结算账户")
        assert referral.decline_reason == "已有他行结算账户"
        # A declined referral holds nothing: another may be registered.
        assert refer_boss(uow, hours=1).id != referral.id


def convert(uow: SqlUnitOfWork, days: int) -> None:
    outcomes = "openid,line,outcome,amount\nboss-zhang,对公,开户,\"1,000,000\"\n"
    record_outcomes(uow, rows(outcomes), "outcomes.csv", T0 + timedelta(days=days))


def test_credit_under_the_shadow_and_the_split_models(factory: Factory) -> None:
    with factory() as uow:
        referral = refer_boss(uow)
        convert(uow, days=10)
        assert referral.status is ReferralStatus.CONVERTED
        assert referral.converted_value == 1_000_000
        assert credit(referral, POLICY) == (1_000_000, 1_000_000)
        split = ReferralPolicy(credit_model=SPLIT, referrer_percent=30, split_days=180)
        assert credit(referral, split) == (300_000, 700_000)
        late = ReferralPolicy(credit_model=SPLIT, referrer_percent=30, split_days=5)
        assert credit(referral, late) == (0, 1_000_000)
        record = referrer_record(uow, manager(uow, "SH001-01").id, split)
        assert (record.sent, record.converted, record.rate, record.days_to_convert,
                record.value, record.credited) == (1, 1, 1.0, 10.0, 1_000_000, 300_000)


def test_an_outcome_for_a_subject_nobody_referred_refuses_the_file(factory: Factory) -> None:
    with factory() as uow, pytest.raises(ImportRejected) as rejected:
        record_outcomes(uow, rows("openid,line,outcome,amount\nworker-li,对公,开户,100\n"),
                        "o.csv", T0)
    assert rejected.value.errors[0].code == "outcome_no_referral"


def test_a_branch_head_settles_a_dispute_and_the_settlement_is_audited(
        factory: Factory) -> None:
    with factory() as uow:
        referral = refer_boss(uow)
        head = Scope(9, "head-sh001", "负责人", StaffRole.BRANCH_HEAD, None,
                     referral.branch_id)
        stranger = Scope(8, "head-sh002", "负责人", StaffRole.BRANCH_HEAD, None, -1)
        assert refused(lambda: settle_referral(uow, stranger, referral.id, "SH001-02", "x",
                                               T0)).startswith("只有该网点的负责人")
        settle_referral(uow, head, referral.id, "SH001-02", "张老板先由王芳介绍", T0)
        assert referral.referrer.code == "SH001-02"
        assert _audit(uow) == [("head-sh001", {"from": "SH001-01", "to": "SH001-02",
                                          "reason": "张老板先由王芳介绍"})]


def _audit(uow: SqlUnitOfWork) -> list[tuple[str, object]]:
    stmt = select(AuditEvent).where(AuditEvent.action == "referral_settled")
    return [(e.actor, e.detail) for e in uow.session.scalars(stmt)]
