"""`branchlink demo seed`'s scorecards: the latest month's card of the wealth manager shows
the deduction of the demo's substantiated complaint, and seeding again adds no second one."""

from flask import Flask

from bot.cli.demo_scorecards import COMPLAINED_OF, demo_months
from crm_core.model import utcnow
from crm_core.model.performance.registers import Complaint, ComplaintVerdict
from crm_core.queries import performance as views
from tests.conftest import runtime
from tests.integration.test_demo_seed import count, seed
from tests.integration.test_scorecard_registers import HEAD


def test_the_demo_shows_a_substantiated_complaint_deducting_once(app: Flask) -> None:
    seed(app)
    seed(app)
    assert count(app, Complaint) == 1
    latest = demo_months(utcnow(), runtime(app).settings.leads.timezone)[-1]
    with runtime(app).uow() as uow:
        found = uow.session.query(Complaint).one()  # type: ignore[attr-defined]
        assert found.verdict is ComplaintVerdict.SUBSTANTIATED
        complaint_id = found.id
        card = views.card(uow, HEAD, latest, COMPLAINED_OF)  # type: ignore[arg-type]
    penalty = next(line for line in card["lines"] if line["metric"] == "complaints")
    assert penalty["score"] == "-5.00" and penalty["source"]["ids"] == [complaint_id]
