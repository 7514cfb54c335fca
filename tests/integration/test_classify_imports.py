"""The bank's extracts import whole or not at all: CSV in UTF-8 or GBK, XLSX, matched through
keyed hashes, unmatched rows kept per branch, a month replaced when imported again."""

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from flask import Flask
from openpyxl import Workbook
from sqlalchemy import func, select

from bot.extracts import FileKeys
from bot.phone_cipher import PhoneCipher
from crm_core import services
from crm_core.model import (
    AuditEvent,
    ClassificationBatch,
    CustomerKey,
    OfflineProspect,
    utcnow,
)
from crm_core.queries.segments.compile import Moment
from crm_core.services.classification import ExtractFile, import_extract, parse_spec
from tests.classify_support import population, run_import, values, write
from tests.conftest import WEB_SECRET, runtime
from tests.segments_support import HEAD_OFFICE

NOV = date(2026, 11, 1)
BALANCES = ["客户号,手机号,网点,月日均资产",
            "6200000001,,,60000",
            ",13800000002,SH001,1200.50",
            ",13900000009,SH002,800000",
            "6299999999,,SH002,10"]


def test_balances_match_followers_by_customer_number_or_mobile(app: Flask,
                                                                tmp_path: Path) -> None:
    population(app)
    result = run_import(app, write(tmp_path, "nov.csv", BALANCES), "balances", "2026-11")
    assert result.exit_code == 0, result.output
    assert "matched 2" in result.output and "not yet on WeChat 2" in result.output
    assert values(app, "aum", NOV) == {"o-wang": {"aum"}, "o-li": {"aum"}}
    with runtime(app).uow() as uow:
        prospects = [(p.masked_phone or "", p.key_hash) for p in uow.session.scalars(  # type: ignore[attr-defined]
            select(OfflineProspect))]
        audit = list(uow.session.scalars(select(AuditEvent.subject).where(  # type: ignore[attr-defined]
            AuditEvent.action == "classify_import")))
    assert sorted(masked for masked, _ in prospects) == ["", "139****0009"]
    assert all(len(key) == 64 for _, key in prospects)
    assert audit == ["balances:2026-11"]


def test_a_gbk_file_imports_like_utf8(app: Flask, tmp_path: Path) -> None:
    population(app)
    lines = ["客户号,手机号,单位", "6200000001,,上海市第一人民医院", ",13800000003,浦东新区教育局"]
    result = run_import(app, write(tmp_path, "单位.csv", lines, "gbk"), "employers", "2026-11")
    assert result.exit_code == 0, result.output
    assert values(app, "employer", NOV) == {"o-wang": {"上海市第一人民医院"},
                                            "o-zhao": {"浦东新区教育局"}}


def test_an_xlsx_list_imports_its_members(app: Flask, tmp_path: Path) -> None:
    population(app)
    book = Workbook()
    sheet = book.active
    for row in (["客户号", "手机号"], [6200000002, None], [None, "138 0000 0003"]):
        sheet.append(row)
    book.save(tmp_path / "新市民.xlsx")
    result = run_import(app, tmp_path / "新市民.xlsx", "list:新市民", "2026-11")
    assert result.exit_code == 0, result.output
    assert values(app, "group") == {"o-li": {"新市民"}, "o-zhao": {"新市民"}}


def test_one_bad_row_and_nothing_is_applied_with_every_bad_row_reported(
        app: Flask, tmp_path: Path) -> None:
    population(app)
    assert run_import(app, write(tmp_path, "a.csv", BALANCES), "balances", "2026-11"
                      ).exit_code == 0
    bad = ["客户号,手机号,网点,月日均资产", "6200000001,,,1", "6200000001,,,2", "62-01,,,3",
           ",13800000002,,-5", ",13800000003,,abc", ",13800000003,SH999,4", "6200000009,,,9"]
    result = run_import(app, write(tmp_path, "bad.csv", bad), "balances", "2026-11")
    assert result.exit_code != 0
    for line, words in [(4, "客户号“62-01”格式不对"), (5, "负数"), (6, "不是金额"),
                        (7, "SH999")]:
        assert f"第 {line} 行：" in result.output and words in result.output
    assert "第 3 行：这一行的客户与第 2 行重复" in result.output
    assert values(app, "aum", NOV) == {"o-wang": {"aum"}, "o-li": {"aum"}}
    with runtime(app).uow() as uow:
        batches = list(uow.session.scalars(select(ClassificationBatch.status)))  # type: ignore[attr-defined]
    assert batches == ["accepted", "refused"]


