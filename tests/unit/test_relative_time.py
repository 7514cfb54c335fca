"""Relative times as staff read them: "3 小时前", "剩余 25 分钟", "已超时 2 小时"."""

from datetime import datetime, timedelta

import pytest

from bot.web.console.support import countdown, relative_time

NOW = datetime(2026, 12, 2, 4, 0)


@pytest.mark.parametrize(("ago", "said"), [
    (timedelta(seconds=20), "刚刚"),
    (timedelta(minutes=1), "1 分钟前"),
    (timedelta(minutes=59, seconds=59), "59 分钟前"),
    (timedelta(hours=3, minutes=40), "3 小时前"),
    (timedelta(hours=47), "47 小时前"),
    (timedelta(days=2), "2 天前"),
    (timedelta(days=29), "29 天前"),
    (-timedelta(hours=5), "5 小时后"),
])
def test_a_past_or_coming_time_is_said_in_its_largest_whole_unit(ago: timedelta,
                                                                  said: str) -> None:
    assert relative_time(NOW - ago, NOW) == said


@pytest.mark.parametrize(("left", "said"), [
    (timedelta(minutes=25, seconds=30), "剩余 25 分钟"),
    (timedelta(seconds=10), "剩余 1 分钟"),
    (timedelta(hours=5), "剩余 5 小时"),
    (timedelta(0), "已超时 1 分钟"),
    (-timedelta(hours=2, minutes=10), "已超时 2 小时"),
    (-timedelta(days=3), "已超时 3 天"),
])
def test_a_due_time_counts_down_then_says_how_late(left: timedelta, said: str) -> None:
    assert countdown(NOW + left, NOW) == said


def test_times_handed_over_as_iso_text_read_as_utc() -> None:
    assert countdown("2026-12-02T04:25:00Z", NOW) == "剩余 25 分钟"
    assert relative_time("2026-12-02T07:00:00+03:00", NOW) == "刚刚"
    assert countdown(None, NOW) == relative_time("", NOW) == "—"
