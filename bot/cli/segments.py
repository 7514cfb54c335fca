"""`branchlink segments`: count, snapshot and export saved segments (or count a rule).

The command line acts with head office's scope unless `--as` names a staff account, whose
scope then applies exactly as in the console. Exports are masked and audited.
"""

import csv
import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import click

from bot.cli.base import Cli, pass_cli, sql_uow
from bot.refusals import explain
from crm_core import services
from crm_core.model import Scope, StaffRole, utcnow
from crm_core.model.segments import RuleError
from crm_core.unit_of_work import SqlUnitOfWork

OPERATOR = Scope(0, "cli", "命令行", StaffRole.HEAD_OFFICE, None, None)
EXPORT_COLUMNS = ("编号", "客户", "手机", "网点", "客户经理", "资产层级")
AS_OPTION = click.option("--as", "username", help="Act with this staff account's scope.")


@click.group()
def segments() -> None:
    """Segments: saved rules over customers, counted on the database."""


@segments.command("list")
@AS_OPTION
@pass_cli
def segments_list(cli: Cli, username: str | None) -> None:
    """List the segments in scope as JSON lines."""
    with sql_uow(cli) as uow:
        cards = services.segments.segment_cards(uow, scope_as(uow, username))
    for card in cards:
        click.echo(json.dumps({"id": card.id, "name": card.name, "scope": card.scope,
                               "kind": card.kind, "rule": card.rule}, ensure_ascii=False))


@segments.command("count")
@click.argument("segment_id", type=int, required=False)
@click.option("--rule", help="Count this rule (JSON) instead of a saved segment.")
@AS_OPTION
@pass_cli
def segments_count(cli: Cli, segment_id: int | None, rule: str | None,
                   username: str | None) -> None:
    """Print a segment's (or a rule's) members and those left out for the opt-out, as JSON."""
    if (segment_id is None) == (rule is None):
        raise click.UsageError("give either SEGMENT_ID or --rule")
    with sql_uow(cli) as uow, _refused():
        at, scope = _moment(cli), scope_as(uow, username)
        count = services.segments.count_segment(uow, scope, segment_id, at) \
            if segment_id is not None else \
            services.segments.count_rule(uow, scope, _json(rule or ""), at)
    click.echo(json.dumps({"members": count.members, "excluded": count.excluded,
                           "profiling": list(count.profiling)}, ensure_ascii=False))


@segments.command("snapshot")
@click.argument("segment_id", type=int)
@AS_OPTION
@pass_cli
def segments_snapshot(cli: Cli, segment_id: int, username: str | None) -> None:
    """Freeze a segment's members as they are now."""
    with sql_uow(cli) as uow, _refused():
        snapshot = services.segments.take_snapshot(uow, scope_as(uow, username), segment_id,
                                                   _moment(cli))
        uow.commit()
    click.echo(f"snapshot {snapshot.id}: {snapshot.members} members, "
               f"{snapshot.excluded} left out (personalisation off)")


@segments.command("export")
@click.argument("segment_id", type=int)
@click.option("--out", "path", type=click.Path(dir_okay=False, path_type=Path), required=True,
              help="The CSV file to write (UTF-8 with BOM; names and phones masked).")
@AS_OPTION
@pass_cli
def segments_export(cli: Cli, segment_id: int, path: Path, username: str | None) -> None:
    """Write a segment's members, masked, to a CSV file (an audited export)."""
    with sql_uow(cli) as uow, _refused():
        _, rows = services.segments.export_segment(uow, scope_as(uow, username), segment_id,
                                                   _moment(cli))
        uow.commit()
        written = 0
        with path.open("w", encoding="utf-8-sig", newline="") as file:
            writer = csv.writer(file)
            writer.writerow(EXPORT_COLUMNS)
            for row in rows:
                writer.writerow(row)
                written += 1
    click.echo(f"{written} members written to {path}")


def scope_as(uow: SqlUnitOfWork, username: str | None) -> Scope:
    """Return the scope of `--as USERNAME` (an active account), or the operator's."""
    if username is None:
        return OPERATOR
    account = uow.staff.by_username(username)
    if account is None or not account.active:
        raise click.ClickException(f"no active staff account {username!r}")
    return services.scope_of(account)


def _moment(cli: Cli) -> services.segments.Moment:
    settings = cli.settings
    return services.segments.moment(utcnow(), settings.leads.timezone,
                                    settings.products.assessment_validity_days)


def _json(text: str) -> object:
    try:
        return json.loads(text)
    except ValueError as error:
        raise click.BadParameter(f"not JSON: {error}", param_hint="--rule") from error


@contextmanager
def _refused() -> Iterator[None]:
    # A refused rule or segment is said in Chinese, with the rule's JSON path.
    try:
        yield
    except (RuleError, services.segments.SegmentRefused) as error:
        raise click.ClickException(explain(error)) from error
