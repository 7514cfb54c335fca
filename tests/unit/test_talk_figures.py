"""Crediting a conversation to each person for their part: a transfer splits its holding
periods, the first answer goes to whoever gave it, the close and rating to the last holder."""

from datetime import datetime, timedelta

from crm_core.services.conversations.figures import Span, credit, holder_at, segments

T0 = datetime(2026, 12, 1, 2, 0)
M1, AGENT = 1, 2


def minutes(n: float) -> datetime:
    return T0 + timedelta(minutes=n)


def elapsed(_branch: int | None, start: datetime, end: datetime) -> tuple[float, float]:
    return (end - start).total_seconds(), (end - start).total_seconds() / 2


TRANSFERRED = Span(branch_id=None, opened=T0, closed=minutes(50), rating=4,
                   holds=((T0, None), (minutes(2), M1), (minutes(20), AGENT)),
                   first_answer=(minutes(5), M1))


def test_a_transfer_splits_the_conversation_into_each_holders_period() -> None:
    assert segments(TRANSFERRED, minutes(999)) == [(M1, minutes(2), minutes(20)),
                                                   (AGENT, minutes(20), minutes(50))]
    assert holder_at(TRANSFERRED, minutes(50)) == AGENT


def test_the_first_answer_goes_to_who_gave_it_and_the_close_to_the_last_holder() -> None:
    tallies = credit({7: TRANSFERRED}, minutes(999), elapsed)
    m1, agent = tallies[M1], tallies[AGENT]
    assert (m1.conversations, agent.conversations) == ({7}, {7})
    assert m1.handling == [(18 * 60, 9 * 60)] and agent.handling == [(30 * 60, 15 * 60)]
    assert (m1.first, agent.first) == ([(5 * 60, 150)], [])
    assert (m1.solved, agent.solved) == ([], [(50 * 60, 25 * 60)])
    assert (m1.ratings, agent.ratings) == ([], [4])


def test_an_open_conversation_is_held_until_the_end_of_the_period() -> None:
    still_open = Span(None, T0, None, None, ((T0, M1),), None)
    assert segments(still_open, minutes(30)) == [(M1, T0, minutes(30))]
    assert credit({1: still_open}, minutes(30), elapsed)[M1].solved == []


def test_a_conversation_closed_while_in_the_queue_credits_no_resolution() -> None:
    queued = Span(None, T0, minutes(10), 5, ((T0, None),), None)
    assert credit({1: queued}, minutes(30), elapsed) == {}
