"""The staff console: server-rendered pages in Simplified Chinese, scoped per account."""

# Importing a page module registers its views on the blueprint.
from bot.web.console import codes, exports, lists, logs, misses, products, staff, views
from bot.web.console.blueprint import bp

__all__ = ["bp", "codes", "exports", "lists", "logs", "misses", "products", "staff", "views"]
