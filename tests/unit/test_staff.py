"""Staff accounts, logins, API tokens and manager binding: scope rules and the audit trail."""

from datetime import datetime, timedelta

import pytest

from crm_core import services
from crm_core.model import ApiToken, NoticeStatus, StaffRole
from crm_core.services import BindResult
from tests.builders import org
from tests.fakes import FakeUnitOfWork

T0 = datetime(2026, 11, 28, 9, 0)
WINDOW = timedelta(minutes=15)
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


def test_repeated_failed_logins_lock_that_account_until_the_window_has_passed() -> None:
    uow = make_uow()
    for minute in range(5):
        services.record_login(uow, "li", False, T0 + timedelta(minutes=minute), "10.0.0.1")
    services.record_login(uow, "wang", False, T0, "10.0.0.1")
    later = T0 + timedelta(minutes=5)
    assert not services.login_allowed(uow, "li", later, 5, WINDOW)
    assert services.login_allowed(uow, "wang", later, 5, WINDOW)
    assert services.login_allowed(uow, "li", T0 + WINDOW + timedelta(minutes=1), 5, WINDOW)


def test_a_good_login_is_audited_and_stamped_on_the_account() -> None:
    uow = make_uow()
    add(uow, "li", StaffRole.MANAGER, manager="SH001-01")
    services.record_login(uow, "li", True, T0, "10.0.0.1")
    account = uow.staff.by_username("li")
    assert account is not None and account.last_login_at == T0
    assert actions(uow)[-1] == ("li", "login", "li")


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
