"""Section types added for chapters 10-14: stated figures with a span or a bound, category
bars, data tables and data-quality notes, each checked against a registry made for the test."""

from __future__ import annotations

import pandas as pd
import pytest

from helpers.chapters.sections import (
    Context,
    DataQualityError,
    DataQualityNote,
    DataTable,
    ShareBars,
    Stated,
    StatedFigures,
    lower_bound,
    period_label,
    slug,
)
from helpers.indicators.base import NotAvailable, measure
from helpers.report.charts import Chart
from helpers.report.figure_register import FigureMismatch, FigureRegister
from helpers.report.tables import Table
from section_fakes import FakeData

YEARS = ["2022-23", "2023-24", "2024-25"]


#: Kinds of widget per year: blue is rare (3 a year), so its share hides by default.
KINDS = {y: {"red": 60 + 10 * i, "green": 40, "blue": 3} for i, y in enumerate(YEARS)}


def kinds(data: FakeData) -> pd.DataFrame:
    rows = [{"period": y, "kind": k, "count": n} for y in data.periods for k, n in KINDS[y].items()]
    return pd.DataFrame(rows)


@pytest.fixture
def measures(registry: dict) -> dict:
    def held(d: FakeData) -> None:
        if d.year not in d.held:
            raise NotAvailable("no data")

    def red(d: FakeData) -> int:
        """Red widgets counted in the year."""
        held(d)
        return KINDS[d.year]["red"]

    def blue_share(d: FakeData) -> float:
        """Blue widgets' share of all widgets (as published)."""
        held(d)
        return KINDS[d.year]["blue"] / sum(KINDS[d.year].values()) * 100

    def attendees(d: FakeData) -> int:
        """People at the workshops."""
        held(d)
        return 158

    measure("red_widgets")(red)
    measure("blue_widgets_pct", decimals=1)(blue_share)
    measure("workshop_attendees_more_than")(attendees)
    measure("seats", people=False)(lambda d: 2)
    return registry


def _ctx(data: FakeData, chapter: int = 10) -> tuple[Context, FigureRegister]:
    reg = FigureRegister(chapter, data.year, refs={}, data=data)
    return Context(chapter, data, reg), reg


def test_period_label_spells_out_the_span_of_a_report_year() -> None:
    assert period_label("2024-25", "months") == "Apr 2024 - Mar 2025"
    assert period_label("2020-21", "dates") == "1 Apr 2020 - 31 Mar 2021"
    assert period_label("2024-25") == "2024-25"
    with pytest.raises(ValueError, match="unknown period style"):
        period_label("2024-25", "weeks")


def test_slug_names_a_category_as_indicator_names_do() -> None:
    assert slug("Professional fees") == "professional_fees"
    assert slug(" A&E / Urgent care (2025) ") == "a_e_urgent_care_2025"


@pytest.mark.parametrize(("count", "bound"), [(158, 150), (150, 100), (1130, 1000), (37, 35),
                                              (7, 6), (1, 0)])
def test_lower_bound_is_a_round_number_strictly_below_the_count(count: int, bound: int) -> None:
    assert lower_bound(count) == bound
    assert lower_bound(count) < count


def test_quoted_figures_label_a_span_and_give_a_bound(measures) -> None:
    ctx, reg = _ctx(FakeData("2024-25", YEARS))
    [text] = StatedFigures("10", (
        Stated("red_widgets", "{value} red widgets", span="months"),
        Stated("workshop_attendees_more_than", "for more than {more_than} people."),
    ), table=False).render(ctx)
    assert text == "80 red widgets for more than 150 people."
    periods = {f.indicator: f.period for f in reg.figures}
    assert periods == {"red_widgets": "Apr 2024 - Mar 2025",
                       "workshop_attendees_more_than": "2024-25"}
    assert [f.value for f in reg.figures] == [80, 158]  # the register keeps the count itself


def test_quoted_previous_year_is_left_out_in_the_first_year(measures) -> None:
    item = Stated("red_widgets", "Last year: {value}.", period="previous")
    ctx, reg = _ctx(FakeData("2024-25", YEARS))
    assert StatedFigures("10", (item,)).render(ctx) == ["Last year: 70."]
    assert reg.figures[0].period == "2023-24"
    ctx, reg = _ctx(FakeData("2022-23", YEARS))
    [said] = StatedFigures("10", (item,)).render(ctx)
    assert "70" not in said and not reg.figures


