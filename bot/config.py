"""Typed, frozen settings loaded from a TOML file and the environment.

Every key may be overridden by an environment variable named BRANCHLINK_<TABLE>_<KEY>
(for example BRANCHLINK_WECHAT_TOKEN), which is how secrets reach production. An unknown
table or key, a missing required key or a bad value stops start-up with a message naming it.
"""

import os
import re
import tomllib
import types
from collections.abc import Callable, Mapping
from dataclasses import MISSING, dataclass, field, fields
from pathlib import Path
from typing import Any, Union, get_args, get_origin, get_type_hints

ENV_PREFIX = "BRANCHLINK_"
CONFIG_ENV = "BRANCHLINK_CONFIG"


class ConfigError(ValueError):
    """The configuration cannot be used; the message names the key."""


def _check(pattern: str, hint: str) -> Callable[[Any], str | None]:
    regex = re.compile(pattern)
    return lambda value: None if value is None or regex.fullmatch(value) else hint


def _positive(value: Any) -> str | None:
    return None if value > 0 else "must be greater than 0"


def _not_negative(value: Any) -> str | None:
    return None if value >= 0 else "must be 0 or more"


def _temporary_code_days(value: Any) -> str | None:
    # The platform keeps a temporary QR code 30 days at most.
    return None if 1 <= value <= 30 else "must be 1..30 (days a temporary QR code lives)"


def _database_url(value: Any) -> str | None:
    ok = value.startswith(("sqlite:", "postgresql:", "postgresql+psycopg:"))
    return None if ok else "must be a sqlite:/// or postgresql+psycopg:// URL"


def _meta(check: Callable[[Any], str | None] | None = None) -> Any:
    return {"check": check}


AES_KEY = _check(r"[A-Za-z0-9]{43}", "must be exactly 43 letters and digits (EncodingAESKey)")
APP_ID = _check(r"wx[0-9A-Za-z]{16}", "must look like wx followed by 16 letters or digits")
TOKEN = _check(r"[A-Za-z0-9]{3,32}", "must be 3..32 letters or digits")
# The platform's message modes (明文, 兼容, 安全模式); empty: safe with a key, else plaintext.
_HH_MM = _check(r"([01]\d|2[0-3]):[0-5]\d", "must be HH:MM (24-hour)")
MODE = _check(r"(plaintext|compatible|safe)?",
              "must be plaintext, compatible or safe (the platform's 明文, 兼容 or 安全模式)")


@dataclass(frozen=True)
class WeChatSettings:
    """The official account and how it talks to us."""

    app_id: str = field(metadata=_meta(APP_ID))
    token: str = field(repr=False, metadata=_meta(TOKEN))
    encoding_aes_key: str | None = field(default=None, repr=False, metadata=_meta(AES_KEY))
    previous_encoding_aes_key: str | None = field(default=None, repr=False,
                                                  metadata=_meta(AES_KEY))
    accept_previous_key: bool = True
    app_secret: str | None = field(default=None, repr=False, metadata=_meta())
    api_base_url: str = "https://api.weixin.qq.com"
    # Where visitors' browsers are sent for web authorisation (网页授权); the sandbox in trials.
    oauth_base_url: str = field(default="https://open.weixin.qq.com", metadata=_meta(
        _check(r"https?://\S+[^/]", "must be an http(s) URL without a trailing slash")))
    connect_timeout: float = field(default=3.0, metadata=_meta(_positive))
    read_timeout: float = field(default=5.0, metadata=_meta(_positive))
    max_token_refreshes: int = field(default=1, metadata=_meta(_positive))
    # The account's display name, for visitors who must search it (None: a generic wording).
    account_name: str | None = field(default=None, metadata=_meta(
        _check(r"\S.{0,29}", "must be 1..30 characters, the name shown on WeChat")))
    # Which callbacks the webhook accepts (resolved below when left empty).
    mode: str = field(default="", metadata=_meta(MODE))

    def __post_init__(self) -> None:
        # A key that is set but not enforced is what let plaintext forgeries in: with a key
        # the default is safe mode, and a mode that contradicts the key stops start-up.
        mode = self.mode or ("safe" if self.encoding_aes_key else "plaintext")
        if mode != "plaintext" and not self.encoding_aes_key:
            raise ConfigError(f"[wechat] mode: {mode} needs encoding_aes_key")
        if mode == "plaintext" and self.encoding_aes_key:
            raise ConfigError("[wechat] mode: plaintext would leave encoding_aes_key unused "
                              "(choose compatible or safe, or remove the key)")
        object.__setattr__(self, "mode", mode)


