"""A branch's round-robin turns on PostgreSQL: taken in a statement of their own, so one
follow's open transaction never holds up the next follow through the same branch."""

import pytest

from crm_core.services.onboarding import assign_in_branch
from tests.builders import org
from tests.conftest import runtime


def test_a_turn_is_taken_while_another_follow_is_still_open(app) -> None:  # type: ignore[no-untyped-def]
    if runtime(app).engine.dialect.name != "postgresql":
        pytest.skip("SQLite has one writer at a time: its turns are part of the transaction")
    with runtime(app).uow() as uow:
        org(uow, {"SH001": ["SH001-01", "SH001-02", "SH001-03"]})
        uow.commit()
    with runtime(app).uow() as first:
        branch = first.branches.by_code("SH001")
        assert branch is not None
        taken = assign_in_branch(first, branch)
        assert taken is not None
        taken_code = taken.code
        # Still open: before, the branch row stayed locked until this commit, and the next
        # follow waited for it (here, in one thread, until the lock timeout failed it).
        with runtime(app).uow() as second:
            other = second.branches.by_code("SH001")
            assert other is not None
            following = assign_in_branch(second, other)
            assert following is not None
            following_code = following.code
            second.commit()
        first.rollback()  # the first follow failed: its turn stays unused
    with runtime(app).uow() as third:
        branch = third.branches.by_code("SH001")
        assert branch is not None
        last = assign_in_branch(third, branch)
        assert last is not None
        last_code = last.code
    codes = ["SH001-01", "SH001-02", "SH001-03"]  # turns go round in id order
    turn = codes.index(taken_code)
    assert [following_code, last_code] == [codes[(turn + 1) % 3], codes[(turn + 2) % 3]]
