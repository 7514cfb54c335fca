"""What a handler is given besides the message: the unit of work, the time and policy."""

from dataclasses import dataclass
from datetime import datetime

from crm_core.unit_of_work import UnitOfWork


@dataclass(frozen=True)
class HandlerContext:
    """Per-message context handed to every handler."""

    uow: UnitOfWork
    now: datetime
    default_branch: str | None = None
