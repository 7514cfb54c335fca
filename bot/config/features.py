"""The product's tables: onboarding, leads, notices, products, posters, transfers,
conversations, referrals, scorecards and campaigns."""

from dataclasses import dataclass, field

from bot.config.rules import (
    FIELDS,
    HH_MM,
    between,
    check,
    meta,
    not_negative,
    percent,
    positive,
    temporary_code_days,
)


@dataclass(frozen=True)
class OnboardingSettings:
    """How new customers are linked to managers."""

    default_branch: str | None = None


@dataclass(frozen=True)
class LeadSettings:
    """Service levels for following up leads."""

    contact_sla_minutes: int = field(default=120, metadata=meta(positive))
    escalate_after_minutes: int = field(default=240, metadata=meta(positive))
    digest_time: str = field(default="08:30", metadata=meta(HH_MM))
    timezone: str = "Asia/Shanghai"


@dataclass(frozen=True)
class BindingSettings:
    """How managers bind their WeChat account."""

    code_ttl_minutes: int = field(default=30, metadata=meta(positive))
    max_failures: int = field(default=5, metadata=meta(positive))
    failure_window_minutes: int = field(default=60, metadata=meta(positive))


@dataclass(frozen=True)
class OutboxSettings:
    """How the workers deliver notices."""

    poll_seconds: float = field(default=0.5, metadata=meta(positive))
    batch_size: int = field(default=50, metadata=meta(positive))
    senders: int = field(default=4, metadata=meta(positive))
    max_attempts: int = field(default=8, metadata=meta(positive))
    backoff_base_seconds: float = field(default=5.0, metadata=meta(positive))
    backoff_max_seconds: float = field(default=900.0, metadata=meta(positive))
    claim_seconds: float = field(default=60.0, metadata=meta(positive))
    quota_pause_seconds: float = field(default=1800.0, metadata=meta(positive))


@dataclass(frozen=True)
class NotificationSettings:
    """Template message ids and their keyword lists, one pair per kind of notice."""

    new_customer_template: str = ""
    new_customer_fields: str = field(default="thing1,thing2,time3", metadata=meta(FIELDS))
    new_lead_template: str = ""
    new_lead_fields: str = field(default="thing1,thing2,time3", metadata=meta(FIELDS))
    lead_reminder_template: str = ""
    lead_reminder_fields: str = field(default="thing1,thing2,time3", metadata=meta(FIELDS))
    lead_escalation_template: str = ""
    lead_escalation_fields: str = field(default="thing1,thing2,time3", metadata=meta(FIELDS))
    daily_digest_template: str = ""
    daily_digest_fields: str = field(default="thing1,thing2,time3", metadata=meta(FIELDS))
    transfer_template: str = ""
    transfer_fields: str = field(default="thing1,thing2,time3", metadata=meta(FIELDS))
    share_opens_template: str = ""
    share_opens_fields: str = field(default="thing1,thing2,thing3", metadata=meta(FIELDS))
    # Conversations: a customer waits (manager), nobody answered in time (branch head), and a
    # reply waits on its page (to the customer, outside the 48-hour window).
    talk_waiting_template: str = ""
    talk_waiting_fields: str = field(default="thing1,thing2,time3", metadata=meta(FIELDS))
    talk_escalation_template: str = ""
    talk_escalation_fields: str = field(default="thing1,thing2,time3", metadata=meta(FIELDS))
    talk_page_template: str = ""
    talk_page_fields: str = field(default="thing1,time2", metadata=meta(FIELDS))
    referral_template: str = ""
    referral_fields: str = field(default="thing1,thing2,time3", metadata=meta(FIELDS))


