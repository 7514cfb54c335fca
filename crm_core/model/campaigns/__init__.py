"""Campaigns: a message from a branch or head office to a frozen segment, within the rules.

A campaign is drafted by one member of staff and approved by another (four eyes). At submission
its audience is planned: each member of the snapshot becomes one recipient row with the channel
that reaches them, or with the reason they are suppressed (opt-out, do-not-contact, caps,
suitability, ...). Rows are keyed by campaign × customer × channel, which is also the key that
makes a send idempotent: a row leaves `planned` once, in the transaction that records its batch.
"""

import enum
from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from crm_core.model.base import Base, str_enum, utcnow
from crm_core.model.campaigns.policy import (
    CHANNELS,
    CONTENT_BYTES,
    DISCLOSURE,
    Caps,
    QuietHours,
    campaign_sharer,
    refusal_for_content,
    sharer_campaign,
)

__all__ = [
    "CHANNELS",
    "CONTENT_BYTES",
    "DISCLOSURE",
    "Campaign",
    "CampaignBatch",
    "CampaignRecipient",
    "CampaignScope",
    "CampaignState",
    "Caps",
    "ContactBlock",
    "ContactConsent",
    "QuietHours",
    "RecipientStatus",
    "campaign_sharer",
    "refusal_for_content",
    "sharer_campaign",
]


class CampaignState(enum.StrEnum):
    """Where a campaign is in its life."""

    DRAFT = "draft"
    PENDING = "pending_approval"
    APPROVED = "approved"
    SCHEDULED = "scheduled"
    SENDING = "sending"
    PAUSED = "paused"
    DONE = "done"
    CANCELLED = "cancelled"


class CampaignScope(enum.StrEnum):
    """A campaign of the whole network (head office) or of one branch."""

    NETWORK = "network"
    BRANCH = "branch"


class RecipientStatus(enum.StrEnum):
    """What became of one recipient."""

    PLANNED = "planned"
    SUPPRESSED = "suppressed"
    CONTROL = "control"
    BATCHED = "batched"
    SENT = "sent"
    FAILED = "failed"
    TASK = "task"


class Campaign(Base):
    """A campaign: what is said, to which snapshot, on which channels, by whom, when."""

    __tablename__ = "campaigns"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(50))
    purpose: Mapped[str] = mapped_column(String(32))
    snapshot_id: Mapped[int] = mapped_column(ForeignKey("segment_snapshots.id"))
    channels: Mapped[list[str]] = mapped_column(JSON)
    content: Mapped[str] = mapped_column(Text)
    # The risk level (1-5) of the investment product the campaign is about, if any.
    product_risk: Mapped[int | None] = mapped_column(Integer)
    # The product each message links to through a tracked share link (bound to the campaign).
    product_code: Mapped[str | None] = mapped_column(String(32))
    control_share: Mapped[int] = mapped_column(Integer, default=0)  # percent held out
    scheduled_at: Mapped[datetime | None]
    owner: Mapped[str] = mapped_column(String(64))
    scope: Mapped[CampaignScope] = mapped_column(str_enum(CampaignScope))
    branch_id: Mapped[int | None] = mapped_column(ForeignKey("branches.id"), index=True)
    state: Mapped[CampaignState] = mapped_column(str_enum(CampaignState),
                                                 default=CampaignState.DRAFT)
    approver: Mapped[str | None] = mapped_column(String(64))
    approved_at: Mapped[datetime | None]
    pause_reason: Mapped[str | None] = mapped_column(String(32))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class CampaignRecipient(Base):
    """One customer of a campaign on one channel: planned, suppressed (why), held out or sent.

    No foreign keys, on purpose (as segment members): rows are written only by one
    INSERT ... SELECT from the snapshot's members, so the references hold by construction.
    """

    __tablename__ = "campaign_recipients"
    __table_args__ = (
        Index("ix_campaign_recipients_campaign_status", "campaign_id", "status", "channel"),
        # Caps count a customer's marketing messages across campaigns by time.
        Index("ix_campaign_recipients_customer_due", "customer_id", "due_at"),
    )

    campaign_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    customer_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    channel: Mapped[str] = mapped_column(String(8), primary_key=True)
    status: Mapped[RecipientStatus] = mapped_column(str_enum(RecipientStatus))
    reason: Mapped[str | None] = mapped_column(String(24))
    # When the message may go out (after quiet hours), then when it went.
    due_at: Mapped[datetime]
    batch_id: Mapped[int | None] = mapped_column(Integer)
    outcome: Mapped[str | None] = mapped_column(String(24))


class CampaignBatch(Base):
    """One mass-send call: its clientmsgid makes a retried call a no-op on the platform."""

    __tablename__ = "campaign_batches"

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaigns.id"), index=True)
    client_msg_id: Mapped[str] = mapped_column(String(64), unique=True)
    size: Mapped[int] = mapped_column(Integer)
    msg_id: Mapped[int | None] = mapped_column(Integer, index=True)
    status: Mapped[str] = mapped_column(String(16), default="claimed")
    sent: Mapped[int] = mapped_column(Integer, default=0)
    failed: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class ContactBlock(Base):
    """A customer who must not get marketing: their own opt-out, or staff's do-not-contact."""

    __tablename__ = "contact_blocks"

    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"), primary_key=True)
    kind: Mapped[str] = mapped_column(String(16), primary_key=True)  # opt_out | dnc
    by: Mapped[str] = mapped_column(String(64))
    note: Mapped[str | None] = mapped_column(String(200))
    at: Mapped[datetime] = mapped_column(default=utcnow)


class ContactConsent(Base):
    """A customer's consent to marketing for one purpose: when, and the text's version."""

    __tablename__ = "contact_consents"

    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"), primary_key=True)
    purpose: Mapped[str] = mapped_column(String(32), primary_key=True)
    text_version: Mapped[str] = mapped_column(String(16))
    given_at: Mapped[datetime] = mapped_column(default=utcnow)

