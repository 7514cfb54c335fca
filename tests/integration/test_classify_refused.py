"""A refused extract is kept on record: a batch with status refused, its row errors in Chinese
with every number masked, audited, listed by the API and the console; nothing of it applied."""

import io
from datetime import date
from pathlib import Path

from flask import Flask
from sqlalchemy import select

from crm_core.model import AuditEvent, BatchStatus, ClassificationBatch
from tests.classify_support import population, run_import, values, write
from tests.conftest import runtime
from tests.console_support import login
from tests.integration.test_segments_web import bearer, world

NOV = date(2026, 11, 1)


def _batches(app: Flask) -> list[ClassificationBatch]:
    with runtime(app).uow() as uow:
        found = list(uow.session.scalars(  # type: ignore[attr-defined]
            select(ClassificationBatch).order_by(ClassificationBatch.id)))
        uow.session.expunge_all()  # type: ignore[attr-defined]
    return found


def test_a_refused_cli_import_is_stored_masked_and_audited_and_nothing_is_applied(
        app: Flask, tmp_path: Path) -> None:
    population(app)
    bad = ["客户号,手机号,网点,月日均资产", "6200000001,,,60000", "6200000001-9,,,1",
           ",13800000002,,-5"]
    result = run_import(app, write(tmp_path, "坏文件.csv", bad), "balances", "2026-11")
    assert result.exit_code != 0 and "第 3 行：" in result.output
    [batch] = _batches(app)
    assert (batch.status, batch.kind, batch.month, batch.filename) == (
        BatchStatus.REFUSED, "balances", NOV, "坏文件.csv")
    assert (batch.rows, batch.error_count, batch.matched, batch.staff) == (3, 2, 0, "cli")
    assert [e["line"] for e in batch.errors or []] == [3, 4]
    stored = " ".join(e["reason"] for e in batch.errors or [])
    assert "客户号“******0001-9”格式不对" in stored and "负数" in stored
    assert "6200000001" not in stored
    assert values(app, "aum", NOV) == {} and values(app, "tier") == {}
    with runtime(app).uow() as uow:
        subject, detail = uow.session.execute(  # type: ignore[attr-defined]
            select(AuditEvent.subject, AuditEvent.detail).where(
                AuditEvent.action == "classify_import_refused")).one()
    assert subject == "balances:2026-11" and detail["errors"] == 2


def test_a_refused_batch_keeps_its_first_errors_and_counts_them_all(
        app: Flask, tmp_path: Path) -> None:
    population(app)
    lines = ["客户号,月日均资产"] + [f"62000000{n:02d},abc" for n in range(30)]
    assert run_import(app, write(tmp_path, "many.csv", lines), "balances", "2026-11"
                      ).exit_code != 0
    [batch] = _batches(app)
    assert (batch.rows, batch.error_count, len(batch.errors or [])) == (30, 30, 20)


def test_the_api_and_the_console_list_a_refused_upload_beside_the_accepted(
        app: Flask) -> None:
    _, tokens = world(app)
    client = app.test_client()
    bad = "客户号,手机号,网点,月日均资产\n6200000001,,SH001,-5\n,13800000002,SH001,1\n" \
          ",1380000000x,SH001,2\n"
    refused = client.post("/api/v1/classification/imports", headers=bearer(tokens["admin"]),
                          data={"kind": "balances", "month": "2026-12",
                                "file": (io.BytesIO(bad.encode()), "12月.csv")})
    assert refused.status_code == 422
    listed = client.get("/api/v1/classification/batches", headers=bearer(tokens["admin"]))
    newest = listed.json["batches"][0]
    assert (newest["status"], newest["status_text"], newest["filename"]) == (
        "refused", "已拒绝（未导入任何行）", "12月.csv")
    assert (newest["rows"], newest["error_count"], newest["staff"]) == (3, 2, "admin")
    assert [e["line"] for e in newest["errors"]] == [2, 4]
    assert "手机号" in newest["errors"][1]["reason"]
    assert {b["status"] for b in listed.json["batches"][1:]} == {"accepted"}
    assert login(client, "admin").status_code == 302
    page = client.get("/console/classification").text
    row = page[page.index('data-status="refused"'):]
    assert "已拒绝" in row[:2000] and "12月.csv" in row[:2000] and "第 4 行" in row[:3000]