def test_share_bars_state_measured_cells_by_their_measure_and_hide_small_shares(measures) -> None:
    ctx, reg = _ctx(FakeData("2024-25", YEARS))
    section = ShareBars("10", kinds, "kind",
                        lambda k: "blue_widgets_pct" if k == "blue" else f"widget_pct.{k}",
                        subject="Widgets", noun="widgets", decimals=1)
    text, chart = section.render(ctx)
    assert isinstance(chart, Chart)
    assert "red (65.0%)" in text  # 80 of 123
    blue = [f for f in reg.figures if f.indicator == "blue_widgets_pct"]
    assert [f.display for f in blue] == ["2.7%", "2.4%"]  # as its measure declares: published
    assert {f.period for f in reg.figures} == {"2023-24", "2024-25"}
    unmeasured = ShareBars("10", kinds, "kind", lambda k: f"widget_pct.{k}", subject="Widgets",
                           noun="widgets")
    ctx, reg = _ctx(FakeData("2024-25", YEARS))
    unmeasured.render(ctx)
    hidden = {f.indicator for f in reg.figures if f.suppressed}
    assert hidden == {"widget_pct.blue"}  # 3 widgets: a share of a small count
    assert chart.data.shape[0] == 3


def test_share_bars_fail_when_the_frame_disagrees_with_a_measure(measures) -> None:
    def wrong(data: FakeData) -> pd.DataFrame:
        return kinds(data).assign(count=lambda f: f["count"] + 1)

    ctx, _ = _ctx(FakeData("2024-25", YEARS))
    section = ShareBars("10", wrong, "kind", lambda k: "red_widgets" if k == "red" else k,
                        subject="Widgets", noun="widgets", unit="count")
    with pytest.raises(FigureMismatch, match="red_widgets for 2023-24"):
        section.render(ctx)


def test_share_bars_over_all_years_draw_a_line_per_category(measures) -> None:
    ctx, reg = _ctx(FakeData("2024-25", YEARS))
    _, chart = ShareBars("10", kinds, "kind", lambda k: f"widget_pct.{k}", subject="Widgets",
                         noun="widgets", periods="all").render(ctx)
    assert chart.alt.startswith("Line chart")
    assert {f.period for f in reg.figures} == set(YEARS)


def test_share_bars_without_this_years_rows_say_so(measures) -> None:
    ctx, _ = _ctx(FakeData("2024-25", YEARS))
    out = ShareBars("10", lambda d: kinds(d).iloc[0:0], "kind", str, subject="W",
                    noun="widgets").render(ctx)
    assert len(out) == 1 and "2024-25" in out[0]


def _lines(total: float) -> object:
    def frame(data: FakeData) -> pd.DataFrame:
        return pd.DataFrame({"period": data.year, "key": ["a", "b"], "line": ["A", "B"],
                             "value": [1.0, 3.0], "total": total})

    return frame


def test_data_table_states_each_number_and_checks_the_total(measures) -> None:
    measure("lines_total", people=False)(lambda d: 4)
    ctx, reg = _ctx(FakeData("2024-25", YEARS))
    [table] = DataTable("13", _lines(4), "Budget", (("Line", "line"),), value="value",
                        indicator=lambda k: f"budget.{k}", people=False, total="lines_total",
                        prefix="£").render(ctx)
    assert isinstance(table, Table)
    assert "£1" in table.html and "£3" in table.html and "Total" in table.html
    assert [f.display for f in reg.figures] == ["1", "3", "4"]
    measure("lines_total_wrong", people=False)(lambda d: 5)
    ctx, _ = _ctx(FakeData("2024-25", YEARS))
    with pytest.raises(DataQualityError, match=r"add up to 4\.00 but the return states"):
        DataTable("13", _lines(5), "Budget", (("Line", "line"),), value="value",
                  total="lines_total_wrong").render(ctx)


def test_data_table_splits_groups_and_does_not_hide_counts_of_things(measures) -> None:
    def seats(data: FakeData) -> pd.DataFrame:
        return pd.DataFrame({"period": data.year, "group": ["x", "x", "y"],
                             "key": ["s1", "s2", "s3"], "people": [1, 2, 1]})

    ctx, reg = _ctx(FakeData("2024-25", YEARS))
    out = DataTable("14", seats, "Seats", (("Seat", "key"),), value="people", people=False,
                    group="group").render(ctx)
    assert [t.caption for t in out] == ["Seats: x, 2024-25", "Seats: y, 2024-25"]
    assert [f.display for f in reg.figures] == ["1", "2", "1"]


def test_data_quality_note_shows_only_when_there_is_a_problem(measures) -> None:
    ctx, reg = _ctx(FakeData("2024-25", YEARS))
    clean = DataQualityNote("14", lambda d: [], "{value} seats repeat: {problems}.", "seats")
    assert clean.render(ctx) == [] and not reg.figures
    note = DataQualityNote("14", lambda d: ["Head of X", "Head of Y"],
                           "{value} seats repeat: {problems}.", "seats")
    [text] = note.render(ctx)
    assert text == "> **Data quality.** 2 seats repeat: Head of X and Head of Y."