def test_a_wrong_header_bad_month_or_unreadable_encoding_is_refused(
        app: Flask, tmp_path: Path) -> None:
    population(app)
    header = run_import(app, write(tmp_path, "h.csv", ["客户号,金额", "6200000001,1"]),
                        "balances", "2026-11")
    assert "表头不对：缺少列 aum，多出列 金额" in header.output
    month = run_import(app, write(tmp_path, "m.csv", BALANCES), "balances", "2026-13")
    assert "月份“2026-13”写法不对" in month.output
    latin = tmp_path / "x.csv"
    latin.write_bytes("客户号,月日均资产\n".encode("utf-16"))
    assert "无法识别文件的编码" in run_import(app, latin, "balances", "2026-11").output


def test_importing_a_month_again_replaces_it(app: Flask, tmp_path: Path) -> None:
    population(app)
    path = write(tmp_path, "nov.csv", BALANCES)
    for _ in range(2):
        assert run_import(app, path, "balances", "2026-11").exit_code == 0
    assert run_import(app, write(tmp_path, "nov2.csv", ["客户号,月日均资产", "6200000002,5"]),
                      "balances", "2026-11").exit_code == 0
    assert values(app, "aum", NOV) == {"o-li": {"aum"}}
    with runtime(app).uow() as uow:
        kept = uow.session.scalar(select(func.count()).select_from(  # type: ignore[attr-defined]
            OfflineProspect))
    assert kept == 0


def test_a_mapping_records_customer_numbers_of_followers_found_by_mobile(
        app: Flask, tmp_path: Path) -> None:
    population(app)
    mapping = ["客户号,手机号", "6200000003,13800000003", "6200000077,13900000077"]
    assert run_import(app, write(tmp_path, "map.csv", mapping), "mapping", "2026-11"
                      ).exit_code == 0
    with runtime(app).uow() as uow:
        keys = uow.session.scalar(select(func.count()).select_from(  # type: ignore[attr-defined]
            CustomerKey))
    assert keys == 3
    result = run_import(app, write(tmp_path, "m.csv", ["客户号,月日均资产", "6200000003,70000"]),
                        "balances", "2026-11")
    assert "matched 1" in result.output
    assert values(app, "aum", NOV) == {"o-zhao": {"aum"}}


def test_an_import_cut_off_midway_leaves_the_previous_month_intact(
        app: Flask, tmp_path: Path) -> None:
    population(app)
    assert run_import(app, write(tmp_path, "nov.csv", BALANCES), "balances", "2026-11"
                      ).exit_code == 0

    def rows_then_cut() -> Iterator[tuple[int, list[str]]]:
        yield 2, ["6200000002", "5"]
        raise ConnectionResetError("the upload was cut off")

    extract = ExtractFile("cut.csv", "0" * 64, ["客户号", "月日均资产"], rows_then_cut())
    with runtime(app).uow() as uow, pytest.raises(ConnectionResetError):
        import_extract(uow, parse_spec("balances", "2026-11"), extract,  # type: ignore[arg-type]
                       FileKeys(PhoneCipher(WEB_SECRET)), "test", utcnow())
    assert values(app, "aum", NOV) == {"o-wang": {"aum"}, "o-li": {"aum"}}
    assert values(app, "tier", date(2026, 12, 1)) == {"o-wang": {"potential"},
                                                      "o-li": {"mass"}}


def test_mobile_banking_activity_imports_and_a_segment_counts_the_active(
        app: Flask, tmp_path: Path) -> None:
    population(app)
    lines = ["客户号,手机银行月活,交易笔数", "6200000001,是,12", "6200000002,否,0"]
    result = run_import(app, write(tmp_path, "mobile.csv", lines), "mobile", "2026-11")
    assert result.exit_code == 0, result.output
    assert values(app, "mobile", NOV) == {"o-wang": {"active"}, "o-li": {"inactive"}}
    now = utcnow()
    with runtime(app).uow() as uow:
        count = services.segments.count_rule(
            uow, HEAD_OFFICE, {"dim": "mobile", "op": "in", "value": ["active"]},
            Moment(now, now.date()))
    assert count.members == 1


def test_a_mobile_row_that_is_neither_yes_nor_no_is_refused_with_its_line(
        app: Flask, tmp_path: Path) -> None:
    population(app)
    lines = ["客户号,手机银行月活,交易笔数", "6200000001,也许,1", "6200000002,是,-3"]
    result = run_import(app, write(tmp_path, "mobile.csv", lines), "mobile", "2026-11")
    assert result.exit_code != 0
    assert "第 2 行：" in result.output and "“是”或“否”" in result.output
    assert "第 3 行：" in result.output and "不是笔数" in result.output
    assert values(app, "mobile", NOV) == {}
