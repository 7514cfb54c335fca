"""Staff accounts, logins, API tokens and manager binding: scope rules and the audit trail."""

from datetime import datetime, timedelta

import pytest

from crm_core import services
from crm_core.model import ApiToken, LoginCounter, NoticeStatus, StaffRole
from crm_core.services import BindResult
from tests.builders import org
from tests.fakes import FakeUnitOfWork

T0 = datetime(2026, 11, 28, 9, 0)
WINDOW = timedelta(minutes=15)
LIMITS = services.LoginLimits(per_account=5, per_address=20, window=WINDOW)
MANAGER_WECHAT = "o-manager-wechat"


def make_uow() -> FakeUnitOfWork:
    uow = FakeUnitOfWork()
    org(uow, {"SH001": ["SH001-01", "SH001-02"]})
    return uow


def actions(uow: FakeUnitOfWork) -> list[tuple[str, str, str]]:
    return [(e.actor, e.action, e.subject) for e in uow.audit.events]


def add(uow: FakeUnitOfWork, username: str, role: StaffRole, manager: str | None = None,
        branch: str | None = None) -> None:
    services.add_staff(uow, username, username, "hash", role, manager, branch, "admin", T0)


def test_each_role_needs_what_its_scope_is_made_of_and_every_account_is_audited() -> None:
    uow = make_uow()
    with pytest.raises(ValueError, match="needs --manager"):
        add(uow, "li", StaffRole.MANAGER)
    with pytest.raises(ValueError, match="needs --branch"):
        add(uow, "wang", StaffRole.BRANCH_HEAD)
    with pytest.raises(LookupError):
        add(uow, "li", StaffRole.MANAGER, manager="ZZ999-01")
    add(uow, "li", StaffRole.MANAGER, manager="SH001-01")
    with pytest.raises(ValueError, match="exists"):
        add(uow, "li", StaffRole.HEAD_OFFICE)
    assert actions(uow) == [("admin", "staff_added", "li")]


def test_a_manager_account_sees_the_branch_of_its_manager() -> None:
    uow = make_uow()
    add(uow, "li", StaffRole.MANAGER, manager="SH001-02")
    add(uow, "hq", StaffRole.HEAD_OFFICE)
    li, hq = uow.staff.by_username("li"), uow.staff.by_username("hq")
    assert li is not None and hq is not None
    scope = services.scope_of(li)
    manager, branch = uow.managers.by_code("SH001-02"), uow.branches.by_code("SH001")
    assert manager is not None and branch is not None
    assert (scope.role, scope.manager_id, scope.branch_id) == (StaffRole.MANAGER, manager.id,
                                                               branch.id)
    assert scope.sees_phone_numbers and not services.scope_of(hq).sees_phone_numbers


def attempt(uow: FakeUnitOfWork, username: str, ok: bool, now: datetime,
            address: str = "10.0.0.1") -> str:
    """Log in as the console does: count the attempt, then check the password unless refused."""
    refused = services.admit_login(uow, username, address, now, LIMITS)
    if refused:
        services.record_refused_login(uow, username, address, refused, now)
        return refused
    services.record_login(uow, username, address, ok, now, LIMITS.window)
    return "ok" if ok else "wrong"


def test_failed_logins_lock_the_account_until_its_window_ends_however_often_it_is_tried(
        ) -> None:
    uow = make_uow()
    add(uow, "li", StaffRole.MANAGER, manager="SH001-01")
    add(uow, "wang", StaffRole.MANAGER, manager="SH001-02")
    tries = [attempt(uow, "li", False, T0 + timedelta(minutes=m), f"10.0.0.{m}")
             for m in range(5)]
    assert tries == ["wrong"] * 5
    locked = T0 + timedelta(minutes=14)
    assert [attempt(uow, "li", True, locked, f"10.0.1.{n}") for n in range(3)] == ["account"] * 3
    assert attempt(uow, "wang", True, locked) == "ok"
    assert attempt(uow, "li", True, T0 + WINDOW) == "ok"  # the window began with the first try
    assert [a for _, a, s in actions(uow) if s == "li"].count("login_throttled") == 3


def test_one_address_past_its_limit_is_refused_for_every_account() -> None:
    uow = make_uow()
    add(uow, "li", StaffRole.MANAGER, manager="SH001-01")
    assert {attempt(uow, f"user{n}", False, T0) for n in range(LIMITS.per_address)} == {"wrong"}
    assert attempt(uow, "li", True, T0) == "address"
    assert attempt(uow, "li", True, T0, address="10.9.9.9") == "ok"
    assert attempt(uow, "li", True, T0 + WINDOW) == "ok"


def test_a_good_login_clears_the_accounts_failures_and_takes_back_its_own_attempt() -> None:
    uow = make_uow()
    add(uow, "li", StaffRole.MANAGER, manager="SH001-01")
    for minute in range(4):
        attempt(uow, "li", False, T0 + timedelta(minutes=minute))
    assert attempt(uow, "li", True, T0 + timedelta(minutes=4)) == "ok"
    account = uow.staff.by_username("li")
    assert account is not None and account.last_login_at == T0 + timedelta(minutes=4)
    assert actions(uow)[-1] == ("li", "login", "li")
    assert [c.attempts for c in uow.store.rows(LoginCounter)] == [4]  # the address's four fails
    attempt(uow, "wang", False, T0, address="10.0.0.2")
    assert attempt(uow, "li", False, T0 + WINDOW + timedelta(minutes=1)) == "wrong"
    counted = [(c.key, c.attempts) for c in uow.store.rows(LoginCounter)]
    assert counted == [("ip:10.0.0.1", 1), ("staff:1", 1)]  # new windows; 10.0.0.2's is over


