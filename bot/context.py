"""What a handler is given besides the message: the unit of work, the time and policy."""

from dataclasses import dataclass, field
from datetime import datetime

from bot.config import BindingSettings
from crm_core.unit_of_work import UnitOfWork


@dataclass(frozen=True)
class Policy:
    """The settings handlers act on, fixed for the process."""

    default_branch: str | None = None
    contact_sla_minutes: int = 120
    binding: BindingSettings = field(default_factory=BindingSettings)


@dataclass(frozen=True)
class HandlerContext:
    """Per-message context handed to every handler."""

    uow: UnitOfWork
    now: datetime
    policy: Policy = field(default_factory=Policy)

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
