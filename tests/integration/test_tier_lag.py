"""The tier follows 月日均 AUM with a lag, over a sequence of monthly imports: up the month
after reaching a tier, down only after 3 consecutive months below it (6 for 私行)."""

from datetime import date
from pathlib import Path

from flask import Flask

from tests.classify_support import population, run_import, values, write

# Monthly 月日均 from January: o-wang climbs to 潜力 then slips; o-li is 私行 for a while.
WANG = [30000, 60000, 40000, 40000, 40000, 40000, 40000, 40000]
LI = [7000000, 1000000, 1000000, 1000000, 1000000, 1000000, 1000000, 1000000]


def import_months(app: Flask, tmp_path: Path, months: range) -> None:
    for index in months:
        lines = ["客户号,月日均资产", f"6200000001,{WANG[index]}", f"6200000002,{LI[index]}"]
        month = f"2026-{index + 1:02d}"
        result = run_import(app, write(tmp_path, f"{month}.csv", lines), "balances", month)
        assert result.exit_code == 0, result.output


def tiers(app: Flask, openid: str) -> list[str]:
    """The tier in force from February to September."""
    found = []
    for index in range(1, 9):
        month = values(app, "tier", date(2026, index + 1, 1))
        found.append(next(iter(month.get(openid, {"-"}))))
    return found


def test_the_tier_moves_up_at_once_and_down_after_three_months_below(
        app: Flask, tmp_path: Path) -> None:
    population(app)
    import_months(app, tmp_path, range(8))
    #                        Feb      Mar          Apr          May          Jun
    assert tiers(app, "o-wang") == ["mass", "potential", "potential", "potential", "mass",
                                    "mass", "mass", "mass"]


def test_private_banking_falls_only_after_six_months_below(app: Flask, tmp_path: Path) -> None:
    population(app)
    import_months(app, tmp_path, range(8))
    #                      Feb        Mar … Jul (5 months below)                       Aug
    assert tiers(app, "o-li") == ["private", "private", "private", "private", "private",
                                  "private", "vip", "vip"]


def test_a_month_imported_again_rederives_the_months_after_it(
        app: Flask, tmp_path: Path) -> None:
    population(app)
    import_months(app, tmp_path, range(5))
    lines = ["客户号,月日均资产", "6200000001,45000", "6200000002,1000000"]
    assert run_import(app, write(tmp_path, "feb.csv", lines), "balances", "2026-02"
                      ).exit_code == 0
    assert tiers(app, "o-wang")[:5] == ["mass", "mass", "mass", "mass", "mass"]


def test_the_lifecycle_follows_the_aum_trend_of_active_customers(
        app: Flask, tmp_path: Path) -> None:
    population(app)  # followers for 200 days, in touch today
    for month, li in [("2026-09", 1000000), ("2026-10", 1500000), ("2026-11", 2000000)]:
        lines = ["客户号,月日均资产", "6200000001,40000", f"6200000002,{li}"]
        assert run_import(app, write(tmp_path, f"{month}.csv", lines), "balances", month
                          ).exit_code == 0
    assert values(app, "lifecycle", date(2026, 12, 1)) == {"o-wang": {"mature"},
                                                           "o-li": {"growing"}}