@dataclass(frozen=True)
class TokenStoreSettings:
    """Where all processes share the platform access token."""

    backend: str = field(default="database", metadata=_meta(
        _check(r"database|redis", "must be database or redis")))
    redis_url: str = field(default="redis://127.0.0.1:6379/0", repr=False)


@dataclass(frozen=True)
class WebSettings:
    """The service's own web pages: signing key and public address."""

    secret_key: str = field(repr=False, metadata=_meta(
        _check(r"\S{32,}", "must be at least 32 characters (e.g. `openssl rand -hex 32`)")))
    public_base_url: str = field(default="http://127.0.0.1:8000", metadata=_meta(
        _check(r"https?://\S+[^/]", "must be an http(s) URL without a trailing slash")))
    # Where staff open the console (links in manager notices lead there, behind its login).
    # Empty: public_base_url.
    console_base_url: str = field(default="", metadata=_meta(
        _check(r"(https?://\S+[^/])?", "must be empty or an http(s) URL without a trailing "
                                        "slash")))
    # During a rotation: the secret before `secret_key`. Still accepted for sessions, share
    # links and cookies; still decrypts phone numbers until `customers rotate-phones` ran.
    previous_secret_key: str | None = field(default=None, repr=False, metadata=_meta(
        _check(r"\S{32,}", "must be at least 32 characters")))
    # Reverse proxies in front of the service that append to X-Forwarded-For (and set
    # X-Forwarded-Proto); the client address is the one the outermost of them saw. 0: none,
    # the header is ignored, since any client can write it.
    trusted_proxies: int = field(default=0, metadata=_meta(_not_negative))
    # Failed console logins from one client address, across all accounts, per 15 minutes
    # before that address is refused for the rest of them (a branch's staff may share one).
    login_failures_per_address: int = field(default=20, metadata=_meta(_positive))


def console_url(web: WebSettings) -> str:
    """Return the console's address (base URL), as manager notices link to it."""
    return web.console_base_url or web.public_base_url


@dataclass(frozen=True)
class WebhookSettings:
    """Limits on what the webhook accepts."""

    timestamp_window_seconds: int = field(default=300, metadata=_meta(_positive))
    max_body_bytes: int = field(default=65536, metadata=_meta(_positive))
    spool_dir: str = "instance/spool"


@dataclass(frozen=True)
class MetricsSettings:
    """Who may read /metrics: the host itself (loopback, not through a proxy) always; anyone
    else only with this bearer token. None: nobody else."""

    token: str | None = field(default=None, repr=False, metadata=_meta(
        _check(r"[A-Za-z0-9_-]{32,}", "must be at least 32 letters, digits, - or _")))


@dataclass(frozen=True)
class LoggingSettings:
    """How log lines are written: `text` for a terminal, `json` (one object per line) for a
    log collector."""

    format: str = field(default="text", metadata=_meta(_check(r"text|json",
                                                              "must be text or json")))
    level: str = field(default="INFO", metadata=_meta(
        _check(r"DEBUG|INFO|WARNING|ERROR", "must be DEBUG, INFO, WARNING or ERROR")))


def _connect_timeout(value: Any) -> str | None:
    return None if value >= 2 else "must be at least 2 (seconds; libpq's minimum)"


@dataclass(frozen=True)
class DatabaseSettings:
    """Where the CRM core keeps its data, and how long to wait on PostgreSQL before a stall
    counts as an outage (callbacks are then spooled within WeChat's 5 s)."""

    url: str = field(default="sqlite:///instance/branchlink.db", metadata=_meta(_database_url))
    connect_timeout: int = field(default=2, metadata=_meta(_connect_timeout))
    statement_timeout: float = field(default=3.0, metadata=_meta(_positive))
    lock_timeout: float = field(default=2.0, metadata=_meta(_positive))
    pool_timeout: float = field(default=1.0, metadata=_meta(_positive))


@dataclass(frozen=True)
class ServerSettings:
    """How `branchlink serve` runs."""

    bind: str = field(default="127.0.0.1:8000",
                      metadata=_meta(_check(r"[^\s:]+:\d{1,5}", "must be HOST:PORT")))
    workers: int = field(default=2, metadata=_meta(_positive))
    threads: int = field(default=4, metadata=_meta(_positive))
    embedded_worker: bool = True
    spool_replay_seconds: int = field(default=30, metadata=_meta(_positive))


@dataclass(frozen=True)
class OnboardingSettings:
    """How new customers are linked to managers."""

    default_branch: str | None = None


