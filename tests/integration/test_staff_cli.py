"""`branchlink staff add|password`: a password is typed or piped, never an argument `ps` shows."""

from click.testing import CliRunner, Result
from flask import Flask

from bot.cli.base import Cli
from bot.cli.staff import staff
from bot.web.staff_auth import authenticate
from tests.conftest import runtime

PASSWORD = "correct-horse-battery"
ADD = ["add", "hq", "--name", "总行", "--role", "head_office"]


def run(app: Flask, args: list[str], stdin: str = "") -> Result:
    """Run `branchlink staff ARGS` on the app's own runtime with `stdin` as standard input."""
    cli = Cli(None)
    cli.__dict__["runtime"], cli.__dict__["settings"] = runtime(app), runtime(app).settings
    return CliRunner().invoke(staff, args, obj=cli, input=stdin)


def can_log_in(app: Flask, password: str) -> bool:
    return authenticate(runtime(app), "hq", password, "127.0.0.1") is not None


def test_a_password_given_as_an_argument_is_refused_and_nothing_is_created(app: Flask) -> None:
    result = run(app, [*ADD, "--password", PASSWORD])
    assert result.exit_code == 2 and "No such option '--password'" in result.output
    assert not can_log_in(app, PASSWORD)


def test_the_password_is_prompted_twice_and_never_echoed(app: Flask) -> None:
    result = run(app, ADD, stdin=f"{PASSWORD}\n{PASSWORD}\n")
    assert result.exit_code == 0, result.output
    assert PASSWORD not in result.output and "Repeat for confirmation" in result.output
    assert can_log_in(app, PASSWORD)


def test_scripts_pipe_the_password_on_standard_input(app: Flask) -> None:
    assert run(app, [*ADD, "--password-stdin"], stdin=f"{PASSWORD}\n").exit_code == 0
    changed = run(app, ["password", "hq", "--password-stdin"], stdin="another-long-secret\n")
    assert changed.exit_code == 0, changed.output
    assert can_log_in(app, "another-long-secret") and not can_log_in(app, PASSWORD)


def test_a_short_piped_password_is_refused(app: Flask) -> None:
    result = run(app, [*ADD, "--password-stdin"], stdin="short\n")
    assert result.exit_code != 0 and "at least 10 characters" in result.output
