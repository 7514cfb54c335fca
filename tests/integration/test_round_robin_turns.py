"""A branch's round-robin turns on PostgreSQL: taken in a statement of their own, so one
follow's open transaction never holds up the next follow through the same branch."""

import pytest

from crm_core.services.onboarding import assign_in_branch
from crm_core.unit_of_work import UnitOfWork
from tests.builders import org
from tests.conftest import runtime

CODES = ["SH001-01", "SH001-02", "SH001-03"]  # turns go round in id order


def turn(uow: UnitOfWork) -> str:
    """Take the branch's next turn; return whose it is."""
    branch = uow.branches.by_code("SH001")
    assert branch is not None
    manager = assign_in_branch(uow, branch)
    assert manager is not None
    return manager.code


def test_a_turn_is_taken_while_another_follow_is_still_open(app) -> None:  # type: ignore[no-untyped-def]
    if runtime(app).engine.dialect.name != "postgresql":
        pytest.skip("SQLite has one writer at a time: its turns are part of the transaction")
    with runtime(app).uow() as uow:
        org(uow, {"SH001": CODES})
        uow.commit()
    with runtime(app).uow() as first:
        taken = turn(first)
        # Still open: before, the branch row stayed locked until this commit, and the next
        # follow waited for it (here, in one thread, until the lock timeout failed it).
        with runtime(app).uow() as second:
            following = turn(second)
            second.commit()
        first.rollback()  # the first follow failed: its turn stays unused
    with runtime(app).uow() as third:
        last = turn(third)
    start = CODES.index(taken)
    assert [following, last] == [CODES[(start + 1) % 3], CODES[(start + 2) % 3]]
