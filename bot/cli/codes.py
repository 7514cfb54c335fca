"""`branchlink codes` (issue, list, stats) and `branchlink posters`: QR codes for the branches."""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime
from pathlib import Path
from typing import Any

import click

from bot import refusals
from bot.cli.base import Cli, pass_cli, refused
from bot.qrcodes.batches import render_batch, zip_folder
from bot.qrcodes.issuer import CodeIssuer
from bot.qrcodes.posters import PosterTexts, poster_jobs
from bot.wechat.errors import WeChatApiError
from crm_core import services
from crm_core.model import Scene, SceneError, format_scene, utcnow
from crm_core.services.code_stats import DIMENSIONS
from qr import FontNotFoundError, PosterSize

_FAILURES = (services.CodeLimitReached, services.UnknownRecord, SceneError, ValueError,
             WeChatApiError, FontNotFoundError)
_SIZES: dict[str, tuple[PosterSize, ...]] = {
    "A4": ("A4",), "A5_TENT": ("A5_TENT",), "both": ("A4", "A5_TENT")}


def _issuer(cli: Cli) -> CodeIssuer:
    return CodeIssuer(cli.runtime.uow, cli.runtime.api)


@click.group()
def codes() -> None:
    """Onboarding QR codes: issue, list, channel statistics."""


@codes.command("issue")
@click.option("--branch", help="Branch code (b:).")
@click.option("--manager", help="Manager code (m:).")
@click.option("--campaign", help="Campaign code (c:): makes a temporary code.")
@click.option("--days", type=click.IntRange(1, 30), help="Life of a campaign code (default 30).")
@pass_cli
def codes_issue(cli: Cli, branch: str | None, manager: str | None, campaign: str | None,
                days: int | None) -> None:
    """Issue (or reuse) the code of a branch, a manager or a branch's campaign."""
    with refused(*_FAILURES), _scene_refusals():
        scene = format_scene(Scene(branch=branch, manager=manager, campaign=campaign))
        with _issuer(cli) as issuer:
            info = issuer.issue(scene, days)
    expiry = f"  expires {_iso(info.expires_at)}" if info.expires_at else ""
    click.echo(f"{info.scene}  {info.kind}  {info.url}{expiry}")


@codes.command("list")
@click.option("--branch", help="Only this branch's codes.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON for the console.")
@pass_cli
def codes_list(cli: Cli, branch: str | None, as_json: bool) -> None:
    """List issued codes, newest first per scene (expired ones stay as history)."""
    with refused(*_FAILURES), cli.runtime.uow() as uow:
        rows = services.list_codes(uow, branch)
    columns = ("scene", "kind", "url", "created_at", "expires_at")
    click.echo(json.dumps(rows, ensure_ascii=False, indent=2) if as_json
               else _table(rows, columns))


@codes.command("stats")
@click.option("--branch", help="Only touches of this branch.")
@click.option("--since", type=click.DateTime(["%Y-%m-%d"]), help="First day (Asia/Shanghai).")
@click.option("--until", type=click.DateTime(["%Y-%m-%d"]), help="Last day, included.")
@click.option("--by", type=click.Choice(list(DIMENSIONS)), default="code", show_default=True)
@click.option("--json", "as_json", is_flag=True, help="Print JSON for the console.")
@pass_cli
def codes_stats(cli: Cli, branch: str | None, since: datetime | None, until: datetime | None,
                by: str, as_json: bool) -> None:
    """Count follows and scans per day and per code, branch, manager or campaign."""
    with refused(*_FAILURES), cli.runtime.uow() as uow:
        rows = services.channel_stats(uow, since=_day(since), until=_day(until), branch=branch,
                                      by=by)
    columns = ("day", *DIMENSIONS[by], "follows", "scans")
    click.echo(json.dumps(rows, ensure_ascii=False, indent=2) if as_json
               else _table(rows, columns))


