"""A demo campaign, submitted and waiting for a second person's approval, so a newcomer can
approve it (as another head-office account), send it through the sandbox and read its report."""

from contextlib import suppress
from datetime import datetime

from sqlalchemy import select

from bot.cli.demo_segments import OWNER
from crm_core import services
from crm_core.model.campaigns import Campaign
from crm_core.services import campaigns
from crm_core.unit_of_work import SqlUnitOfWork

NAME = "贵宾客户网点开放日邀请"
SEGMENT = "贵宾及私行客户"
TEXT = ("尊敬的客户：本周六上午网点开放日，理财经理现场答疑，欢迎到店。"
        "回复「退订」或「TD」不再接收营销消息。")


def seed_campaign(uow: SqlUnitOfWork, now: datetime, policy: campaigns.ContactPolicy) -> bool:
    """Draft and submit the demo campaign unless it exists; say whether it was added."""
    if uow.session.scalar(select(Campaign.id).where(Campaign.name == NAME)) is not None:
        return False
    card = next((c for c in services.segments.segment_cards(uow, OWNER) if c.name == SEGMENT),
                None)
    if card is None:
        return False
    shot = services.segments.take_snapshot(uow, OWNER, card.id,
                                           services.segments.moment(now, "Asia/Shanghai"))
    made = campaigns.create_campaign(uow, OWNER, campaigns.Draft(
        NAME, "marketing", shot.id, TEXT, ("mass", "task"), None, 10), now)
    with suppress(campaigns.CampaignRefused):  # nobody reachable: the draft stays a draft
        campaigns.submit(uow, OWNER, made.id, now, policy)
    return True
