"""Typed, frozen settings loaded from a TOML file and the environment.

Every key may be overridden by an environment variable named BRANCHLINK_<TABLE>_<KEY>
(for example BRANCHLINK_WECHAT_TOKEN), which is how secrets reach production. An unknown
table or key, a missing required key or a bad value stops start-up with a message naming it.
The tables live in `service` (the service's own) and `features` (the product's); what each
value must look like, in `rules`.
"""

import os
import tomllib
import types
from collections.abc import Mapping
from dataclasses import MISSING, dataclass, field, fields
from pathlib import Path
from typing import Any, Union, get_args, get_origin, get_type_hints

from bot.config.features import (
    BindingSettings,
    CampaignSettings,
    LeadSettings,
    NotificationSettings,
    OnboardingSettings,
    OutboxSettings,
    PosterSettings,
    ProductSettings,
    ReferralSettings,
    ScorecardSettings,
    TalkSettings,
    TransferSettings,
)
from bot.config.rules import ConfigError
from bot.config.service import (
    DatabaseSettings,
    LoggingSettings,
    MetricsSettings,
    SandboxSettings,
    ServerSettings,
    TokenStoreSettings,
    WebhookSettings,
    WebSettings,
    WeChatSettings,
    console_url,
)

__all__ = ["BindingSettings", "ConfigError", "NotificationSettings", "PosterSettings",
           "ProductSettings", "Settings", "console_url", "load_settings", "settings_from_dict"]

ENV_PREFIX = "BRANCHLINK_"
CONFIG_ENV = "BRANCHLINK_CONFIG"


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
