"""Section types added for chapters 8 and 9: partner figures with their own period, paired
bars, a cascade, return breakdowns and a panel; plus the indicator helpers they use.

The data object is a stand-in holding one partner return per report year and measures
registered for the test only, so each case states exactly what it checks.
"""

from __future__ import annotations

import pandas as pd
import pytest

from helpers.chapters.sections import (
    Cascade,
    Context,
    PairedBars,
    Panel,
    PanelTile,
    ReturnBreakdown,
    Stated,
    StatedFigures,
    _lower_first,
    _run_on,
    one_in_words,
)
from helpers.indicators.base import NotAvailable, measure
from helpers.indicators.missing import missing_children_profile
from helpers.indicators.partner_returns import rows_period as figure_period
from helpers.report.charts import Chart
from helpers.report.figure_register import FigureRegister
from section_fakes import FakeData

YEARS = ["2023-24", "2024-25"]
# A return per report folder: the 2024-25 folder reports the 2023-24 cohort.
RETURN = pd.DataFrame([
    {"period": "2024-25", "figure_period": "2023-24", "measure": "referrals", "breakdown": "",
     "value": 40.0},
    {"period": "2024-25", "figure_period": "2023-24", "measure": "by_type", "breakdown": "A",
     "value": 30.0},
    {"period": "2024-25", "figure_period": "2023-24", "measure": "by_type", "breakdown": "B",
     "value": 3.0},
    {"period": "2023-24", "figure_period": "2022-23", "measure": "referrals", "breakdown": "",
     "value": 36.0},
    {"period": "2023-24", "figure_period": "2022-23", "measure": "by_type", "breakdown": "A",
     "value": 20.0},
])


@pytest.fixture
def measures(registry: dict) -> dict:
    def total(d: FakeData) -> float:
        """Referrals in the return."""
        rows = d.current("x")
        if rows.empty:
            raise NotAvailable("no return")
        return float(rows.loc[rows["measure"] == "referrals", "value"].iloc[0])

    def share(kind: str):
        def compute(d: FakeData) -> float:
            rows = d.current("x")
            hit = rows[(rows["measure"] == "by_type") & (rows["breakdown"] == kind)]
            if hit.empty:
                raise NotAvailable("no such type")
            return float(hit["value"].iloc[0]) / total(d) * 100
        compute.__doc__ = f"Type {kind} (%)."
        return compute

    measure("referrals_total")(total)
    measure("type_a_pct", denominator="referrals_total")(share("A"))
    measure("type_b_pct", denominator="referrals_total")(share("B"))
    measure("one_in_n_share", unit="rate", decimals=3)(lambda d: 1 / 3)
    return registry


def _ctx(year: str = "2024-25", held: list[str] = YEARS) -> Context:
    data = FakeData(year, held, RETURN)
    return Context(8, data, FigureRegister(8, year, refs={}, data=data))


def test_partner_figures_are_filed_under_their_returns_period(measures) -> None:
    ctx = _ctx()
    [text] = StatedFigures("8.5", (
        Stated("referrals_total", "There were {value} referrals in {period}",
               source=("r", "referrals"), compare=", against {before} in {before_period}"),
    ), run_on=True).render(ctx)
    assert text == "There were 40 referrals in 2023-24, against 36 in 2022-23."
    assert [(f.period, f.value) for f in ctx.reg.figures] == [("2023-24", 40), ("2022-23", 36)]


def test_paired_bars_hide_a_small_part_in_text_and_chart(measures) -> None:
    ctx = _ctx()
    text, chart = PairedBars("8.1", (("Type A", "type_a_pct"), ("Type B", "type_b_pct")),
                             "Referrals", "referrals", total="referrals_total",
                             source=("r", "referrals")).render(ctx)
    assert "**40** in 2023-24, against 36 in 2022-23" in text
    assert "type A 75% (2022-23: 56%) and type B x." in text  # 3 of 40 is a small count
    assert isinstance(chart, Chart)
    assert chart.hide.to_numpy().sum() == 1  # only type B this year is hidden


def test_cascade_keeps_the_journey_order(measures) -> None:
    ctx = _ctx()
    text, chart = Cascade("8.5", "referrals_total", (("Later stage", "type_b_pct"),
                                                     ("Earlier stage", "type_a_pct")),
                          "The service worked with", "referrals",
                          source=("r", "referrals")).render(ctx)
    assert text.endswith("Of these: later stage x and earlier stage 75%.")
    assert chart.data.iloc[:, 0].tolist() == ["All referrals", "Later stage", "Earlier stage"]


def test_return_breakdown_states_named_cells_through_their_measures(measures) -> None:
    ctx = _ctx()
    names = {"A": "type_a_pct", "B": "type_b_pct"}
    text, chart = ReturnBreakdown("8.1", "r", "by_type", "Referrals", "referrals",
                                  indicator=names.get, total_code="referrals",
                                  against_previous=True).render(ctx)
    assert text == ("The largest groups of referrals in 2023-24 were A (75%; 2022-23: 56%).")
    stated = {(f.indicator, f.period): f.display for f in ctx.reg.figures}
    assert stated[("type_b_pct", "2023-24")] == "x"  # hidden, and left out of the ranking
    assert isinstance(chart, Chart)


def test_sections_say_so_when_the_year_has_no_return(measures) -> None:
    ctx = _ctx("2024-25", ["2023-24"])  # no 2024-25 folder
    out = StatedFigures("8.5", (Stated("referrals_total", "{value}", source=("r", "referrals")),)
                        ).render(ctx)
    assert out == ["Not available from the data held for 2024-25."]


def test_panel_words_a_ratio_as_one_in_n(measures) -> None:
    ctx = _ctx()
    text, panel = Panel("9.2", (PanelTile("one_in_n_share", "of deaths were early", one_in=True),),
                        "Key findings").render(ctx)
    assert "**1 in 3** of deaths were early" in text
    assert "1 in 3" in panel.data
    assert ctx.reg.figures[0].value == 0.333


def test_one_in_words_and_sentence_joining() -> None:
    assert one_in_words(1 / 3) == "1 in 3"
    assert one_in_words(0.265) == "1 in 4"
    with pytest.raises(ValueError):
        one_in_words(0)
    assert _run_on(["A had 3", "and B had 4", "C had 5"]) == "A had 3, and B had 4. C had 5."
    assert _lower_first("Took up FWD") == "took up FWD"
    assert _lower_first("SEND") == "SEND"


def test_figure_period_reads_the_returns_own_period() -> None:
    assert figure_period(RETURN[RETURN["period"] == "2024-25"], "by_type") == "2023-24"
    both = RETURN.assign(figure_period=["x", "y", "y", "z", "z"])
    assert figure_period(both[both["period"] == "2024-25"], "referrals") == "x"
    with pytest.raises(LookupError):
        figure_period(RETURN, "nothing")


def test_missing_children_profile_flags_looked_after_and_repeat_missing() -> None:
    episodes = pd.DataFrame({
        "period": ["2024-25"] * 5, "episode_id": list("abcde"),
        "child_id": ["c1", "c1", "c1", "c2", "c2"], "looked_after": ["N", "Y", "N", "N", "N"],
    })
    profile = missing_children_profile(episodes).set_index("child_id")
    assert profile.loc["c1", "episodes"] == 3 and profile.loc["c1", "repeat"]
    assert profile.loc["c1", "looked_after"] and not profile.loc["c2", "looked_after"]
    assert not profile.loc["c2", "repeat"]
