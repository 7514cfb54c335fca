"""Turning a notice into a template message: template id, keywords and 20-character values."""

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from bot import texts
from bot.config import NotificationSettings
from crm_core.model import NoticeKind, SceneError, parse_scene

FIELD_LIMIT = 20
# Line breaks and characters outside the Basic Multilingual Plane (emoji) are dropped by the
# platform since 2023-05; we remove them ourselves so what is stored is what was sent.
_UNSENDABLE = re.compile(r"[\r\n\t]|[\U00010000-\U0010FFFF]")


@dataclass(frozen=True)
class TemplateMessage:
    """A template id and its keyword values."""

    template_id: str
    data: dict[str, str]
    url: str | None = None  # the console page where the manager handles it (after login)


class MissingTemplate(LookupError):
    """No template id is configured for this kind of notice."""


def clean(value: object) -> str:
    """Make a value sendable: no line breaks or emoji, at most 20 characters."""
    return _UNSENDABLE.sub(" ", str(value)).strip()[:FIELD_LIMIT]


def render_notice(kind: NoticeKind, payload: dict[str, Any], settings: NotificationSettings,
                  zone: ZoneInfo, console_url: str | None = None) -> TemplateMessage:
    """Fill the configured template of `kind` with the notice's values, in keyword order,
    linking to its page under `console_url` (the console's address) when given."""
    template_id = getattr(settings, f"{kind.value}_template")
    if not template_id:
        raise MissingTemplate(f"[notifications] {kind.value}_template is not configured")
    keywords = getattr(settings, f"{kind.value}_fields").split(",")
    values = _values(kind, payload, zone)
    url = console_url + notice_path(kind, payload) if console_url else None
    return TemplateMessage(template_id, {k: clean(v) for k, v in zip(keywords, values,
                                                                     strict=False)}, url)


def notice_path(kind: NoticeKind, payload: dict[str, Any]) -> str:
    """Return the console page a notice opens: its lead, its customer, or the list."""
    if payload.get("conversation_id"):
        return f"/console/talk/{int(payload['conversation_id'])}"
    if payload.get("chain_lead_id"):
        return f"/console/organisations/{payload['organisation']}"
    if payload.get("referral_id"):
        return f"/console/referrals/{int(payload['referral_id'])}"
    if payload.get("lead_id"):
        return f"/console/leads/{int(payload['lead_id'])}"
    if payload.get("customer_id"):
        return f"/console/customers/{int(payload['customer_id'])}"
    if kind in (NoticeKind.DAILY_DIGEST, NoticeKind.NEW_LEAD, NoticeKind.LEAD_REMINDER,
                NoticeKind.LEAD_ESCALATION):
        return "/console/leads"
    return "/console/customers"


def source_words(source: str, product: str | None = None) -> str:
    """Say in words where a customer or a lead came from (a code's scene included)."""
    words = texts.NOTICE_SOURCE.get(source)
    if words is None:
        words = _scene_words(source)
    return texts.NOTICE_SOURCE_WITH_PRODUCT.format(source=words, product=product) \
        if product else words


def _scene_words(source: str) -> str:
    try:
        scene = parse_scene(source)
    except SceneError:
        return texts.NOTICE_SOURCE_OTHER
    if scene.campaign and scene.campaign[:2] in ("S-", "L-"):
        return texts.NOTICE_SOURCE_SHARE
    words = texts.NOTICE_SOURCE_MANAGER_CODE if scene.manager else texts.NOTICE_SOURCE_BRANCH_CODE
    return texts.NOTICE_SOURCE_CAMPAIGN.format(source=words, campaign=scene.campaign) \
        if scene.campaign else words


def _values(kind: NoticeKind, payload: dict[str, Any], zone: ZoneInfo) -> list[str]:
    if kind is NoticeKind.DAILY_DIGEST:
        return [texts.NOTICE_DIGEST.format(open=payload["open_leads"]),
                texts.NOTICE_OVERDUE.format(overdue=payload["overdue_leads"]), payload["date"]]
    if kind is NoticeKind.TRANSFER:
        incoming = payload["side"] == "in"
        template = texts.NOTICE_TRANSFER_IN if incoming else texts.NOTICE_TRANSFER_OUT
        other = payload["from"] if incoming else payload["to"]
        moved = template.format(count=payload["count"])
        if payload.get("leads"):
            moved += texts.NOTICE_TRANSFER_LEADS.format(leads=payload["leads"])
        return [moved, other, _local(payload["at"], zone)]
    if kind is NoticeKind.TALK_WAITING:
        return [payload["customer"], texts.NOTICE_TALK_WAITING, _local(payload["at"], zone)]
    if kind is NoticeKind.TALK_ESCALATION:
        return [payload["customer"], texts.NOTICE_TALK_ESCALATION,
                _local(payload["opened_at"], zone)]
    if kind is NoticeKind.TALK_PAGE:
        return [texts.TALK_REPLY_WAITING, _local(payload["at"], zone)]
    if kind is NoticeKind.REFERRAL:
        return [payload["subject"], texts.referral_event(payload), _local(payload["at"], zone)]
    if kind is NoticeKind.SHARE_OPENS:
        return [payload["customer"], payload["product"],
                texts.NOTICE_SHARE_OPENS.format(opens=payload["opens"])]
    source = texts.NOTICE_SOURCE_CHAIN if payload.get("chain_lead_id") else source_words(
        payload.get("source", ""), payload.get("product_name") or payload.get("product"))
    if kind is NoticeKind.NEW_CUSTOMER:
        return [payload["customer"], source, _local(payload["at"], zone)]
    if kind is NoticeKind.LEAD_ESCALATION:
        who = texts.NOTICE_ESCALATION.format(manager=payload.get("manager") or "—")
        return [payload["customer"], who, _local(payload["due_at"], zone)]
    return [payload["customer"], source, _local(payload["due_at"], zone)]


def _local(iso_utc: str, zone: ZoneInfo) -> str:
    at = datetime.fromisoformat(iso_utc).replace(tzinfo=ZoneInfo("UTC"))
    return at.astimezone(zone).strftime("%Y-%m-%d %H:%M")
