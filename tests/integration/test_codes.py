"""Issuing codes over real HTTP to the sandbox's qrcode/create, recorded in the real registry."""

from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from functools import partial

import pytest

from bot.qrcodes.issuer import CodeIssuer
from crm_core import services
from crm_core.db import make_engine, make_session_factory
from crm_core.model import utcnow
from crm_core.services import CodeLimitReached
from crm_core.unit_of_work import SqlUnitOfWork, UnitOfWork
from tests.builders import org
from tests.sandbox_support import SandboxHandle, api_for, running_sandbox

CREATE = "/cgi-bin/qrcode/create"


@pytest.fixture
def uow_factory(database_url: str) -> Iterator[Callable[[], UnitOfWork]]:
    engine = make_engine(database_url)
    factory = partial(SqlUnitOfWork, make_session_factory(engine))
    with factory() as uow:
        org(uow, {"SH001": ["SH001-01", "SH001-02"], "BJ001": ["BJ001-01"]})
        uow.commit()
    yield factory
    engine.dispose()


@pytest.fixture(scope="module")
def sandbox() -> Iterator[SandboxHandle]:
    with running_sandbox(permanent_qr_limit=3) as sandbox:
        yield sandbox


@pytest.fixture
def issuer(sandbox: SandboxHandle,
           uow_factory: Callable[[], UnitOfWork]) -> Iterator[CodeIssuer]:
    sandbox.reset()
    with CodeIssuer(uow_factory, lambda: api_for(sandbox, timeout=2.0)) as issuer:
        yield issuer


def test_a_code_is_created_on_the_platform_once_then_reused(
        issuer: CodeIssuer, sandbox: SandboxHandle) -> None:
    first = issuer.issue("m:SH001-01")
    again = issuer.issue("m:SH001-01")
    assert first == again and first.kind == "permanent" and first.expires_at is None
    assert first.url.startswith("http://weixin.qq.com/q/")
    bodies = [r["json"] for r in sandbox.requests(CREATE)]
    assert len(bodies) == 1 and bodies[0]["action_name"] == "QR_LIMIT_STR_SCENE"
    assert bodies[0]["action_info"]["scene"]["scene_str"] == "m:SH001-01"


def test_campaign_codes_are_temporary_with_the_requested_life(
        issuer: CodeIssuer, sandbox: SandboxHandle) -> None:
    before = utcnow()
    info = issuer.issue("b:SH001;c:XMAS", days=2)
    assert info.kind == "temporary" and info.expires_at is not None
    assert before + timedelta(days=2) <= info.expires_at <= utcnow() + timedelta(days=2)
    body = sandbox.requests(CREATE)[0]["json"]
    assert (body["action_name"], body["expire_seconds"]) == ("QR_STR_SCENE", 2 * 86_400)


def test_an_expired_campaign_code_is_reissued_and_the_old_one_kept(
        issuer: CodeIssuer, sandbox: SandboxHandle,
        uow_factory: Callable[[], UnitOfWork]) -> None:
    start = datetime(2026, 12, 1, 8, 0)
    issuer.clock = lambda: start
    old = issuer.issue("b:SH001;c:XMAS", days=1)
    issuer.clock = lambda: start + timedelta(days=1, hours=1)
    new = issuer.issue("b:SH001;c:XMAS", days=1)
    assert new.url != old.url and sandbox.count(CREATE) == 2
    with uow_factory() as uow:
        listed = services.list_codes(uow, "SH001")
    assert [c["url"] for c in listed] == [new.url, old.url]


def test_our_registry_refuses_past_a_configured_cap_without_calling_the_platform(
        issuer: CodeIssuer, sandbox: SandboxHandle) -> None:
    issuer.permanent_cap = 1
    issuer.issue("b:SH001")
    with pytest.raises(CodeLimitReached, match="cap is 1"):
        issuer.issue("b:BJ001")
    assert sandbox.count(CREATE) == 1


def test_the_platforms_refusal_past_its_cap_is_reported_as_the_cap(
        issuer: CodeIssuer, sandbox: SandboxHandle) -> None:
    for scene in ("b:SH001", "b:BJ001", "m:SH001-01"):
        issuer.issue(scene)  # the sandbox's cap is 3
    with pytest.raises(CodeLimitReached, match="platform refused"):
        issuer.issue("m:SH001-02")
