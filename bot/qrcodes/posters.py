"""Posters for branches and their managers: codes from the registry, texts from the settings."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from bot import texts
from bot.config import PosterSettings
from bot.qrcodes.batches import PosterJob
from crm_core.services import PosterTarget
from qr import PosterSize, PosterSpec

SIZE_SUFFIX: dict[str, str] = {"A4": "a4", "A5_TENT": "a5-tent"}


@dataclass(frozen=True)
class PosterTexts:
    """The texts printed around every code of one batch."""

    slogan: str
    footer: str
    campaign_line: str | None = None

    @classmethod
    def from_settings(cls, posters: PosterSettings, campaign: str | None,
                      campaign_line: str | None = None) -> PosterTexts:
        """Take the configured texts, falling back on the defaults in bot/texts.py."""
        line = campaign_line or posters.campaign_line or texts.POSTER_CAMPAIGN_LINE
        return cls(slogan=posters.slogan or texts.POSTER_SLOGAN,
                   footer=posters.footer or texts.POSTER_FOOTER,
                   campaign_line=line if campaign else None)


def poster_spec(target: PosterTarget, url: str, words: PosterTexts,
                size: PosterSize) -> PosterSpec:
    """Describe the poster of one target."""
    return PosterSpec(payload=url, branch_name=target.branch_name, slogan=words.slogan,
                      manager_name=target.manager_name, manager_title=target.manager_title,
                      campaign=words.campaign_line, footer=words.footer, size=size)


def poster_jobs(targets: Sequence[tuple[PosterTarget, str]], words: PosterTexts,
                sizes: Sequence[PosterSize], campaign: str | None = None) -> list[PosterJob]:
    """Return the contact sheet job, then one job per target and size (targets with urls)."""
    if not targets or not sizes:
        return []
    suffix = f"-{campaign}" if campaign else ""
    jobs = [PosterJob(f"{_stem(t)}{suffix}-{SIZE_SUFFIX[size]}.pdf",
                      (poster_spec(t, url, words, size),))
            for t, url in targets for size in sizes]
    sheet = tuple(poster_spec(t, url, words, "A4") for t, url in targets)
    return [PosterJob(f"contact-sheet{suffix}.pdf", sheet, sheet=True), *jobs]


def _stem(target: PosterTarget) -> str:
    if target.manager_code:
        return f"{target.branch_code}/manager-{target.manager_code}"
    return f"{target.branch_code}/branch-{target.branch_code}"
