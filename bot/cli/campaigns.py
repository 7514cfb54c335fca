"""`branchlink campaigns`: draft, submit, approve, reject, send, pause, resume, cancel and
report; `branchlink campaigns tasks list|outcome`: managers' calls and visits.

The command line acts with head office's scope unless `--as` names a staff account; approval
takes a second person (`--as` someone other than the drafter). Refusals are said in Chinese.
"""

import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict
from datetime import timedelta
from pathlib import Path

import click

from bot.cli.base import Cli, pass_cli, sql_uow
from bot.cli.segments import AS_OPTION, scope_as
from bot.refusals import explain
from bot.runtime import contact_policy
from crm_core.model import utcnow
from crm_core.model.campaigns import CHANNELS
from crm_core.services import campaigns as core
from crm_core.services.campaigns import tasks


@click.group()
def campaigns() -> None:
    """Campaigns to a segment snapshot, within the platform's rules and the customers' wishes."""


@campaigns.command("create")
@click.option("--name", required=True)
@click.option("--snapshot", "snapshot_id", type=int, required=True, help="Segment snapshot id.")
@click.option("--content", "content_file", type=click.Path(exists=True, dir_okay=False,
                                                            path_type=Path), required=True,
              help="A UTF-8 text file with the message.")
@click.option("--purpose", default="marketing", show_default=True)
@click.option("--channel", "channels", multiple=True, default=("mass",), show_default=True,
              type=click.Choice([*CHANNELS, "template"]))
@click.option("--product-risk", type=int, help="Risk level 1-5 of the product it is about.")
@click.option("--control", "control_share", type=int, default=0, help="Hold-out percent.")
@click.option("--product", "product_code",
              help="Product code: each message carries a tracked link to its page.")
@AS_OPTION
@pass_cli
def campaigns_create(cli: Cli, name: str, snapshot_id: int, content_file: Path, purpose: str,
                     channels: tuple[str, ...], product_risk: int | None, control_share: int,
                     product_code: str | None, username: str | None) -> None:
    """Draft a campaign to a snapshot."""
    draft = core.Draft(name, purpose, snapshot_id, content_file.read_text("utf-8").strip(),
                       channels, product_risk, control_share, product_code=product_code)
    with sql_uow(cli) as uow, _refused():
        campaign = core.create_campaign(uow, scope_as(uow, username), draft, utcnow())
        uow.commit()
        click.echo(f"campaign {campaign.id}: draft")


@campaigns.command("submit")
@click.argument("campaign_id", type=int)
@AS_OPTION
@pass_cli
def campaigns_submit(cli: Cli, campaign_id: int, username: str | None) -> None:
    """Plan the audience with the contact policy and ask for approval."""
    with sql_uow(cli) as uow, _refused():
        figures = core.submit(uow, scope_as(uow, username), campaign_id, utcnow(),
                              contact_policy(cli.settings))
        uow.commit()
    click.echo(json.dumps(figures, ensure_ascii=False, sort_keys=True))


def _transition(name: str, call: object, doc: str) -> None:
    @campaigns.command(name, help=doc)
    @click.argument("campaign_id", type=int)
    @AS_OPTION
    @pass_cli
    def command(cli: Cli, campaign_id: int, username: str | None) -> None:
        with sql_uow(cli) as uow, _refused():
            campaign = call(uow, scope_as(uow, username), campaign_id, utcnow())  # type: ignore[operator]
            uow.commit()
            click.echo(f"campaign {campaign.id}: {campaign.state.value}")


_transition("approve", core.approve, "Approve a submitted campaign (not its drafter).")
_transition("reject", core.reject, "Send a submitted campaign back to its drafter as a draft.")
_transition("send", core.start, "Start sending an approved campaign (the worker sends).")
_transition("resume", core.resume, "Resume a paused campaign.")
_transition("cancel", core.cancel, "Cancel a campaign; what was sent stays sent.")


@campaigns.command("pause")
@click.argument("campaign_id", type=int)
@AS_OPTION
@pass_cli
def campaigns_pause(cli: Cli, campaign_id: int, username: str | None) -> None:
    """Pause a campaign being sent."""
    with sql_uow(cli) as uow, _refused():
        scope = scope_as(uow, username)
        campaign = core.visible_campaign(uow, scope, campaign_id)
        core.pause(uow, scope.username, campaign, utcnow(), "staff")
        uow.commit()
        click.echo(f"campaign {campaign.id}: paused")


