"""The staff console: server-rendered pages in Simplified Chinese, scoped per account."""

from bot.web.console import codes as _codes  # noqa: F401 - registers the QR code pages on bp
from bot.web.console import products as _products  # noqa: F401 - registers the product page on bp
from bot.web.console import staff as _staff  # noqa: F401 - registers the staff page on bp
from bot.web.console.views import bp

__all__ = ["bp"]