def test_a_new_password_or_a_deactivation_ends_sessions_and_revokes_every_live_token(
        ) -> None:
    uow = make_uow()
    add(uow, "li", StaffRole.MANAGER, manager="SH001-01")
    add(uow, "hq", StaffRole.HEAD_OFFICE)
    for name in ("a", "b", "c"):
        services.issue_api_token(uow, "li", name, T0, "admin")
    assert services.revoke_api_tokens(uow, "li", [1], "hq", T0) == 1
    with pytest.raises(LookupError):
        services.revoke_api_tokens(uow, "li", [1, 2], "hq", T0)  # 1 is no longer live
    assert [t["live_tokens"] for t in services.staff_listing(uow)] == [0, 2]
    li = uow.staff.by_username("li")
    assert li is not None and li.session_generation == 0
    assert services.set_staff_password(uow, "li", "new", "hq", T0) == 2
    assert (li.password_hash, li.session_generation) == ("new", 1)
    services.log_out(uow, li.id, "10.0.0.1", T0)
    with pytest.raises(ValueError, match="itself"):
        services.deactivate_staff(uow, "hq", "hq", T0)
    assert services.deactivate_staff(uow, "li", "hq", T0) == 0
    assert (li.active, li.session_generation) == (False, 3)
    assert [t["revoked_at"] for t in services.api_tokens_of(uow, "li")] == [T0] * 3
    assert [a for _, a, _ in actions(uow)][-4:] == ["api_token_revoked", "password_set",
                                                     "logout", "staff_deactivated"]


def test_an_api_token_is_kept_hashed_and_stops_with_revocation_or_a_disabled_account() -> None:
    uow = make_uow()
    add(uow, "li", StaffRole.MANAGER, manager="SH001-01")
    token = services.issue_api_token(uow, "li", "crm-sync", T0, "admin")
    [row] = uow.store.rows(ApiToken)
    assert token not in row.token_hash
    account = services.staff_for_token(uow, token, T0 + timedelta(hours=1))
    assert account is not None and account.username == "li"
    assert row.last_used_at == T0 + timedelta(hours=1)
    assert services.staff_for_token(uow, token + "x", T0) is None
    account.active = False
    assert services.staff_for_token(uow, token, T0) is None
    account.active, row.revoked_at = True, T0
    assert services.staff_for_token(uow, token, T0) is None
    assert actions(uow)[-1] == ("admin", "api_token_issued", "li")


def test_a_bind_code_binds_once_releases_held_notices_and_is_audited() -> None:
    uow = make_uow()
    services.follow(uow, "c1", "m:SH001-01", T0)
    [held] = uow.notices.items
    assert held.status is NoticeStatus.HELD
    code = services.issue_bind_code(uow, "SH001-01", T0, timedelta(minutes=30), "admin")
    bound = services.bind_manager(uow, MANAGER_WECHAT, code, T0, 5, WINDOW)
    assert bound.result is BindResult.BOUND and held.status is NoticeStatus.PENDING
    again = services.bind_manager(uow, "o-someone-else", code, T0, 5, WINDOW)
    assert again.result is BindResult.WRONG
    assert code not in str(actions(uow))
    assert [a for _, a, _ in actions(uow)] == ["bind_code_issued", "manager_bound", "bind_failed"]


def test_an_expired_code_is_wrong_and_wrong_codes_are_throttled_before_a_right_one() -> None:
    uow = make_uow()
    stale = services.issue_bind_code(uow, "SH001-01", T0, timedelta(minutes=30), "admin")
    late = T0 + timedelta(minutes=30)
    assert services.bind_manager(uow, MANAGER_WECHAT, stale, late, 5, WINDOW).result \
        is BindResult.WRONG
    for attempt in range(4):
        services.bind_manager(uow, MANAGER_WECHAT, f"0000000{attempt}", late, 5, WINDOW)
    code = services.issue_bind_code(uow, "SH001-01", late, timedelta(minutes=30), "admin")
    assert services.bind_manager(uow, MANAGER_WECHAT, code, late, 5, WINDOW).result \
        is BindResult.THROTTLED
    after = late + WINDOW + timedelta(seconds=1)
    assert services.bind_manager(uow, MANAGER_WECHAT, code, after, 5, WINDOW).result \
        is BindResult.BOUND


def test_a_wechat_account_bound_to_one_manager_cannot_bind_another() -> None:
    uow = make_uow()
    first = services.issue_bind_code(uow, "SH001-01", T0, timedelta(minutes=30), "admin")
    services.bind_manager(uow, MANAGER_WECHAT, first, T0, 5, WINDOW)
    second = services.issue_bind_code(uow, "SH001-02", T0, timedelta(minutes=30), "admin")
    taken = services.bind_manager(uow, MANAGER_WECHAT, second, T0, 5, WINDOW)
    assert taken.result is BindResult.TAKEN and taken.manager is not None
    assert taken.manager.code == "SH001-01"
    services.unbind_manager(uow, "SH001-01", T0, "admin")
    assert services.bound_manager(uow, MANAGER_WECHAT) is None
    assert services.bind_manager(uow, MANAGER_WECHAT, second, T0, 5, WINDOW).result \
        is BindResult.BOUND
