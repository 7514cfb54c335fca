"""Catalogue and risk imports: validated, all or nothing, every version kept."""

from pathlib import Path

import click
import pytest
from click.testing import CliRunner
from sqlalchemy import func, select

from bot.cli.base import Cli
from bot.cli.customers import customers
from bot.cli.products import products
from crm_core import services
from crm_core.model import Product, ProductVersion, RiskAssessment, utcnow
from crm_core.services import ImportRejected, read_rows
from tests.builders import org
from tests.conftest import runtime
from tests.product_support import catalogue_text, import_sample

HEADER = "code,name,category,risk,rate,term,summary,branches,sale_start,sale_end,private"
GOOD = "WM101,稳益180天,理财,R2,2.9%,180天,固收类理财,,,,false"


@pytest.fixture
def seeded(app):  # type: ignore[no-untyped-def]
    with runtime(app).uow() as uow:
        org(uow, {"SH001": ["SH001-01"], "SH002": ["SH002-01"]})
        uow.commit()
    return app


def count(app, model) -> int:  # type: ignore[no-untyped-def]
    with runtime(app).engine.connect() as connection:
        return int(connection.scalar(select(func.count()).select_from(model)) or 0)


def import_csv(app, text: str):  # type: ignore[no-untyped-def]
    with runtime(app).uow() as uow:
        report = services.import_products(uow, read_rows(text, "csv", "product"), "t.csv",
                                          utcnow())
        uow.commit()
    return report


@pytest.mark.parametrize(("row", "reason"), [
    ("WM102,稳益,理财,R2,2.9%,180天,本产品保本保息,,,,false", "banned phrase '保本' in summary"),
    ("WM102,高收益精选,理财,R2,2.9%,180天,固收类,,,,false", "banned phrase '高收益' in name"),
    ("WM102,稳益,理财,R6,2.9%,180天,固收类,,,,false", "risk 'R6' must be R1 to R5"),
    ("WM102,稳益,黄金,R2,2.9%,180天,固收类,,,,false", "category '黄金' is not one of"),
    ("WM102,,理财,R2,2.9%,180天,固收类,,,,false", "name is required"),
    ("W!,稳益,理财,R2,2.9%,180天,固收类,,,,false", "code 'W!' must be"),
    ("WM102,稳益,理财,R2,2.9%,180天,固收类,ZZ999,,,false", "unknown branch 'ZZ999'"),
    ("WM102,稳益,理财,R2,2.9%,180天,固收类,,2026-13-01,,false", "sale_start '2026-13-01'"),
    ("WM102,稳益,理财,R2,2.9%,180天,固收类,,2026-05-01,2026-04-01,false",
     "sale_end is before sale_start"),
    ("WM102,稳益,理财,R2,2.9%,180天,固收类,,,,maybe", "private 'maybe' must be true or false"),
    ("LN102,车贷,贷款,R1,,3年,汽车贷款,,,,false", "rate is required for loans"),
    ("WM101,稳益重复,理财,R2,2.9%,180天,固收类,,,,false", "code WM101 repeats line 2"),
])
def test_each_kind_of_bad_row_is_reported_with_its_line_and_nothing_is_imported(
        seeded, row: str, reason: str) -> None:
    with pytest.raises(ImportRejected) as rejected:
        import_csv(seeded, f"{HEADER}\n{GOOD}\n{row}\n")
    assert [(e.line, reason in e.reason) for e in rejected.value.errors] == [(3, True)], \
        rejected.value.errors
    assert count(seeded, Product) == 0 and count(seeded, ProductVersion) == 0


def test_every_bad_row_is_reported_not_only_the_first(seeded) -> None:
    text = f"{HEADER}\n保证收益X,保证收益,理财,R2,,,x,,,,\n{GOOD}\nWM9,无风险,理财,R9,,,x,,,,\n"
    with pytest.raises(ImportRejected) as rejected:
        import_csv(seeded, text)
    assert [e.line for e in rejected.value.errors] == [2, 4]


def test_a_changed_product_gets_a_new_version_and_the_old_one_is_kept(seeded) -> None:
    assert import_csv(seeded, f"{HEADER}\n{GOOD}\n").created == ["WM101"]
    again = import_csv(seeded, f"{HEADER}\n{GOOD}\n")
    assert (again.updated, again.unchanged) == ([], 1)
    changed = import_csv(seeded, f"{HEADER}\n{GOOD.replace('2.9%', '2.7%')}\n")
    assert changed.updated == ["WM101"]
    with runtime(seeded).uow() as uow:
        assert services.product_version(uow, "WM101", 1)["rate"] == "2.9%"
        assert services.product_version(uow, "WM101", 2)["rate"] == "2.7%"
        assert services.product_card(uow, "WM101").version == 2  # type: ignore[union-attr]


