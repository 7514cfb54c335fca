"""The QR code registry: reuse a usable code, or tell the channel which code to create.

The platform call itself belongs to the channel: `code_for` answers with the code to reuse or a
`CodeToCreate` (or refuses past the permanent-code cap); once the platform has issued it, the
channel records it with `record_code`. Scenes with a campaign get temporary codes (30 days at
most), branch and manager scenes permanent ones; an expired temporary code is re-issued and its
row kept as history. A scene naming a branch and a manager needs the manager to work there
(followers join the scene's manager; the branch's posters print its own managers only), and
staff issue codes within their scope only: a branch head their branch's, a manager their own.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from crm_core.model import (
    MAX_TEMPORARY_DAYS,
    PERMANENT_CODE_CAP,
    Branch,
    CodeKind,
    Manager,
    ManagerState,
    QrCode,
    Scene,
    Scope,
    StaffRole,
    format_scene,
    parse_scene,
)
from crm_core.services.org import UnknownRecord
from crm_core.unit_of_work import UnitOfWork


class CodeLimitReached(Exception):
    """No permanent code may be issued any more: the account's cap is reached."""

    code = "code_limit"
    params: dict[str, object] = {}  # noqa: RUF012 - never mutated: the sentence needs none


class SceneRefused(ValueError):
    """A scene the issuer may not have: `code` is `manager_elsewhere` (the manager works at
    another branch than the scene's), `out_of_scope` (a branch or manager not theirs) or
    `temporary_days` (a lifetime past the platform's); `names` are the values involved."""

    def __init__(self, code: str, **names: str) -> None:
        super().__init__(f"{code}: {names}")
        self.code, self.names = code, names
        self.params = names


@dataclass(frozen=True)
class CodeInfo:
    """An issued code as plain data."""

    scene: str
    kind: str
    ticket: str
    url: str
    expires_at: datetime | None
    created_at: datetime
    campaign: str | None

    @classmethod
    def of(cls, code: QrCode) -> "CodeInfo":
        """Describe a registry row."""
        return cls(code.scene, code.kind.value, code.ticket, code.url, code.expires_at,
                   code.created_at, code.campaign)


@dataclass(frozen=True)
class CodeToCreate:
    """What the channel must ask the platform for."""

    scene: str
    permanent: bool
    expire_seconds: int | None


@dataclass(frozen=True)
class PosterTarget:
    """One poster to print: its scene and the names it shows."""

    scene: str
    branch_code: str
    branch_name: str
    manager_code: str | None = None
    manager_name: str | None = None
    manager_title: str | None = None


def code_for(uow: UnitOfWork, scene: str, now: datetime, *, days: int | None = None,
             permanent_cap: int = PERMANENT_CODE_CAP,
             scope: Scope | None = None) -> CodeInfo | CodeToCreate:
    """Return the scene's usable code, or the code to create; refuse past the permanent cap
    and outside `scope` (None: an operator's, who may issue any)."""
    parsed = parse_scene(scene)
    _within(scope, *_resolve(uow, parsed))
    current = uow.codes.latest(scene)
    if current is not None and current.usable_at(now):
        return CodeInfo.of(current)
    if parsed.campaign:
        return CodeToCreate(scene, permanent=False, expire_seconds=_lifetime(days))
    issued = uow.codes.count_permanent()
    if issued >= permanent_cap:
        raise CodeLimitReached(f"the account has {issued} permanent codes, the cap is "
                               f"{permanent_cap}: no new permanent code for {scene}")
    return CodeToCreate(scene, permanent=True, expire_seconds=None)


