"""CSV exports of the leads and customers lists: who may, what goes out, and the audit."""

import csv
import io

from flask import Flask
from sqlalchemy import select

from crm_core.model import AuditEvent
from tests.conftest import runtime
from tests.console_support import login, populate
from tests.lists_support import CROWD, PHONE, crowd


def test_a_branch_head_exports_the_filtered_leads_as_csv_for_excel_masked_and_audited(
        app: Flask) -> None:
    populate(runtime(app))
    crowd(runtime(app))
    client = app.test_client()
    login(client, "head")
    response = client.get("/console/leads.csv?manager=SH001-01&status=all")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    assert response.data.startswith(b"\xef\xbb\xbf")  # UTF-8 with BOM: Excel reads it
    rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))
    assert rows[0][:3] == ["编号", "客户", "手机"] and len(rows) == 1 + CROWD + 1
    named = next(row for row in rows if row[1] == "王小明")
    assert named[2] == "*******" + PHONE[-4:] and PHONE not in response.data.decode()
    assert named[4] == "稳享理财1号"
    with runtime(app).engine.connect() as connection:
        event = connection.execute(select(AuditEvent.actor, AuditEvent.detail).where(
            AuditEvent.action == "leads_exported")).one()
    assert event.actor == "head" and event.detail["rows"] == CROWD + 1
    assert event.detail["filters"] == {"manager": "SH001-01", "status": "all"}


def test_customers_export_follows_the_search_and_managers_may_not_export(app: Flask) -> None:
    populate(runtime(app))
    crowd(runtime(app), 3)
    head = app.test_client()
    login(head, "head")
    rows = list(csv.reader(io.StringIO(
        head.get(f"/console/customers.csv?q={PHONE}").data.decode("utf-8-sig"))))
    assert [row[1] for row in rows[1:]] == ["王小明"]
    manager = app.test_client()
    login(manager, "m1")
    assert manager.get("/console/customers.csv").status_code == 403
    assert manager.get("/console/leads.csv").status_code == 403
    assert 'id="export"' not in manager.get("/console/leads").text
    with runtime(app).engine.connect() as connection:
        actions = connection.scalars(select(AuditEvent.action).where(
            AuditEvent.action.like("%exported"))).all()
    assert actions == ["customers_exported"]
