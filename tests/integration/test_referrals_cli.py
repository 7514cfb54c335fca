"""`branchlink referrals` registers referrals, takes the receiver's steps, imports outcomes
(all rows or none) and prints a referrer's record."""

import json
from pathlib import Path

from flask import Flask

from bot.cli.referrals import referrals
from tests.integration.test_console_referrals import staffed  # noqa: F401
from tests.integration.test_product_import import invoke


def test_a_referral_goes_round_from_the_command_line(staffed: Flask,  # noqa: F811
                                                       tmp_path: Path) -> None:
    made = invoke(staffed, "make", "--by", "SH001-C1", "--org", "M001", "--line", "对公",
                  group=referrals)
    assert made.exit_code == 1 and "不能转给自己所在的条线" in made.output
    made = invoke(staffed, "make", "--by", "SH001-01", "--customer", "1", "--line", "对公",
                  "--value", "500000", group=referrals)
    assert made.exit_code == 0, made.output
    assert made.output.strip() == "referral 1: submitted, receiver SH001-C1"
    twice = invoke(staffed, "make", "--by", "SH001-01", "--customer", "1", "--line", "对公",
                   group=referrals)
    assert "锁定期内不能重复转介" in twice.output
    assert invoke(staffed, "step", "1", "accepted", "--by", "SH001-C1",
                  group=referrals).exit_code == 0
    outcomes = tmp_path / "成果.csv"
    outcomes.write_text("openid,line,outcome,amount\nboss-zhang,对公,开户,800000\n", "utf-8")
    assert "converted 1" in invoke(staffed, "outcomes", str(outcomes), group=referrals).output
    record = json.loads(invoke(staffed, "record", "SH001-01", group=referrals).output)
    assert (record["sent"], record["converted"], record["value"], record["credited"]) == (
        1, 1, 800000, 800000)
    listed = invoke(staffed, "list", "--status", "converted", group=referrals).output
    assert listed.splitlines()[1].startswith("1\t客户…-zhang\tcorporate\tconverted")


def test_outcomes_naming_nobody_referred_import_nothing(staffed: Flask,  # noqa: F811
                                                       tmp_path: Path) -> None:
    outcomes = tmp_path / "成果.csv"
    outcomes.write_text("openid,line,outcome,amount\nboss-zhang,对公,开户,800000\n", "gbk")
    result = invoke(staffed, "outcomes", str(outcomes), group=referrals)
    assert result.exit_code == 1 and "没有转介在锁定期内" in result.output
