"""Partner figures: the partnership's RAG-rated action plans (``action_trackers.csv``).

One row per action of a plan (the child sexual abuse plan, the domestic abuse review's
recommendations, the residential settings plan), with the area it sits under and its status
at the year end. The measures count actions and areas, and the share complete or on track;
a chapter's tracker table reads the same rows through :func:`plan_actions_for`.
"""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd

from helpers.data.loading import ReportData
from helpers.data.schema_partners import ACTION_PLANS
from helpers.indicators.base import Compute, Definition, NotAvailable, measure, per_year

#: Statuses that count as complete or on track.
ON_TRACK = ("Green", "Complete")
COLUMNS = ["area", "action", "status", "review_date"]
BASIS = "Partner return action_trackers.csv (the partnership's action plans at the year end)"

DEFINITIONS: dict[str, Definition] = {}


def plan_actions(trackers: pd.DataFrame, plan: str) -> pd.DataFrame:
    """One action plan's actions (area, action, status, review date), in the return's order."""
    rows = trackers[trackers["plan"] == plan]
    return rows[["period", *COLUMNS]].reset_index(drop=True)


@per_year
def _actions(d: ReportData, plan: str) -> pd.DataFrame:
    found = plan_actions(d.current("action_trackers"), plan)
    if found.empty:
        raise NotAvailable(f"no actions of the {plan} plan this year")
    return found


def _action_count(plan: str) -> Compute:
    return lambda d: len(_actions(d, plan))


def _area_count(plan: str) -> Compute:
    return lambda d: int(_actions(d, plan)["area"].nunique())


def _on_track(plan: str) -> Compute:
    return lambda d: float(_actions(d, plan)["status"].isin(ON_TRACK).mean() * 100)


def _register(indicator: str, compute: Compute, name: str, numerator: str,
              denominator: str = "-", **shown: bool) -> None:
    """Define ``indicator`` once: its data-dictionary entry and its registered function."""
    compute.__doc__ = name
    DEFINITIONS[indicator] = Definition(name, numerator, denominator, BASIS)
    measure(indicator, by_year=False, **shown)(compute)


_NAMES = {"csa": "child sexual abuse plan", "sidar": "SIDAR recommendations",
          "residential": "residential settings plan"}
_AREAS = {"csa": ("csa_action_plan_pillars", "Pillars of the child sexual abuse plan"),
          "sidar": ("sidar_recommendations_count",
                    "Recommendations of the domestic abuse review (SIDAR)"),
          "residential": ("residential_action_plan_areas",
                          "Areas of the residential settings action plan")}

for _plan in ACTION_PLANS:
    _register(f"{_plan}_actions_total", _action_count(_plan), f"Actions in the {_NAMES[_plan]}",
              f"actions of the {_plan} plan", people=False)
    # Shares of actions, not of people: published as they are (no disclosure check).
    _register(f"{_plan}_actions_on_track_pct", _on_track(_plan),
              f"Actions in the {_NAMES[_plan]} complete or on track (%)",
              f"actions of the {_plan} plan rated {' or '.join(ON_TRACK)}",
              f"actions of the {_plan} plan")
    _register(_AREAS[_plan][0], _area_count(_plan), _AREAS[_plan][1],
              f"distinct areas of the {_plan} plan", people=False)


def plan_actions_for(plan: str) -> Callable[[ReportData], pd.DataFrame]:
    """The report year's actions of one plan, for a chapter's tracker (empty if none)."""
    def rows(d: ReportData) -> pd.DataFrame:
        try:
            return _actions(d, plan)
        except (NotAvailable, FileNotFoundError):
            return pd.DataFrame(columns=COLUMNS)

    return rows
