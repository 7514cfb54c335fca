"""Staff login for the console: Flask-Login sessions, hashed passwords, throttling, timeout.

A session names its account and the account's session generation; the user loader accepts it
only while the account is active and its generation unchanged, so a logout, a new password
or a deactivation ends the session on the server, whatever the browser kept.
"""

from datetime import timedelta

from flask import Flask
from flask_login import LoginManager, UserMixin
from werkzeug.security import check_password_hash, generate_password_hash

from bot import texts
from bot.runtime import Runtime
from crm_core import services
from crm_core.model import Scope, StaffAccount, utcnow

SESSION_IDLE = timedelta(minutes=30)
MAX_FAILURES, FAILURE_WINDOW = 5, timedelta(minutes=15)
# Compared against when the username is unknown, so both paths cost one hash check.
_DUMMY_HASH = generate_password_hash("not-a-password")


class StaffUser(UserMixin):  # type: ignore[misc]
    """The logged-in staff member, carrying their scope and session generation."""

    def __init__(self, scope: Scope, generation: int) -> None:
        self.scope = scope
        self.id = f"{scope.staff_id}.{generation}"

    @classmethod
    def of(cls, account: StaffAccount) -> "StaffUser":
        """Return the user for an account as it stands."""
        return cls(services.scope_of(account), account.session_generation)


def hash_password(password: str) -> str:
    """Hash a password with werkzeug's default scheme (scrypt)."""
    if len(password) < 10:
        raise ValueError("a password needs at least 10 characters")
    return generate_password_hash(password)


def authenticate(runtime: Runtime, username: str, password: str, ip: str) -> StaffUser | None:
    """Check a login within the account and address limits; every attempt is audited."""
    now, limits = utcnow(), login_limits(runtime)
    with runtime.uow() as uow:
        refused = services.admit_login(uow, username, ip, now, limits)
        if refused:
            services.record_refused_login(uow, username, ip, refused, now)
        account = uow.staff.by_username(username)
        stored = account.password_hash if account and account.active else None
        uow.commit()  # the attempt counts for concurrent ones before the slow hash check
    if refused:
        return None
    ok = check_password_hash(stored or _DUMMY_HASH, password) and stored is not None
    with runtime.uow() as uow:
        services.record_login(uow, username, ip, ok, now, limits.window)
        account = uow.staff.by_username(username)
        user = StaffUser.of(account) if ok and account else None
        uow.commit()
    return user


def login_limits(runtime: Runtime) -> services.LoginLimits:
    """Return the login limits: per account fixed, per address from `[web]`."""
    return services.LoginLimits(MAX_FAILURES, runtime.settings.web.login_failures_per_address,
                                FAILURE_WINDOW)


def init_auth(app: Flask, runtime: Runtime) -> None:
    """Configure sessions and the login manager."""
    previous = runtime.settings.web.previous_secret_key
    app.config.update(SECRET_KEY=runtime.settings.web.secret_key,
                      SECRET_KEY_FALLBACKS=[previous] if previous else [],
                      PERMANENT_SESSION_LIFETIME=SESSION_IDLE,
                      SESSION_REFRESH_EACH_REQUEST=True, SESSION_COOKIE_HTTPONLY=True,
                      SESSION_COOKIE_SAMESITE="Lax",
                      SESSION_COOKIE_SECURE=runtime.settings.web.public_base_url.startswith(
                          "https"))
    manager = LoginManager(app)
    manager.login_view = "console.login"
    manager.login_message = texts.LOGIN_REQUIRED
    manager.session_protection = "strong"

    @manager.user_loader
    def load(user_id: str) -> StaffUser | None:
        staff_id = user_id.partition(".")[0]
        with runtime.uow() as uow:
            account = uow.staff.get(int(staff_id)) if staff_id.isdigit() else None
            if account is None or not account.active:
                return None
            user = StaffUser.of(account)
        return user if user.id == user_id else None
