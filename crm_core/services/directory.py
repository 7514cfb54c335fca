"""Listing the organisation (branches, managers, staff accounts) so that operators can find the
codes the other commands take, and naming what a QR scene's codes stand for."""

from collections.abc import Iterable
from typing import Any

from crm_core.model import ManagerState, SceneError, StaffRole, parse_scene
from crm_core.queries.directory import SqlDirectory
from crm_core.unit_of_work import SqlUnitOfWork

QR_PREFIX = "qrscene_"  # how the platform prefixes the scene of a follow through a code


def branch_directory(uow: SqlUnitOfWork) -> list[dict[str, Any]]:
    """Return every branch with its code, name and number of managers."""
    return SqlDirectory(uow.session).branches()


def manager_directory(uow: SqlUnitOfWork, branch: str | None = None,
                      state: ManagerState | None = None) -> list[dict[str, Any]]:
    """Return the managers (of a branch, in a state) with codes, branch and customer counts."""
    return SqlDirectory(uow.session).managers(branch, state)


def staff_directory(uow: SqlUnitOfWork, branch: str | None = None,
                    role: StaffRole | None = None) -> list[dict[str, Any]]:
    """Return the staff accounts (of a branch, in a role) with their manager or branch code."""
    return SqlDirectory(uow.session).staff(branch, role)


def scene_names(uow: SqlUnitOfWork, scenes: Iterable[str]) -> dict[str, dict[str, str]]:
    """Return {"branch": {code: name}, "manager": {code: name}} for the codes the scenes name."""
    branches: set[str] = set()
    managers: set[str] = set()
    for text in scenes:
        try:
            scene = parse_scene(text.removeprefix(QR_PREFIX))
        except SceneError:
            continue
        branches.update([scene.branch] if scene.branch else [])
        managers.update([scene.manager] if scene.manager else [])
    return SqlDirectory(uow.session).names(branches, managers)
