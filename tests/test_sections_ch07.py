"""The section types added for chapter 7: Funnel, Matrix, Tracker, and Stated.as_period.

As in ``test_sections.py`` the data object is a small stand-in and the measures are
registered for the test only, so each case states exactly what it checks.
"""

from __future__ import annotations

import pandas as pd
import pytest

from helpers.chapters.sections import (
    Chapter,
    Funnel,
    Matrix,
    Stage,
    Stated,
    StatedFigures,
    Tracker,
)
from helpers.indicators import base
from helpers.indicators.base import measure
from helpers.report.charts import Chart
from helpers.report.figure_register import FigureMismatch, FigureRegister
from helpers.report.tables import Table
from section_fakes import FakeData

YEARS = ["2023-24", "2024-25"]


@pytest.fixture
def measures(registry: dict) -> dict:
    """A journey of 200 -> 80 -> 3 -> 2, with conversions, and a share measure."""
    counts = {"stage_a": 200, "stage_b": 80, "stage_c": 3, "stage_d": 2}
    for name, n in counts.items():
        measure(name)(lambda d, n=n: n)
    measure("b_of_a_pct", denominator="stage_a")(lambda d: 40.0)
    measure("c_of_b_pct", denominator="stage_b")(lambda d: 3 / 80 * 100)
    measure("black_at_s47_pct", denominator="stage_a")(lambda d: 28.0)
    measure("actions_total", people=False)(lambda d: 5)
    measure("share_at_end_pct")(lambda d: 77.0)
    return registry


def _register(year: str = "2024-25") -> tuple[FakeData, FigureRegister]:
    data = FakeData(year, YEARS)
    return data, FigureRegister(7, year, refs={("7.1", "share_at_end_pct",
                                                 "as at end of March 2025"): "F101"}, data=data)


def test_funnel_states_each_stage_and_its_conversion_and_hides_small_ones(measures) -> None:
    data, reg = _register()
    funnel = Funnel("7.1", (Stage("Referrals", "stage_a"),
                            Stage("Enquiries", "stage_b", "b_of_a_pct"),
                            Stage("Conferences", "stage_c", "c_of_b_pct"),
                            Stage("Plans", "stage_d")), "The journey")
    text, chart = Chapter(7, (funnel,)).render(data, reg)
    assert "referrals **200**; enquiries **80** (40% of the referrals)" in text
    # 3 conferences is a small count: shown as <5, and its conversion is hidden too
    assert "conferences **<5**" in text and "4%" not in text
    assert isinstance(chart, Chart) and "200 referrals" in chart.title
    shown = reg.frame().set_index("indicator")
    assert shown.loc["c_of_b_pct", "suppressed"] and shown.loc["stage_c", "suppressed"]


def test_funnel_says_so_when_a_stage_cannot_be_computed(measures) -> None:
    data, reg = _register()
    funnel = Funnel("7.1", (Stage("Referrals", "stage_a"), Stage("Missing", "not_a_stage")),
                    "The journey")
    measures["not_a_stage"] = base.Measure("not_a_stage", lambda d: (_ for _ in ()).throw(
        base.NotAvailable("no rows")), "Nothing.")
    [text] = Chapter(7, (funnel,)).render(data, reg)
    assert "Not available" in text


def _cells(stage_b_count: int = 28) -> pd.DataFrame:
    rows = []
    for group, pop_pct, (a, b) in (("Black", 9.0, (22, stage_b_count)), ("White", 60.0, (50, 30))):
        rows.append({"period": "2024-25", "group": group, "stage": "population",
                     "column_label": "Population", "count": int(pop_pct * 100),
                     "denominator": 10_000, "pct": pop_pct, "ratio": 1.0, "low": 1.0, "high": 1.0})
        for stage, count in (("a", a), ("b", b)):
            from helpers.indicators.disproportionality import disproportionality_ratio

            ratio, low, high = disproportionality_ratio(count, 100, pop_pct)
            rows.append({"period": "2024-25", "group": group, "stage": stage,
                         "column_label": f"Stage {stage}", "count": count, "denominator": 100,
                         "pct": float(count), "ratio": ratio, "low": low, "high": high})
    return pd.DataFrame(rows)


