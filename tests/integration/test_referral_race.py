"""Two first referrals of one customer to one line at the same moment: the database lets one
through, the other waits for it and is answered with it."""

import threading
import time
from collections.abc import Iterator

import pytest
from sqlalchemy import func, select

from crm_core.model import Referral, Refusal
from tests.integration.test_referrals import refer_boss
from tests.organisation_support import Factory, market, with_organisations


@pytest.fixture
def factory(database_url: str) -> Iterator[Factory]:
    with market(database_url) as made:
        with_organisations(made)
        yield made


def test_two_simultaneous_first_referrals_of_one_customer_register_only_one(
        factory: Factory) -> None:
    registered, answers = threading.Event(), []

    def first() -> None:
        with factory() as uow:
            refer_boss(uow)
            registered.set()
            time.sleep(0.5)  # the second one starts while this one is not yet committed
            uow.commit()

    def second() -> None:
        registered.wait(10)
        with factory() as uow:
            try:
                refer_boss(uow, hours=1)  # the same manager, from the console and WeChat
                uow.commit()
            except Refusal as refusal:
                answers.append(refusal.code)

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert answers == ["referral_locked"]
    with factory() as uow:
        assert uow.session.scalar(select(func.count()).select_from(Referral)) == 1
