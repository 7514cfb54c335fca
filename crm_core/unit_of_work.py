"""Unit of work: one transaction per incoming message, rolled back unless committed."""

from contextlib import AbstractContextManager, nullcontext
from types import TracebackType
from typing import Self

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from crm_core import repositories as repos
from crm_core.db import READER
from crm_core.repositories import DuplicateDelivery, DuplicateError, unique_violation
from crm_core.repositories.campaigns import SqlContacts
from crm_core.repositories.organisations import SqlOrganisations, SqlReferrals

__all__ = ["DuplicateDelivery", "DuplicateError", "SqlUnitOfWork", "UnitOfWork"]


class UnitOfWork:
    """Base of every unit of work: repositories plus commit/rollback."""

    branches: repos.BranchRepository
    managers: repos.ManagerRepository
    customers: repos.CustomerRepository
    activity: repos.ActivityRepository
    deliveries: repos.DeliveryRepository
    shared: repos.SharedValueRepository
    leads: repos.LeadRepository
    notices: repos.NoticeRepository
    audit: repos.AuditRepository
    staff: repos.StaffRepository
    codes: repos.CodeRepository
    products: repos.ProductRepository
    shares: repos.ShareRepository
    answers: repos.AnswerRepository
    conversations: repos.ConversationRepository

    def __enter__(self) -> Self:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.rollback()

    def commit(self) -> None:
        """Make the work durable."""
        raise NotImplementedError

    def flush(self) -> None:
        """Send pending changes so new rows get their ids."""
        raise NotImplementedError

    def commit_each_statement(self) -> None:
        """Let each statement from here on commit by itself, for a unit whose statements are
        each whole by themselves (call it first). A hint: a store may keep one transaction."""

    def held_back(self) -> AbstractContextManager[object]:
        """Keep pending changes back while the block reads (they go out together at the next
        flush): for reads that do not depend on them."""
        return nullcontext()

    def read_only(self) -> None:
        """Declare a unit that only reads (call it first): it need not wait for writers."""

    def rollback(self) -> None:
        """Undo whatever was not committed."""
        raise NotImplementedError


class SqlUnitOfWork(UnitOfWork):
    """A unit of work over one SQLAlchemy session."""

    organisations: SqlOrganisations
    referrals: SqlReferrals
    contacts: SqlContacts

    def __init__(self, session_factory: sessionmaker[Session]) -> None:
        self.session_factory = session_factory

    def __enter__(self) -> Self:
        self.session = self.session_factory()
        self.branches = repos.SqlBranches(self.session)
        self.managers = repos.SqlManagers(self.session)
        self.customers = repos.SqlCustomers(self.session)
        self.activity = repos.SqlActivity(self.session)
        self.deliveries = repos.SqlDeliveries(self.session)
        self.shared = repos.SqlSharedValues(self.session)
        self.leads = repos.SqlLeads(self.session)
        self.notices = repos.SqlNotices(self.session)
        self.audit = repos.SqlAudit(self.session)
        self.staff = repos.SqlStaff(self.session)
        self.codes = repos.SqlCodes(self.session)
        self.products = repos.SqlProducts(self.session)
        self.shares = repos.SqlShares(self.session)
        self.answers = repos.SqlAnswers(self.session)
        self.conversations = repos.SqlConversations(self.session)
        # Organisations and referrals are read and written in SQL only (no fakes yet).
        self.organisations = SqlOrganisations(self.session)
        self.referrals = SqlReferrals(self.session)
        self.contacts = SqlContacts(self.session)
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.rollback()
        self.session.close()

    def commit(self) -> None:
        """Commit, turning a unique violation into DuplicateError."""
        try:
            self.session.commit()
        except IntegrityError as error:
            raise DuplicateError(unique_violation(error)) from error

    def flush(self) -> None:
        """Flush the session, turning a unique violation into DuplicateError."""
        try:
            self.session.flush()
        except IntegrityError as error:
            raise DuplicateError(unique_violation(error)) from error

    def commit_each_statement(self) -> None:
        """On PostgreSQL, run in autocommit: no BEGIN and COMMIT round trips. SQLite keeps its
        transaction (its BEGIN IMMEDIATE is what queues the writers)."""
        if self.session.get_bind().dialect.name == "postgresql":
            self.session.connection(execution_options={"isolation_level": "AUTOCOMMIT"})

    def held_back(self) -> AbstractContextManager[object]:
        """Keep pending changes back from the session's reads inside the block."""
        return self.session.no_autoflush

    def read_only(self) -> None:
        """On PostgreSQL, read in autocommit (no BEGIN and ROLLBACK round trips); on SQLite,
        read beside the writers instead of queueing with them."""
        postgresql = self.session.get_bind().dialect.name == "postgresql"
        self.session.connection(execution_options={"isolation_level": "AUTOCOMMIT"}
                                if postgresql else {READER: True})

    def rollback(self) -> None:
        """Roll back the session."""
        self.session.rollback()