@dataclass(frozen=True)
class SandboxSettings:
    """The loopback WeChat API stand-in that `branchlink serve` can start for local trials."""

    enabled: bool = False
    bind: str = field(default="127.0.0.1:8081",
                      metadata=_meta(_check(r"[^\s:]+:\d{1,5}", "must be HOST:PORT")))


@dataclass(frozen=True)
class LeadSettings:
    """Service levels for following up leads."""

    contact_sla_minutes: int = field(default=120, metadata=_meta(_positive))
    escalate_after_minutes: int = field(default=240, metadata=_meta(_positive))
    digest_time: str = field(default="08:30", metadata=_meta(
        _check(r"([01]\d|2[0-3]):[0-5]\d", "must be HH:MM (24-hour)")))
    timezone: str = "Asia/Shanghai"


@dataclass(frozen=True)
class BindingSettings:
    """How managers bind their WeChat account."""

    code_ttl_minutes: int = field(default=30, metadata=_meta(_positive))
    max_failures: int = field(default=5, metadata=_meta(_positive))
    failure_window_minutes: int = field(default=60, metadata=_meta(_positive))


@dataclass(frozen=True)
class OutboxSettings:
    """How the workers deliver notices."""

    poll_seconds: float = field(default=0.5, metadata=_meta(_positive))
    batch_size: int = field(default=50, metadata=_meta(_positive))
    max_attempts: int = field(default=8, metadata=_meta(_positive))
    backoff_base_seconds: float = field(default=5.0, metadata=_meta(_positive))
    backoff_max_seconds: float = field(default=900.0, metadata=_meta(_positive))
    claim_seconds: float = field(default=60.0, metadata=_meta(_positive))
    quota_pause_seconds: float = field(default=1800.0, metadata=_meta(_positive))


_FIELDS = _check(r"[a-z_]+\d*(,[a-z_]+\d*)*", "must be comma-separated template keywords")


@dataclass(frozen=True)
class NotificationSettings:
    """Template message ids and their keyword lists, one pair per kind of notice."""

    new_customer_template: str = ""
    new_customer_fields: str = field(default="thing1,thing2,time3", metadata=_meta(_FIELDS))
    new_lead_template: str = ""
    new_lead_fields: str = field(default="thing1,thing2,time3", metadata=_meta(_FIELDS))
    lead_reminder_template: str = ""
    lead_reminder_fields: str = field(default="thing1,thing2,time3", metadata=_meta(_FIELDS))
    lead_escalation_template: str = ""
    lead_escalation_fields: str = field(default="thing1,thing2,time3", metadata=_meta(_FIELDS))
    daily_digest_template: str = ""
    daily_digest_fields: str = field(default="thing1,thing2,time3", metadata=_meta(_FIELDS))
    transfer_template: str = ""
    transfer_fields: str = field(default="thing1,thing2,time3", metadata=_meta(_FIELDS))
    share_opens_template: str = ""
    share_opens_fields: str = field(default="thing1,thing2,thing3", metadata=_meta(_FIELDS))
    # Conversations: a customer waits (manager), nobody answered in time (branch head), and a
    # reply waits on its page (to the customer, outside the 48-hour window).
    talk_waiting_template: str = ""
    talk_waiting_fields: str = field(default="thing1,thing2,time3", metadata=_meta(_FIELDS))
    talk_escalation_template: str = ""
    talk_escalation_fields: str = field(default="thing1,thing2,time3", metadata=_meta(_FIELDS))
    talk_page_template: str = ""
    talk_page_fields: str = field(default="thing1,time2", metadata=_meta(_FIELDS))
    referral_template: str = ""
    referral_fields: str = field(default="thing1,thing2,time3", metadata=_meta(_FIELDS))


@dataclass(frozen=True)
class ProductSettings:
    """Product answers, share links and what they tell managers."""

    assessment_validity_days: int = field(default=365, metadata=_meta(_positive))
    max_results: int = field(default=5, metadata=_meta(_positive))
    link_ttl_days: int = field(default=30, metadata=_meta(_positive))
    share_notice_minutes: int = field(default=60, metadata=_meta(_positive))
    follow_code_days: int = field(default=7, metadata=_meta(_temporary_code_days))
    # A follow without a QR code this many days after the follower (identified by web
    # authorisation) opened a shared page is credited to that share.
    follow_window_days: int = field(default=7, metadata=_meta(_positive))
    # Identify visitors inside WeChat by silent web authorisation (needs [wechat] app_secret).
    oauth: bool = True
    # Minutes a customer offered numbered choices may still answer with the number.
    choice_minutes: int = field(default=30, metadata=_meta(_positive))
    # Forwarded shares (a visitor's own link, first opened by someone else) that page opens may
    # create per hour: from one client address (IPv6: per /64), and in one chain of shares
    # (one root link's forwards). Past either, the open counts for the share forwarded from.
    forwards_per_address_hour: int = field(default=30, metadata=_meta(_positive))
    forwards_per_share_hour: int = field(default=100, metadata=_meta(_positive))


