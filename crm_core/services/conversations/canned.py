"""Quick replies (快捷回复) kept by head office: approved copy, checked like any reply."""

from datetime import datetime

from crm_core.model import Scope
from crm_core.model.conversations import CannedReply, ConversationRefused
from crm_core.services.conversations.replies import check_reply
from crm_core.services.staff import audit
from crm_core.unit_of_work import UnitOfWork

TITLE_MAX = 40


def add_canned(uow: UnitOfWork, scope: Scope | None, title: str, body: str,
               now: datetime) -> None:
    """Add a quick reply (a banned promise is refused with the phrase named)."""
    text, name = check_reply(body), title.strip()
    if not name or len(name) > TITLE_MAX:
        raise ConversationRefused("bad_title", str(TITLE_MAX))
    uow.conversations.add(CannedReply(title=name, body=text, active=True, created_at=now))
    audit(uow, now, scope.username if scope else "cli", "canned_reply_added", name)


def canned_replies(uow: UnitOfWork) -> list[dict[str, str]]:
    """Return the active quick replies, by title."""
    return [{"title": row.title, "body": row.body} for row in uow.conversations.canned()]