@click.command("posters")
@click.option("--branch", "branch_codes", multiple=True, help="Branch code (repeatable).")
@click.option("--all", "all_branches", is_flag=True, help="Every branch.")
@click.option("--no-managers", is_flag=True, help="Branch posters only.")
@click.option("--campaign", help="Campaign code: temporary codes, campaign line printed.")
@click.option("--days", type=click.IntRange(1, 30), help="Life of campaign codes (default 30).")
@click.option("--campaign-line", help="Campaign text (default: [posters] campaign_line).")
@click.option("--size", type=click.Choice(list(_SIZES)), default="A4", show_default=True)
@click.option("--out", "out_dir", type=click.Path(file_okay=False), help="Output folder.")
@click.option("--zip", "zip_path", type=click.Path(dir_okay=False), help="Output ZIP file.")
@click.option("--jobs", type=click.IntRange(1, 64), default=os.cpu_count() or 1,
              show_default=True, help="Rendering processes.")
@pass_cli
def posters(cli: Cli, branch_codes: tuple[str, ...], all_branches: bool, no_managers: bool,
            campaign: str | None, days: int | None, campaign_line: str | None, size: str,
            out_dir: str | None, zip_path: str | None, jobs: int) -> None:
    """Print-ready PDF posters and a contact sheet; an interrupted run resumes when rerun."""
    if bool(branch_codes) == all_branches or bool(out_dir) == bool(zip_path):
        raise click.UsageError("give --branch ... or --all, and --out DIR or --zip FILE")
    folder = Path(out_dir) if out_dir else Path(f"{zip_path}.parts")
    with refused(*_FAILURES):
        targets = _targets(cli, list(branch_codes) or None, campaign, not no_managers)
        coded = _issue_all(cli, targets, days)
        words = PosterTexts.from_settings(cli.settings.posters, campaign, campaign_line)
        batch = poster_jobs(coded, words, _SIZES[size], campaign)
        with click.progressbar(length=len(batch), label="rendering") as bar:
            written = render_batch(batch, folder, font_path=cli.settings.posters.font_path,
                                   workers=jobs, progress=bar.update)
    with cli.runtime.uow() as uow:
        services.audit(uow, utcnow(), "cli", "posters_exported",
                       ",".join(branch_codes) or "all", {"files": len(batch)})
        uow.commit()
    _finish(folder, zip_path, len(batch), written)


@contextmanager
def _scene_refusals() -> Iterator[None]:
    try:
        yield
    except services.SceneRefused as error:
        raise click.ClickException(refusals.explain(error)) from error


def _targets(cli: Cli, branch_codes: list[str] | None, campaign: str | None,
             managers: bool) -> list[services.PosterTarget]:
    with cli.runtime.uow() as uow:
        return services.poster_targets(uow, branch_codes, campaign=campaign, managers=managers)


def _issue_all(cli: Cli, targets: list[services.PosterTarget],
               days: int | None) -> list[tuple[services.PosterTarget, str]]:
    coded = []
    with _issuer(cli) as issuer, click.progressbar(targets, label="codes") as bar:
        for target in bar:
            coded.append((target, issuer.issue(target.scene, days).url))
    return coded


def _finish(folder: Path, zip_path: str | None, total: int, written: int) -> None:
    if zip_path:
        zip_folder(folder, Path(zip_path))
        shutil.rmtree(folder)
    where = zip_path or str(folder)
    click.echo(f"{total} file(s) in {where}: {written} written now, {total - written} kept")


def _table(rows: list[dict[str, Any]], columns: tuple[str, ...]) -> str:
    if not rows:
        return "(none)"
    cells = [[str(row.get(c) if row.get(c) is not None else "-") for c in columns] for row in rows]
    widths = [max(len(c), *(len(line[i]) for line in cells)) for i, c in enumerate(columns)]
    lines = [columns, *cells]
    return "\n".join("  ".join(v.ljust(w) for v, w in zip(line, widths, strict=True)).rstrip()
                     for line in lines)


def _day(value: datetime | None) -> date | None:
    return value.date() if value else None


def _iso(at: datetime | None) -> str:
    return at.isoformat(timespec="seconds") + "Z" if at else "-"
