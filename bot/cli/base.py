"""State shared by the `branchlink` subcommands: settings and runtime, loaded lazily."""

import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from functools import cached_property
from pathlib import Path
from typing import TypeVar

import click

from bot import refusals
from bot.config import ConfigError, Settings, load_settings
from bot.runtime import Runtime, build_runtime
from crm_core import services
from crm_core.model import Refusal, utcnow
from crm_core.services import ImportRejected
from crm_core.unit_of_work import SqlUnitOfWork, UnitOfWork

T = TypeVar("T")


class Cli:
    """Lazily loaded settings and runtime shared by the subcommands."""

    def __init__(self, config_path: str | None) -> None:
        self.config_path = config_path

    @cached_property
    def settings(self) -> Settings:
        """Load the settings, turning a bad configuration into a clear error."""
        try:
            return load_settings(self.config_path)
        except ConfigError as error:
            raise click.ClickException(f"configuration: {error}") from error

    @cached_property
    def runtime(self) -> Runtime:
        """Build the runtime once."""
        return build_runtime(self.settings)


pass_cli = click.make_pass_decorator(Cli)


@contextmanager
def refused(*errors: type[Exception]) -> Iterator[None]:
    """Turn the expected refusals into one line for the operator instead of a traceback."""
    try:
        yield
    except errors as error:
        raise click.ClickException(str(error)) from error


FORMATS = click.Choice(["csv", "toml"])
REJECTED = "{count} 处有问题，整个文件都没有导入：请改正后重新导入。"


def source_rows(path: str, fmt: str | None, table: str) -> list[services.SourceRow]:
    """Read an import file's rows (format from its extension unless given), or refuse it."""
    fmt = fmt or Path(path).suffix.lstrip(".").lower()
    try:
        return services.read_rows(services.decode_file(Path(path).read_bytes()), fmt, table)
    except Refusal as error:
        raise click.ClickException(refusals.explain(error)) from error
    except ImportRejected as error:
        raise rejected_rows(error) from error


def rejected_rows(error: ImportRejected) -> click.ClickException:
    """Print each bad row in Chinese (the file's authors read it) and return the one-line
    refusal: nothing was imported."""
    for problem in error.errors:
        click.echo(refusals.row_problem(problem.line, problem.code, problem.params), err=True)
    return click.ClickException(REJECTED.format(count=len(error.errors)))


def run_import(cli: Cli, path: str, fmt: str | None, table: str,
               importer: Callable[[UnitOfWork, list[services.SourceRow], str, datetime], T]) -> T:
    """Check a whole import file and apply it in one unit of work (all rows or none).

    The importer is given the rows, the file's name as their source, and the time.
    """
    rows = source_rows(path, fmt, table)
    with cli.runtime.uow() as uow:
        try:
            result = importer(uow, rows, Path(path).name, utcnow())
        except ImportRejected as error:
            raise rejected_rows(error) from error
        uow.commit()
    return result


@contextmanager
def sql_uow(cli: Cli) -> Iterator[SqlUnitOfWork]:
    """Open a unit of work for the read queries, which speak SQL."""
    with cli.runtime.uow() as uow:
        assert isinstance(uow, SqlUnitOfWork)  # noqa: S101 - the runtime's units are SQL
        yield uow


JSON_OPTION = click.option("--json", "as_json", is_flag=True,
                           help="One JSON object per line instead of a table.")


def print_rows(rows: list[dict[str, object]], columns: tuple[str, ...], as_json: bool) -> None:
    """Print rows as JSON lines, or as a tab-separated table under a header of `columns`."""
    if as_json:
        for row in rows:
            click.echo(json.dumps(row, ensure_ascii=False, default=str))
        return
    click.echo("\t".join(columns))
    for row in rows:
        click.echo("\t".join("" if row[c] is None else str(row[c]) for c in columns))
