"""Trade relationships between organisations, from a counterparty extract or from staff, and
the chain around one organisation two hops out.

A row names the organisation, its counterparty and what the counterparty is to it (supplier,
buyer, logistics provider, landlord), with the monthly volume and the date it was seen. A
relationship to itself, an organisation the bank does not have, or goods that would flow in a
circle (A supplies B and B supplies A: an extract whose two columns were swapped) refuse the
row, and then nothing of the file is applied. The circle is looked for among the file's rows
and the relationships already recorded for the organisations they name.
"""

from collections import defaultdict
from datetime import date, datetime
from typing import Any

from crm_core.model import Organisation, Refusal, Scope, TradeKind, TradeRelationship
from crm_core.services.catalogue_files import ImportRejected, RowError, SourceRow, parse_date
from crm_core.services.organisations.cards import scoped_organisation
from crm_core.services.organisations.imports import OrgImportReport, check_choice, check_fields
from crm_core.unit_of_work import SqlUnitOfWork

FIELDS = frozenset({"organisation", "counterparty", "kind", "monthly_volume", "as_of"})
VOLUME_DIGITS = 15
CHAIN_NODES = 150  # more than a laptop screen shows readably: the nearest are kept


def import_relationships(uow: SqlUnitOfWork, rows: list[SourceRow], source: str,
                         now: datetime) -> OrgImportReport:
    """Validate every row (circles included), then record or update each relationship."""
    values, errors = [], []
    for row in rows:
        try:
            values.append((row.line, relationship_values(uow, row.fields, now.date())))
        except Refusal as error:
            errors.append(RowError.of(row.line, error))
    errors += _circles(uow, values)
    if errors or not rows:
        raise ImportRejected(errors or [RowError(1, "no rows in the file", "empty_file")])
    created, updated = [], []
    for _, item in values:
        key = f"{item['organisation'].code}>{item['counterparty'].code}:{item['kind']}"
        found = uow.organisations.relationship(item["organisation"].id,
                                               item["counterparty"].id, item["kind"])
        if found is None:
            uow.organisations.add(TradeRelationship(
                organisation_id=item["organisation"].id, counterparty_id=item["counterparty"].id,
                kind=item["kind"], monthly_volume=item["volume"], source=source[:100],
                as_of=item["as_of"], created_at=now))
            created.append(key)
        else:
            found.monthly_volume, found.as_of = item["volume"], item["as_of"]
            found.source = source[:100]
            updated.append(key)
    uow.flush()
    return OrgImportReport(created, updated)


def add_relationship(uow: SqlUnitOfWork, scope: Scope, code: str, fields: dict[str, str],
                     staff: str, now: datetime) -> OrgImportReport:
    """Record one relationship of an organisation the scope sees, entered by staff: the
    import's checks (itself, an unknown counterparty, a circle) refuse it the same way."""
    organisation = scoped_organisation(uow, scope, code)
    row = SourceRow(1, {**fields, "organisation": organisation.code})
    return import_relationships(uow, [row], f"staff:{staff}"[:100], now)


def relationship_values(uow: SqlUnitOfWork, fields: dict[str, str],
                        today: date) -> dict[str, Any]:
    """Check one row of a relationships file and return its values."""
    check_fields(fields, FIELDS, ("organisation", "counterparty", "kind"))
    organisation = _known(uow, fields["organisation"])
    counterparty = _known(uow, fields["counterparty"])
    if organisation.id == counterparty.id:
        raise Refusal("self_relationship", "an organisation trades with itself",
                      value=organisation.code)
    volume = fields.get("monthly_volume", "").replace(",", "").strip()
    if volume and (not volume.isdigit() or len(volume) > VOLUME_DIGITS):
        raise Refusal("bad_amount", "volume is whole yuan", field="monthly_volume",
                      value=volume[:20])
    return {"organisation": organisation, "counterparty": counterparty,
            "kind": check_choice(fields["kind"], "kind", TradeKind),
            "volume": int(volume) if volume else None,
            "as_of": parse_date(fields.get("as_of", ""), "as_of") or today}


def _known(uow: SqlUnitOfWork, code: str) -> Organisation:
    found = uow.organisations.by_code(code.strip().upper())
    if found is None:
        raise Refusal("unknown_organisation", f"no organisation {code!r}", value=code[:24])
    return found


def flow(organisation_id: int, counterparty_id: int, kind: str) -> tuple[int, int] | None:
    """Return the direction goods flow in a relationship (from, to), if it is one of trade."""
    if kind == TradeKind.SUPPLIER:
        return counterparty_id, organisation_id
    if kind == TradeKind.BUYER:
        return organisation_id, counterparty_id
    return None


def _circles(uow: SqlUnitOfWork, values: list[tuple[int, dict[str, Any]]]) -> list[RowError]:
    named = sorted({item[end].id for _, item in values for end in ("organisation",
                                                                    "counterparty")})
    goods: dict[int, set[int]] = defaultdict(set)
    for known in uow.organisations.relationships_of(named) if named else []:
        edge = flow(known.organisation_id, known.counterparty_id, known.kind)
        if edge:
            goods[edge[0]].add(edge[1])
    errors = []
    for line, item in values:
        edge = flow(item["organisation"].id, item["counterparty"].id, item["kind"])
        if edge is None:
            continue
        if _reaches(goods, edge[1], edge[0]):
            errors.append(RowError(line, "goods would flow in a circle", "trade_circle",
                                   {"a": item["organisation"].name,
                                    "b": item["counterparty"].name}))
            continue
        goods[edge[0]].add(edge[1])
    return errors


def _reaches(goods: dict[int, set[int]], start: int, goal: int) -> bool:
    seen, stack = {start}, [start]
    while stack:
        node = stack.pop()
        if node == goal:
            return True
        for nxt in goods.get(node, ()):
            if nxt not in seen:
                seen.add(nxt)
                stack.append(nxt)
    return False


def chain_view(uow: SqlUnitOfWork, scope: Scope, code: str, hops: int = 2) -> dict[str, Any]:
    """Return the organisations `hops` relationships out from one (nearest first, at most
    CHAIN_NODES) and the relationships between them, for drawing."""
    centre = scoped_organisation(uow, scope, code)
    depth, frontier = {centre.id: 0}, [centre.id]
    edges: dict[int, tuple[int, int, int, str, int | None]] = {}
    for hop in range(1, hops + 1):
        found = uow.organisations.edges_of(frontier) if frontier else []
        frontier = []
        for edge in found:
            for end in edge[1:3]:
                if end not in depth and len(depth) < CHAIN_NODES:
                    depth[end] = hop
                    frontier.append(end)
            if edge[1] in depth and edge[2] in depth:
                edges[edge[0]] = edge
    nodes = {o.id: o for o in uow.organisations.by_ids(list(depth))}
    return {"centre": centre.code, "nodes": [
        {"id": o.id, "code": o.code, "name": o.name, "kind": o.kind, "depth": depth[o.id],
         "key_link": o.key_link, "customer": bool(o.manager_id or o.products)}
        for o in sorted(nodes.values(), key=lambda o: (depth[o.id], o.name))],
        "edges": [{"source": e[1], "target": e[2], "kind": e[3], "volume": e[4]}
                  for e in edges.values()]}