@campaigns.command("report")
@click.argument("campaign_id", type=int)
@AS_OPTION
@pass_cli
def campaigns_report(cli: Cli, campaign_id: int, username: str | None) -> None:
    """Print a campaign's report as JSON: audience, suppressed by reason, branches, batches."""
    with sql_uow(cli) as uow, _refused():
        found = core.campaign_report(uow, scope_as(uow, username), campaign_id)
    click.echo(json.dumps(found, ensure_ascii=False, sort_keys=True))


@campaigns.command("dnc-import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@AS_OPTION
@pass_cli
def campaigns_dnc_import(cli: Cli, path: Path, username: str | None) -> None:
    """Record a do-not-contact list (one openid a line) for every campaign channel."""
    openids = path.read_text("utf-8-sig").splitlines()
    with sql_uow(cli) as uow:
        added, unknown = core.import_do_not_contact(uow, openids, scope_as(uow, username).username,
                                                    path.name, utcnow())
        uow.commit()
    click.echo(f"{added} do-not-contact added; {len(unknown)} unknown openids")
    for openid in unknown[:20]:
        click.echo(f"unknown: {openid}")


@campaigns.command("list")
@AS_OPTION
@pass_cli
def campaigns_list(cli: Cli, username: str | None) -> None:
    """List the campaigns in scope as JSON lines, newest first."""
    with sql_uow(cli) as uow:
        for campaign in core.campaigns_seen(uow, scope_as(uow, username)):
            click.echo(json.dumps({"id": campaign.id, "name": campaign.name,
                                   "state": campaign.state.value, "owner": campaign.owner},
                                  ensure_ascii=False))


@campaigns.group("tasks")
def campaigns_tasks() -> None:
    """Managers' calls and visits (外呼/走访): list them, record how they went."""


@campaigns_tasks.command("list")
@click.option("--state", type=click.Choice(tasks.TASK_STATES), default="open",
              show_default=True, help="Still to make, recorded, or all.")
@click.option("--campaign", "campaign_id", type=int, help="Only this campaign's tasks.")
@click.option("--outcome", type=click.Choice(tasks.OUTCOMES), help="Only this outcome.")
@click.option("--limit", type=click.IntRange(1, 10_000), default=200, show_default=True)
@AS_OPTION
@pass_cli
def campaigns_tasks_list(cli: Cli, state: str, campaign_id: int | None, outcome: str | None,
                         limit: int, username: str | None) -> None:
    """List the tasks in scope (a manager's own customers, a branch head's branch) as JSON
    lines, earliest due first, customers masked; the count goes to stderr."""
    wanted = tasks.TaskFilter(state, campaign_id, outcome)
    with sql_uow(cli) as uow, _refused():
        scope = scope_as(uow, username)
        rows = tasks.open_tasks(uow, scope, limit, wanted)
        total = tasks.open_task_count(uow, scope, wanted)
    for row in rows:
        click.echo(json.dumps({**asdict(row), "due_at": row.due_at.isoformat() + "Z"},
                              ensure_ascii=False))
    click.echo(f"{len(rows)} of {total} tasks", err=True)


@campaigns_tasks.command("outcome")
@click.argument("campaign_id", type=int)
@click.argument("customer_id", type=int)
@click.argument("outcome", type=click.Choice(tasks.OUTCOMES))
@AS_OPTION
@pass_cli
def campaigns_tasks_outcome(cli: Cli, campaign_id: int, customer_id: int, outcome: str,
                            username: str | None) -> None:
    """Record how a call or visit went (audited; interested opens a lead, do_not_contact
    stops marketing to the customer)."""
    sla = timedelta(minutes=cli.settings.leads.contact_sla_minutes)
    with sql_uow(cli) as uow, _refused():
        tasks.record_outcome(uow, scope_as(uow, username), campaign_id, customer_id, outcome,
                             utcnow(), sla)
        uow.commit()
    click.echo(f"campaign {campaign_id} customer {customer_id}: {outcome}")


@contextmanager
def _refused() -> Iterator[None]:
    try:
        yield
    except core.CampaignRefused as error:
        raise click.ClickException(explain(error)) from error
