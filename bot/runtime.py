"""The composition root's parts, built once per process from the settings."""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from decimal import Decimal
from functools import cached_property, partial

from sqlalchemy import Engine

from bot.config import Settings
from bot.context import HandlerPolicy
from bot.inbound import Inbound
from bot.platform import TokenStores, build_api, build_token_stores
from bot.share_tokens import ShareLinks, ShareTokens
from bot.spool import Spool
from bot.wechat.api import WeChatApi
from bot.wechat.breaker import PlatformBreaker
from bot.wechat.crypto import MessageCipher
from bot.wechat.errors import TransientError
from bot.wechat.gate import CallbackGate
from crm_core.db import Timeouts, make_engine, make_session_factory
from crm_core.model import utcnow
from crm_core.model.campaigns import Caps, QuietHours
from crm_core.services.campaigns import ContactPolicy
from crm_core.services.campaigns.sending import Limits
from crm_core.services.collaboration import ReferralPolicy
from crm_core.services.performance import PayRule, ProfitPolicy, RunPolicy
from crm_core.unit_of_work import SqlUnitOfWork, UnitOfWork


@dataclass(frozen=True)
class Runtime:
    """Everything a process needs to serve: database, gate and inbound pipeline."""

    settings: Settings
    engine: Engine
    gate: CallbackGate
    inbound: Inbound
    # Where product links point, and the signer of share tokens and visitor cookies.
    links: ShareLinks
    # Platform calls made while a web page waits pause after a failure (bot/wechat/breaker.py).
    breaker: PlatformBreaker = field(default_factory=PlatformBreaker)
    # What time it is (naive UTC): the console asks here, so a test can set the clock.
    clock: Callable[[], datetime] = utcnow

    def uow(self) -> UnitOfWork:
        """Open a new unit of work (pass `runtime.uow` wherever a factory is wanted)."""
        return self.inbound.uow_factory()

    @cached_property
    def token_stores(self) -> TokenStores:
        """The credential stores every client of this process shares (and their read cache)."""
        return build_token_stores(self.settings, self.uow)

    @property
    def referral_policy(self) -> ReferralPolicy:
        """The rules referrals between staff run by (`[referrals]`)."""
        return self.inbound.policy.referrals

    def api(self) -> WeChatApi:
        """Build a WeChat API client (never on the webhook's request path)."""
        return build_api(self.settings, self.token_stores)

    def page_api(self) -> WeChatApi:
        """Build a client for a call a web page waits on; TransientError at once while the
        calls are paused after a failure (report failures to `breaker.failed`)."""
        if self.breaker.paused():
            raise TransientError(None, "platform calls paused after a failure")
        return self.api()


def build_runtime(settings: Settings, clock: Callable[[], datetime] = utcnow) -> Runtime:
    """Wire the database, the callback gate and the pipeline for `settings`."""
    engine = make_engine(settings.database.url, database_timeouts(settings))
    sessions = make_session_factory(engine)
    links = share_links(settings)
    return Runtime(
        settings=settings,
        engine=engine,
        gate=CallbackGate(settings.wechat.token, build_cipher(settings),
                          settings.webhook.timestamp_window_seconds, settings.wechat.mode),
        inbound=Inbound(partial(SqlUnitOfWork, sessions), Spool(settings.webhook.spool_dir),
                        HandlerPolicy(settings.onboarding.default_branch,
                                      settings.leads.contact_sla_minutes, settings.binding,
                                      settings.products, links,
                                      timezone=settings.leads.timezone,
                                      referrals=referral_policy(settings))),
        links=links,
        clock=clock,
    )


def run_policy(settings: Settings) -> RunPolicy:
    """Return how the monthly scorecard run simulates profit and shares referral credit."""
    s = settings.scorecards
    profit = ProfitPolicy(Decimal(str(s.overdue_provision)), Decimal(str(s.npl_provision)),
                          Decimal(str(s.direct_cost)))
    return RunPolicy(profit, referral_policy(settings))


def pay_rule(settings: Settings) -> PayRule:
    """Return the pay-by-results rule of `[scorecards]`."""
    s = settings.scorecards
    return PayRule(Decimal(str(s.pay_rate)), Decimal(str(s.pay_threshold)),
                   Decimal(str(s.pay_min_score)), Decimal(str(s.deferral_percent)),
                   s.deferral_years)


def referral_policy(settings: Settings) -> ReferralPolicy:
    """Return the referral rules of `[referrals]`."""
    r = settings.referrals
    return ReferralPolicy(r.lock_days, r.accept_hours, r.contact_hours, r.escalate_after_hours,
                          r.expire_days, r.credit_model, r.referrer_percent, r.split_days)


def contact_policy(settings: Settings) -> ContactPolicy:
    """Return the campaigns' contact policy of `[campaigns]` (and the talk window)."""
    c = settings.campaigns
    quiet = QuietHours(time.fromisoformat(c.quiet_start), time.fromisoformat(c.quiet_end),
                       settings.leads.timezone)
    purposes = frozenset(filter(None, c.consent_purposes.split(",")))
    validity = timedelta(days=settings.products.assessment_validity_days)
    return ContactPolicy(quiet, Caps(per_week=c.per_week, mass_per_month=c.mass_per_month),
                         timedelta(hours=settings.talk.window_hours), validity, purposes)


def send_limits(settings: Settings) -> Limits:
    """Return the mass-send limits of `[campaigns]`."""
    c = settings.campaigns
    return Limits(c.batch_size, c.calls_per_day, c.calls_per_minute)


def database_timeouts(settings: Settings) -> Timeouts:
    """Return how long this process waits on the database before taking it for an outage."""
    database = settings.database
    return Timeouts(connect=database.connect_timeout, statement=database.statement_timeout,
                    lock=database.lock_timeout, pool=database.pool_timeout)


def share_links(settings: Settings) -> ShareLinks:
    """Return the share-link maker for the configured secret and public address."""
    ttl = settings.products.link_ttl_days * 86400
    tokens = ShareTokens(settings.web.secret_key, ttl, previous=settings.web.previous_secret_key)
    return ShareLinks(tokens, settings.web.public_base_url)


def build_cipher(settings: Settings) -> MessageCipher | None:
    """Return the message cipher with the current key first, then the previous one."""
    wechat = settings.wechat
    keys = [wechat.encoding_aes_key] if wechat.encoding_aes_key else []
    if wechat.previous_encoding_aes_key and wechat.accept_previous_key:
        keys.append(wechat.previous_encoding_aes_key)
    return MessageCipher(wechat.app_id, keys) if keys else None
