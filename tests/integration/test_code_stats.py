"""Channel statistics from touches the real webhook recorded, per Shanghai day."""

from datetime import datetime
from urllib.parse import urlencode

import pytest
from click.testing import CliRunner

from bot.cli.base import Cli
from bot.cli.codes import codes
from bot.wechat.simulator import Platform
from crm_core import services
from tests.builders import event_xml, org, subscribe_xml
from tests.conftest import runtime

# 23:30 on 1 December in Shanghai, then 00:30 on the 2nd.
EVENING = datetime(2026, 12, 1, 15, 30)
AFTER_MIDNIGHT = datetime(2026, 12, 1, 16, 30)


def deliver(app, platform: Platform, xml: str, monkeypatch: pytest.MonkeyPatch,  # type: ignore[no-untyped-def]
            at: datetime) -> None:
    monkeypatch.setattr("bot.inbound.utcnow", lambda: at)
    signed = platform.sign(xml, "safe")
    response = app.test_client().post(f"/wechat?{urlencode(signed.query)}", data=signed.body)
    assert response.status_code == 200


@pytest.fixture
def touched(app, platform: Platform, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    with runtime(app).uow() as uow:
        org(uow, {"SH001": ["SH001-01"], "BJ001": ["BJ001-01"]})
        uow.commit()
    deliver(app, platform, subscribe_xml("o1", "b:SH001"), monkeypatch, EVENING)
    deliver(app, platform, subscribe_xml("o2", "m:SH001-01;c:XMAS"), monkeypatch, AFTER_MIDNIGHT)
    deliver(app, platform, event_xml("o1", "SCAN", "m:SH001-01;c:XMAS"), monkeypatch,
            AFTER_MIDNIGHT)
    deliver(app, platform, subscribe_xml("o3", "m:BJ001-01"), monkeypatch, AFTER_MIDNIGHT)
    return app


def test_follows_and_scans_are_counted_per_local_day_and_code(touched) -> None:  # type: ignore[no-untyped-def]
    with runtime(touched).uow() as uow:
        rows = services.channel_stats(uow, branch="SH001")
    assert [(r["day"], r["code"], r["manager"], r["campaign"], r["follows"], r["scans"])
            for r in rows] == [
        ("2026-12-01", "b:SH001", None, None, 1, 0),
        ("2026-12-02", "m:SH001-01;c:XMAS", "SH001-01", "XMAS", 1, 1)]


def test_stats_command_prints_json_per_branch_and_a_table(touched) -> None:  # type: ignore[no-untyped-def]
    cli = Cli(None)
    cli.__dict__["runtime"] = runtime(touched)
    args = ["stats", "--by", "branch", "--since", "2026-12-02", "--json"]
    result = CliRunner().invoke(codes, args, obj=cli)
    assert result.exit_code == 0, result.output
    assert '"branch": "BJ001"' in result.output and '"2026-12-01"' not in result.output
    table = CliRunner().invoke(codes, ["stats", "--by", "campaign"], obj=cli).output
    assert table.splitlines()[0].split() == ["day", "campaign", "follows", "scans"]
    assert "XMAS" in table