def test_toml_import_reports_the_line_of_the_bad_entry(seeded) -> None:
    text = ('[[product]]\ncode = "WM201"\nname = "稳益"\ncategory = "理财"\nrisk = "R2"\n'
            'summary = "固收"\n\n[[product]]\ncode = "WM202"\nname = "稳赚宝"\n'
            'category = "理财"\nrisk = 2\nsummary = "稳赚不赔"\n')
    with pytest.raises(ImportRejected) as rejected:
        read_and_import = read_rows(text, "toml", "product")
        with runtime(seeded).uow() as uow:
            services.import_products(uow, read_and_import, "t.toml", utcnow())
    assert [(e.line, e.reason) for e in rejected.value.errors] == \
        [(8, "banned phrase '稳赚' in name")]


def test_the_cli_imports_the_sample_catalogue_and_refuses_a_bad_file(seeded,
                                                                     tmp_path: Path) -> None:
    good, bad = tmp_path / "products.csv", tmp_path / "bad.csv"
    good.write_text(catalogue_text(), encoding="utf-8")
    bad.write_text(f"{HEADER}\nWM9,无风险理财,理财,R2,,,x,,,,\n", encoding="utf-8")
    result = invoke(seeded, "import", str(good))
    assert result.exit_code == 0 and "created 33" in result.output, result.output
    refused = invoke(seeded, "import", str(bad))
    assert refused.exit_code == 1
    assert "第 2 行：“名称（name）”中含有违规用语“无风险”" in refused.output
    assert count(seeded, Product) == 33


def test_risk_import_checks_every_row_and_records_all_or_nothing(seeded) -> None:
    with runtime(seeded).uow() as uow:
        services.follow(uow, "o-risk-1", "b:SH001", utcnow())
        import_sample(uow)
        uow.commit()
    bad = ("openid,level,assessed_on\no-risk-1,C3,2026-01-05\no-nobody,C2,2026-01-05\n"
           "o-risk-1,C9,2026-01-05\n,C1,2026-01-01\n")
    with runtime(seeded).uow() as uow, pytest.raises(ImportRejected) as rejected:
        services.import_risk_levels(uow, read_rows(bad, "csv", "assessment"), "r.csv",
                                    utcnow())
    assert [e.line for e in rejected.value.errors] == [3, 4, 5]
    assert count(seeded, RiskAssessment) == 0
    good = "openid,level,assessed_on\no-risk-1,C3,2026-01-05\n"
    with runtime(seeded).uow() as uow:
        services.import_risk_levels(uow, read_rows(good, "csv", "assessment"), "r.csv",
                                    utcnow())
        uow.commit()
    assert count(seeded, RiskAssessment) == 1


def test_the_cli_imports_risk_assessments_all_or_nothing_naming_the_file(seeded,
                                                                         tmp_path) -> None:
    with runtime(seeded).uow() as uow:
        services.follow(uow, "o-risk-2", "b:SH001", utcnow())
        uow.commit()
    bad, good = tmp_path / "bad.csv", tmp_path / "risk-2026-01.csv"
    bad.write_text("openid,level,assessed_on\no-risk-2,C3,2026-01-05\no-risk-2,C9,2026-01-05\n")
    good.write_text("openid,level,assessed_on\no-risk-2,C4,2026-01-05\n")

    refused = invoke(seeded, "import-risk", str(bad), group=customers)
    done = invoke(seeded, "import-risk", str(good), group=customers)

    assert refused.exit_code == 1 and "整个文件都没有导入" in refused.output
    assert "第 3 行：“客户微信标识（openid）”“o-risk-2”在文件中出现了不止一次" in refused.output
    assert done.exit_code == 0 and "recorded 1 assessment(s)" in done.output
    with runtime(seeded).engine.connect() as connection:
        assert connection.execute(select(RiskAssessment.level, RiskAssessment.source)).all() == [
            (4, "import:risk-2026-01.csv")]


def invoke(app, *args: str, group: click.Group = products):  # type: ignore[no-untyped-def]
    """Run a `branchlink` command group on the app's own runtime (no second engine)."""
    cli = Cli(None)
    cli.__dict__["runtime"] = runtime(app)
    cli.__dict__["settings"] = runtime(app).settings
    return CliRunner().invoke(group, list(args), obj=cli)
