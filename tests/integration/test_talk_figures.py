"""Per-staff conversation figures: elapsed times and times within the branch's hours."""

from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from bot.runtime import Runtime, build_runtime
from crm_core.services import conversations as talk
from tests.conftest import make_settings
from tests.talk_support import C1, open_for, populate, scope_of

# Friday 2026-11-27 16:30 in Beijing (08:30 UTC).
FRIDAY_1630 = datetime(2026, 11, 27, 8, 30)


@pytest.fixture
def world(database_url: str, tmp_path: Path) -> Iterator[Runtime]:
    runtime = build_runtime(make_settings(database_url, tmp_path))
    populate(runtime)
    with runtime.uow() as uow:
        talk.set_hours(uow, "SH001", "12345", "09:00", "17:00")
        uow.commit()
    yield runtime
    runtime.engine.dispose()


def answer_and_close(runtime: Runtime, conversation_id: int, answered: datetime,
                     closed: datetime) -> None:
    scope = scope_of(runtime, "m1")
    with runtime.uow() as uow:
        talk.reply(uow, scope, conversation_id, "您好，我来为您解答。", answered)
        uow.commit()
    with runtime.uow() as uow:
        talk.close(uow, scope, conversation_id, closed)
        uow.commit()


def test_a_question_left_over_the_weekend_waited_only_the_branch_hours(world: Runtime) -> None:
    # Asked Friday 16:30, answered Monday 09:30, closed Monday 10:00: 60 and 90 business
    # minutes, against 65 and 65.5 hours elapsed.
    monday_0930 = FRIDAY_1630 + timedelta(days=3, hours=-7)
    friday = open_for(world, C1, FRIDAY_1630)
    answer_and_close(world, friday, monday_0930, monday_0930 + timedelta(minutes=30))
    # Asked and answered on Monday within the hours: both figures are the elapsed time.
    monday = open_for(world, C1, monday_0930 + timedelta(hours=1))
    answer_and_close(world, monday, monday_0930 + timedelta(hours=1, minutes=10),
                     monday_0930 + timedelta(hours=1, minutes=40))
    with world.uow() as uow:
        rows = talk.talk_figures(uow, FRIDAY_1630 - timedelta(days=1),  # type: ignore[arg-type]
                                 FRIDAY_1630 + timedelta(days=4), "Asia/Shanghai")
    m1 = next(row for row in rows if row["username"] == "m1")
    assert (m1["conversations"], m1["answered"]) == (2, 2)
    assert m1["first_response_business_seconds"] == (60 + 10) / 2 * 60
    assert m1["resolution_business_seconds"] == (90 + 40) / 2 * 60
    assert m1["first_response_seconds"] == (65 * 60 + 10) / 2 * 60


def test_a_transferred_conversation_credits_each_holder_with_their_part(world: Runtime) -> None:
    # Monday 10:00 in Beijing: m1 answers after 5 minutes, hands over to the agent at 20, the
    # agent answers at 25 and closes at 50, and the customer rates it 4.
    monday = FRIDAY_1630 + timedelta(days=3, hours=-6, minutes=-30)
    conversation = open_for(world, C1, monday)
    at = {n: monday + timedelta(minutes=n) for n in (5, 20, 25, 50, 51)}
    m1, agent = scope_of(world, "m1"), scope_of(world, "agent")
    with world.uow() as uow:
        talk.reply(uow, m1, conversation, "您好，我先看一下。", at[5])
        talk.transfer(uow, m1, conversation, "agent", "transfer", at[20])
        talk.reply(uow, agent, conversation, "您好，由我继续为您办理。", at[25])
        talk.close(uow, agent, conversation, at[50])
        assert talk.rate(uow, C1, 4, at[51])
        uow.commit()
    with world.uow() as uow:
        rows = {row["username"]: row for row in talk.talk_figures(
            uow, monday - timedelta(hours=1), monday + timedelta(hours=2),  # type: ignore[arg-type]
            "Asia/Shanghai")}
    m1_row, agent_row = rows["m1"], rows["agent"]
    assert (m1_row["conversations"], agent_row["conversations"]) == (1, 1)
    assert (m1_row["segments"], m1_row["handling_seconds"]) == (1, 20 * 60)
    assert (agent_row["segments"], agent_row["handling_business_seconds"]) == (1, 30 * 60)
    assert (m1_row["answered"], m1_row["first_response_seconds"]) == (1, 5 * 60)
    assert (agent_row["answered"], agent_row["first_response_seconds"]) == (0, None)
    assert (m1_row["resolved"], m1_row["ratings"], m1_row["rating"]) == (0, 0, None)
    assert (agent_row["resolved"], agent_row["resolution_seconds"]) == (1, 50 * 60)
    assert (agent_row["ratings"], agent_row["rating"]) == (1, 4)
