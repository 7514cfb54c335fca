"""Shared values: one lease holder at a time may write, and values end when they expire."""

from datetime import datetime, timedelta

from crm_core import services
from crm_core.model import RateCounter
from tests.fakes import FakeUnitOfWork

T0 = datetime(2026, 11, 28, 9, 0)
KEY = "wechat:access_token"


def test_only_the_lease_holder_writes_until_its_lease_lapses_or_it_lets_go() -> None:
    uow = FakeUnitOfWork()
    assert services.take_lease(uow, KEY, "worker-a", 30, T0)
    assert services.take_lease(uow, KEY, "worker-a", 30, T0 + timedelta(seconds=10))  # renewed
    assert not services.take_lease(uow, KEY, "worker-b", 30, T0 + timedelta(seconds=39))
    assert not services.write_shared(uow, KEY, "worker-b", "token-b", 7200, T0)
    assert services.write_shared(uow, KEY, "worker-a", "token-a", 7200, T0)
    assert services.take_lease(uow, KEY, "worker-b", 30, T0 + timedelta(seconds=41))  # lapsed
    assert not services.write_shared(uow, KEY, "worker-a", "late", 7200,
                                      T0 + timedelta(seconds=41))
    services.release_lease(uow, KEY, "worker-a")  # not the holder any more: changes nothing
    assert not services.take_lease(uow, KEY, "worker-a", 30, T0 + timedelta(seconds=42))
    services.release_lease(uow, KEY, "worker-b")
    assert services.take_lease(uow, KEY, "worker-a", 30, T0 + timedelta(seconds=43))
    entry = services.read_shared(uow, KEY, T0 + timedelta(seconds=43))
    assert entry is not None and entry.value == "token-a"


def test_a_value_reads_as_absent_once_it_expires() -> None:
    uow = FakeUnitOfWork()
    assert services.read_shared(uow, KEY, T0) is None
    services.take_lease(uow, KEY, "worker-a", 30, T0)
    assert services.read_shared(uow, KEY, T0) is None  # a lease alone holds no value
    services.write_shared(uow, KEY, "worker-a", "token-a", 60, T0)
    assert services.read_shared(uow, KEY, T0 + timedelta(seconds=59)) is not None
    assert services.read_shared(uow, KEY, T0 + timedelta(seconds=60)) is None


def test_a_cap_admits_so_many_tries_per_window_and_each_key_counts_alone() -> None:
    uow, hour = FakeUnitOfWork(), timedelta(hours=1)
    tries = [services.within_cap(uow, "mint:a", 2, hour, T0 + timedelta(minutes=m))
             for m in range(3)]
    assert tries == [True, True, False]
    assert services.within_cap(uow, "mint:b", 2, hour, T0)
    assert services.within_cap(uow, "mint:a", 2, hour, T0 + hour)  # the next window
    # The first hit of a window forgets the windows that are over, every key's.
    assert [(c.hits, c.expires_at) for c in uow.store.rows(RateCounter)] == [(1, T0 + 2 * hour)]
