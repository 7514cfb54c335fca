"""Chain leads from a hand-built graph: the counterparties of key links that are no
customers, or hold no settlement account, become leads with their reason in words, assigned
by branch and industry, never twice while one is open; relationships refuse themselves,
unknown organisations and circles."""

import json
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from flask import Flask

from bot import refusals
from bot.cli.chains import chains
from bot.cli.orgs import orgs
from crm_core.model import LeadStatus, Scope, StaffRole
from crm_core.services import ImportRejected
from crm_core.services.organisations import (
    chain_view,
    chase_chain_leads,
    import_organisations,
    import_relationships,
    make_chain_leads,
    move_chain_lead,
)
from tests.integration.test_orgs_cli import market as orgs_market
from tests.integration.test_product_import import invoke
from tests.organisation_support import ORGS_CSV, T0, Factory, market, rows, with_organisations

HEAD_OFFICE = Scope(1, "admin", "总行", StaffRole.HEAD_OFFICE, None, None)
SLA = timedelta(hours=2)
# LOG01 (a key link, SH001) carries for F001 (a customer with settlement) and M002 (no
# customer); M001 supplies LOG01's customer M002; NEW1 buys from LOG01 (no customer).
MORE_ORGS = """org_code,name,kind,branch,industry
NEW1,新开超市,商户,SH001,水产
NEW2,远郊农场,生产企业,SH001,农业
"""
RELATIONSHIPS = """organisation,counterparty,kind,monthly_volume,as_of
F001,LOG01,物流服务商,80000,2026-11-01
M002,LOG01,物流服务商,120000,2026-11-01
LOG01,NEW1,采购方,"35,000",2026-11-01
M002,M001,供应商,5000,2026-11-01
NEW2,NEW1,采购方,,2026-11-01
"""


@pytest.fixture
def factory(database_url: str) -> Iterator[Factory]:
    with market(database_url) as made:
        with_organisations(made)
        with made() as uow:
            import_organisations(uow, rows(MORE_ORGS), "more.csv", T0)
            import_relationships(uow, rows(RELATIONSHIPS), "extract.csv", T0)
            uow.commit()
        yield made


def leads(factory: Factory) -> list[tuple[str, str, str | None]]:
    with factory() as uow:
        report = make_chain_leads(uow, T0, SLA)
        uow.commit()
        made = [uow.organisations.chain_lead(i) for i in report.created]
        return [(lead.organisation.code, lead.reason, lead.manager.code if lead.manager else None)
                for lead in made if lead is not None]


def test_counterparties_of_key_links_become_leads_with_their_reason_in_words(
        factory: Factory) -> None:
    # M002 (dried goods): no desk knows the industry, the first of the idle desks takes it;
    # NEW1 (seafood) goes to the desk that already serves a seafood merchant, busy or not.
    assert leads(factory) == [
        ("M002", "顺达物流有限公司的物流客户，月交易额约 12 万元，尚未在我行开户", "SH001-C1"),
        ("NEW1", "顺达物流有限公司的下游客户，月交易额约 4 万元，尚未在我行开户", "SH001-C1"),
    ]


def test_a_second_run_adds_nothing_while_the_leads_are_open(factory: Factory) -> None:
    assert len(leads(factory)) == 2
    with factory() as uow:
        report = make_chain_leads(uow, T0 + timedelta(days=1), SLA)
        assert (report.created, report.already_open) == ([], 2)
        move_chain_lead(uow, 1, LeadStatus.LOST, T0 + timedelta(days=1))
        assert len(make_chain_leads(uow, T0 + timedelta(days=1), SLA).created) == 1


def test_chain_leads_are_reminded_and_escalated_like_leads(factory: Factory) -> None:
    leads(factory)
    with factory() as uow:
        assert chase_chain_leads(uow, T0 + timedelta(hours=1), timedelta(hours=4)) == 0
        assert chase_chain_leads(uow, T0 + SLA, timedelta(hours=4)) == 2
        assert chase_chain_leads(uow, T0 + SLA + timedelta(hours=1), timedelta(hours=4)) == 0


def test_the_chain_view_reaches_two_hops_out(factory: Factory) -> None:
    with factory() as uow:
        view = chain_view(uow, HEAD_OFFICE, "F001")
    depth = {node["code"]: node["depth"] for node in view["nodes"]}
    assert depth == {"F001": 0, "LOG01": 1, "M002": 2, "NEW1": 2}
    assert len(view["edges"]) == 3


def problems(factory: Factory, text: str) -> list[str]:
    with factory() as uow, pytest.raises(ImportRejected) as rejected:
        import_relationships(uow, rows(text), "bad.csv", T0)
    return [refusals.row_problem(e.line, e.code, e.params) for e in rejected.value.errors]


def test_a_relationship_to_itself_an_unknown_organisation_or_a_circle_is_refused(
        factory: Factory) -> None:
    header = "organisation,counterparty,kind,monthly_volume\n"
    assert problems(factory, header + "M001,M001,供应商,1\nM001,X9,供应商,1\n") == [
        "第 2 行：单位“M001”不能与自己建立交易关系：请核对交易对手代码。",
        "第 3 行：找不到单位代码“X9”：请先导入该单位（branchlink orgs import），"
        "再导入联系人或交易关系。"]
    # M001 already supplies M002: M002 supplying M001 closes a circle.
    circle = problems(factory, header + "M001,M002,供应商,1\n")
    assert circle == ["第 2 行：“张记水产”与“李氏干货”的这条关系会让货物循环流动"
                      "（甲供货给乙、乙又供货给甲），多半是导出时两列对调了：请核对。"]


def test_branchlink_chains_imports_views_and_makes_leads(app: Flask, tmp_path: Path) -> None:
    orgs_market(app)
    (tmp_path / "o.csv").write_text(ORGS_CSV + MORE_ORGS.split("\n", 1)[1].replace(
        ",商户,SH001,水产", ",,商户,,水产,SH001,,,").replace(
        ",生产企业,SH001,农业", ",,生产企业,,农业,SH001,,,"), "utf-8")
    assert invoke(app, "import", str(tmp_path / "o.csv"), group=orgs).exit_code == 0
    (tmp_path / "r.csv").write_text(RELATIONSHIPS, "gbk")
    assert "created 5" in invoke(app, "import", str(tmp_path / "r.csv"), group=chains).output
    view = json.loads(invoke(app, "view", "F001", group=chains).output)
    assert {n["code"] for n in view["nodes"]} == {"F001", "LOG01", "M002", "NEW1"}
    made = invoke(app, "leads", group=chains).output.splitlines()
    assert made[0].startswith("M002\tSH001-C1\t顺达物流有限公司的物流客户")
    assert made[-1] == "created 2, already open 0"