@dataclass(frozen=True)
class ProductSettings:
    """Product answers, share links and what they tell managers."""

    assessment_validity_days: int = field(default=365, metadata=meta(positive))
    max_results: int = field(default=5, metadata=meta(positive))
    link_ttl_days: int = field(default=30, metadata=meta(positive))
    share_notice_minutes: int = field(default=60, metadata=meta(positive))
    follow_code_days: int = field(default=7, metadata=meta(temporary_code_days))
    # A follow without a QR code this many days after the follower (identified by web
    # authorisation) opened a shared page is credited to that share.
    follow_window_days: int = field(default=7, metadata=meta(positive))
    # Identify visitors inside WeChat by silent web authorisation (needs [wechat] app_secret).
    oauth: bool = True
    # Minutes a customer offered numbered choices may still answer with the number.
    choice_minutes: int = field(default=30, metadata=meta(positive))
    # Forwarded shares (a visitor's own link, first opened by someone else) that page opens may
    # create per hour: from one client address (IPv6: per /64), and in one chain of shares
    # (one root link's forwards). Past either, the open counts for the share forwarded from.
    forwards_per_address_hour: int = field(default=30, metadata=meta(positive))
    forwards_per_share_hour: int = field(default=100, metadata=meta(positive))


@dataclass(frozen=True)
class PosterSettings:
    """What `branchlink posters` prints around each code (empty: the defaults in bot/texts.py)."""

    slogan: str | None = None
    campaign_line: str | None = None
    footer: str | None = None
    font_path: str | None = None


@dataclass(frozen=True)
class TransferSettings:
    """What happens when customers move between managers."""

    notify_customers: bool = False


@dataclass(frozen=True)
class TalkSettings:
    """Conversations with a person: the first-response SLA and the platform's window."""

    # Minutes a conversation may wait for its first answer before the branch head hears.
    sla_minutes: int = field(default=10, metadata=meta(positive))
    # The customer-service window after the customer's last message, and its sends.
    window_hours: int = field(default=48, metadata=meta(positive))
    window_sends: int = field(default=5, metadata=meta(positive))
    # Images customers send are fetched from the platform into this folder, up to this size.
    media_dir: str = "instance/media"
    media_max_bytes: int = field(default=2_000_000, metadata=meta(positive))


@dataclass(frozen=True)
class ReferralSettings:
    """Referrals between staff: lock period, SLAs, expiry and how credit is shared."""

    lock_days: int = field(default=90, metadata=meta(positive))
    accept_hours: int = field(default=24, metadata=meta(positive))
    contact_hours: int = field(default=48, metadata=meta(positive))
    escalate_after_hours: int = field(default=24, metadata=meta(positive))
    expire_days: int = field(default=60, metadata=meta(positive))
    credit_model: str = field(default="shadow", metadata=meta(
        check(r"shadow|split", "must be shadow or split")))
    referrer_percent: int = field(default=30, metadata=meta(percent))
    split_days: int = field(default=180, metadata=meta(positive))


@dataclass(frozen=True)
class ScorecardSettings:
    """Simulated profit, the monthly run and pay by results (`[scorecards]`)."""

    overdue_provision: float = field(default=2.0, metadata=meta(percent))
    npl_provision: float = field(default=10.0, metadata=meta(percent))
    direct_cost: float = field(default=0.0, metadata=meta(not_negative))
    run_day: int = field(default=5, metadata=meta(between(1, 28)))
    pay_rate: float = field(default=5.0, metadata=meta(percent))
    pay_threshold: float = field(default=0.0, metadata=meta(not_negative))
    pay_min_score: float = field(default=60.0, metadata=meta(percent))
    deferral_percent: float = field(default=40.0, metadata=meta(percent))
    deferral_years: int = field(default=3, metadata=meta(between(1, 10)))


@dataclass(frozen=True)
class CampaignSettings:
    """Campaigns: the contact policy (quiet hours, caps, consent) and the mass-send limits."""

    quiet_start: str = field(default="21:00", metadata=meta(HH_MM))
    quiet_end: str = field(default="08:00", metadata=meta(HH_MM))
    per_week: int = field(default=2, metadata=meta(positive))
    mass_per_month: int = field(default=4, metadata=meta(positive))
    consent_purposes: str = field(default="", metadata=meta(
        check(r"([a-z_]+(,[a-z_]+)*)?", "must be comma-separated purposes")))
    batch_size: int = field(default=10_000, metadata=meta(between(2, 10_000)))
    calls_per_day: int = field(default=100, metadata=meta(positive))
    calls_per_minute: int = field(default=60, metadata=meta(positive))
    poll_seconds: float = field(default=5.0, metadata=meta(positive))
