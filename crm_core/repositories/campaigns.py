"""Campaigns and the customer's contact wishes (opt-outs, do-not-contact, consents), in SQL."""

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from crm_core.model.campaigns import (
    Campaign,
    CampaignRecipient,
    ContactBlock,
    ContactConsent,
    RecipientStatus,
)
from crm_core.model.conversations import Conversation, ConversationMessage, Delivery

# A campaign's customer-service message counts from its claim (due_at is then when it went):
# one claimed and failed may still have reached the platform.
_WENT = (RecipientStatus.BATCHED, RecipientStatus.SENT, RecipientStatus.FAILED)


def window_sends(session: Session, customer_id: int, since: datetime) -> int:
    """Count the customer-service messages a customer was sent since `since` (the start of
    their window), whatever sent them: every campaign's, and staff's conversation replies."""
    campaigns = select(func.count()).where(
        CampaignRecipient.customer_id == customer_id, CampaignRecipient.channel == "custom",
        CampaignRecipient.status.in_(_WENT), CampaignRecipient.due_at >= since)
    replies = select(func.count()).select_from(ConversationMessage).join(
        Conversation, Conversation.id == ConversationMessage.conversation_id).where(
        Conversation.customer_id == customer_id, ConversationMessage.delivery == Delivery.CUSTOM,
        ConversationMessage.at >= since)
    return int(session.scalar(campaigns) or 0) + int(session.scalar(replies) or 0)


class SqlContacts:
    """Campaigns and contact wishes, read and written in SQL only (no fakes yet)."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def campaign(self, campaign_id: int) -> Campaign | None:
        """Return the campaign with this id."""
        return self.session.get(Campaign, campaign_id)

    def block(self, customer_id: int, kind: str) -> ContactBlock | None:
        """Return the customer's opt-out (`opt_out`) or do-not-contact (`dnc`), if any."""
        return self.session.get(ContactBlock, (customer_id, kind))

    def add_block(self, block: ContactBlock) -> None:
        """Record an opt-out or a do-not-contact."""
        self.session.add(block)

    def remove_block(self, block: ContactBlock) -> None:
        """Lift an opt-out or a do-not-contact."""
        self.session.delete(block)

    def consent(self, customer_id: int, purpose: str) -> ContactConsent | None:
        """Return the customer's consent for a purpose, if given."""
        return self.session.get(ContactConsent, (customer_id, purpose))

    def give_consent(self, customer_id: int, purpose: str, version: str, at: datetime) -> None:
        """Record (or renew) a consent with the version of the text the customer saw."""
        found = self.consent(customer_id, purpose)
        if found is None:
            self.session.add(ContactConsent(customer_id=customer_id, purpose=purpose,
                                            text_version=version, given_at=at))
        else:
            found.text_version, found.given_at = version, at
