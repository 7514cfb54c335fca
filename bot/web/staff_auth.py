"""Staff login for the console: Flask-Login sessions, hashed passwords, throttling, timeout."""

from datetime import timedelta

from flask import Flask
from flask_login import LoginManager, UserMixin
from werkzeug.security import check_password_hash, generate_password_hash

from bot import texts
from bot.runtime import Runtime
from crm_core import services
from crm_core.model import Scope, utcnow

SESSION_IDLE = timedelta(minutes=30)
MAX_FAILURES, FAILURE_WINDOW = 5, timedelta(minutes=15)
# Compared against when the username is unknown, so both paths cost one hash check.
_DUMMY_HASH = generate_password_hash("not-a-password")


class StaffUser(UserMixin):  # type: ignore[misc]
    """The logged-in staff member, carrying their scope."""

    def __init__(self, scope: Scope) -> None:
        self.scope = scope
        self.id = str(scope.staff_id)


def hash_password(password: str) -> str:
    """Hash a password with werkzeug's default scheme (scrypt)."""
    if len(password) < 10:
        raise ValueError("a password needs at least 10 characters")
    return generate_password_hash(password)


def authenticate(runtime: Runtime, username: str, password: str, ip: str) -> Scope | None:
    """Check a login, throttling repeated failures per account; every attempt is audited."""
    now = utcnow()
    with runtime.uow() as uow:
        if not services.login_allowed(uow, username, now, MAX_FAILURES, FAILURE_WINDOW):
            services.record_login(uow, username, False, now, ip)
            uow.commit()
            return None
        account = uow.staff.by_username(username)
        valid = check_password_hash(account.password_hash if account else _DUMMY_HASH, password)
        ok = bool(account and account.active and valid)
        services.record_login(uow, username, ok, now, ip)
        scope = services.scope_of(account) if ok and account else None
        uow.commit()
    return scope


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
    def load(staff_id: str) -> StaffUser | None:
        with runtime.uow() as uow:
            account = uow.staff.get(int(staff_id)) if staff_id.isdigit() else None
            return StaffUser(services.scope_of(account)) if account and account.active else None
