"""The rules referrals run by, as the bank configures them, and the subject of a referral."""

from dataclasses import dataclass
from datetime import timedelta

from crm_core.model import Customer, Manager, Organisation, Refusal
from crm_core.unit_of_work import SqlUnitOfWork, UnitOfWork

SHADOW, SPLIT = "shadow", "split"


@dataclass(frozen=True)
class ReferralPolicy:
    """Lock period, SLAs and how credit for a conversion is shared.

    `shadow`: both managers are credited in full, each in their own line (nobody loses by
    referring). `split`: the referrer gets `referrer_percent` and the receiver the rest, for
    conversions within `split_days` of the referral (later ones: the receiver's alone).
    """

    lock_days: int = 90
    accept_hours: int = 24
    contact_hours: int = 48
    escalate_after_hours: int = 24
    expire_days: int = 60
    credit_model: str = SHADOW
    referrer_percent: int = 30
    split_days: int = 180

    @property
    def lock(self) -> timedelta:
        """How long the first referral of a subject to a line holds it."""
        return timedelta(days=self.lock_days)


@dataclass(frozen=True)
class Subject:
    """Who is referred: a customer (a person) or an organisation, with their current owner."""

    customer: Customer | None = None
    organisation: Organisation | None = None

    @property
    def key(self) -> str:
        """The key the lock period holds: c<customer id> or o<organisation id>."""
        if self.customer is not None:
            return f"c{self.customer.id}"
        assert self.organisation is not None  # noqa: S101 - one of the two is always set
        return f"o{self.organisation.id}"

    @property
    def owner_id(self) -> int | None:
        """The manager who currently serves the subject."""
        if self.customer is not None:
            return self.customer.current_manager_id
        return self.organisation.manager_id if self.organisation else None

    @property
    def branch_id(self) -> int | None:
        """The branch the subject belongs to (None: a customer no branch knows yet)."""
        if self.customer is not None:
            return self.customer.manager_branch_id or self.customer.home_branch_id
        return self.organisation.branch_id if self.organisation else None

    def label(self, customer_label: str) -> str:
        """Name the subject for staff (a customer: their name or masked openid)."""
        if self.organisation is not None:
            return self.organisation.name
        return customer_label


def sql(uow: UnitOfWork) -> SqlUnitOfWork:
    """Return the unit of work as the SQL one referrals are kept in."""
    if not isinstance(uow, SqlUnitOfWork):
        raise TypeError("referrals are kept in SQL only")
    return uow


def subject_of(uow: UnitOfWork, customer_id: int | None, organisation: str | None) -> Subject:
    """Find the subject named by a customer id or an organisation code (LookupError)."""
    work = sql(uow)
    if organisation:
        found = work.organisations.by_code(organisation.upper())
        if found is None:
            raise Refusal("referral_unknown_subject", f"no organisation {organisation}",
                          value=organisation[:24])
        return Subject(organisation=found)
    customer = work.referrals.customer(customer_id) if customer_id else None
    if customer is None:
        raise Refusal("referral_unknown_subject", f"no customer {customer_id}",
                      value=str(customer_id or "")[:24])
    return Subject(customer=customer)


def referrer_sees(uow: SqlUnitOfWork, referrer: Manager, subject: Subject) -> bool:
    """Say whether a manager may refer the subject: their own customer or organisation, a
    contact person of an organisation they own, or an organisation one of whose contact
    persons is their customer."""
    if subject.owner_id == referrer.id:
        return True
    if subject.customer is not None:
        return any(o.manager_id == referrer.id
                   for o in uow.organisations.employers_of(subject.customer.id))
    assert subject.organisation is not None  # noqa: S101 - one of the two is always set
    return any(c.customer is not None and c.customer.current_manager_id == referrer.id
               for c in uow.organisations.contacts_of(subject.organisation.id))
