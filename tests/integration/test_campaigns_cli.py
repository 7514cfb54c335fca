"""`branchlink campaigns`: a campaign drafted, submitted, approved by a second person, sent and
reported from the command line, each refusal said in Chinese."""

import json
from pathlib import Path

from click.testing import CliRunner, Result
from flask import Flask

from bot.cli.base import Cli
from bot.cli.campaigns import campaigns
from bot.cli.demo_campaigns import NAME
from bot.cli.main import demo
from tests.campaigns_support import draft, snapshot
from tests.conftest import runtime
from tests.segments_support import populate_segments


def run(app: Flask, args: list[str]) -> Result:
    """Run `branchlink campaigns ARGS` on the app's own runtime."""
    cli = Cli(None)
    cli.__dict__["runtime"], cli.__dict__["settings"] = runtime(app), runtime(app).settings
    return CliRunner().invoke(campaigns, args, obj=cli)


def drafted(app: Flask) -> int:
    """Draft a campaign as head office's `admin` (the CLI acts as another person)."""
    with runtime(app).uow() as uow:
        populate_segments(uow)  # type: ignore[arg-type]
        made = draft(uow, snapshot(uow))  # type: ignore[arg-type]
        uow.commit()
    return made


def test_a_campaign_is_submitted_approved_sent_and_reported(app: Flask) -> None:
    campaign = str(drafted(app))
    submitted = run(app, ["submit", campaign])
    assert json.loads(submitted.output)["planned"] == 7
    assert run(app, ["approve", campaign]).output.strip() == f"campaign {campaign}: approved"
    assert run(app, ["send", campaign]).output.strip() == f"campaign {campaign}: sending"
    again = run(app, ["send", campaign])
    assert again.exit_code == 1 and "不会重复发送" in again.output
    report = json.loads(run(app, ["report", campaign]).output)
    assert report["state"] == "sending" and report["audience"]["suppressed:no_route"] == 1
    assert run(app, ["pause", campaign]).output.strip() == f"campaign {campaign}: paused"
    assert run(app, ["cancel", campaign]).output.strip() == f"campaign {campaign}: cancelled"
    resumed = run(app, ["resume", campaign])
    assert resumed.exit_code == 1 and "已取消的活动不能恢复发送" in resumed.output


def test_create_refuses_a_template_channel_and_a_banned_phrase(app: Flask,
                                                               tmp_path: Path) -> None:
    drafted(app)
    text = tmp_path / "text.txt"
    text.write_text("本月开放日，欢迎咨询。", "utf-8")
    created = run(app, ["create", "--name", "开放日", "--snapshot", "1", "--content", str(text)])
    assert created.output.startswith("campaign 2: draft")
    template = run(app, ["create", "--name", "x", "--snapshot", "1", "--content", str(text),
                         "--channel", "template"])
    assert "模板消息只能用于服务通知" in template.output
    text.write_text("保证收益，欢迎咨询。", "utf-8")
    banned = run(app, ["create", "--name", "x", "--snapshot", "1", "--content", str(text)])
    assert "禁用表述“保证收益”" in banned.output
    listed = [json.loads(line) for line in run(app, ["list"]).output.splitlines()]
    assert [row["id"] for row in listed] == [2, 1]


def test_the_demo_seeds_a_campaign_waiting_for_approval(app: Flask) -> None:
    cli = Cli(None)
    cli.__dict__["runtime"], cli.__dict__["settings"] = runtime(app), runtime(app).settings
    assert CliRunner().invoke(demo, ["seed"], obj=cli).exit_code == 0
    assert CliRunner().invoke(demo, ["seed"], obj=cli).exit_code == 0  # idempotent
    listed = [json.loads(line) for line in run(app, ["list"]).output.splitlines()]
    assert [(row["name"], row["state"]) for row in listed] == [(NAME, "pending_approval")]
    report = json.loads(run(app, ["report", str(listed[0]["id"])]).output)
    assert report["audience"]["planned"] > 0


def test_an_imported_do_not_contact_list_suppresses_its_customers(app: Flask,
                                                                   tmp_path: Path) -> None:
    campaign = str(drafted(app))
    listed = tmp_path / "dnc.txt"
    listed.write_text("p1\np3\nnobody\n", "utf-8")
    imported = run(app, ["dnc-import", str(listed)])
    assert imported.output.splitlines()[0] == "2 do-not-contact added; 1 unknown openids"
    figures = json.loads(run(app, ["submit", campaign]).output)
    assert figures["suppressed:do_not_contact"] == 2
