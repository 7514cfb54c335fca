"""Drafting a campaign: who may, to which snapshot, with which text and channels.

A branch head drafts for their branch, head office for the network; the snapshot must come from
a segment of the same scope, so a campaign never reaches past its owner's customers. The text is
checked as it is saved (length, banned phrases, the investment disclosure), again at submission.
"""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select

from crm_core.model import AuditEvent, Scope, StaffRole
from crm_core.model.campaigns import (
    CHANNELS,
    Campaign,
    CampaignScope,
    CampaignState,
    refusal_for_content,
)
from crm_core.model.segments import Segment, SegmentScope, SegmentSnapshot
from crm_core.services.shares import NotShareable, check_shareable
from crm_core.unit_of_work import SqlUnitOfWork, UnitOfWork

NAME_LIMIT = 50


class CampaignRefused(ValueError):
    """A campaign action that cannot be done; `code` says why (the edge words it)."""

    def __init__(self, code: str, **params: Any) -> None:
        super().__init__(code)
        self.code, self.params = code, params


@dataclass(frozen=True)
class Draft:
    """What staff enter for a campaign."""

    name: str
    purpose: str
    snapshot_id: int
    content: str
    channels: tuple[str, ...] = ("mass",)
    product_risk: int | None = None
    control_share: int = 0
    scheduled_at: datetime | None = None
    # A product the messages link to (a tracked share link bound to the campaign), if any.
    product_code: str | None = None


def create_campaign(uow: SqlUnitOfWork, scope: Scope, draft: Draft, now: datetime) -> Campaign:
    """Save a draft campaign in the caller's scope (CampaignRefused says what is wrong)."""
    where, branch_id = _home(scope)
    _check_snapshot(uow, draft.snapshot_id, where, branch_id)
    _check_draft(draft)
    _check_product(uow, draft.product_code)
    campaign = Campaign(name=_name(draft.name), purpose=draft.purpose[:32],
                        snapshot_id=draft.snapshot_id, channels=list(draft.channels),
                        content=draft.content, product_risk=draft.product_risk,
                        control_share=draft.control_share, scheduled_at=draft.scheduled_at,
                        product_code=draft.product_code or None,
                        owner=scope.username, scope=where, branch_id=branch_id,
                        state=CampaignState.DRAFT, created_at=now, updated_at=now)
    uow.session.add(campaign)
    uow.flush()
    audit(uow, scope.username, now, "campaign_created", campaign)
    return campaign


def visible_campaign(uow: SqlUnitOfWork, scope: Scope, campaign_id: int) -> Campaign:
    """Return a campaign the caller sees (CampaignRefused `unknown_campaign` otherwise)."""
    campaign = uow.session.get(Campaign, campaign_id)
    if campaign is None or not _sees(scope, campaign):
        raise CampaignRefused("unknown_campaign", id=campaign_id)
    return campaign


def campaigns_seen(uow: SqlUnitOfWork, scope: Scope) -> list[Campaign]:
    """Return the campaigns the caller sees, newest first."""
    query = select(Campaign).order_by(Campaign.id.desc())
    if scope.role is not StaffRole.HEAD_OFFICE:
        query = query.where(Campaign.branch_id == scope.branch_id)
    return list(uow.session.scalars(query))


def audit(uow: SqlUnitOfWork, actor: str, now: datetime, action: str, campaign: Campaign,
          **detail: Any) -> None:
    """Record a campaign action in the audit trail."""
    uow.audit.add(AuditEvent(at=now, actor=actor, action=action,
                             subject=f"campaign:{campaign.id}",
                             detail={"name": campaign.name, **detail}))


def sql_unit(uow: UnitOfWork) -> SqlUnitOfWork:
    """Return the unit of work as the SQL one campaigns are kept in."""
    if not isinstance(uow, SqlUnitOfWork):
        raise TypeError("campaigns are kept in SQL only")
    return uow


def _sees(scope: Scope, campaign: Campaign) -> bool:
    if scope.role is StaffRole.HEAD_OFFICE:
        return True
    return campaign.branch_id is not None and campaign.branch_id == scope.branch_id


def _home(scope: Scope) -> tuple[CampaignScope, int | None]:
    if scope.role is StaffRole.HEAD_OFFICE:
        return CampaignScope.NETWORK, None
    if scope.role is StaffRole.BRANCH_HEAD and scope.branch_id is not None:
        return CampaignScope.BRANCH, scope.branch_id
    raise CampaignRefused("campaign_role")


def _check_snapshot(uow: SqlUnitOfWork, snapshot_id: int, where: CampaignScope,
                    branch_id: int | None) -> None:
    found = uow.session.execute(
        select(Segment.scope, Segment.branch_id).join(
            SegmentSnapshot, SegmentSnapshot.segment_id == Segment.id)
        .where(SegmentSnapshot.id == snapshot_id)).first()
    if found is None:
        raise CampaignRefused("unknown_snapshot", id=snapshot_id)
    segment_scope, segment_branch = found
    if where is CampaignScope.NETWORK:
        if segment_scope is not SegmentScope.NETWORK:
            raise CampaignRefused("snapshot_scope")
    elif segment_scope is not SegmentScope.BRANCH or segment_branch != branch_id:
        raise CampaignRefused("snapshot_scope")


def _check_draft(draft: Draft) -> None:
    if "template" in draft.channels:
        raise CampaignRefused("template_channel")
    if not draft.channels or any(channel not in CHANNELS for channel in draft.channels):
        raise CampaignRefused("channels")
    if not 0 <= draft.control_share <= 50:
        raise CampaignRefused("control_share")
    if draft.product_risk is not None and draft.product_risk not in range(1, 6):
        raise CampaignRefused("product_risk")
    if refused := refusal_for_content(draft.content, draft.product_risk,
                                      bool(draft.product_code)):
        raise CampaignRefused(refused[0], detail=refused[1])


def _check_product(uow: SqlUnitOfWork, code: str | None) -> None:
    if not code:
        return
    try:
        check_shareable(uow, code)
    except NotShareable:
        raise CampaignRefused("campaign_product", product=code[:32]) from None


def _name(name: str) -> str:
    cleaned = " ".join((name or "").split())
    if not cleaned or len(cleaned) > NAME_LIMIT:
        raise CampaignRefused("campaign_name", limit=NAME_LIMIT)
    return cleaned
