"""The service's own tables: the platform account, web pages, webhook, database, server,
metrics, logs and the loopback sandbox."""

from dataclasses import dataclass, field

from bot.config.rules import (
    AES_KEY,
    APP_ID,
    HOST_PORT,
    MODE,
    TOKEN,
    URL,
    ConfigError,
    check,
    connect_timeout,
    database_url,
    meta,
    not_negative,
    positive,
)


@dataclass(frozen=True)
class WeChatSettings:
    """The official account and how it talks to us."""

    app_id: str = field(metadata=meta(APP_ID))
    token: str = field(repr=False, metadata=meta(TOKEN))
    encoding_aes_key: str | None = field(default=None, repr=False, metadata=meta(AES_KEY))
    previous_encoding_aes_key: str | None = field(default=None, repr=False,
                                                  metadata=meta(AES_KEY))
    accept_previous_key: bool = True
    app_secret: str | None = field(default=None, repr=False, metadata=meta())
    api_base_url: str = "https://api.weixin.qq.com"
    # Where visitors' browsers are sent for web authorisation (网页授权); the sandbox in trials.
    oauth_base_url: str = field(default="https://open.weixin.qq.com", metadata=meta(URL))
    connect_timeout: float = field(default=3.0, metadata=meta(positive))
    read_timeout: float = field(default=5.0, metadata=meta(positive))
    max_token_refreshes: int = field(default=1, metadata=meta(positive))
    # The account's display name, for visitors who must search it (None: a generic wording).
    account_name: str | None = field(default=None, metadata=meta(
        check(r"\S.{0,29}", "must be 1..30 characters, the name shown on WeChat")))
    # Which callbacks the webhook accepts (resolved below when left empty).
    mode: str = field(default="", metadata=meta(MODE))

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

    backend: str = field(default="database", metadata=meta(
        check(r"database|redis", "must be database or redis")))
    redis_url: str = field(default="redis://127.0.0.1:6379/0", repr=False)


@dataclass(frozen=True)
class WebSettings:
    """The service's own web pages: signing key and public address."""

    secret_key: str = field(repr=False, metadata=meta(
        check(r"\S{32,}", "must be at least 32 characters (e.g. `openssl rand -hex 32`)")))
    public_base_url: str = field(default="http://127.0.0.1:8000", metadata=meta(URL))
    # Where staff open the console (links in manager notices lead there, behind its login).
    # Empty: public_base_url.
    console_base_url: str = field(default="", metadata=meta(
        check(r"(https?://\S+[^/])?", "must be empty or an http(s) URL without a trailing "
                                        "slash")))
    # During a rotation: the secret before `secret_key`. Still accepted for sessions, share
    # links and cookies; still decrypts phone numbers until `customers rotate-phones` ran.
    previous_secret_key: str | None = field(default=None, repr=False, metadata=meta(
        check(r"\S{32,}", "must be at least 32 characters")))
    # Reverse proxies in front of the service that append to X-Forwarded-For (and set
    # X-Forwarded-Proto); the client address is the one the outermost of them saw. 0: none,
    # the header is ignored, since any client can write it.
    trusted_proxies: int = field(default=0, metadata=meta(not_negative))
    # Failed console logins from one client address, across all accounts, per 15 minutes
    # before that address is refused for the rest of them (a branch's staff may share one).
    login_failures_per_address: int = field(default=20, metadata=meta(positive))


def console_url(web: WebSettings) -> str:
    """Return the console's address (base URL), as manager notices link to it."""
    return web.console_base_url or web.public_base_url


@dataclass(frozen=True)
class WebhookSettings:
    """Limits on what the webhook accepts."""

    timestamp_window_seconds: int = field(default=300, metadata=meta(positive))
    max_body_bytes: int = field(default=65536, metadata=meta(positive))
    spool_dir: str = "instance/spool"


@dataclass(frozen=True)
class MetricsSettings:
    """Who may read /metrics: the host itself (loopback, not through a proxy) always; anyone
    else only with this bearer token. None: nobody else."""

    token: str | None = field(default=None, repr=False, metadata=meta(
        check(r"[A-Za-z0-9_-]{32,}", "must be at least 32 letters, digits, - or _")))


@dataclass(frozen=True)
class LoggingSettings:
    """How log lines are written: `text` for a terminal, `json` (one object per line) for a
    log collector."""

    format: str = field(default="text", metadata=meta(check(r"text|json",
                                                              "must be text or json")))
    level: str = field(default="INFO", metadata=meta(
        check(r"DEBUG|INFO|WARNING|ERROR", "must be DEBUG, INFO, WARNING or ERROR")))


@dataclass(frozen=True)
class DatabaseSettings:
    """Where the CRM core keeps its data, and how long to wait on PostgreSQL before a stall
    counts as an outage (callbacks are then spooled within WeChat's 5 s)."""

    url: str = field(default="sqlite:///instance/branchlink.db", metadata=meta(database_url))
    connect_timeout: int = field(default=2, metadata=meta(connect_timeout))
    statement_timeout: float = field(default=3.0, metadata=meta(positive))
    lock_timeout: float = field(default=2.0, metadata=meta(positive))
    pool_timeout: float = field(default=1.0, metadata=meta(positive))


@dataclass(frozen=True)
class ServerSettings:
    """How `branchlink serve` runs."""

    bind: str = field(default="127.0.0.1:8000",
                      metadata=meta(HOST_PORT))
    workers: int = field(default=2, metadata=meta(positive))
    threads: int = field(default=4, metadata=meta(positive))
    embedded_worker: bool = True
    spool_replay_seconds: int = field(default=30, metadata=meta(positive))
    # How often the worker writes to the timelines the exchanges of answered messages.
    timeline_seconds: float = field(default=0.5, metadata=meta(positive))


@dataclass(frozen=True)
class SandboxSettings:
    """The loopback WeChat API stand-in that `branchlink serve` can start for local trials."""

    enabled: bool = False
    bind: str = field(default="127.0.0.1:8081",
                      metadata=meta(HOST_PORT))
