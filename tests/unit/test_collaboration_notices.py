"""Referral and chain-lead notices read as sentences and open their page in the console."""

from zoneinfo import ZoneInfo

from bot.config import NotificationSettings
from bot.worker.notices import render_notice
from crm_core.model import NoticeKind

ZONE = ZoneInfo("Asia/Shanghai")


def test_a_referral_notice_says_what_happened_in_beijing_time_and_links_the_referral() -> None:
    settings = NotificationSettings(referral_template="TPL")
    payload = {"referral_id": 7, "event": "submitted", "subject": "张记水产", "line": "corporate",
               "referrer": "王芳", "receiver": "陈静", "at": "2026-11-30T01:00:00",
               "due_at": None}
    message = render_notice(NoticeKind.REFERRAL, payload, settings, ZONE, "https://bank")
    assert message.data == {"thing1": "张记水产", "thing2": "王芳转介给您，请接收",
                            "time3": "2026-11-30 09:00"}
    assert message.url == "https://bank/console/referrals/7"
    escalated = render_notice(NoticeKind.REFERRAL, {**payload, "event": "escalation-accepted"},
                              settings, ZONE)
    assert escalated.data["thing2"] == "转介超时未处理（陈静）"


def test_a_chain_leads_notice_names_the_organisation_and_opens_its_page() -> None:
    settings = NotificationSettings(new_lead_template="TPL")
    payload = {"chain_lead_id": 3, "organisation": "M002", "customer": "李氏干货",
               "source": "chain", "due_at": "2026-11-30T03:00:00"}
    message = render_notice(NoticeKind.NEW_LEAD, payload, settings, ZONE, "https://bank")
    assert message.data == {"thing1": "李氏干货", "thing2": "链条营销线索",
                            "time3": "2026-11-30 11:00"}
    assert message.url == "https://bank/console/organisations/M002"
