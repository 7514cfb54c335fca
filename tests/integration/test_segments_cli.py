"""`branchlink segments count|snapshot|export`: the console's figures, from the command line."""

import json
from pathlib import Path

from click.testing import CliRunner, Result
from flask import Flask

from bot.cli.base import Cli
from bot.cli.demo_segments import SEGMENTS
from bot.cli.main import demo
from bot.cli.segments import segments
from crm_core import services
from crm_core.model import utcnow
from tests.conftest import runtime
from tests.segments_support import HEAD_OFFICE, populate_segments

NEW_CITIZENS = {"dim": "group", "op": "member", "value": "新市民"}


def run(app: Flask, args: list[str]) -> Result:
    """Run `branchlink segments ARGS` on the app's own runtime."""
    cli = Cli(None)
    cli.__dict__["runtime"], cli.__dict__["settings"] = runtime(app), runtime(app).settings
    return CliRunner().invoke(segments, args, obj=cli)


def saved(app: Flask) -> int:
    with runtime(app).uow() as uow:
        populate_segments(uow)  # type: ignore[arg-type]
        card = services.segments.create_segment(uow, HEAD_OFFICE, "新市民", NEW_CITIZENS,  # type: ignore[arg-type]
                                                utcnow())
        uow.commit()
    return card.id


def test_count_snapshot_and_export_a_saved_segment(app: Flask, tmp_path: Path) -> None:
    segment = saved(app)
    counted = run(app, ["count", str(segment)])
    assert json.loads(counted.output) == {"members": 4, "excluded": 1, "profiling": ["group"]}
    frozen = run(app, ["snapshot", str(segment)])
    assert frozen.exit_code == 0 and "4 members, 1 left out" in frozen.output
    out = tmp_path / "members.csv"
    exported = run(app, ["export", str(segment), "--out", str(out)])
    assert exported.exit_code == 0, exported.output
    lines = out.read_text(encoding="utf-8-sig").splitlines()
    assert lines[0].startswith("编号,客户,手机") and len(lines) == 5


def test_a_faulty_rule_is_refused_in_chinese_with_its_path(app: Flask) -> None:
    saved(app)
    refused = run(app, ["count", "--rule", json.dumps({"not": {"dim": "tier", "op": "gt",
                                                               "value": 1}})])
    assert refused.exit_code == 1
    assert "$.not.op" in refused.output and "不支持比较方式" in refused.output


def test_the_demo_seeds_segments_that_count_its_customers(app: Flask) -> None:
    cli = Cli(None)
    cli.__dict__["runtime"], cli.__dict__["settings"] = runtime(app), runtime(app).settings
    assert CliRunner().invoke(demo, ["seed"], obj=cli).exit_code == 0
    listed = [json.loads(line) for line in run(app, ["list"]).output.splitlines()]
    assert len(listed) == len(SEGMENTS)
    lists = next(s for s in listed if s["rule"]["all"][0]["dim"] == "group")
    assert json.loads(run(app, ["count", str(lists["id"])]).output)["members"] > 0
