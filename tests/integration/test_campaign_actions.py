"""The actions a campaign offers follow its state and the four eyes, from the one table the
refusals use: in every state, an action is offered exactly when the service would take it, the
drafter is never offered approval or rejection, and a rejected campaign goes back to draft."""

from datetime import timedelta

import pytest

from crm_core.model.campaigns import Campaign, CampaignState
from crm_core.services import campaigns
from crm_core.unit_of_work import SqlUnitOfWork
from tests.campaigns_support import APPROVER, DAY, draft, snapshot
from tests.campaigns_support import people as people
from tests.campaigns_support import uow as uow
from tests.segments_support import HEAD_OFFICE, Population

POLICY = campaigns.ContactPolicy()


def _take(uow: SqlUnitOfWork, action: str, campaign_id: int) -> bool:
    """Try the action as the approver in a savepoint rolled back; return whether it was taken."""
    nested = uow.session.begin_nested()
    try:
        if action == "submit":
            campaigns.submit(uow, APPROVER, campaign_id, DAY, POLICY)
        elif action == "pause":
            campaigns.pause(uow, APPROVER.username, uow.session.get_one(Campaign, campaign_id),
                            DAY, "staff")
        else:
            {"approve": campaigns.approve, "reject": campaigns.reject,
             "send": campaigns.start, "resume": campaigns.resume,
             "cancel": campaigns.cancel}[action](uow, APPROVER, campaign_id, DAY)
    except campaigns.CampaignRefused:
        return False
    finally:
        nested.rollback()
    return True


@pytest.mark.parametrize("state", list(CampaignState))
def test_every_action_offered_is_taken_and_every_other_is_refused(
        uow: SqlUnitOfWork, people: Population, state: CampaignState) -> None:
    campaign_id = draft(uow, snapshot(uow, now=DAY), now=DAY)
    campaigns.replan(uow, uow.session.get_one(Campaign, campaign_id), DAY, POLICY)
    row = uow.session.get_one(Campaign, campaign_id)
    row.state = state
    uow.flush()
    offered = campaigns.actions_for(APPROVER, row)
    taken = tuple(action for action in campaigns.ACTIONS if _take(uow, action, campaign_id))
    assert offered == taken
    assert (state in (CampaignState.DONE, CampaignState.CANCELLED)) == (offered == ())


def test_the_drafter_is_not_offered_approval_and_a_rejection_goes_back_to_draft(
        uow: SqlUnitOfWork, people: Population) -> None:
    campaign_id = draft(uow, snapshot(uow, now=DAY), now=DAY)
    campaigns.submit(uow, HEAD_OFFICE, campaign_id, DAY, POLICY)
    row = uow.session.get_one(Campaign, campaign_id)
    assert campaigns.actions_for(HEAD_OFFICE, row) == ("cancel",)
    assert campaigns.actions_for(APPROVER, row) == ("approve", "reject", "cancel")
    with pytest.raises(campaigns.CampaignRefused) as own:
        campaigns.reject(uow, HEAD_OFFICE, campaign_id, DAY)
    assert own.value.code == "own_approval"
    campaigns.reject(uow, APPROVER, campaign_id, DAY + timedelta(minutes=5))
    assert row.state is CampaignState.DRAFT
    assert campaigns.actions_for(HEAD_OFFICE, row) == ("submit", "cancel")
