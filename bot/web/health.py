"""Liveness and readiness probes.

/healthz says the process is up and nothing else: it never touches the database, so a
database outage cannot make it hang. /readyz says whether this process can do its work: the
database answers (within the `[database]` timeouts), its schema is at the latest migration,
and each companion `branchlink serve` supervises (the worker) is running.
"""

from typing import Any, Protocol

from flask import Blueprint, Response, current_app, jsonify
from sqlalchemy.exc import SQLAlchemyError

from bot.web.edge import current_runtime
from crm_core.db import head_revision, schema_revision

COMPANIONS = "branchlink.companions"  # app.extensions key of the supervised companions
bp = Blueprint("health", __name__)


class Supervised(Protocol):
    """The states of what serve supervises (bot.cli.companions.CompanionStates)."""

    def states(self) -> dict[str, dict[str, Any]]: ...


@bp.get("/healthz")
def healthz() -> dict[str, str]:
    """The process is up."""
    return {"status": "ok"}


@bp.get("/readyz")
def readyz() -> tuple[Response, int]:
    """Database, schema and supervised companions: 200 when all are fine, else 503."""
    checks = _schema_checks()
    companions: Supervised | None = current_app.extensions.get(COMPANIONS)
    for name, state in (companions.states() if companions else {}).items():
        checks[name] = {"ok": state["running"], **state}
    ready = all(check["ok"] for check in checks.values())
    body = jsonify(status="ready" if ready else "not_ready", checks=checks)
    return body, 200 if ready else 503


def _schema_checks() -> dict[str, dict[str, Any]]:
    head = head_revision()
    try:
        current = schema_revision(current_runtime().engine)
    except SQLAlchemyError as error:  # any failure of the database means not ready
        return {"database": {"ok": False, "error": type(error).__name__},
                "migrations": {"ok": False, "head": head}}
    return {"database": {"ok": True},
            "migrations": {"ok": current == head, "current": current, "head": head}}
