"""The staff console: server-rendered pages in Simplified Chinese, scoped per account."""

# Importing a page module registers its views on the blueprint.
from bot.web.console import (
    campaign_tasks,
    campaigns,
    classify,
    codes,
    customer,
    exports,
    home,
    lead,
    learning,
    lists,
    logs,
    misses,
    organisations,
    pick,
    products,
    referrals,
    registers,
    scorecards,
    segments,
    staff,
    talk,
    talk_figures,
    talk_media,
    transfer,
    views,
)
from bot.web.console.blueprint import bp

__all__ = ["bp", "campaign_tasks", "campaigns", "classify", "codes", "customer", "exports",
           "home", "lead", "learning", "lists", "logs", "misses", "organisations", "pick",
           "products", "referrals", "registers", "scorecards", "segments", "staff", "talk",
           "talk_figures", "talk_media", "transfer", "views"]
