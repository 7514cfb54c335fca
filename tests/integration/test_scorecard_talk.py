"""Conversation figures on a manager's card: the answer rate and the customer's rating of
the conversations assigned to the manager's own account in the month."""

from datetime import timedelta

from flask import Flask

from crm_core.model import utcnow
from crm_core.model.performance.profit import ProfitPolicy
from crm_core.services import conversations as talk
from crm_core.services.collaboration import ReferralPolicy
from crm_core.services.performance import month_facts
from crm_core.services.performance.facts import BEIJING
from tests.conftest import runtime
from tests.talk_support import C1, C2, open_for, populate, scope_of


def test_a_managers_answer_rate_and_rating_reach_their_card(app: Flask) -> None:
    rt = runtime(app)
    populate(rt, online=("m1",))
    first, _ = open_for(rt, C1), open_for(rt, C2)
    m1 = scope_of(rt, "m1")
    with rt.uow() as uow:
        talk.reply(uow, m1, first, "您好，我来帮您看看", utcnow())
        talk.close(uow, m1, first, utcnow())
        assert talk.rate(uow, C1, 4, utcnow() + timedelta(minutes=1))
        uow.commit()
    month = (utcnow() + BEIJING).date().replace(day=1)
    with rt.uow() as uow:
        facts = month_facts(uow, month, ProfitPolicy(), ReferralPolicy())  # type: ignore[arg-type]
        manager = uow.managers.by_code("SH001-01")
        assert manager is not None
        values = facts.values[manager.id]
    assert values["talk_rating"] == 4
    assert values["talk_answered"] == 100  # C2's conversation went to its own manager, m2
