"""Scoring methods: completion with floor and cap, rank within the platform with ties."""

from decimal import Decimal

from crm_core.services.performance import completion, rank_percent

D = Decimal


def test_completion_below_the_floor_scores_nothing_and_above_the_cap_stops_at_it() -> None:
    assert completion(D(59), D(100), D(60), D(120)) == 0
    assert completion(D(60), D(100), D(60), D(120)) == 60
    assert completion(D(95), D(100), D(60), D(120)) == 95
    assert completion(D(300), D(100), D(60), D(120)) == 120


def test_completion_of_no_target_is_full_marks() -> None:
    assert completion(D(0), D(0), D(60), D(120)) == 100


def test_tied_managers_share_the_better_rank_and_its_share_of_the_weight() -> None:
    ranks = rank_percent({1: D(50), 2: D(80), 3: D(50), 4: D(10)})
    assert ranks[2] == (1, D(100))
    assert ranks[1] == ranks[3] == (2, D(100) * 2 / 3)
    assert ranks[4] == (4, D(0))


def test_a_manager_alone_on_the_platform_takes_the_whole_weight() -> None:
    assert rank_percent({7: D(0)}) == {7: (1, D(100))}
