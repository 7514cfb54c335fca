"""Console lists for heads and head office: branches, notices (outbox) and the audit log."""

from flask import render_template
from flask_login import login_required

from bot import texts
from bot.web.console.blueprint import HEADS, bp
from bot.web.console.listing import page_request
from bot.web.console.support import roles, scope, work
from bot.web.edge import current_runtime
from crm_core import services
from crm_core.model import NoticeKind, NoticeStatus, StaffRole, utcnow
from crm_core.queries.trails import AUDIT, NOTICES


@bp.get("/branches")
@login_required
@roles(StaffRole.HEAD_OFFICE)
def branches() -> str:
    """Head office's branches, each with its managers, customers and open and overdue leads."""
    with work() as uow:
        rows = services.branch_list_counts(uow, utcnow())
    return render_template("console/branches.html", branches=rows)


@bp.get("/outbox")
@login_required
@roles(*HEADS)
def outbox() -> str:
    """Notices and dead letters of the caller's branch (head office: all), newest first."""
    wanted = page_request(NOTICES)
    with work() as uow:
        page = services.notice_list(uow, scope(), wanted)
    options = {"status": [(s.value, texts.label("notice", s.value)) for s in NoticeStatus],
               "kind": [(k.value, texts.label("notice_kind", k.value)) for k in NoticeKind]}
    return render_template("console/outbox.html", page=page, options=options)


@bp.get("/audit")
@login_required
@roles(StaffRole.HEAD_OFFICE)
def audit() -> str:
    """The audit trail: logins, exports, transfers, bindings; by action, who and when."""
    wanted = page_request(AUDIT)
    with work() as uow:
        page = services.audit_list(uow, scope(), wanted,
                                   current_runtime().settings.leads.timezone)
    actions = sorted(texts.LABELS["audit_action"].items(), key=lambda item: item[1])
    return render_template("console/audit.html", page=page, actions=actions)
