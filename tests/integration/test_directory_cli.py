"""`branchlink branches|managers|staff list`: the codes other commands take can be found."""

import json

import click
from click.testing import CliRunner, Result
from flask import Flask

from bot.cli.base import Cli
from bot.cli.org import branches, managers
from bot.cli.staff import staff
from crm_core import services
from crm_core.model import ManagerState
from tests.conftest import runtime
from tests.console_support import populate


def run(app: Flask, group: click.Group, args: list[str]) -> Result:
    """Run a `branchlink` command group on the app's own runtime."""
    cli = Cli(None)
    cli.__dict__["runtime"], cli.__dict__["settings"] = runtime(app), runtime(app).settings
    return CliRunner().invoke(group, args, obj=cli)


def lines(result: Result) -> list[dict[str, object]]:
    assert result.exit_code == 0, result.output
    return [json.loads(line) for line in result.output.splitlines()]


def test_branches_list_names_each_branch_with_its_managers(app: Flask) -> None:
    populate(runtime(app))
    result = run(app, branches, ["list"])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[:3] == ["code\tname\tactive_managers\tmanagers",
                                              "SH001\tSH001支行\t2\t2", "SH002\tSH002支行\t1\t1"]
    assert lines(run(app, branches, ["list", "--json"]))[0] == {
        "code": "SH001", "name": "SH001支行", "managers": 2, "active_managers": 2}


def test_managers_list_gives_codes_filtered_by_branch_and_state(app: Flask) -> None:
    populate(runtime(app))
    with runtime(app).uow() as uow:
        services.set_manager_state(uow, "SH001-02", ManagerState.ON_LEAVE)
        uow.commit()
    rows = lines(run(app, managers, ["list", "--branch", "SH001", "--json"]))
    assert [(r["code"], r["name"], r["state"], r["customers"]) for r in rows] == [
        ("SH001-01", "经理SH001-01", "active", 1), ("SH001-02", "经理SH001-02", "on_leave", 1)]
    active = lines(run(app, managers, ["list", "--state", "active", "--json"]))
    assert [r["code"] for r in active] == ["SH001-01", "SH002-01"]
    table = run(app, managers, ["list"]).output.splitlines()
    assert table[0].split("\t")[:3] == ["code", "name", "branch"] and len(table) == 4


def test_managers_list_of_an_unknown_branch_says_so(app: Flask) -> None:
    populate(runtime(app))
    result = run(app, managers, ["list", "--branch", "XX999"])
    assert result.exit_code == 1 and "no branch with code 'XX999'" in result.output


def test_staff_list_shows_each_account_with_its_branch(app: Flask) -> None:
    populate(runtime(app))
    rows = lines(run(app, staff, ["list", "--json"]))
    assert [(r["username"], r["role"], r["manager"], r["branch"]) for r in rows] == [
        ("admin", "head_office", None, None), ("head", "branch_head", None, "SH001"),
        ("m1", "manager", "SH001-01", "SH001"), ("m2", "manager", "SH001-02", "SH001")]
    heads = lines(run(app, staff, ["list", "--branch", "SH001", "--role", "manager",
                                   "--json"]))
    assert [r["username"] for r in heads] == ["m1", "m2"]
    assert run(app, staff, ["list"]).output.splitlines()[0] == \
        "username\tname\trole\tmanager\tbranch\tactive"
