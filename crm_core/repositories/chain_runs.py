"""The reads and writes of a chain-lead run, in sets: the counterparties of key links in one
statement (open leads marked in SQL), the corporate desks of every branch concerned in three,
and the leads in one batched INSERT.

A run over a thousand key links meets tens of thousands of relationships: one object or one
round trip per lead took about a minute; plain rows and one batch take seconds.
"""

from collections import defaultdict
from typing import Any

from sqlalchemy import Row, exists, func, select, union_all
from sqlalchemy.orm import Session, aliased, selectinload

from crm_core.model import (
    OPEN_STATUSES,
    ChainLead,
    Manager,
    ManagerRole,
    ManagerState,
    Organisation,
    TradeRelationship,
)
from crm_core.repositories.bulk import insert_rows

# A desk: the manager, how many organisations they own per industry, their open chain leads.
Desk = tuple[Manager, dict[str, int], int]
ID_CHUNK = 5000


class ChainRuns:
    """The set-based statements of a chain-lead run (mixed into the organisations' store)."""

    session: Session

    def chain_candidates(self, key_ids: list[int] | None) -> list[Row[Any]]:
        """Return one row per (key link, counterparty) relationship end: the key's id and
        name, the counterparty's id, code, name, branch, manager, industry and products, the
        relationship's two ends, kind and volume, and whether the counterparty has an open
        chain lead already."""
        return list(self.session.execute(candidates_statement(key_ids)))

    def chain_leads_by_ids(self, ids: list[int]) -> list[ChainLead]:
        """Return these chain leads in the order given, their organisation and manager loaded
        with them (a run's report can name twenty thousand)."""
        found: dict[int, ChainLead] = {}
        for start in range(0, len(ids), ID_CHUNK):  # within every driver's parameter limit
            stmt = (select(ChainLead).where(ChainLead.id.in_(ids[start:start + ID_CHUNK]))
                    .options(selectinload(ChainLead.organisation),
                             selectinload(ChainLead.manager)))
            found |= {lead.id: lead for lead in self.session.scalars(stmt)}
        return [found[i] for i in ids if i in found]

    def takers(self, manager_ids: list[int]) -> dict[int, Manager]:
        """Return those of these managers who take new customers, by id."""
        if not manager_ids:
            return {}
        stmt = select(Manager).where(Manager.id.in_(manager_ids))
        return {m.id: m for m in self.session.scalars(stmt) if m.takes_customers}

    def desks_of(self, branch_ids: list[int]) -> dict[int, list[Desk]]:
        """Return each branch's active corporate managers, with how many organisations they
        own per industry and how many open chain leads they hold."""
        managers = list(self.session.scalars(
            select(Manager).where(Manager.branch_id.in_(branch_ids),
                                  Manager.role == ManagerRole.CORPORATE,
                                  Manager.state == ManagerState.ACTIVE).order_by(Manager.id)))
        ids = [m.id for m in managers]
        owned: dict[int, dict[str, int]] = {i: {} for i in ids}
        for manager_id, industry, count in self.session.execute(
                select(Organisation.manager_id, Organisation.industry, func.count())
                .where(Organisation.manager_id.in_(ids))
                .group_by(Organisation.manager_id, Organisation.industry)):
            owned[manager_id][industry or ""] = count
        load = dict(self.session.execute(
            select(ChainLead.manager_id, func.count()).where(
                ChainLead.manager_id.in_(ids), ChainLead.status.in_(OPEN_STATUSES))
            .group_by(ChainLead.manager_id)).tuples().all())
        desks: dict[int, list[Desk]] = defaultdict(list)
        for m in managers:
            desks[m.branch_id].append((m, owned[m.id], load.get(m.id, 0)))
        return desks

    def insert_chain_leads(self, rows: list[dict[str, Any]]) -> list[int]:
        """Insert chain leads in one batch; return their ids in the rows' order."""
        made: dict[int, int] = {row[0]: row[1] for row in insert_rows(
            self.session, ChainLead.__table__, rows, ("organisation_id", "id"))}
        return [made[row["organisation_id"]] for row in rows]  # one new lead per organisation


def candidates_statement(key_ids: list[int] | None) -> Any:
    """Return the SELECT of a run's candidates (for the run and for its plan)."""
    rel, key, other = TradeRelationship, aliased(Organisation), aliased(Organisation)
    taken = exists().where(ChainLead.organisation_id == other.id,
                           ChainLead.status.in_(OPEN_STATUSES))

    def side(key_end: Any, other_end: Any) -> Any:
        stmt = (select(key.id.label("key_id"), key.name.label("key_name"),
                       other.id.label("other_id"), other.code, other.name, other.branch_id,
                       other.manager_id, other.industry, other.products, rel.organisation_id,
                       rel.counterparty_id, rel.kind, rel.monthly_volume, taken.label("taken"))
                .join(key, key.id == key_end).join(other, other.id == other_end)
                .where(key.key_link.is_(True)))
        return stmt if key_ids is None else stmt.where(key.id.in_(key_ids))

    both = union_all(side(rel.organisation_id, rel.counterparty_id),
                     side(rel.counterparty_id, rel.organisation_id)).subquery()
    return select(*both.c)
