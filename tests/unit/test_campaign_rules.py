"""The contact policy's pure rules: quiet hours in Beijing time, the month's start, the text."""

from datetime import datetime

from crm_core.model.campaigns import DISCLOSURE, QuietHours, refusal_for_content
from crm_core.model.campaigns.policy import month_start

QUIET = QuietHours()


def test_the_quiet_hours_run_from_nine_at_night_to_eight_in_the_morning_in_beijing() -> None:
    assert QUIET.quiet(datetime(2026, 11, 18, 13, 0))      # 21:00 Beijing
    assert QUIET.quiet(datetime(2026, 11, 18, 23, 59))     # 07:59 Beijing
    assert not QUIET.quiet(datetime(2026, 11, 19, 0, 0))   # 08:00 Beijing
    assert not QUIET.quiet(datetime(2026, 11, 18, 12, 59))  # 20:59 Beijing


def test_a_message_due_in_the_quiet_hours_waits_for_the_morning_not_dropped() -> None:
    assert QUIET.next_open(datetime(2026, 11, 18, 14, 30)) == datetime(2026, 11, 19, 0, 0)
    assert QUIET.next_open(datetime(2026, 11, 18, 20, 0)) == datetime(2026, 11, 19, 0, 0)
    assert QUIET.next_open(datetime(2026, 11, 18, 2, 0)) == datetime(2026, 11, 18, 2, 0)


def test_the_calendar_month_is_beijing_s() -> None:
    assert month_start(datetime(2026, 11, 30, 17, 0), "Asia/Shanghai") == \
        datetime(2026, 11, 30, 16, 0)  # already 1 December in Beijing


def test_a_text_is_refused_for_its_length_a_banned_phrase_or_a_missing_disclosure() -> None:
    assert refusal_for_content("好" * 683, None) == ("content_too_long", "2048")
    assert refusal_for_content("稳赚不赔的好产品", None) == ("content_banned", "稳赚")
    assert refusal_for_content("新品发售", 3) == ("content_disclosure", DISCLOSURE)
    assert refusal_for_content("网点开放日", None) is None

