"""Group commit: the writes of several request threads made in one transaction.

A thread that brings a write while none is under way leads: it writes everything waiting at
that moment, its own among it, and commits once. Threads that arrive meanwhile wait, and the
first of them leads the next write with all that queued up behind the first. Nobody is
answered before the write that carries their item is committed, so a message is still
never acknowledged before it is durable; what a commit costs (the writers' lock, a round
trip, a flush to disk) is paid once per group instead of once per message.

This departs from one unit of work per message on purpose, for the one write the webhook's
shortest path makes (a delivery answered from reads alone): the items of a group are
independent rows, and a group that fails fails for each of its items alike.
"""

import threading
from collections.abc import Callable, Sequence
from typing import Generic, TypeVar

Item = TypeVar("Item")
Outcome = TypeVar("Outcome")


class _Slot(Generic[Item, Outcome]):
    """One thread's item, and what became of it."""

    def __init__(self, item: Item) -> None:
        self.item = item
        self.done = False
        self.outcome: Outcome | None = None
        self.error: BaseException | None = None


class GroupCommit(Generic[Item, Outcome]):
    """Make each thread's item part of the next group `write` commits, and hand each its
    outcome (`write` returns one per item, in order) or the error the group's write raised."""

    def __init__(self, write: Callable[[Sequence[Item]], Sequence[Outcome]]) -> None:
        self.write = write
        self.changed = threading.Condition()
        self.waiting: list[_Slot[Item, Outcome]] = []
        self.writing = False

    def submit(self, item: Item) -> Outcome:
        """Wait until `item` is written and committed; return its outcome."""
        slot: _Slot[Item, Outcome] = _Slot(item)
        with self.changed:
            self.waiting.append(slot)
            while self.writing and not slot.done:
                self.changed.wait()
            leads = not slot.done
            if leads:  # everything waiting now, this thread's item among it
                group, self.waiting, self.writing = self.waiting, [], True
        if leads:
            self._write(group)
        if slot.error is not None:
            # Every item of a failed group gets its error (one instance: the leader's trace).
            raise slot.error
        return slot.outcome  # type: ignore[return-value]  # set with done, error unset

    def _write(self, group: list[_Slot[Item, Outcome]]) -> None:
        try:
            outcomes = self.write([slot.item for slot in group])
            for slot, outcome in zip(group, outcomes, strict=True):
                slot.outcome = outcome
        except BaseException as error:
            for slot in group:
                slot.error = error
        finally:
            with self.changed:
                for slot in group:
                    slot.done = True
                self.writing = False
                self.changed.notify_all()
