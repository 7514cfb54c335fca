"""A chain-lead run, in sets: the counterparties of the key links come in one statement
(those with an open chain lead marked by the database), the desks of every branch concerned
in three, and the leads go out in one batched INSERT with their notices in another.

The rules are those of chains.py: the biggest trade first (an organisation reached twice
keeps its strongest reason), one open lead per organisation, the owner if they take
customers, else the branch's corporate desk that knows the industry best (fewest open chain
leads breaking a tie), else the branch head's queue; due after the lead SLA.
"""

from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Row

from crm_core.model import (
    LeadStatus,
    Manager,
    NoticeKind,
    NoticeStatus,
    ProductFamily,
)
from crm_core.repositories.chain_runs import Desk
from crm_core.services.organisations.chains import ChainReport, reason
from crm_core.unit_of_work import SqlUnitOfWork


def make_chain_leads(uow: SqlUnitOfWork, now: datetime, sla: timedelta,
                     key_link_ids: list[int] | None = None) -> ChainReport:
    """Turn the counterparties of key links (all, or those given) into chain leads."""
    rows, already, seen = [], 0, set()
    for row, missing in _wanting(uow.organisations.chain_candidates(key_link_ids)):
        if row.taken or row.other_id in seen:
            already += 1
            continue
        seen.add(row.other_id)
        rows.append((row, missing))
    managers = _Desks(uow, rows).assign(rows)
    leads = [_lead(row, missing, managers[i], now, sla) for i, (row, missing) in enumerate(rows)]
    ids = uow.organisations.insert_chain_leads(leads)
    uow.organisations.queue_notices([
        _notice(lead_id, row, manager, now, now + sla)
        for lead_id, (row, _), manager in zip(ids, rows, managers, strict=True)
        if manager is not None])
    return ChainReport(ids, already)


def _order(row: Row[Any]) -> tuple[int, int, int, bool]:
    return (-(row.monthly_volume or 0), row.organisation_id, row.counterparty_id,
            row.key_id != row.organisation_id)


def _wanting(candidates: list[Row[Any]]) -> Iterator[tuple[Row[Any], list[str]]]:
    """Yield the candidates, biggest trade first, that lack something, with what they lack."""
    for row in sorted(candidates, key=_order):
        products = row.products or []
        if row.manager_id is None and not products:
            yield row, []
        elif ProductFamily.SETTLEMENT.value not in products:
            yield row, [ProductFamily.SETTLEMENT.value]


def _lead(row: Row[Any], missing: list[str], manager: Manager | None, now: datetime,
          sla: timedelta) -> dict[str, Any]:
    return {"organisation_id": row.other_id, "key_link_id": row.key_id,
            "manager_id": manager.id if manager else None, "branch_id": row.branch_id,
            "reason": reason(row.key_name, row.key_id == row.organisation_id, row.kind,
                             row.monthly_volume, missing),
            "missing": missing, "monthly_volume": row.monthly_volume,
            "status": LeadStatus.NEW, "created_at": now, "due_at": now + sla}


def _notice(lead_id: int, row: Row[Any], manager: Manager, now: datetime,
            due_at: datetime) -> dict[str, Any]:
    """Return a new chain lead's notice to its manager, as the notices table holds it."""
    payload = {"chain_lead_id": lead_id, "organisation": row.code, "customer": row.name,
               "source": "chain", "due_at": due_at.isoformat()}
    return {"key": f"chain:{lead_id}:new", "kind": NoticeKind.NEW_LEAD, "payload": payload,
            "status": NoticeStatus.PENDING if manager.openid else NoticeStatus.HELD,
            "attempts": 0, "next_attempt_at": now, "created_at": now, "manager_id": manager.id}


class _Desks:
    """The branch and industry rule over every branch of a run, its desks read at once."""

    def __init__(self, uow: SqlUnitOfWork, rows: list[tuple[Row[Any], list[str]]]) -> None:
        self.owners = uow.organisations.takers(
            sorted({r.manager_id for r, _ in rows if r.manager_id is not None}))
        self.branches = uow.organisations.desks_of(sorted({r.branch_id for r, _ in rows}))
        self.given: dict[int, int] = {}

    def assign(self, rows: list[tuple[Row[Any], list[str]]]) -> list[Manager | None]:
        """Return the manager of each row's lead, in order (None: the branch head's queue)."""
        return [self.pick(row) for row, _ in rows]

    def pick(self, row: Row[Any]) -> Manager | None:
        """Return the owner if they take customers, else the branch desk that fits best."""
        owner = self.owners.get(row.manager_id) if row.manager_id is not None else None
        if owner is not None:
            return owner
        desks: list[Desk] = self.branches.get(row.branch_id, [])
        if not desks:
            return None
        industry = row.industry or ""
        chosen = min(desks, key=lambda d: (-d[1].get(industry, 0),
                                           d[2] + self.given.get(d[0].id, 0), d[0].id))[0]
        self.given[chosen.id] = self.given.get(chosen.id, 0) + 1
        return chosen
