"""The staff console: server-rendered pages in Simplified Chinese, scoped per account."""

from bot.console.views import bp

__all__ = ["bp"]
