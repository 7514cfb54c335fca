"""Settings of one sandbox account; defaults mirror the platform's documented limits."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class SandboxConfig:
    """The account the sandbox impersonates and the rules it enforces."""

    app_id: str
    app_secret: str
    original_id: str = "gh_sandbox000000"  # the account's gh_ id: ToUserName of pushed events
    token_ttl_seconds: int = 7200
    token_grace_seconds: float = 300.0  # a replaced token keeps working this long
    ticket_ttl_seconds: int = 7200  # JS-SDK tickets (ticket/getticket)
    templates: tuple[str, ...] = ()  # empty: every template_id is accepted
    followers: tuple[str, ...] = ()  # openids following from the start (no reply window)
    everyone_follows: bool = False  # demo: every openid counts as a follower on first sight
    permanent_qr_limit: int = 100_000
    mass_monthly_limit: int = 4  # mass messages one user receives per month
    # Hosts (host or host:port) redirect_uri may name in web authorisation; empty: any.
    oauth_domains: tuple[str, ...] = ()
    webhook_url: str | None = None  # set both to push TEMPLATESENDJOBFINISH after each send
    webhook_token: str | None = None
