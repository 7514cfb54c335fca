"""The `branchlink` command: set-up, serving, simulation and staff tools."""

import os
import secrets
import string
from datetime import timedelta
from pathlib import Path

import click

from bot.cli import scorecard_registers  # noqa: F401 - adds the registers' commands
from bot.cli.base import Cli, pass_cli, refused, sql_uow
from bot.cli.campaigns import campaigns
from bot.cli.chains import chains
from bot.cli.classify import classify
from bot.cli.codes import codes, posters
from bot.cli.customers import customers
from bot.cli.faq import faq
from bot.cli.leads import leads
from bot.cli.org import branches, managers
from bot.cli.orgs import orgs
from bot.cli.outbox import outbox
from bot.cli.products import products
from bot.cli.referrals import referrals
from bot.cli.scorecards import scorecards
from bot.cli.segments import segments
from bot.cli.simulate import simulate
from bot.cli.spool import spool
from bot.cli.staff import staff
from bot.cli.talk import talk_group
from bot.config import Settings
from bot.logs import configure_logging
from bot.metrics import prepare_multiprocess, remove_multiprocess_dir
from bot.runtime import run_policy
from crm_core import db
from crm_core.model import utcnow
from crm_core.services import ImportRejected
from sandbox.cli import sandbox_command


@click.group()
@click.option("--config", "config_path", envvar="BRANCHLINK_CONFIG",
              type=click.Path(dir_okay=False), help="TOML settings file ($BRANCHLINK_CONFIG).")
@click.pass_context
def main(ctx: click.Context, config_path: str | None) -> None:
    """BranchLink: WeChat engagement for bank branch networks."""
    configure_logging()  # the settings' format once they are loaded (Cli.settings)
    ctx.obj = Cli(config_path)


@main.command("init-config")
@click.option("--path", default="instance/branchlink.toml", type=click.Path(dir_okay=False))
def init_config(path: str) -> None:
    """Write a local demo configuration with fresh random secrets (kept if it exists)."""
    target = Path(path)
    if target.exists():
        click.echo(f"{target} exists; keeping it")
        return
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(_demo_config(target.parent.resolve()), encoding="utf-8")
    target.chmod(0o600)
    click.echo(f"wrote {target} with fresh random secrets")


def _random(length: int, alphabet: str = string.ascii_letters + string.digits) -> str:
    return "".join(secrets.choice(alphabet) for _ in range(length))


def _demo_config(folder: Path) -> str:
    return f"""# Local demo configuration written by `branchlink init-config`. Not for production.
[wechat]
app_id = "wx{_random(16, string.hexdigits.lower()[:16])}"
token = "{_random(32)}"
encoding_aes_key = "{_random(43)}"
app_secret = "{_random(32)}"
api_base_url = "http://127.0.0.1:8081"
oauth_base_url = "http://127.0.0.1:8081"

[web]
secret_key = "{_random(48)}"

[database]
url = "sqlite:///{folder / 'branchlink.db'}"

[webhook]
spool_dir = "{folder / 'spool'}"

[sandbox]
enabled = true

[notifications]
new_customer_template = "DEMO_NEW_CUSTOMER"
new_lead_template = "DEMO_NEW_LEAD"
lead_reminder_template = "DEMO_LEAD_REMINDER"
lead_escalation_template = "DEMO_LEAD_ESCALATION"
daily_digest_template = "DEMO_DAILY_DIGEST"
transfer_template = "DEMO_TRANSFER"
talk_waiting_template = "DEMO_TALK_WAITING"
talk_escalation_template = "DEMO_TALK_ESCALATION"
talk_page_template = "DEMO_TALK_PAGE"
referral_template = "DEMO_REFERRAL"

[talk]
media_dir = "{folder / 'media'}"
"""


@main.group("db")
def db_group() -> None:
    """Database maintenance."""


@db_group.command("upgrade")
@pass_cli
def db_upgrade(cli: Cli) -> None:
    """Migrate the database to the latest schema (SQLite or PostgreSQL)."""
    db.upgrade(cli.settings.database.url)
    click.echo("database is up to date")


@main.group()
def demo() -> None:
    """Demo data for trying BranchLink without a bank."""


