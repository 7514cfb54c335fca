"""Group commit: items brought while a write is under way go out together in the next one,
and each thread gets its own item's outcome, or the error of the write that carried it."""

import threading
import time
from collections.abc import Sequence
from concurrent.futures import Future, ThreadPoolExecutor

import pytest

from bot.group_commit import GroupCommit


class Store:
    """Writes that record each group; the first waits until it is let go."""

    def __init__(self, fail_on: str | None = None) -> None:
        self.groups: list[list[str]] = []
        self.first_started = threading.Event()
        self.let_go = threading.Event()
        self.fail_on = fail_on

    def write(self, items: Sequence[str]) -> list[str]:
        self.groups.append(list(items))
        if len(self.groups) == 1:
            self.first_started.set()
            assert self.let_go.wait(5)
        if self.fail_on in items:
            raise ConnectionError("database gone")
        return [item.upper() for item in items]


def queue_behind_first(store: Store, pool: ThreadPoolExecutor,
                       later: list[str]) -> tuple[GroupCommit[str, str], list[Future[str]]]:
    """Start a first write, queue `later` behind it, then let the first finish."""
    group: GroupCommit[str, str] = GroupCommit(store.write)
    futures = [pool.submit(group.submit, "a")]
    assert store.first_started.wait(5)
    futures += [pool.submit(group.submit, item) for item in later]
    deadline = time.monotonic() + 5
    while len(group.waiting) < len(later) and time.monotonic() < deadline:
        time.sleep(0.005)
    store.let_go.set()
    return group, futures


def test_items_brought_during_a_write_go_out_together_in_the_next() -> None:
    store = Store()
    with ThreadPoolExecutor(4) as pool:
        _group, futures = queue_behind_first(store, pool, ["b", "c", "d"])
        outcomes = [future.result(5) for future in futures]
    assert outcomes == ["A", "B", "C", "D"]
    assert store.groups[0] == ["a"]
    assert sorted(store.groups[1]) == ["b", "c", "d"] and len(store.groups) == 2


def test_every_thread_of_a_failed_group_gets_its_error_and_the_next_group_is_written() -> None:
    store = Store(fail_on="c")
    with ThreadPoolExecutor(4) as pool:
        group, futures = queue_behind_first(store, pool, ["b", "c"])
        assert futures[0].result(5) == "A"
        for future in futures[1:]:
            with pytest.raises(ConnectionError, match="database gone"):
                future.result(5)
        assert group.submit("e") == "E"
    assert store.groups[-1] == ["e"]


def test_a_lone_item_is_written_at_once() -> None:
    store = Store()
    store.let_go.set()
    assert GroupCommit(store.write).submit("x") == "X"
    assert store.groups == [["x"]]
