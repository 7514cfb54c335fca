"""`branchlink scorecards complaint|verdict|complaints|override` and `staff line`: a complaint
recorded and judged from the command line deducts on the month's card; a head-office account
is put on the wealth line."""

from datetime import date

from flask import Flask
from sqlalchemy import select

from bot.cli.scorecard_registers import scorecards
from crm_core.model import AuditEvent, Product
from tests.conftest import runtime
from tests.integration.test_product_import import invoke
from tests.integration.test_staff_cli import PASSWORD, run
from tests.organisation_support import staff_market
from tests.performance_support import BOOK


def market(app: Flask) -> None:
    with runtime(app).uow() as uow:
        staff_market(uow, "boss-zhang")
        uow.session.add(Product(code="FD001", name="进取混合基金", category="基金",
                                risk_level=4, summary="高波动"))
        uow.commit()


def test_a_complaint_recorded_and_substantiated_deducts_on_the_months_card(
        app: Flask, tmp_path: object) -> None:
    market(app)
    made = invoke(app, "complaint", "--customer", "boss-zhang", "--manager", "SH001-W1",
                  "--on", "2026-11-20", "--channel", "phone", "--summary", "未讲清风险",
                  group=scorecards)
    assert made.exit_code == 0, made.output
    complaint_id = made.output.split()[-1]
    judged = invoke(app, "verdict", complaint_id, "--substantiated", "--reason", "录音证实",
                    group=scorecards)
    assert judged.output.strip() == f"complaint {complaint_id} substantiated"
    listed = invoke(app, "complaints", "--month", "2026-11", group=scorecards)
    assert "substantiated" in listed.output and "total 1" in listed.output
    book = tmp_path / "book.csv"  # type: ignore[operator]
    book.write_text(BOOK, encoding="utf-8")
    assert invoke(app, "import", str(book), "--month", "2026-11", group=scorecards).exit_code == 0
    assert invoke(app, "run", "--month", "2026-11", group=scorecards).exit_code == 0
    shown = invoke(app, "show", "--month", "2026-11", "--manager", "SH001-W1", group=scorecards)
    assert '"metric": "complaints"' in shown.output and '"score": "-5.00"' in shown.output


def test_an_override_is_refused_in_chinese_without_a_manager_it_could_be_about(
        app: Flask) -> None:
    market(app)
    refused = invoke(app, "override", "--customer", "boss-zhang", "--manager", "NOBODY",
                     "--product", "FD001", "--reason", "客户坚持购买", group=scorecards)
    assert refused.exit_code == 1
    assert "找不到客户经理代码“NOBODY”" in refused.output
    made = invoke(app, "override", "--customer", "boss-zhang", "--manager", "SH001-W1",
                  "--product", "FD001", "--on", date.today().isoformat(),
                  "--reason", "客户坚持购买，已签风险确认书", group=scorecards)
    assert made.exit_code == 0, made.output
    assert made.output.strip().endswith("C- < R4")


def test_a_head_office_account_is_put_on_the_wealth_line_and_audited(app: Flask) -> None:
    market(app)
    added = run(app, ["add", "wealth", "--name", "财富条线", "--role", "head_office", "--line",
                      "wealth", "--password-stdin"], PASSWORD + "\n")
    assert added.exit_code == 0, added.output
    refused = run(app, ["line", "nobody", "--line", "wealth"])
    assert refused.exit_code == 1
    assert run(app, ["line", "wealth", "--line", "none"]).exit_code == 0
    with runtime(app).uow() as uow:
        details = uow.session.scalars(select(AuditEvent.detail).where(
            AuditEvent.action == "staff_line").order_by(AuditEvent.id)).all()
    assert details == [{"line": "wealth", "previous_line": ""},
                       {"line": "", "previous_line": "wealth"}]
