"""Indicators: children reported missing and their return home conversations."""

from __future__ import annotations

from collections.abc import Callable, Mapping

import pandas as pd

from helpers.config import previous_year
from helpers.data.loading import ReportData
from helpers.indicators.base import Definition, NotAvailable, measure, pct, pick

DEFINITIONS: dict[str, Definition] = {
    "missing_children": Definition(
        "Children reported missing", "distinct children with a missing episode starting in "
        "the year", "-", "Local missing records."),
    "missing_episodes_24h_or_less_pct": Definition(
        "Missing episodes lasting 24 hours or less", "episodes lasting 24 hours or less",
        "missing episodes starting in the year", "Local missing records."),
    "rhc_children_successful_pct": Definition(
        "Children who had a return home conversation",
        "children missing in the year with at least one conversation held",
        "children missing in the year", "Local measure."),
    "rhc_episodes_pct": Definition(
        "Missing episodes followed by a return home conversation",
        "episodes whose conversation was held",
        "episodes in the year where a conversation applies (outcome not NA)", "Local measure."),
}


def missing_summary(missing: pd.DataFrame, hours: float = 24) -> pd.DataFrame:
    """Per year: children and episodes, episodes lasting ``hours`` or less, and return home
    conversations (share of children with one held; share of applicable episodes held)."""
    held = missing["rhc"] == "HELD"
    flagged = missing.assign(short=missing["duration_hours"] <= hours, held=held,
                             applicable=missing["rhc"] != "NA")
    by = flagged.groupby("period")
    out = pd.DataFrame({
        "children": by["child_id"].nunique(),
        "episodes": by.size(),
        "short": by["short"].sum(),
        "rhc_children": flagged[held].groupby("period")["child_id"].nunique(),
        "rhc_episodes": by["held"].sum(),
        "applicable": by["applicable"].sum(),
    }).fillna(0).astype(int).reset_index()
    out["short_pct"] = pct(out["short"], out["episodes"])
    out["rhc_children_pct"] = pct(out["rhc_children"], out["children"])
    out["rhc_episodes_pct"] = pct(out["rhc_episodes"], out["applicable"])
    return out


# --- measures --------------------------------------------------------------------------------


def _missing(d: ReportData, column: str) -> float:
    return pick(missing_summary(d.current("missing_episodes")), d.year, column)


@measure("missing_children")
def missing_children(d: ReportData) -> int:
    """Children reported missing in the year."""
    return int(_missing(d, "children"))


@measure("missing_episodes")
def missing_episodes(d: ReportData) -> int:
    """Missing episodes starting in the year."""
    return int(_missing(d, "episodes"))


@measure("missing_episodes_24h_or_less_pct", denominator="missing_episodes", decimals=1)
def missing_episodes_24h_or_less_pct(d: ReportData) -> float:
    """Missing episodes lasting 24 hours or less (%)."""
    return _missing(d, "short_pct")


@measure("rhc_children_successful_pct", denominator="missing_children")
def rhc_children_successful_pct(d: ReportData) -> float:
    """Children missing in the year who had a return home conversation (%)."""
    return _missing(d, "rhc_children_pct")


@measure("rhc_episodes_pct", denominator="missing_episodes_rhc_applicable", decimals=1)
def rhc_episodes_pct(d: ReportData) -> float:
    """Applicable missing episodes followed by a return home conversation (%)."""
    return _missing(d, "rhc_episodes_pct")


@measure("missing_reports_trend")
def missing_reports_trend(d: ReportData) -> str:
    """Whether missing episodes rose or fell on the previous year."""
    if not d.has_year(previous_year(d.year)):
        return "not available"
    summary = missing_summary(d.table("missing_episodes"))
    now, before = (pick(summary, y, "episodes") for y in (d.year, previous_year(d.year)))
    return "increased" if now > before else "decreased" if now < before else "unchanged"


@measure("missing_episodes_rhc_applicable")
def missing_episodes_rhc_applicable(d: ReportData) -> int:
    """Missing episodes for which a return home conversation applies (outcome not NA)."""
    return int(_missing(d, "applicable"))


def missing_children_profile(missing: pd.DataFrame, repeat: int = 3) -> pd.DataFrame:
    """Per year, each child reported missing: episodes, whether looked after at any episode,
    and whether missing ``repeat`` or more times (the repeat-missing group)."""
    per_child = (missing.assign(looked_after=missing["looked_after"] == "Y")
                 .groupby(["period", "child_id"])
                 .agg(episodes=("episode_id", "size"), looked_after=("looked_after", "any"))
                 .reset_index())
    return per_child.assign(repeat=per_child["episodes"] >= repeat)


def _missing_children_with(flag: str, wanted: bool = True) -> Callable[[ReportData], int]:
    def count(d: ReportData) -> int:
        profile = missing_children_profile(d.current("missing_episodes"))
        if profile.empty:
            raise NotAvailable(f"no missing episodes in {d.year}")
        return int((profile[flag] == wanted).sum())

    return count


def _missing_children_share(flag: str, wanted: bool = True) -> Callable[[ReportData], float]:
    def share(d: ReportData) -> float:
        return _missing_children_with(flag, wanted)(d) / missing_children(d) * 100

    return share


MISSING_CHILD_GROUPS: Mapping[str, tuple[str, bool, str]] = {
    "missing_children_looked_after": ("looked_after", True,
                                      "Children reported missing who were looked after"),
    "missing_children_not_looked_after": ("looked_after", False,
                                          "Children reported missing who were not looked after"),
    "missing_children_3plus_episodes": ("repeat", True,
                                        "Children reported missing three or more times"),
}
for _indicator, (_flag, _wanted, _what) in MISSING_CHILD_GROUPS.items():
    _count = _missing_children_with(_flag, _wanted)
    _count.__doc__ = f"{_what} in the year."
    measure(_indicator)(_count)
    _share = _missing_children_share(_flag, _wanted)
    _share.__doc__ = f"{_what} (% of children reported missing)."
    measure(f"{_indicator}_pct", denominator="missing_children")(_share)