def test_matrix_registers_shares_and_ratios_and_checks_stated_cells(measures) -> None:
    data, reg = _register()
    names = {("Black", "b"): "black_at_s47_pct"}
    matrix = Matrix("7.3", lambda d: _cells(), "group", "stage",
                    lambda g, s: names.get((g, s), f"share.{g}.{s}"), "ratio", "Groups",
                    reference="population")
    text, heatmap, table = Chapter(7, (matrix,)).render(data, reg)
    assert isinstance(heatmap, Chart) and isinstance(table, Table)
    assert "whole interval above 1, were Black" in text and "below it: White" in text
    figures = reg.frame().set_index("indicator")
    assert figures.loc["black_at_s47_pct", "display"] == "28%"
    # 28 of 100 against a 9% population share: 3.11, Wilson interval 2.24 to 4.17
    assert figures.loc["ratio.Black.b", "display"] == "3.11"
    assert "3.11 (2.24 to 4.17)" in table.html
    assert "ratio.Black.population" not in figures.index


def test_matrix_fails_when_a_stated_cell_disagrees_with_its_measure(measures) -> None:
    data, reg = _register()
    matrix = Matrix("7.3", lambda d: _cells(stage_b_count=30), "group", "stage",
                    lambda g, s: "black_at_s47_pct" if (g, s) == ("Black", "b") else f"s.{g}.{s}",
                    "ratio", "Groups", reference="population")
    with pytest.raises(FigureMismatch):
        Chapter(7, (matrix,)).render(data, reg)


def test_matrix_hides_the_ratio_of_a_hidden_share(measures) -> None:
    data, reg = _register()
    cells = _cells(stage_b_count=3)
    matrix = Matrix("7.3", lambda d: cells, "group", "stage", lambda g, s: f"s.{g}.{s}",
                    "ratio", "Groups", reference="population")
    _, _, table = Chapter(7, (matrix,)).render(data, reg)
    assert "ratio.Black.b" not in set(reg.frame()["indicator"])
    assert "0.33" not in table.html  # 3/100 over 9% would be 0.33


def test_tracker_counts_actions_by_status_within_each_group(measures) -> None:
    data, reg = _register()
    actions = pd.DataFrame({
        "pillar": ["Prevent", "Prevent", "Identify", "Identify", "Support"],
        "action": ["a", "b", "c", "d", "e"],
        "status": ["Green", "Amber", "Red", "Green", "Complete"],
    })
    tracker = Tracker("7.7", lambda d: actions, "Action plan", "csa_actions", group="pillar",
                      group_name="Pillar", total="actions_total")
    text, summary, details = Chapter(7, (tracker,)).render(data, reg)
    assert "**5** actions across 3 pillars" in text
    figures = reg.frame().set_index("indicator")
    assert figures.loc["csa_actions.Identify.red", "display"] == "1"
    assert figures.loc["csa_actions.Prevent.green", "display"] == "1"
    assert figures.loc["csa_actions.Support.red", "display"] == "0"
    assert not figures["suppressed"].any()  # actions are not people
    assert "<caption>Action plan: each action and its status</caption>" in details.html
    assert summary.data.columns.tolist() == ["Pillar", "Red", "Amber", "Green", "Complete"]


def test_tracker_with_no_actions_says_so(measures) -> None:
    data, reg = _register()
    tracker = Tracker("7.7", lambda d: pd.DataFrame(), "Action plan", "csa_actions")
    [text] = Chapter(7, (tracker,)).render(data, reg)
    assert "Not available" in text


def test_stated_as_period_labels_the_figure_for_the_report_year(measures) -> None:
    data, reg = _register()
    section = StatedFigures("7.1", (Stated("share_at_end_pct", "{value} at 31 March.",
                                           as_period="as at end of March {end}"),), table=False)
    [text] = Chapter(7, (section,)).render(data, reg)
    assert text == "77% at 31 March."
    row = reg.frame().iloc[0]
    assert (row["period"], row["ref"]) == ("as at end of March 2025", "F101")
    _, first = _register("2023-24")
    Chapter(7, (section,)).render(FakeData("2023-24", YEARS), first)
    assert first.frame().iloc[0]["period"] == "as at end of March 2024"
    assert first.frame().iloc[0]["ref"] == ""
