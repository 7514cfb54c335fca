"""`branchlink scorecards`: a GBK extract and an Excel workbook imported, the month run,
approved and refused afterwards, and the payroll file written with its deferral."""

from pathlib import Path

from flask import Flask
from sqlalchemy import select

from bot.cli.scorecards import scorecards
from bot.worker import jobs
from crm_core.model import ManagerRole, local_date, utcnow
from crm_core.model.performance import PerformanceMonth
from crm_core.queries import performance as views
from crm_core.services.performance import add_months
from tests.conftest import APP_ID, TOKEN, WEB_SECRET, runtime
from tests.integration.test_demo_seed import seed
from tests.integration.test_orgs_cli import workbook
from tests.integration.test_product_import import invoke
from tests.organisation_support import staff_market
from tests.performance_support import BOOK, HEADER


def market(app: Flask) -> None:
    with runtime(app).uow() as uow:
        staff_market(uow)
        uow.commit()


def test_a_month_is_imported_run_approved_and_exported_for_payroll(
        app: Flask, tmp_path: Path) -> None:
    market(app)
    (tmp_path / "book.csv").write_bytes(BOOK.encode("gbk"))
    result = invoke(app, "import", str(tmp_path / "book.csv"), "--month", "2026-11",
                    group=scorecards)
    assert result.exit_code == 0, result.output
    assert "rows 4" in result.output
    assert "cards 2" in invoke(app, "run", "--month", "2026-11", group=scorecards).output
    shown = invoke(app, "show", "--month", "2026-11", "--manager", "SH001-W1", group=scorecards)
    assert '"profit": "2633.33"' in shown.output
    assert invoke(app, "approve", "--month", "2026-11", group=scorecards).exit_code == 0
    again = invoke(app, "run", "--month", "2026-11", group=scorecards)
    assert again.exit_code == 1
    assert "2026-11 的考核已经总行审批冻结" in again.output
    out = tmp_path / "payroll.csv"
    paid = invoke(app, "payroll", "--month", "2026-11", "--out", str(out), group=scorecards)
    assert paid.exit_code == 0, paid.output
    text = out.read_bytes().decode("utf-8-sig")
    assert text.splitlines()[0].startswith("客户经理代码,姓名,网点,条线,考核得分")


def test_a_workbook_with_a_bad_row_is_refused_whole_in_chinese(
        app: Flask, tmp_path: Path) -> None:
    market(app)
    (tmp_path / "book.xlsx").write_bytes(workbook(
        HEADER + "10000001,SH001-W1,存款,1000,1.5,2.5,,,,\n10000002,SH001-W1,存款,1000,1.5,30,,,,"))
    result = invoke(app, "import", str(tmp_path / "book.xlsx"), "--month", "2026-11",
                    group=scorecards)
    assert result.exit_code == 1
    assert "第 3 行：FTP利率“30”超出范围（0%–15%）" in result.output
    assert "cards 0" in invoke(app, "run", "--month", "2026-11", group=scorecards).output


def test_the_clock_job_runs_last_month_as_a_draft_and_leaves_a_frozen_month_alone(
        app: Flask, tmp_path: Path) -> None:
    market(app)
    settings = runtime(app).settings
    config = tmp_path / "worker.toml"
    config.write_text(f'[wechat]\napp_id = "{APP_ID}"\ntoken = "{TOKEN}"\n'
                      f'[database]\nurl = "{settings.database.url}"\n'
                      f'[web]\nsecret_key = "{WEB_SECRET}"\n'
                      f'[webhook]\nspool_dir = "{tmp_path / "spool"}"\n', encoding="utf-8")
    month = add_months(local_date(utcnow(), "Asia/Shanghai").replace(day=1), -1)
    (tmp_path / "book.csv").write_text(BOOK, encoding="utf-8")
    invoke(app, "import", str(tmp_path / "book.csv"), "--month", f"{month:%Y-%m}",
           group=scorecards)
    try:
        assert jobs.run_scorecards(str(config)) == 2
        invoke(app, "approve", "--month", f"{month:%Y-%m}", group=scorecards)
        assert jobs.run_scorecards(str(config)) == 0
    finally:
        jobs._runtime(str(config)).engine.dispose()


def test_the_demo_seed_shows_three_months_of_cards_two_of_them_frozen(app: Flask) -> None:
    first = seed(app)
    assert first.exit_code == 0, first.output
    assert "demo scorecards: 18 cards computed over three months" in first.output
    again = seed(app)
    assert "demo scorecards: 6 cards computed" in again.output  # the draft month alone
    with runtime(app).uow() as uow:
        states = [m.state.value for m in uow.session.scalars(select(PerformanceMonth)
                                                              .order_by(PerformanceMonth.month))]
        assert states == ["frozen", "frozen", "draft"]
        latest = uow.session.scalars(select(PerformanceMonth.month)
                                     .order_by(PerformanceMonth.month.desc())).first()
        assert latest is not None
        wealth = views.league(uow, latest, ManagerRole.WEALTH)
        assert [row.manager_name for row in wealth] == ["张伟"] and wealth[0].profit > 0


TEMPLATE = """
[[lines]]
metric = "profit"
weight = 60
target = 10000
[[lines]]
metric = "fees"
weight = 30
method = "rank"
"""


def test_head_office_saves_a_template_version_and_a_bad_one_is_refused(
        app: Flask, tmp_path: Path) -> None:
    market(app)
    (tmp_path / "wealth.toml").write_text(TEMPLATE, encoding="utf-8")
    short = invoke(app, "template", "--role", "wealth", "--file", str(tmp_path / "wealth.toml"),
                   group=scorecards)
    assert short.exit_code == 1 and "权重合计须为 100，现在是 90" in short.output
    (tmp_path / "wealth.toml").write_text(TEMPLATE.replace("60", "70"), encoding="utf-8")
    saved = invoke(app, "template", "--role", "wealth", "--file", str(tmp_path / "wealth.toml"),
                   group=scorecards)
    assert saved.exit_code == 0, saved.output
    assert "version 1" in saved.output
    again = invoke(app, "template", "--role", "wealth", "--file", str(tmp_path / "wealth.toml"),
                   group=scorecards)
    assert "version 2" in again.output  # a change is a new version, never an edit
    shown = invoke(app, "template", "--role", "wealth", group=scorecards)
    assert '"version": 2' in shown.output and '"metric": "profit"' in shown.output
