"""The QR code registry: reuse, permanent cap, temporary expiry and what a batch prints."""

from datetime import datetime, timedelta

import pytest

from crm_core import services
from crm_core.model import CodeKind, ManagerState, QrCode, SceneError, Scope, StaffRole
from crm_core.services import (
    CodeInfo,
    CodeLimitReached,
    CodeToCreate,
    SceneRefused,
    UnknownRecord,
)
from tests.builders import org
from tests.fakes import FakeUnitOfWork

T0 = datetime(2026, 11, 28, 9, 0)


def make_uow() -> FakeUnitOfWork:
    uow = FakeUnitOfWork()
    org(uow, {"SH001": ["SH001-01", "SH001-02"], "BJ001": ["BJ001-01"]},
        {"SH001-02": ManagerState.LEFT})
    return uow


def issue(uow: FakeUnitOfWork, scene: str, at: datetime = T0, **options: int) -> CodeInfo:
    """Decide, and when a new code is needed play the platform with a made-up ticket."""
    decision = services.code_for(uow, scene, at, **options)
    if isinstance(decision, CodeInfo):
        return decision
    n = len(uow.codes.items)
    return services.record_code(uow, decision, f"ticket-{n}", f"http://weixin.qq.com/q/{n}",
                                decision.expire_seconds, at)


def test_branch_and_manager_scenes_ask_for_permanent_codes() -> None:
    uow = make_uow()
    assert services.code_for(uow, "b:SH001", T0) == CodeToCreate("b:SH001", True, None)
    assert services.code_for(uow, "m:SH001-01", T0) == CodeToCreate("m:SH001-01", True, None)


def test_campaign_scenes_ask_for_temporary_codes_of_at_most_thirty_days() -> None:
    uow = make_uow()
    assert services.code_for(uow, "b:SH001;c:SPRING", T0, days=7) == CodeToCreate(
        "b:SH001;c:SPRING", False, 7 * 86_400)
    assert services.code_for(uow, "b:SH001;c:SPRING", T0).expire_seconds == 30 * 86_400
    with pytest.raises(ValueError, match="temporary_days"):
        services.code_for(uow, "b:SH001;c:SPRING", T0, days=31)


def test_a_scene_with_a_valid_code_reuses_it() -> None:
    uow = make_uow()
    first = issue(uow, "m:SH001-01")
    again = services.code_for(uow, "m:SH001-01", T0 + timedelta(days=400))
    assert again == first and len(uow.codes.items) == 1


def test_recorded_code_keeps_branch_manager_and_campaign_for_statistics() -> None:
    uow = make_uow()
    issue(uow, "m:SH001-01;c:SPRING", days=3)
    code = uow.codes.items[0]
    manager = uow.managers.by_code("SH001-01")
    assert manager is not None
    assert (code.kind, code.manager_id, code.branch_id, code.campaign) == (
        CodeKind.TEMPORARY, manager.id, manager.branch.id, "SPRING")
    assert code.expires_at == T0 + timedelta(days=3)


def test_permanent_codes_are_refused_past_the_cap_but_existing_ones_still_served() -> None:
    uow = make_uow()
    issue(uow, "b:SH001", permanent_cap=2)
    issue(uow, "b:BJ001", permanent_cap=2)
    with pytest.raises(CodeLimitReached, match="cap is 2"):
        services.code_for(uow, "m:SH001-01", T0, permanent_cap=2)
    assert isinstance(services.code_for(uow, "b:SH001", T0, permanent_cap=2), CodeInfo)


def test_temporary_codes_do_not_count_against_the_permanent_cap() -> None:
    uow = make_uow()
    issue(uow, "b:SH001;c:A", permanent_cap=1)
    assert isinstance(services.code_for(uow, "b:SH001", T0, permanent_cap=1), CodeToCreate)


def test_an_expired_temporary_code_is_reissued_and_kept_as_history() -> None:
    uow = make_uow()
    old = issue(uow, "b:SH001;c:SPRING", days=1)
    later = T0 + timedelta(days=2)
    decision = services.code_for(uow, "b:SH001;c:SPRING", later, days=1)
    assert isinstance(decision, CodeToCreate)
    new = issue(uow, "b:SH001;c:SPRING", later, days=1)
    assert new.url != old.url and new.expires_at == later + timedelta(days=1)
    assert [c["url"] for c in services.list_codes(uow)] == [new.url, old.url]


def test_a_temporary_code_about_to_expire_is_not_printed_again() -> None:
    uow = make_uow()
    issue(uow, "b:SH001;c:SPRING", days=1)
    nearly = T0 + timedelta(days=1) - timedelta(minutes=10)
    assert isinstance(services.code_for(uow, "b:SH001;c:SPRING", nearly), CodeToCreate)


