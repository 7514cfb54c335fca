"""Scoring a card: each line by its method, then the vetoes and penalties.

Completion: value / target as a percent; below the floor it scores nothing, above the cap it
stops at the cap; a line scores weight x percent / 100. Rank within the platform: managers of
the same role across the network, best first; tied managers share the better rank (1, 2, 2,
4) and a line scores weight x (n - rank) / (n - 1), the whole weight when alone. A veto whose
ratio passes its threshold zeroes or cuts its line (the first that applies); each penalty
deducts its points per breach recorded (in the book or in a register, whose line names the
register's rows); a card never goes below zero.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

CENT = Decimal("0.01")
ZERO, HUNDRED = Decimal(0), Decimal(100)


def completion(value: Decimal, target: Decimal, floor: Decimal, cap: Decimal) -> Decimal:
    """Return the percent of a target achieved, after floor and cap."""
    if target <= 0:
        return HUNDRED  # nothing was asked of this manager on this line
    percent = value * HUNDRED / target
    return ZERO if percent < floor else min(percent, cap)


def rank_percent(values: Mapping[int, Decimal]) -> dict[int, tuple[int, Decimal]]:
    """Return each manager's rank (ties share the better) and its percent of the weight."""
    ordered = sorted(values.values(), reverse=True)
    first: dict[Decimal, int] = {}
    for at, value in enumerate(ordered, 1):
        first.setdefault(value, at)
    count = len(ordered)
    return {key: (first[value], HUNDRED if count == 1 else
                  HUNDRED * (count - first[value]) / (count - 1))
            for key, value in values.items()}


@dataclass(frozen=True)
class CardInput:
    """What one manager's card is scored from."""

    values: Mapping[str, Decimal]
    targets: Mapping[str, Decimal]
    ranks: Mapping[str, tuple[int, Decimal]]  # per rank line: rank and percent
    breaches: Mapping[str, int]
    peers: int
    sources: Mapping[str, Any]


def score_card(rules: Mapping[str, Any], card: CardInput) -> tuple[Decimal, list[dict[str, Any]]]:
    """Return a card's total and its lines, each explaining itself."""
    lines = [_line(rule, card) for rule in rules["lines"]]
    for line in lines:
        _veto(line, rules["vetoes"], card.values)
    penalties = [_penalty(rule, card.breaches, card.sources) for rule in rules["penalties"]]
    lines += [p for p in penalties if p["breaches"]]
    total = sum((Decimal(line["score"]) for line in lines), ZERO)
    return max(ZERO, total).quantize(CENT), lines


def _line(rule: Mapping[str, Any], card: CardInput) -> dict[str, Any]:
    metric, weight = rule["metric"], Decimal(rule["weight"])
    value = card.values.get(metric, ZERO)
    line: dict[str, Any] = {"metric": metric, "method": rule["method"], "weight": rule["weight"],
                            "value": str(value.quantize(CENT)), "veto": None,
                            "source": card.sources.get(metric, "book")}
    if rule["method"] == "rank":
        rank, percent = card.ranks.get(metric, (card.peers, ZERO))
        line.update(rank=rank, peers=card.peers, target=None)
    else:
        target = card.targets.get(metric, Decimal(rule["target"]))
        percent = completion(value, target, Decimal(rule["floor"]), Decimal(rule["cap"]))
        line.update(target=str(target), floor=rule["floor"], cap=rule["cap"])
    line["percent"] = str(percent.quantize(CENT))
    line["score"] = str((weight * percent / HUNDRED).quantize(CENT))
    return line


def _veto(line: dict[str, Any], vetoes: list[Mapping[str, Any]],
          values: Mapping[str, Decimal]) -> None:
    for veto in vetoes:
        ratio = values.get(veto["metric"], ZERO)
        if veto["line"] == line["metric"] and ratio > Decimal(veto["above"]):
            kept = (HUNDRED - Decimal(veto["cut"])) / HUNDRED
            line["score"] = str((Decimal(line["score"]) * kept).quantize(CENT))
            line["veto"] = {"metric": veto["metric"], "value": str(ratio.quantize(CENT)),
                            "above": veto["above"], "effect": veto["effect"],
                            "cut": veto["cut"]}
            return


def _penalty(rule: Mapping[str, Any], breaches: Mapping[str, int],
             sources: Mapping[str, Any]) -> dict[str, Any]:
    count = breaches.get(rule["fact"], 0)
    points = (Decimal(rule["points"]) * count).quantize(CENT)
    return {"metric": rule["fact"], "method": "penalty", "weight": 0, "breaches": count,
            "points": rule["points"], "score": str(-points), "veto": None,
            "source": sources.get(rule["fact"], "book")}
