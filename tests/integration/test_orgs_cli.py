"""`branchlink orgs` imports organisations from CSV in UTF-8 or GBK and from Excel workbooks,
lists and shows them; a bad file is refused row by row in Chinese and nothing is applied."""

import io
from pathlib import Path

from flask import Flask
from openpyxl import Workbook

from bot.cli.orgs import orgs
from crm_core.model import ManagerRole
from tests.conftest import runtime
from tests.integration.test_product_import import invoke
from tests.organisation_support import CONTACTS_CSV, MANAGERS, ORGS_CSV, staff_market


def market(app: Flask) -> None:
    with runtime(app).uow() as uow:
        staff_market(uow)
        uow.commit()


def workbook(text: str) -> bytes:
    book = Workbook()
    sheet = book.active
    for line in text.strip().splitlines():
        sheet.append(line.split(","))
    data = io.BytesIO()
    book.save(data)
    return data.getvalue()


def test_organisations_import_from_gbk_csv_and_are_listed(app: Flask, tmp_path: Path) -> None:
    market(app)
    path = tmp_path / "单位.csv"
    path.write_bytes(ORGS_CSV.encode("gbk"))
    result = invoke(app, "import", str(path), group=orgs)
    assert result.exit_code == 0, result.output
    assert "created 4" in result.output
    listed = invoke(app, "list", "--market", "江桥批发市场", group=orgs)
    assert [line.split("\t")[0] for line in listed.output.splitlines()] == [
        "code", "M001", "M002"]
    shown = invoke(app, "show", "log01", group=orgs)
    assert '"credit_code": "91350100M000100Y43"' in shown.output


def test_organisations_and_contacts_import_from_an_excel_workbook(
        app: Flask, tmp_path: Path) -> None:
    market(app)
    (tmp_path / "单位.xlsx").write_bytes(workbook(ORGS_CSV))
    (tmp_path / "联系人.xlsx").write_bytes(workbook(CONTACTS_CSV.replace("boss-zhang", "")))
    assert invoke(app, "import", str(tmp_path / "单位.xlsx"), group=orgs).exit_code == 0
    result = invoke(app, "contacts", str(tmp_path / "联系人.xlsx"), group=orgs)
    assert result.exit_code == 0, result.output
    assert "created 2" in result.output


def test_a_bad_row_in_a_workbook_is_named_by_its_sheet_row_and_nothing_is_applied(
        app: Flask, tmp_path: Path) -> None:
    market(app)
    path = tmp_path / "单位.xlsx"
    path.write_bytes(workbook(ORGS_CSV.replace("91440300708461136T", "91440300708461136U")))
    result = invoke(app, "import", str(path), group=orgs)
    assert result.exit_code == 1
    assert "第 5 行：统一社会信用代码“91440300708461136U”的最后一位校验码不对" in result.output
    assert "整个文件都没有导入" in result.output
    assert invoke(app, "list", "--json", group=orgs).output == ""


def test_a_file_that_is_no_workbook_is_refused_in_chinese(app: Flask, tmp_path: Path) -> None:
    path = tmp_path / "单位.xlsx"
    path.write_bytes(b"not a zip at all")
    result = invoke(app, "import", str(path), group=orgs)
    assert result.exit_code == 1 and "无法读取这个 Excel 工作簿" in result.output


def test_only_corporate_managers_may_own_an_organisation(app: Flask, tmp_path: Path) -> None:
    market(app)
    assert MANAGERS["SH001-01"][1] is ManagerRole.RETAIL
    path = tmp_path / "单位.csv"
    path.write_text(ORGS_CSV.replace("SH001,SH001-C1,是", "SH001,SH001-01,是"), "utf-8")
    result = invoke(app, "import", str(path), group=orgs)
    assert "第 2 行：“经理SH001-01”（SH001-01）不是对公客户经理" in result.output