@demo.command("seed")
@pass_cli
def demo_seed(cli: Cli) -> None:
    """Add demo branches, managers, staff, the product catalogue and the FAQ (idempotent)."""
    from bot.cli.demo import (
        seed,
        seed_catalogue,
        seed_classification,
        seed_faq,
        seed_staff,
        seed_talk,
    )
    from bot.cli.demo_campaigns import seed_campaign
    from bot.cli.demo_collaboration import seed_market
    from bot.cli.demo_scorecards import seed_scorecards
    from bot.cli.demo_segments import seed_segments
    from bot.extracts import FileKeys
    from bot.phone_cipher import PhoneCipher
    from bot.runtime import contact_policy
    from bot.web.staff_auth import hash_password

    cipher = PhoneCipher(cli.settings.web.secret_key, cli.settings.web.previous_secret_key)
    with sql_uow(cli) as uow:
        seed(uow)
        uow.flush()
        logins = seed_staff(uow, hash_password)
        seed_talk(uow, utcnow())
        with refused(ImportRejected):
            loaded = seed_catalogue(uow, utcnow())
            answers = seed_faq(uow, utcnow())
            months = seed_classification(uow, FileKeys(cipher), cipher.seal, utcnow())
            market = seed_market(uow, hash_password, cli.runtime.referral_policy,
                                 timedelta(minutes=cli.settings.leads.contact_sla_minutes),
                                 utcnow())
        seed_segments(uow, utcnow())
        with refused(ImportRejected):
            cards = seed_scorecards(uow, FileKeys(cipher), run_policy(cli.settings), utcnow(),
                                    cli.settings.leads.timezone)
        seed_campaign(uow, utcnow(), contact_policy(cli.settings))
        logins.update(market.logins)
        uow.commit()
    total = len(loaded.created) + len(loaded.updated) + loaded.unchanged
    click.echo(f"demo catalogue: {total} products loaded ({len(loaded.created)} new, "
               f"{len(loaded.updated)} updated, {loaded.unchanged} unchanged)")
    click.echo(f"demo FAQ: {len(answers.created)} new, {len(answers.updated)} updated, "
               f"{answers.unchanged} unchanged")
    click.echo(f"demo classification: {months} months of balances and the demo lists")
    click.echo(f"demo market: {market.chain_leads} new chain leads; organisations at "
               "/console/organisations, the referral at /console/referrals")
    click.echo(f"demo scorecards: {cards} cards computed over three months "
               "(branchlink scorecards show --month YYYY-MM)")
    click.echo(demo_hint(cli.settings, cli.config_path))
    for username, password in logins.items():
        click.echo(f"  console login (shown once): {username} / {password}")
    click.echo(f"Staff console: {cli.settings.web.public_base_url}/console/ "
               "(reset a password: branchlink staff password USERNAME)")


def demo_hint(settings: Settings, config_path: str | None) -> str:
    """Return what to try next, with this configuration's own file and sandbox address."""
    where = (f"BRANCHLINK_CONFIG={Path(config_path).resolve()}" if config_path
             else "the same BRANCHLINK_* environment as this command")
    sandbox = (f"; watch their\nnotices arrive in the WeChat sandbox: "
               f"http://{settings.sandbox.bind}/_sandbox/" if settings.sandbox.enabled else ".")
    return DEMO_HINT.format(where=where, sandbox=sandbox)


DEMO_HINT = """demo branches SH001, SH002, BJ001 and their managers are in place.
Once the server runs, in another terminal ({where}):
  .venv/bin/branchlink simulate --openid demo-1 subscribe --scene b:SH001   # follow a branch code
  .venv/bin/branchlink simulate --openid demo-1 text 我的客户经理
  .venv/bin/branchlink simulate --openid demo-1 text 联系客户经理            # a lead
  .venv/bin/branchlink simulate --openid demo-2 subscribe --scene m:SH002-01 # a manager's code
  .venv/bin/branchlink simulate --openid demo-1 text 大额存单利率            # a product question
  .venv/bin/branchlink simulate --openid demo-1 text "详情 DP001"
  .venv/bin/branchlink customers set-risk demo-1 3 --assessed $(date +%F)   # C3: wealth answers
  .venv/bin/branchlink simulate --openid demo-1 text 理财
  .venv/bin/branchlink customers show demo-1
  .venv/bin/branchlink outbox list
  .venv/bin/branchlink simulate --openid demo-3 subscribe --scene m:SH001-01 # 张伟's customer
  .venv/bin/branchlink simulate --openid demo-3 text 人工                    # ask for a person:
  .venv/bin/branchlink simulate --openid demo-3 text 想咨询大额存单          # zhangwei answers in
                                                  # the console's 会话 (kefu: the service queue)
Each demo manager is bound to a WeChat openid o-demo-manager-<code>000…{sandbox}"""


@main.command()
@click.option("--bind", help="HOST:PORT (default: [server] bind).")
@click.option("--workers", type=int, help="Web worker processes (default: [server] workers).")
@pass_cli
def serve(cli: Cli, bind: str | None, workers: int | None) -> None:
    """Serve the webhook with gunicorn (and the background worker when embedded)."""
    from bot.cli.serving import GunicornServer, start_companions

    owner, metrics_dir = os.getpid(), prepare_multiprocess()  # before any process starts
    companions = start_companions(cli.settings, cli.config_path)
    try:
        GunicornServer(cli.settings, bind, workers, companions).run()
    finally:
        companions.stop()
        if os.getpid() == owner:  # not a gunicorn worker (a fork) leaving through here
            remove_multiprocess_dir(metrics_dir)


@main.command()
@pass_cli
def worker(cli: Cli) -> None:
    """Run the background jobs (spool replay)."""
    from bot.worker.scheduler import build_scheduler, replay_spool

    replay_spool(cli.runtime)
    build_scheduler(cli.runtime, cli.config_path).start()


for command in (customers, managers, branches, simulate, spool, sandbox_command, leads, outbox,
                codes, posters, staff, products, faq, classify, segments):
    main.add_command(command)
main.add_command(talk_group, "talk")
# Organisations, trade chains and referrals between staff.
for command in (orgs, chains, referrals):
    main.add_command(command)
main.add_command(scorecards)  # with the registers' commands (scorecard_registers)
main.add_command(campaigns)

