"""Organisations, their contacts and trade relationships, and staff referrals, in SQL."""

from datetime import datetime
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from crm_core.model import (
    OPEN_REFERRALS,
    OPEN_STATUSES,
    ChainLead,
    Customer,
    Lead,
    Manager,
    ManagerRole,
    ManagerState,
    Notice,
    Organisation,
    OrgContact,
    OrgMember,
    Referral,
    TradeRelationship,
)
from crm_core.repositories.base import insert_or_skip
from crm_core.repositories.bulk import insert_rows
from crm_core.repositories.chain_runs import ChainRuns
from crm_core.repositories.org_members import MemberValues


class SqlOrganisations(ChainRuns, MemberValues):
    """Organisations, their contact persons and their trade relationships, in SQL."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def get(self, organisation_id: int) -> Organisation | None:
        """Return the organisation with this id."""
        return self.session.get(Organisation, organisation_id)

    def by_code(self, code: str) -> Organisation | None:
        """Return the organisation with this bank code."""
        return self.session.scalar(select(Organisation).where(Organisation.code == code))

    def by_credit_code(self, credit_code: str) -> Organisation | None:
        """Return the organisation registered under this credit code."""
        stmt = select(Organisation).where(Organisation.credit_code == credit_code)
        return self.session.scalar(stmt)

    def add(self, item: Organisation | OrgContact | TradeRelationship | ChainLead) -> None:
        """Add an organisation, a contact, a relationship or a chain lead."""
        self.session.add(item)

    def add_member(self, member: OrgMember) -> bool:
        """Insert a member unless they belong already; return whether they were added."""
        stmt = (insert_or_skip(self.session, OrgMember)
                .values(organisation_id=member.organisation_id, customer_id=member.customer_id,
                        source=member.source, created_at=member.created_at)
                .on_conflict_do_nothing(index_elements=["organisation_id", "customer_id"])
                .returning(OrgMember.id))
        return self.session.execute(stmt).scalar() is not None

    def queue_notices(self, rows: list[dict[str, Any]]) -> int:
        """Insert notices (as column values) in one batch, skipping any whose key is taken (a
        run's chain leads can be thousands: one round trip each would take most of the run);
        return how many were offered."""
        insert_rows(self.session, Notice.__table__, rows, skip_on="key")
        return len(rows)

    def unit_figures(self, organisation_id: int) -> dict[str, int]:
        """Return how many members an organisation has, through its code and from payroll,
        and how many leads (open, all) its members asked for."""
        members = select(OrgMember.customer_id).where(
            OrgMember.organisation_id == organisation_id)
        code = OrgMember.source == "code"
        follows, payroll = self.session.execute(
            select(func.count().filter(code), func.count().filter(~code))
            .where(OrgMember.organisation_id == organisation_id)).one()
        leads = self.session.execute(
            select(func.count(), func.count().filter(Lead.status.in_(OPEN_STATUSES)))
            .where(Lead.customer_id.in_(members))).one()
        return {"follows": follows, "payroll": payroll, "leads": leads[0],
                "open_leads": leads[1]}

    def contacts_of(self, organisation_id: int) -> list[OrgContact]:
        """Return an organisation's contact persons, by name."""
        stmt = (select(OrgContact).where(OrgContact.organisation_id == organisation_id)
                .order_by(OrgContact.name))
        return list(self.session.scalars(stmt))

    def contact(self, organisation_id: int, name: str) -> OrgContact | None:
        """Return the contact of this name at an organisation."""
        stmt = select(OrgContact).where(OrgContact.organisation_id == organisation_id,
                                        OrgContact.name == name)
        return self.session.scalar(stmt)

    def employers_of(self, customer_id: int) -> list[Organisation]:
        """Return the organisations a customer is a contact person of."""
        stmt = (select(Organisation).join(OrgContact,
                                          OrgContact.organisation_id == Organisation.id)
                .where(OrgContact.customer_id == customer_id).order_by(Organisation.name))
        return list(self.session.scalars(stmt))

    def relationship(self, organisation_id: int, counterparty_id: int,
                     kind: str) -> TradeRelationship | None:
        """Return the relationship of this kind between two organisations, if recorded."""
        stmt = select(TradeRelationship).where(
            TradeRelationship.organisation_id == organisation_id,
            TradeRelationship.counterparty_id == counterparty_id, TradeRelationship.kind == kind)
        return self.session.scalar(stmt)

    def relationships_of(self, ids: list[int]) -> list[TradeRelationship]:
        """Return every relationship touching one of these organisations, at either end."""
        stmt = select(TradeRelationship).where(or_(TradeRelationship.organisation_id.in_(ids),
                                                   TradeRelationship.counterparty_id.in_(ids)))
        return list(self.session.scalars(stmt.order_by(TradeRelationship.id)))

    def edges_of(self, ids: list[int]) -> list[tuple[int, int, int, str, int | None]]:
        """Return (id, organisation, counterparty, kind, volume) of every relationship touching
        one of these organisations: plain rows, for drawing chains without building objects."""
        rel = TradeRelationship
        stmt = (select(rel.id, rel.organisation_id, rel.counterparty_id, rel.kind,
                       rel.monthly_volume)
                .where(or_(rel.organisation_id.in_(ids), rel.counterparty_id.in_(ids))))
        return [tuple(row) for row in self.session.execute(stmt)]

    def key_links(self, ids: list[int] | None = None) -> list[Organisation]:
        """Return the key links of chains (of those ids, when given), by id."""
        stmt = select(Organisation).where(Organisation.key_link.is_(True))
        if ids is not None:
            stmt = stmt.where(Organisation.id.in_(ids))
        return list(self.session.scalars(stmt.order_by(Organisation.id)))

    def by_ids(self, ids: list[int]) -> list[Organisation]:
        """Return the organisations with these ids."""
        return list(self.session.scalars(select(Organisation).where(Organisation.id.in_(ids))))

    def chain_lead(self, lead_id: int) -> ChainLead | None:
        """Return the chain lead with this id."""
        return self.session.get(ChainLead, lead_id)

    def chain_leads_of(self, organisation_id: int) -> list[ChainLead]:
        """Return an organisation's chain leads, newest first."""
        stmt = (select(ChainLead).where(ChainLead.organisation_id == organisation_id)
                .order_by(ChainLead.created_at.desc(), ChainLead.id.desc()))
        return list(self.session.scalars(stmt))

    def open_chain_leads_for(self, manager_id: int | None, branch_id: int | None,
                             limit: int) -> list[ChainLead]:
        """Return open chain leads, due first: a manager's, a branch's, or every one."""
        stmt = select(ChainLead).where(ChainLead.status.in_(OPEN_STATUSES))
        if manager_id is not None:
            stmt = stmt.where(ChainLead.manager_id == manager_id)
        elif branch_id is not None:
            stmt = stmt.where(ChainLead.branch_id == branch_id)
        return list(self.session.scalars(stmt.order_by(ChainLead.due_at, ChainLead.id)
                                         .limit(limit)))

    def overdue_chain_leads(self, now: datetime) -> list[ChainLead]:
        """Return the new chain leads past their due time."""
        stmt = (select(ChainLead).where(ChainLead.status == OPEN_STATUSES[0],
                                        ChainLead.due_at <= now)
                .order_by(ChainLead.due_at, ChainLead.id))
        return list(self.session.scalars(stmt))


class SqlReferrals:
    """Referrals between staff, in SQL."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def get(self, referral_id: int) -> Referral | None:
        """Return the referral with this id."""
        return self.session.get(Referral, referral_id)

    def add(self, referral: Referral) -> None:
        """Add a referral."""
        self.session.add(referral)

    def lock_subject(self, subject: str) -> None:
        """Hold the subject's own row until the transaction ends: two first referrals of one
        customer then run one after the other, and the second finds the first (a lock on
        the referrals alone holds nothing while there are none; SQLite runs one
        transaction at a time anyway)."""
        table = Customer if subject.startswith("c") else Organisation
        self.session.execute(select(table.id).where(table.id == int(subject[1:]))
                             .with_for_update())

    def holder(self, subject: str, line: ManagerRole, now: datetime) -> Referral | None:
        """Return the referral holding a subject and line at `now` (the earliest), if any."""
        stmt = (select(Referral).where(Referral.subject == subject, Referral.line == line,
                                       Referral.lock_until > now)
                .order_by(Referral.created_at, Referral.id).with_for_update())
        return next((r for r in self.session.scalars(stmt) if r.holds_lock(now)), None)

    def overdue(self, now: datetime) -> list[Referral]:
        """Return the open referrals whose SLA has passed, oldest due first."""
        stmt = (select(Referral).where(Referral.status.in_(OPEN_REFERRALS),
                                       Referral.due_at <= now)
                .order_by(Referral.due_at, Referral.id))
        return list(self.session.scalars(stmt))

    def stale(self, before: datetime) -> list[Referral]:
        """Return the open referrals created before `before` (they expire)."""
        stmt = select(Referral).where(Referral.status.in_(OPEN_REFERRALS),
                                      Referral.created_at < before).order_by(Referral.id)
        return list(self.session.scalars(stmt))

    def of_manager(self, manager_id: int) -> list[Referral]:
        """Return the referrals a manager sent or received, newest first."""
        stmt = (select(Referral).where(or_(Referral.referrer_id == manager_id,
                                           Referral.receiver_id == manager_id))
                .order_by(Referral.created_at.desc(), Referral.id.desc()))
        return list(self.session.scalars(stmt))

    def of_subject(self, subject: str) -> list[Referral]:
        """Return the referrals of one customer or organisation, newest first."""
        stmt = (select(Referral).where(Referral.subject == subject)
                .order_by(Referral.created_at.desc(), Referral.id.desc()))
        return list(self.session.scalars(stmt))

    def customer(self, customer_id: int) -> Customer | None:
        """Return the customer with this id (the subject of a referral), read afresh: its
        current manager is kept by the database (model/manager_branch.py), not the session."""
        return self.session.get(Customer, customer_id, populate_existing=True)

    def candidates(self, branch_id: int, line: ManagerRole) -> list[Manager]:
        """Return the active managers of a line in a branch, fewest open referrals first."""
        load = (select(func.count(Referral.id))
                .where(Referral.receiver_id == Manager.id, Referral.status.in_(OPEN_REFERRALS))
                .correlate(Manager).scalar_subquery())
        stmt = (select(Manager).where(Manager.branch_id == branch_id, Manager.role == line,
                                      Manager.state == ManagerState.ACTIVE)
                .order_by(load, Manager.id))
        return list(self.session.scalars(stmt))

    def all_of_referrer(self, manager_id: int) -> list[Referral]:
        """Return every referral a manager sent, oldest first (their record is made of them)."""
        stmt = (select(Referral).where(Referral.referrer_id == manager_id)
                .order_by(Referral.created_at, Referral.id))
        return list(self.session.scalars(stmt))