def record_code(uow: UnitOfWork, request: CodeToCreate, ticket: str, url: str,
                expire_seconds: int | None, now: datetime) -> CodeInfo:
    """Record a code the platform issued; a permanent twin recorded meanwhile wins."""
    existing = uow.codes.latest(request.scene)
    if request.permanent and existing is not None and existing.kind is CodeKind.PERMANENT:
        return CodeInfo.of(existing)
    parsed = parse_scene(request.scene)
    branch, manager = _resolve(uow, parsed)
    lifetime = None if request.permanent else (expire_seconds or request.expire_seconds)
    code = QrCode(scene=request.scene, ticket=ticket, url=url, created_at=now,
                  kind=CodeKind.PERMANENT if request.permanent else CodeKind.TEMPORARY,
                  expires_at=now + timedelta(seconds=lifetime) if lifetime else None,
                  branch_id=branch.id if branch else None,
                  manager_id=manager.id if manager else None, campaign=parsed.campaign)
    uow.codes.add(code)
    uow.flush()
    return CodeInfo.of(code)


def list_codes(uow: UnitOfWork, branch_code: str | None = None) -> list[dict[str, Any]]:
    """Return the registry (of one branch if given) as JSON-ready rows, history included."""
    branch_id = _branch(uow, branch_code).id if branch_code else None
    return [{"scene": c.scene, "kind": c.kind.value, "url": c.url, "ticket": c.ticket,
             "created_at": _iso(c.created_at), "expires_at": _iso(c.expires_at)}
            for c in uow.codes.listing(branch_id)]


def poster_targets(uow: UnitOfWork, branch_codes: list[str] | None = None, *,
                   campaign: str | None = None, managers: bool = True) -> list[PosterTarget]:
    """Return a poster per branch and per manager still at the bank, branch by branch."""
    branches = uow.codes.print_targets(branch_codes)
    missing = set(branch_codes or ()) - {b.code for b in branches}
    if missing:
        raise UnknownRecord("branch", ", ".join(sorted(missing)))
    targets: list[PosterTarget] = []
    for branch in branches:
        scene = format_scene(Scene(branch=branch.code, campaign=campaign))
        targets.append(PosterTarget(scene, branch.code, branch.name))
        if managers:
            targets.extend(_manager_target(branch, m, campaign) for m in _printable(branch))
    return targets


def _printable(branch: Branch) -> list[Manager]:
    # Managers on leave keep their code (their customers still reach them); leavers do not.
    return sorted((m for m in branch.managers if m.state is not ManagerState.LEFT),
                  key=lambda m: m.code)


def _manager_target(branch: Branch, manager: Manager, campaign: str | None) -> PosterTarget:
    scene = format_scene(Scene(manager=manager.code, campaign=campaign))
    return PosterTarget(scene, branch.code, branch.name, manager.code, manager.name,
                        manager.title)


def _resolve(uow: UnitOfWork, scene: Scene) -> tuple[Branch | None, Manager | None]:
    manager = uow.managers.by_code(scene.manager) if scene.manager else None
    if scene.manager and manager is None:
        raise UnknownRecord("manager", scene.manager)
    branch = _branch(uow, scene.branch) if scene.branch else None
    if branch is not None and manager is not None and manager.branch.id != branch.id:
        raise SceneRefused("manager_elsewhere", manager=manager.code, branch=branch.code)
    return branch or (manager.branch if manager else None), manager


def _within(scope: Scope | None, branch: Branch | None, manager: Manager | None) -> None:
    if scope is None or scope.role is StaffRole.HEAD_OFFICE:
        return
    # A branch head's codes are their branch's (its managers' included); a manager's their own.
    named: Branch | Manager | None = manager if scope.role is StaffRole.MANAGER else branch
    own = scope.manager_id if scope.role is StaffRole.MANAGER else scope.branch_id
    if named is None or named.id != own:
        shown = named or branch
        raise SceneRefused("out_of_scope", subject=shown.code if shown else "")


def _branch(uow: UnitOfWork, code: str) -> Branch:
    branch = uow.branches.by_code(code)
    if branch is None:
        raise UnknownRecord("branch", code)
    return branch


def _lifetime(days: int | None) -> int:
    days = MAX_TEMPORARY_DAYS if days is None else days
    if not 1 <= days <= MAX_TEMPORARY_DAYS:
        raise SceneRefused("temporary_days", limit=str(MAX_TEMPORARY_DAYS), days=str(days))
    return days * 86_400


def _iso(at: datetime | None) -> str | None:
    return at.isoformat(timespec="seconds") + "Z" if at else None
