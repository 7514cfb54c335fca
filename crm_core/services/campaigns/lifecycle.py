"""A campaign's life: submitted (its audience planned), approved by a second person, sent.

Submission plans the audience with the contact policy, so the approver sees the compliance check
and the audience after suppressions before deciding. Approval takes four eyes: never the drafter,
and the branch head of a branch campaign or head office for a network one. Each refusal has a
code the edge words in Chinese.
"""

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete

from crm_core.model import Scope, StaffRole, local_date
from crm_core.model.campaigns import (
    Campaign,
    CampaignRecipient,
    CampaignScope,
    CampaignState,
    Caps,
    QuietHours,
    refusal_for_content,
)
from crm_core.model.campaigns.policy import month_start
from crm_core.model.segments import SegmentSnapshot, parse_rule, profiling_dimensions
from crm_core.queries.campaigns import plan as planning
from crm_core.queries.campaigns import report
from crm_core.services.campaigns.drafts import CampaignRefused, audit, visible_campaign
from crm_core.services.conversations.replies import Window
from crm_core.services.segments.rules import rule_vocabulary
from crm_core.unit_of_work import SqlUnitOfWork

READY = (CampaignState.APPROVED, CampaignState.SCHEDULED)
_OPEN = frozenset(CampaignState) - {CampaignState.DONE, CampaignState.CANCELLED}
# The one table of which action each state allows: the refusals below and the actions the
# edges offer (`actions_for`) both read it, so a button is shown exactly when it would work.
ALLOWED: dict[str, frozenset[CampaignState]] = {
    "submit": frozenset({CampaignState.DRAFT}),
    "approve": frozenset({CampaignState.PENDING}),
    "reject": frozenset({CampaignState.PENDING}),
    "send": frozenset(READY),
    "pause": frozenset({CampaignState.SENDING, *READY}),
    "resume": frozenset({CampaignState.PAUSED}),
    "cancel": _OPEN,
}
ACTIONS = tuple(ALLOWED)
# Actions that take four eyes: never the drafter, and the right role for the campaign's scope.
REVIEWS = ("approve", "reject")


@dataclass(frozen=True)
class ContactPolicy:
    """The contact policy's settings: quiet hours, caps, validity, purposes needing consent."""

    quiet: QuietHours = field(default_factory=QuietHours)
    caps: Caps = field(default_factory=Caps)
    window: timedelta = Window().length
    assessment_validity: timedelta = timedelta(days=365)
    consent_purposes: frozenset[str] = field(default_factory=frozenset)


def state_refusal(campaign: Campaign, action: str) -> CampaignRefused | None:
    """Return why the campaign's state refuses `action` (from ALLOWED), or None if it allows it."""
    state = campaign.state
    if state in ALLOWED[action]:
        return None
    if action == "send":
        closed = state in (CampaignState.SENDING, CampaignState.DONE)
        return CampaignRefused("already_sending" if closed else "not_approved")
    if action == "pause":
        return CampaignRefused("not_sending")
    if action == "resume" and state is CampaignState.CANCELLED:
        return CampaignRefused("resume_cancelled")
    if action == "cancel" or state is CampaignState.CANCELLED:
        return CampaignRefused("campaign_closed")
    return CampaignRefused("campaign_state", state=state.value)


def review_refusal(scope: Scope, campaign: Campaign) -> CampaignRefused | None:
    """Return why the caller may not approve or reject the campaign (four eyes), or None."""
    if scope.username == campaign.owner:
        return CampaignRefused("own_approval")
    if not _may_approve(scope, campaign):
        return CampaignRefused("approver_role")
    return None


def actions_for(scope: Scope, campaign: Campaign) -> tuple[str, ...]:
    """Return the actions the caller may take on the campaign now, in ACTIONS' order."""
    return tuple(action for action in ACTIONS if state_refusal(campaign, action) is None
                 and (action not in REVIEWS or review_refusal(scope, campaign) is None))


def submit(uow: SqlUnitOfWork, scope: Scope, campaign_id: int, now: datetime,
           policy: ContactPolicy) -> dict[str, int]:
    """Plan the audience and ask for approval; return the audience by status and reason."""
    campaign = visible_campaign(uow, scope, campaign_id)
    _expect(campaign, "submit")
    if refused := refusal_for_content(campaign.content, campaign.product_risk,
                                      bool(campaign.product_code)):
        raise CampaignRefused(refused[0], detail=refused[1])
    figures = replan(uow, campaign, now, policy)
    if figures.get("planned", 0) == 0:
        raise CampaignRefused("empty_audience")
    campaign.state, campaign.updated_at = CampaignState.PENDING, now
    audit(uow, scope.username, now, "campaign_submitted", campaign, audience=figures)
    return figures


def replan(uow: SqlUnitOfWork, campaign: Campaign, now: datetime,
           policy: ContactPolicy) -> dict[str, int]:
    """Plan (again) the campaign's recipients with the policy as it stands at `now`."""
    uow.session.execute(delete(CampaignRecipient).where(
        CampaignRecipient.campaign_id == campaign.id))
    planning.plan(uow.session, campaign, plan_input(uow, campaign, now, policy))
    planning.hold_out(uow.session, campaign.id, campaign.control_share)
    return audience_figures(uow, campaign.id)


