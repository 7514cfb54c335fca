"""`branchlink talk`: list, show, reply, assign, close, hours, quick replies and figures, acting
as a staff account so that the console's rules hold."""

from click.testing import CliRunner, Result
from flask import Flask

from bot.cli.base import Cli
from bot.cli.talk import talk_group
from crm_core.model import utcnow
from crm_core.services import conversations as talk
from tests.conftest import runtime
from tests.talk_support import C1, open_for, populate


def run(app: Flask, *args: str) -> Result:
    cli = Cli(None)
    cli.__dict__["runtime"], cli.__dict__["settings"] = runtime(app), runtime(app).settings
    return CliRunner().invoke(talk_group, list(args), obj=cli)


def test_a_conversation_is_worked_from_the_terminal(app: Flask) -> None:
    populate(runtime(app))
    conversation = str(open_for(runtime(app), C1))
    with runtime(app).uow() as uow:
        talk.customer_message(uow, C1, "text", "您好", None, utcnow())
        uow.commit()
    listed = run(app, "list", "--as", "m1", "--json")
    assert listed.exit_code == 0 and f'"id": {conversation}' in listed.output
    banned = run(app, "reply", conversation, "保本保息", "--as", "m1")
    assert banned.exit_code == 1 and "违规用语“保本”" in banned.output
    assert run(app, "reply", conversation, "您好，请讲。", "--as", "m1").output == "已发送。\n"
    assert run(app, "show", conversation, "--as", "m2").exit_code == 1  # not m2's customer
    shown = run(app, "show", conversation, "--as", "m1")
    assert "您好，请讲。" in shown.output
    assert run(app, "assign", conversation, "--as", "m1", "--to", "agent").exit_code == 0
    assert run(app, "close", conversation, "--as", "agent").exit_code == 0
    assert run(app, "hours", "SH001", "123456", "09:00", "17:30").exit_code == 0
    assert run(app, "hours", "SH001", "89", "09:00", "17:30").exit_code == 1
    assert run(app, "canned-add", "问候", "您好，很高兴为您服务。").exit_code == 0
    figures = run(app, "figures", "--json")
    assert '"username": "agent"' in figures.output and '"answered": 1' in figures.output
