"""The FAQ, numbered choices and missed questions, on the fakes."""

from datetime import datetime, timedelta

import pytest

from crm_core import services
from crm_core.services import Choice, ImportRejected
from tests.fakes import FakeUnitOfWork

T0 = datetime(2026, 11, 28, 9, 0)
FAQ = """key,topic,question,answer,keywords,active
fees,费用,理财有哪些费用？,{answer},费用 手续费,true
hours,流程,几点营业？,工作日九点至五点。,营业时间 几点,true
"""
FEES, PRODUCT = Choice("faq", "fees", "理财费用"), Choice("product", "WM001", "稳盈90天")


def import_faq(uow: FakeUnitOfWork, text: str, at: datetime) -> services.FaqReport:
    return services.import_faq(uow, services.read_rows(text, "csv", "faq"), "faq.csv", at)


def test_each_faq_change_is_a_new_version_and_a_new_stamp_and_a_repeat_is_neither() -> None:
    uow = FakeUnitOfWork()
    first = import_faq(uow, FAQ.format(answer="认购费和管理费。"), T0)
    stamp = services.faq_stamp(uow)
    same = import_faq(uow, FAQ.format(answer="认购费和管理费。"), T0 + timedelta(hours=1))
    assert services.faq_stamp(uow) == stamp is not None
    changed = import_faq(uow, FAQ.format(answer="认购费、管理费和托管费。"), T0)
    assert services.faq_stamp(uow) != stamp
    assert [(r.created, r.updated, r.unchanged) for r in (first, same, changed)] == [
        (["fees", "hours"], [], 0), ([], [], 2), ([], ["fees"], 1)]
    assert [(c.key, c.version) for c in services.faq_entries(uow)] == [("fees", 2), ("hours", 1)]
    old, new = services.faq_version(uow, "fees", 1), services.faq_version(uow, "fees", 2)
    assert old is not None and old["answer"] == "认购费和管理费。"
    assert new is not None and new["answer"] == "认购费、管理费和托管费。"
    assert services.faq_version(uow, "fees", 3) is None


def test_a_file_with_one_bad_row_changes_nothing() -> None:
    uow = FakeUnitOfWork()
    with pytest.raises(ImportRejected):
        import_faq(uow, FAQ.format(answer="认购费。") + "x1,无此主题,问,答,词,true\n", T0)
    assert services.faq_entries(uow) == [] and services.faq_stamp(uow) is None


def test_a_numbered_choice_holds_until_it_expires_and_the_next_offer_replaces_it() -> None:
    uow = FakeUnitOfWork()
    services.offer_choices(uow, "o1", [FEES, PRODUCT], timedelta(minutes=10), T0)
    assert services.pending_choice(uow, "o1", 2, T0) == PRODUCT
    assert services.pending_choice(uow, "o1", 3, T0) is None
    assert services.pending_choice(uow, "o1", 1, T0 + timedelta(minutes=10)) is None
    services.offer_choices(uow, "o1", [PRODUCT], timedelta(minutes=10), T0)
    assert services.pending_choice(uow, "o1", 1, T0) == PRODUCT
    assert services.pending_choice(uow, "o1", 2, T0) is None
    services.clear_choices(uow, "o1")
    assert services.pending_choice(uow, "o1", 1, T0) is None


def test_missed_questions_are_kept_masked_and_read_back_newest_first() -> None:
    uow = FakeUnitOfWork()
    for minute, question in enumerate(["能贷款吗", "我13812345678能贷款吗", "开户要带什么"]):
        services.record_miss(uow, question, "not_found", T0 + timedelta(minutes=minute))
    services.record_miss(uow, "昨天的问题", "unsure", T0 - timedelta(days=1))
    found = services.recent_misses(uow, T0)
    assert [m.question.replace(" ", "") for m in found] == [
        "开户要带什么", "我138****5678能贷款吗", "能贷款吗"]
    assert {m.outcome for m in found} == {"not_found"}
