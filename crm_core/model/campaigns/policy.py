"""The contact policy's pure rules: quiet hours, caps, what a campaign's text may say.

Quiet hours never drop a message: one due inside them waits for the window to open. Caps count
marketing messages across every campaign; the strictest applies (2 per 7 days by default, and
the platform's 4 mass messages per customer per calendar month). Service notices are not
campaigns and are not counted.
"""

import re
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from crm_core.model.compliance import banned_phrase

# mass: mass send to an openid list; custom: customer-service message inside the 48-hour
# window; task: a call or visit on the manager's list. Template messages are never campaigns.
CHANNELS = ("mass", "custom", "task")
CONTENT_BYTES = 2048  # the platform's limit on a text message, UTF-8
# Kept free when the campaign links a product: the line with its tracked link, appended at
# sending (a share token is some 120 characters, the public address and the words the rest).
LINK_BYTES = 320
_CAMPAIGN_SHARER = re.compile(r"k(\d+)(?:-\d+)?")
CAMPAIGN_SHARER = "k"  # share sharer of a campaign's links: k<campaign>, k<campaign>-<customer>
DISCLOSURE = "理财非存款、产品有风险、投资须谨慎"


@dataclass(frozen=True)
class QuietHours:
    """The hours (local) when no marketing goes out: from `start` to `end` the next morning."""

    start: time = time(21, 0)
    end: time = time(8, 0)
    timezone: str = "Asia/Shanghai"

    def quiet(self, at: datetime) -> bool:
        """Tell whether a naive UTC time falls in the quiet hours."""
        local = at.replace(tzinfo=UTC).astimezone(ZoneInfo(self.timezone)).time()
        if self.start <= self.end:
            return self.start <= local < self.end
        return local >= self.start or local < self.end

    def next_open(self, at: datetime) -> datetime:
        """Return `at` if outside the quiet hours, else when they end (naive UTC)."""
        if not self.quiet(at):
            return at
        zone = ZoneInfo(self.timezone)
        local = at.replace(tzinfo=UTC).astimezone(zone)
        day = local.date() if local.time() < self.end else local.date() + timedelta(days=1)
        opens = datetime.combine(day, self.end, tzinfo=zone)
        return opens.astimezone(UTC).replace(tzinfo=None)


@dataclass(frozen=True)
class Caps:
    """How many marketing messages a customer may get: per rolling week, mass per month."""

    per_week: int = 2
    week: timedelta = timedelta(days=7)
    mass_per_month: int = 4


def month_start(at: datetime, timezone: str) -> datetime:
    """Return the start (naive UTC) of the local calendar month holding `at`."""
    zone = ZoneInfo(timezone)
    local = at.replace(tzinfo=UTC).astimezone(zone)
    first = datetime(local.year, local.month, 1, tzinfo=zone)
    return first.astimezone(UTC).replace(tzinfo=None)


def refusal_for_content(content: str, product_risk: int | None,
                        linked: bool = False) -> tuple[str, str] | None:
    """Return why a campaign's text cannot go out (code, detail), or None if it may;
    `linked`: a tracked link to the campaign's product will be appended."""
    if not content.strip():
        return "content_empty", ""
    limit = CONTENT_BYTES - (LINK_BYTES if linked else 0)
    if len(content.encode("utf-8")) > limit:
        return "content_too_long", str(limit)
    if phrase := banned_phrase(content):
        return "content_banned", phrase
    if product_risk is not None and DISCLOSURE not in content:
        return "content_disclosure", DISCLOSURE
    return None


def campaign_sharer(campaign_id: int, customer_id: int | None = None) -> str:
    """Return the share sharer a campaign's link carries: the campaign's own (a mass send, one
    text for every recipient) or the campaign's and one recipient's (a customer-service
    message)."""
    own = f"{CAMPAIGN_SHARER}{campaign_id}"
    return own if customer_id is None else f"{own}-{customer_id}"


def sharer_campaign(sharer: str) -> int | None:
    """Return the campaign whose link a share sharer names, or None for any other sharer."""
    found = _CAMPAIGN_SHARER.fullmatch(sharer)
    return int(found[1]) if found else None
