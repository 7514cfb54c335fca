"""State shared by the `branchlink` subcommands: settings and runtime, loaded lazily."""

from collections.abc import Iterator
from contextlib import contextmanager
from functools import cached_property

import click

from bot.config import ConfigError, Settings, load_settings
from bot.runtime import Runtime, build_runtime


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
