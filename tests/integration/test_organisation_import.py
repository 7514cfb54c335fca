"""Organisations and their contact persons import from staff's files: every row checked, then
all applied; a bad credit code, an unknown branch, manager or organisation refuses the file
with each row's reason, and nothing of it is applied."""

from collections.abc import Iterator

import pytest

from bot import refusals
from crm_core.model import Scope, StaffRole
from crm_core.queries.paging import PageRequest
from crm_core.services import ImportRejected
from crm_core.services.organisations import (
    employers,
    import_contacts,
    import_organisations,
    organisation_card,
    organisation_list,
)
from tests.organisation_support import (
    CONTACTS_CSV,
    ORGS_CSV,
    T0,
    Factory,
    market,
    rows,
    with_organisations,
)

HEAD_OFFICE = Scope(1, "admin", "总行", StaffRole.HEAD_OFFICE, None, None)


@pytest.fixture
def factory(database_url: str) -> Iterator[Factory]:
    with market(database_url) as made:
        yield made


def names(factory: Factory, scope: Scope = HEAD_OFFICE, **filters: str) -> list[str]:
    with factory() as uow:
        page = organisation_list(uow, scope, PageRequest(sort="code", filters=filters))
        return [row["code"] for row in page.rows]


def rejected(factory: Factory, text: str, contacts: bool = False) -> list[str]:
    importer = import_contacts if contacts else import_organisations
    with factory() as uow, pytest.raises(ImportRejected) as refused:
        importer(uow, rows(text), "bad.csv", T0)
    return [refusals.row_problem(e.line, e.code, e.params) for e in refused.value.errors]


def test_organisations_and_contacts_import_with_kinds_markets_products_and_owners(
        factory: Factory) -> None:
    with_organisations(factory)
    assert names(factory) == ["F001", "LOG01", "M001", "M002"]
    assert names(factory, market="江桥批发市场") == ["M001", "M002"]
    assert names(factory, key="1") == ["LOG01"]
    with factory() as uow:
        card = organisation_card(uow, HEAD_OFFICE, "log01")
        boss = uow.customers.by_openid("boss-zhang")
        assert boss is not None
        assert employers(uow, boss.id) == [{"code": "M001", "name": "张记水产", "kind": "商户"}]
    assert card["credit_code"] == "91350100M000100Y43" and card["key_link"] is True
    assert card["products"] == ["结算", "代发"] and card["manager"]["code"] == "SH001-C1"
    assert [c["name"] for c in card["contacts"]] == ["王经理"]


def test_a_second_import_updates_the_organisations_it_names(factory: Factory) -> None:
    with_organisations(factory)
    again = ORGS_CSV.replace("张记水产,,商户,江桥批发市场,水产,SH001,SH001-C1,否,结算",
                             "张记水产,,商户,江桥批发市场,水产,SH001,SH001-C1,否,结算 融资")
    with factory() as uow:
        report = import_organisations(uow, rows(again), "again.csv", T0)
        uow.commit()
        assert report.created == [] and len(report.updated) == 4
        assert organisation_card(uow, HEAD_OFFICE, "M001")["products"] == ["结算", "融资"]


def test_a_wrong_check_character_refuses_the_whole_file_in_chinese(factory: Factory) -> None:
    bad = ORGS_CSV.replace("91350100M000100Y43", "91350100M000100Y42")
    problems = rejected(factory, bad)
    assert problems == ["第 2 行：统一社会信用代码“91350100M000100Y42”的最后一位校验码不对，"
                        "多半是抄错了某一位：请对照营业执照逐位核对。"]
    assert names(factory) == []


def test_unknown_branches_managers_kinds_and_retail_owners_are_each_named(
        factory: Factory) -> None:
    bad = (ORGS_CSV.replace("SH002,SH002-C1", "SH009,SH002-C1")
           .replace("SH001,SH001-C1,否", "SH001,SH001-01,否")
           .replace("李氏干货,,商户", "李氏干货,,小卖部"))
    problems = rejected(factory, bad)
    assert [p[:6] for p in problems] == ["第 3 行：", "第 4 行：", "第 5 行："]
    assert "不是对公客户经理" in problems[0] and "小卖部" in problems[1]
    assert "网点代码“SH009”不存在" in problems[2]


def test_one_credit_code_for_two_organisations_is_refused(factory: Factory) -> None:
    bad = ORGS_CSV.replace("91440300708461136T", "91350100M000100Y43")
    assert rejected(factory, bad) == [
        "第 5 行：统一社会信用代码“91350100M000100Y43”已属于“顺达物流有限公司”，"
        "同一代码不能登记两个单位。"]


def test_contacts_of_an_organisation_unknown_to_the_import_are_refused(
        factory: Factory) -> None:
    with_organisations(factory)
    problems = rejected(factory, CONTACTS_CSV + "X999,赵六,会计,\n", contacts=True)
    assert problems == ["第 4 行：找不到单位代码“X999”：请先导入该单位（branchlink orgs import），"
                        "再导入联系人或交易关系。"]


def test_managers_see_the_organisations_they_own_and_branch_heads_their_branchs(
        factory: Factory) -> None:
    with_organisations(factory)
    with factory() as uow:
        owner = uow.managers.by_code("SH001-C1")
        assert owner is not None
        manager = Scope(2, "c1", "c1", StaffRole.MANAGER, owner.id, None)
        head = Scope(3, "head", "head", StaffRole.BRANCH_HEAD, None, owner.branch_id)
    assert names(factory, manager) == ["LOG01", "M001"]
    assert names(factory, head) == ["LOG01", "M001", "M002"]
