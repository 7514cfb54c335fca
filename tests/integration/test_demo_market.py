"""`branchlink demo seed` brings a small market: organisations, chain leads along the
logistics firm and a referral waiting for the corporate manager; seeding again adds none."""

from flask import Flask

from crm_core.model import ChainLead, Referral
from tests.integration.test_demo_seed import count, seed


def test_the_demo_market_shows_chain_leads_and_a_referral_once(app: Flask) -> None:
    first = seed(app)
    assert "demo market: 3 new chain leads" in first.output
    assert "console login (shown once): chenjing / " in first.output
    assert (count(app, ChainLead), count(app, Referral)) == (3, 1)
    again = seed(app)
    assert "demo market: 0 new chain leads" in again.output
    assert (count(app, ChainLead), count(app, Referral)) == (3, 1)