@dataclass(frozen=True)
class PosterSettings:
    """What `branchlink posters` prints around each code (empty: the defaults in bot/texts.py)."""

    slogan: str | None = None
    campaign_line: str | None = None
    footer: str | None = None
    font_path: str | None = None


@dataclass(frozen=True)
class TransferSettings:
    """What happens when customers move between managers."""

    notify_customers: bool = False


@dataclass(frozen=True)
class TalkSettings:
    """Conversations with a person: the first-response SLA and the platform's window."""

    # Minutes a conversation may wait for its first answer before the branch head hears.
    sla_minutes: int = field(default=10, metadata=_meta(_positive))
    # The customer-service window after the customer's last message, and its sends.
    window_hours: int = field(default=48, metadata=_meta(_positive))
    window_sends: int = field(default=5, metadata=_meta(_positive))
    # Images customers send are fetched from the platform into this folder, up to this size.
    media_dir: str = "instance/media"
    media_max_bytes: int = field(default=2_000_000, metadata=_meta(_positive))


@dataclass(frozen=True)
class ReferralSettings:
    """Referrals between staff: lock period, SLAs, expiry and how credit is shared."""

    lock_days: int = field(default=90, metadata=_meta(_positive))
    accept_hours: int = field(default=24, metadata=_meta(_positive))
    contact_hours: int = field(default=48, metadata=_meta(_positive))
    escalate_after_hours: int = field(default=24, metadata=_meta(_positive))
    expire_days: int = field(default=60, metadata=_meta(_positive))
    credit_model: str = field(default="shadow", metadata=_meta(
        _check(r"shadow|split", "must be shadow or split")))
    referrer_percent: int = field(default=30, metadata=_meta(
        lambda value: None if 0 <= value <= 100 else "must be 0 to 100"))
    split_days: int = field(default=180, metadata=_meta(_positive))


def _percent(value: Any) -> str | None:
    return None if 0 <= value <= 100 else "must be 0 to 100"


@dataclass(frozen=True)
class ScorecardSettings:
    """Simulated profit, the monthly run and pay by results (`[scorecards]`)."""

    overdue_provision: float = field(default=2.0, metadata=_meta(_percent))
    npl_provision: float = field(default=10.0, metadata=_meta(_percent))
    direct_cost: float = field(default=0.0, metadata=_meta(
        lambda value: None if value >= 0 else "must not be negative"))
    run_day: int = field(default=5, metadata=_meta(
        lambda value: None if 1 <= value <= 28 else "must be 1 to 28"))
    pay_rate: float = field(default=5.0, metadata=_meta(_percent))
    pay_threshold: float = field(default=0.0, metadata=_meta(
        lambda value: None if value >= 0 else "must not be negative"))
    pay_min_score: float = field(default=60.0, metadata=_meta(_percent))
    deferral_percent: float = field(default=40.0, metadata=_meta(_percent))
    deferral_years: int = field(default=3, metadata=_meta(
        lambda value: None if 1 <= value <= 10 else "must be 1 to 10"))


@dataclass(frozen=True)
class CampaignSettings:
    """Campaigns: the contact policy (quiet hours, caps, consent) and the mass-send limits."""

    quiet_start: str = field(default="21:00", metadata=_meta(_HH_MM))
    quiet_end: str = field(default="08:00", metadata=_meta(_HH_MM))
    per_week: int = field(default=2, metadata=_meta(_positive))
    mass_per_month: int = field(default=4, metadata=_meta(_positive))
    consent_purposes: str = field(default="", metadata=_meta(
        _check(r"([a-z_]+(,[a-z_]+)*)?", "must be comma-separated purposes")))
    batch_size: int = field(default=10_000, metadata=_meta(
        lambda value: None if 2 <= value <= 10_000 else "must be 2 to 10000"))
    calls_per_day: int = field(default=100, metadata=_meta(_positive))
    calls_per_minute: int = field(default=60, metadata=_meta(_positive))
    poll_seconds: float = field(default=5.0, metadata=_meta(_positive))