def test_recording_a_permanent_twin_returns_the_code_already_recorded() -> None:
    uow = make_uow()
    request = services.code_for(uow, "b:SH001", T0)
    assert isinstance(request, CodeToCreate)
    first = services.record_code(uow, request, "t1", "http://weixin.qq.com/q/1", None, T0)
    twin = services.record_code(uow, request, "t2", "http://weixin.qq.com/q/2", None, T0)
    assert twin == first and len(uow.codes.items) == 1


@pytest.mark.parametrize(("scene", "error"), [
    ("b:NOPE", UnknownRecord), ("m:NOPE-01", UnknownRecord), ("c:ONLY", SceneError),
    ("x" * 70, SceneError),
])
def test_unknown_or_malformed_scenes_are_refused(scene: str, error: type[Exception]) -> None:
    with pytest.raises(error):
        services.code_for(make_uow(), scene, T0)


def test_poster_targets_cover_each_branch_and_its_managers_still_at_the_bank() -> None:
    uow = make_uow()
    targets = services.poster_targets(uow, ["SH001"], campaign="SPRING")
    assert [t.scene for t in targets] == ["b:SH001;c:SPRING", "m:SH001-01;c:SPRING"]
    assert targets[1].manager_name == "经理SH001-01" and targets[1].branch_name == "SH001支行"
    everyone = services.poster_targets(uow, managers=True)
    assert [t.scene for t in everyone] == ["b:BJ001", "m:BJ001-01", "b:SH001", "m:SH001-01"]
    with pytest.raises(UnknownRecord, match="XX9"):
        services.poster_targets(uow, ["SH001", "XX9"])


def test_listing_filters_by_branch() -> None:
    uow = make_uow()
    issue(uow, "b:SH001")
    issue(uow, "m:BJ001-01")
    assert [c["scene"] for c in services.list_codes(uow, "BJ001")] == ["m:BJ001-01"]
    assert all(isinstance(c, QrCode) for c in uow.codes.items)


def scope_of(uow: FakeUnitOfWork, role: StaffRole, manager: str | None = None,
             branch: str | None = None) -> Scope:
    found = uow.managers.by_code(manager) if manager else None
    home = uow.branches.by_code(branch) if branch else None
    return Scope(1, "staff", "staff", role, found.id if found else None,
                 home.id if home else found.branch.id if found else None)


def test_a_scene_whose_manager_works_at_another_branch_is_refused_to_everyone() -> None:
    uow = make_uow()
    for scope in (None, scope_of(uow, StaffRole.HEAD_OFFICE),
                  scope_of(uow, StaffRole.BRANCH_HEAD, branch="SH001")):
        with pytest.raises(SceneRefused) as refused:
            services.code_for(uow, "b:SH001;m:BJ001-01", T0, scope=scope)
        assert refused.value.code == "manager_elsewhere"
        assert refused.value.names == {"manager": "BJ001-01", "branch": "SH001"}
    assert isinstance(services.code_for(uow, "b:SH001;m:SH001-01", T0), CodeToCreate)


@pytest.mark.parametrize(("scene", "allowed"), [
    ("b:SH001", True), ("m:SH001-01", True), ("b:SH001;m:SH001-01;c:A", True),
    ("b:BJ001", False), ("m:BJ001-01", False), ("b:BJ001;c:A", False)])
def test_a_branch_head_issues_codes_of_their_own_branch_only(scene: str, allowed: bool) -> None:
    uow = make_uow()
    head = scope_of(uow, StaffRole.BRANCH_HEAD, branch="SH001")
    if allowed:
        assert isinstance(services.code_for(uow, scene, T0, scope=head), CodeToCreate)
        return
    with pytest.raises(SceneRefused) as refused:
        services.code_for(uow, scene, T0, scope=head)
    assert (refused.value.code, refused.value.names) == ("out_of_scope", {"subject": "BJ001"})


def test_a_manager_issues_only_their_own_code() -> None:
    uow = make_uow()
    manager = scope_of(uow, StaffRole.MANAGER, manager="SH001-01")
    assert isinstance(services.code_for(uow, "m:SH001-01;c:A", T0, scope=manager), CodeToCreate)
    for scene, named in (("b:SH001", "SH001"), ("m:SH001-02", "SH001-02")):
        with pytest.raises(SceneRefused) as refused:
            services.code_for(uow, scene, T0, scope=manager)
        assert refused.value.names == {"subject": named}
