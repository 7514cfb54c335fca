"""Campaigns and the customer's contact wishes (opt-outs, do-not-contact, consents), in SQL."""

from datetime import datetime

from sqlalchemy.orm import Session

from crm_core.model.campaigns import Campaign, ContactBlock, ContactConsent


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