@dataclass(frozen=True)
class Settings:
    """Everything BranchLink is configured with."""

    wechat: WeChatSettings
    web: WebSettings
    webhook: WebhookSettings = field(default_factory=WebhookSettings)
    database: DatabaseSettings = field(default_factory=DatabaseSettings)
    server: ServerSettings = field(default_factory=ServerSettings)
    onboarding: OnboardingSettings = field(default_factory=OnboardingSettings)
    sandbox: SandboxSettings = field(default_factory=SandboxSettings)
    token_store: TokenStoreSettings = field(default_factory=TokenStoreSettings)
    leads: LeadSettings = field(default_factory=LeadSettings)
    binding: BindingSettings = field(default_factory=BindingSettings)
    outbox: OutboxSettings = field(default_factory=OutboxSettings)
    notifications: NotificationSettings = field(default_factory=NotificationSettings)
    transfer: TransferSettings = field(default_factory=TransferSettings)
    talk: TalkSettings = field(default_factory=TalkSettings)
    posters: PosterSettings = field(default_factory=PosterSettings)
    products: ProductSettings = field(default_factory=ProductSettings)
    referrals: ReferralSettings = field(default_factory=ReferralSettings)
    scorecards: ScorecardSettings = field(default_factory=ScorecardSettings)
    campaigns: CampaignSettings = field(default_factory=CampaignSettings)
    metrics: MetricsSettings = field(default_factory=MetricsSettings)
    logging: LoggingSettings = field(default_factory=LoggingSettings)


def load_settings(path: str | os.PathLike[str] | None = None,
                  environ: Mapping[str, str] | None = None) -> Settings:
    """Load settings from `path` (or $BRANCHLINK_CONFIG) overlaid with the environment."""
    environ = os.environ if environ is None else environ
    path = path or environ.get(CONFIG_ENV)
    data = _read_toml(Path(path)) if path else {}
    return settings_from_dict(data, environ)


def settings_from_dict(data: Mapping[str, Any], environ: Mapping[str, str]) -> Settings:
    """Build settings from parsed TOML tables plus environment overrides."""
    tables = get_type_hints(Settings)
    for name in data:
        if name not in tables:
            raise ConfigError(f"[{name}]: unknown table (known: {', '.join(tables)})")
    values = {name: _build(name, cls, data.get(name, {}), environ) for name, cls in tables.items()}
    return Settings(**values)


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except FileNotFoundError as error:
        raise ConfigError(f"config file {path} not found") from error
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"config file {path}: {error}") from error


def _build(table: str, cls: type, data: Any, environ: Mapping[str, str]) -> Any:
    if not isinstance(data, dict):
        raise ConfigError(f"[{table}]: must be a table")
    known = {f.name: f for f in fields(cls)}
    for key in data:
        if key not in known:
            raise ConfigError(f"[{table}] {key}: unknown key")
    hints = get_type_hints(cls)
    values = {}
    for key, spec in known.items():
        env_name = f"{ENV_PREFIX}{table}_{key}".upper()
        raw = environ.get(env_name, data.get(key, _MISSING))
        if raw is _MISSING or (raw == "" and _required(spec)):
            if _required(spec):
                raise ConfigError(f"[{table}] {key}: required (or set {env_name})")
            continue
        values[key] = _coerce(table, key, hints[key], raw, spec.metadata.get("check"))
    return cls(**values)


_MISSING = object()


def _required(spec: Any) -> bool:
    return bool(spec.default is MISSING and spec.default_factory is MISSING)


def _coerce(table: str, key: str, hint: Any, raw: Any, check: Any) -> Any:
    optional = get_origin(hint) in (Union, types.UnionType) and type(None) in get_args(hint)
    base = next(a for a in get_args(hint) if a is not type(None)) if optional else hint
    if optional and raw in ("", None):
        return None
    try:
        value = _convert(base, raw)
    except (TypeError, ValueError) as error:
        raise ConfigError(f"[{table}] {key}: {error}") from error
    problem = check(value) if check else None
    if problem:
        raise ConfigError(f"[{table}] {key}: {problem}")
    return value


def _convert(base: type, raw: Any) -> Any:
    if isinstance(raw, str) and base is bool:
        if raw.lower() not in ("true", "false", "1", "0"):
            raise ValueError(f"expected true or false, got {raw!r}")
        return raw.lower() in ("true", "1")
    if isinstance(raw, str) and base in (int, float):
        return base(raw)
    if base is float and type(raw) is int:
        return float(raw)
    if type(raw) is not base:
        raise TypeError(f"expected {base.__name__}, got {type(raw).__name__} {raw!r}")
    return raw
