"""After an outage-like platform failure, page calls pause; a refused request does not."""

from bot.wechat.breaker import PlatformBreaker
from bot.wechat.errors import PermanentError, QuotaExceededError, TransientError


def test_an_outage_pauses_page_calls_for_a_while() -> None:
    now = [100.0]
    breaker = PlatformBreaker(pause_seconds=30, clock=lambda: now[0])
    assert not breaker.paused()
    breaker.failed(TransientError(None, "connect timeout"))
    assert breaker.paused()
    now[0] = 129.9
    assert breaker.paused()
    now[0] = 130.0
    assert not breaker.paused()
    breaker.failed(QuotaExceededError(45009, "reach max api daily quota limit"))
    assert breaker.paused()


def test_a_refused_request_is_no_outage() -> None:
    breaker = PlatformBreaker(clock=lambda: 0.0)
    breaker.failed(PermanentError(40013, "invalid appid"))
    assert not breaker.paused()
