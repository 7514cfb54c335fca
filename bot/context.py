"""What a handler is given besides the message: the unit of work, the time and policy."""

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from bot.config import BindingSettings, ProductSettings
from bot.search.cache import CatalogueIndex
from bot.share_tokens import ShareLinks
from crm_core.model import local_date
from crm_core.services.collaboration import ReferralPolicy
from crm_core.unit_of_work import UnitOfWork


@dataclass(frozen=True)
class HandlerPolicy:
    """The settings handlers act on, fixed for the process."""

    default_branch: str | None = None
    contact_sla_minutes: int = 120
    binding: BindingSettings = field(default_factory=BindingSettings)
    products: ProductSettings = field(default_factory=ProductSettings)
    # Where product links point (None: answers carry no links, e.g. in unit tests).
    links: ShareLinks | None = None
    # This process's index of the catalogue (rebuilt when the catalogue changes).
    catalogue: CatalogueIndex = field(default_factory=CatalogueIndex, compare=False)
    timezone: str = "Asia/Shanghai"
    referrals: ReferralPolicy = field(default_factory=ReferralPolicy)


@dataclass(frozen=True)
class HandlerContext:
    """Per-message context handed to every handler."""

    uow: UnitOfWork
    now: datetime
    policy: HandlerPolicy = field(default_factory=HandlerPolicy)
    # What the reply showed (product versions, disclosures): stored with the interaction.
    evidence: dict[str, Any] = field(default_factory=dict)

    @property
    def today(self) -> date:
        """Return the local calendar date (sales windows and assessments are local dates)."""
        return local_date(self.now, self.policy.timezone)

    @property
    def default_branch(self) -> str | None:
        """Branch whose round robin takes followers who came without a code."""
        return self.policy.default_branch

    @property
    def contact_sla_minutes(self) -> int:
        """Minutes a manager has to contact a new lead."""
        return self.policy.contact_sla_minutes

    @property
    def binding(self) -> BindingSettings:
        """Limits on manager binding attempts."""
        return self.policy.binding