def plan_input(uow: SqlUnitOfWork, campaign: Campaign, now: datetime,
               policy: ContactPolicy) -> planning.PlanInput:
    """Return what the planning statement needs for this campaign at `now`."""
    due = policy.quiet.next_open(max(now, campaign.scheduled_at or now))
    start = month_start(due, policy.quiet.timezone)
    end = month_start(start + timedelta(days=32), policy.quiet.timezone)
    today = local_date(now, policy.quiet.timezone)
    return planning.PlanInput(
        due=due, now=now, caps=policy.caps, month_start=start, month_end=end,
        window=policy.window, assessed_since=today - policy.assessment_validity,
        profiling=_profiling(uow, campaign),
        consent_required=campaign.purpose in policy.consent_purposes)


def audience_figures(uow: SqlUnitOfWork, campaign_id: int) -> dict[str, int]:
    """Return the campaign's recipients counted by status, and suppressions by reason."""
    return report.by_status(uow.session, campaign_id)


def campaign_report(uow: SqlUnitOfWork, scope: Scope, campaign_id: int,
                    timezone: str = QuietHours.timezone) -> dict[str, Any]:
    """Return a campaign's report: audience, suppressed by reason, by branch, its batches,
    and what it brought (opens of its links, conversions) by branch and manager."""
    campaign = visible_campaign(uow, scope, campaign_id)
    return {"id": campaign.id, "name": campaign.name, "state": campaign.state.value,
            "pause_reason": campaign.pause_reason, "control_share": campaign.control_share,
            "audience": report.by_status(uow.session, campaign.id),
            "branches": report.by_branch(uow.session, campaign.id),
            "batches": report.batches(uow.session, campaign.id),
            "lift": report.lift(uow.session, campaign.id, campaign.approved_at),
            "scene": f"c:{report.scene_code(campaign.id)}",
            "touches": report.touches(uow.session, campaign.id),
            "product_code": campaign.product_code,
            "outcomes": report.outcomes(uow.session, campaign.id, timezone)}


def approve(uow: SqlUnitOfWork, scope: Scope, campaign_id: int, now: datetime) -> Campaign:
    """Approve a submitted campaign (four eyes; the right role for its scope)."""
    campaign = _reviewed(uow, scope, campaign_id, "approve")
    later = campaign.scheduled_at is not None and campaign.scheduled_at > now
    campaign.state = CampaignState.SCHEDULED if later else CampaignState.APPROVED
    campaign.approver, campaign.approved_at, campaign.updated_at = scope.username, now, now
    audit(uow, scope.username, now, "campaign_approved", campaign)
    return campaign


def reject(uow: SqlUnitOfWork, scope: Scope, campaign_id: int, now: datetime) -> Campaign:
    """Send a submitted campaign back to its drafter as a draft (the approver's four eyes)."""
    campaign = _reviewed(uow, scope, campaign_id, "reject")
    campaign.state, campaign.updated_at = CampaignState.DRAFT, now
    audit(uow, scope.username, now, "campaign_rejected", campaign)
    return campaign


def start(uow: SqlUnitOfWork, scope: Scope, campaign_id: int, now: datetime) -> Campaign:
    """Start sending an approved campaign (a second click is refused)."""
    campaign = visible_campaign(uow, scope, campaign_id)
    _expect(campaign, "send")
    campaign.state, campaign.updated_at = CampaignState.SENDING, now
    audit(uow, scope.username, now, "campaign_started", campaign)
    return campaign


def pause(uow: SqlUnitOfWork, actor: str, campaign: Campaign, now: datetime,
          reason: str) -> None:
    """Pause a sending campaign, saying why (staff, or the platform's quota)."""
    _expect(campaign, "pause")
    campaign.state, campaign.pause_reason, campaign.updated_at = \
        CampaignState.PAUSED, reason, now
    audit(uow, actor, now, "campaign_paused", campaign, reason=reason)


def resume(uow: SqlUnitOfWork, scope: Scope, campaign_id: int, now: datetime) -> Campaign:
    """Resume a paused campaign (a cancelled one never resumes)."""
    campaign = visible_campaign(uow, scope, campaign_id)
    _expect(campaign, "resume")
    campaign.state, campaign.pause_reason, campaign.updated_at = \
        CampaignState.SENDING, None, now
    audit(uow, scope.username, now, "campaign_resumed", campaign)
    return campaign


def cancel(uow: SqlUnitOfWork, scope: Scope, campaign_id: int, now: datetime) -> Campaign:
    """Cancel a campaign that has not finished; what was sent stays sent."""
    campaign = visible_campaign(uow, scope, campaign_id)
    _expect(campaign, "cancel")
    campaign.state, campaign.updated_at = CampaignState.CANCELLED, now
    audit(uow, scope.username, now, "campaign_cancelled", campaign)
    return campaign


def _may_approve(scope: Scope, campaign: Campaign) -> bool:
    if campaign.scope is CampaignScope.NETWORK:
        return scope.role is StaffRole.HEAD_OFFICE
    return scope.role is StaffRole.BRANCH_HEAD and scope.branch_id == campaign.branch_id


def _expect(campaign: Campaign, action: str) -> None:
    if refused := state_refusal(campaign, action):
        raise refused


def _reviewed(uow: SqlUnitOfWork, scope: Scope, campaign_id: int, action: str) -> Campaign:
    campaign = visible_campaign(uow, scope, campaign_id)
    _expect(campaign, action)
    if refused := review_refusal(scope, campaign):
        raise refused
    return campaign


def _profiling(uow: SqlUnitOfWork, campaign: Campaign) -> bool:
    snapshot = uow.session.get_one(SegmentSnapshot, campaign.snapshot_id)
    return bool(profiling_dimensions(parse_rule(snapshot.rule, rule_vocabulary(uow))))
