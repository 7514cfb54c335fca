"""The catalogue: all-or-nothing imports that keep every version, and what may be offered."""

from datetime import date, datetime, timedelta

import pytest

from crm_core import services
from crm_core.services import ImportRejected, OfferPolicy
from tests.builders import org
from tests.fakes import FakeUnitOfWork

T0 = datetime(2026, 11, 28, 9, 0)
HEADER = "code,name,category,risk,rate,term,summary,branches,sale_start,sale_end,private"
WEALTH = "wm101,稳益180天,理财,R2,2.9%,180天,固收类理财,,,,false"
FUND = "FD201,成长精选,基金,R4,,,权益类基金,,,,false"
DEPOSIT = "DP301,三年期存单,存款,R1,2.35%,3年,大额存单,SH001,,,false"
POLICY = OfferPolicy(today=T0.date(), validity=timedelta(days=365))


def make_uow() -> FakeUnitOfWork:
    uow = FakeUnitOfWork()
    org(uow, {"SH001": ["SH001-01"], "BJ001": ["BJ001-01"]})
    return uow


def load(uow: FakeUnitOfWork, *lines: str, at: datetime = T0) -> services.ImportReport:
    rows = services.read_rows("\n".join((HEADER, *lines)) + "\n", "csv", "product")
    return services.import_products(uow, rows, "t.csv", at)


def test_an_import_creates_each_product_at_version_one_and_stamps_the_catalogue() -> None:
    uow = make_uow()
    assert services.catalogue_stamp(uow) is None
    report = load(uow, WEALTH, FUND)
    assert (report.created, report.updated, report.unchanged) == (["WM101", "FD201"], [], 0)
    assert [(v.version, v.data["name"]) for v in uow.products.versions] == [
        (1, "稳益180天"), (1, "成长精选")]
    assert services.catalogue_stamp(uow) is not None
    assert [p["code"] for p in services.catalogue_listing(uow)] == ["FD201", "WM101"]


def test_an_unchanged_reimport_adds_no_version_and_keeps_the_stamp() -> None:
    uow = make_uow()
    load(uow, WEALTH)
    stamp = services.catalogue_stamp(uow)
    again = load(uow, WEALTH, at=T0 + timedelta(days=1))
    assert (again.created, again.updated, again.unchanged) == ([], [], 1)
    assert len(uow.products.versions) == 1
    assert services.catalogue_stamp(uow) == stamp


def test_a_changed_product_gets_a_new_version_and_every_old_one_is_kept() -> None:
    uow = make_uow()
    load(uow, WEALTH)
    stamp = services.catalogue_stamp(uow)
    changed = load(uow, WEALTH.replace("2.9%", "2.7%"), at=T0 + timedelta(days=1))
    assert changed.updated == ["WM101"]
    assert services.product_version(uow, "WM101", 1)["rate"] == "2.9%"  # type: ignore[index]
    assert services.product_version(uow, "WM101", 2)["rate"] == "2.7%"  # type: ignore[index]
    card = services.product_card(uow, "wm101")
    assert card is not None and card.version == 2
    assert services.catalogue_stamp(uow) != stamp


def test_one_bad_row_rejects_the_whole_file_and_names_every_bad_line() -> None:
    uow = make_uow()
    load(uow, WEALTH)
    with pytest.raises(ImportRejected) as rejected:
        load(uow, WEALTH.replace("2.9%", "2.7%"), FUND.replace(",,,,false", ",ZZ999,,,false"),
             DEPOSIT.replace("大额存单", "保本保息"))
    assert [(e.line, e.reason) for e in rejected.value.errors] == [
        (3, "unknown branch 'ZZ999'"), (4, "banned phrase '保本' in summary")]
    assert [p["code"] for p in services.catalogue_listing(uow)] == ["WM101"]
    assert len(uow.products.versions) == 1


def offer(uow: FakeUnitOfWork, openid: str, *codes: str) -> services.Offer:
    return services.offer_products(uow, openid, [(code, 10.0) for code in codes], POLICY, T0)


def test_a_product_above_the_valid_assessment_is_withheld_and_the_decision_audited() -> None:
    uow = make_uow()
    load(uow, WEALTH, FUND, DEPOSIT)
    services.follow(uow, "c1", "m:SH001-01", T0)
    services.set_risk_level(uow, "c1", 3, date(2026, 1, 5), "li", T0)
    found = offer(uow, "c1", "WM101", "FD201", "DP301")
    assert [c.code for c in found.shown] == ["WM101", "DP301"]  # nearest the customer's level
    assert [(c.code, why) for c, why in found.withheld] == [("FD201", "risk_above_assessment")]
    [event] = [e for e in uow.audit.events if e.action == "suitability"]
    assert event.subject == "c1" and event.detail is not None
    assert [d["outcome"] for d in event.detail["decisions"]] == [
        "shown", "risk_above_assessment", "shown"]


def test_without_personalisation_the_order_is_generic_but_the_gate_still_applies() -> None:
    uow = make_uow()
    load(uow, WEALTH, FUND, DEPOSIT)
    services.follow(uow, "c1", "m:SH001-01", T0)
    services.set_risk_level(uow, "c1", 3, date(2026, 1, 5), "li", T0)
    services.set_personalised(uow, "c1", False, T0)
    found = offer(uow, "c1", "WM101", "FD201", "DP301")
    assert not found.personalised
    assert [c.code for c in found.shown] == ["DP301", "WM101"]
    assert [c.code for c, _ in found.withheld] == ["FD201"]


def test_an_expired_assessment_counts_as_none_and_products_of_other_branches_are_dropped(
        ) -> None:
    uow = make_uow()
    load(uow, WEALTH, FUND, DEPOSIT)
    services.follow(uow, "c1", "m:BJ001-01", T0)
    services.set_risk_level(uow, "c1", 5, date(2025, 11, 1), "li", T0)
    found = offer(uow, "c1", "WM101", "FD201", "DP301", "ZZ999")
    assert found.shown == () and found.assessment.expired
    assert [(c.code, why) for c, why in found.withheld] == [
        ("WM101", "assessment_expired"), ("FD201", "assessment_expired")]


def test_a_newer_assessment_replaces_the_older_and_bad_ones_are_refused() -> None:
    uow = make_uow()
    load(uow, WEALTH, FUND)
    services.follow(uow, "c1", "m:SH001-01", T0)
    services.set_risk_level(uow, "c1", 5, date(2026, 3, 1), "li", T0)
    services.set_risk_level(uow, "c1", 2, date(2026, 6, 1), "li", T0)
    assert [c.code for c in offer(uow, "c1", "WM101", "FD201").shown] == ["WM101"]
    for level, on in ((6, date(2026, 6, 1)), (3, date(2026, 12, 1))):
        with pytest.raises(ValueError, match="level must be 1-5"):
            services.set_risk_level(uow, "c1", level, on, "li", T0)
    assert [e.action for e in uow.audit.events].count("risk_assessed") == 2
