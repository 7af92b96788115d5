"""Section types, the vocabulary, and the one-path-per-figure rule of the register.

The data object here is a small stand-in with the three things sections and the register
read (``year``, ``periods``, ``for_year``); the measures are registered for the test only,
so each case states exactly what it checks.
"""

from __future__ import annotations

import pytest

from helpers.chapters import vocabulary as vocab
from helpers.chapters.sections import Chapter, Stated, StatedFigures, Trend
from helpers.indicators.base import NotAvailable, infer_unit, measure
from helpers.report.charts import Chart
from helpers.report.figure_register import FigureMismatch, FigureRegister
from section_fakes import FakeData

YEARS = ["2020-21", "2021-22", "2022-23", "2023-24", "2024-25"]


@pytest.fixture
def measures(registry: dict) -> dict:
    """An empty registry with a count per year (100, 110, ...) and a share of it."""
    counts = {y: 100 + 10 * i for i, y in enumerate(YEARS)}

    def widgets(d: FakeData) -> int:
        """Widgets counted in the year."""
        if d.year not in d.held:
            raise NotAvailable("no data")
        return counts[d.year]

    measure("widgets_total")(widgets)
    measure("blue_widgets_pct", denominator="widgets_total")(lambda d: 3 / widgets(d) * 100)
    return registry


def test_units_follow_the_naming_convention() -> None:
    assert infer_unit("contacts_total") == "count"
    assert infer_unit("contacts_change_pct") == "change_pct"
    assert infer_unit("repeat_referral_rate_change") == "change_points"
    assert infer_unit("cla_placed_within_20_miles_pct") == "percent"
    assert infer_unit("cpp_rate_per_10k_neglect") == "rate"
    assert infer_unit("referral_sources_rank_order") == "category"


def test_register_states_a_figure_through_its_measure(measures) -> None:
    reg = FigureRegister(6, "2024-25", refs={}, data=FakeData("2024-25", YEARS))
    assert reg.measure("6.1", "widgets_total") == "140"
    assert reg.measure("6.1", "widgets_total", period="2020-21") == "100"
    assert [f.value for f in reg.figures] == [140, 100]


def test_a_percentage_of_a_small_number_is_hidden_via_its_denominator_measure(measures) -> None:
    reg = FigureRegister(6, "2024-25", refs={}, data=FakeData("2024-25", YEARS))
    shown = reg.measure("6.1", "blue_widgets_pct")
    assert shown == "x"  # 3 of 140: the share would give back a count below 5
    assert reg.figures[-1].suppressed


def test_stating_a_measured_figure_with_another_value_fails(measures) -> None:
    reg = FigureRegister(6, "2024-25", refs={}, data=FakeData("2024-25", YEARS))
    reg.count("6.1", "widgets_total", "Widgets", 140)  # agrees with the measure: fine
    with pytest.raises(FigureMismatch, match="widgets_total for 2023-24 as 999"):
        reg.count("6.1", "widgets_total", "Widgets", 999, period="2023-24")


def test_figures_without_a_measure_are_not_checked(measures) -> None:
    reg = FigureRegister(6, "2024-25", refs={}, data=FakeData("2024-25", YEARS))
    assert reg.count("6.1", "gadgets_total", "Gadgets", 7) == "7"


def test_trend_needs_three_years_for_a_direction(measures) -> None:
    for held, expected in ((YEARS, "Since 2020-21, the figure has risen every year."),
                           (YEARS[-2:], "a trend needs at least three"),
                           (YEARS[-1:], "there is no trend to describe yet")):
        data = FakeData("2024-25", held)
        reg = FigureRegister(6, "2024-25", refs={}, data=data)
        text, chart = Chapter(6, (Trend("6.1", "widgets_total", "Widgets"),)).render(data, reg)
        assert expected in text
        assert isinstance(chart, Chart)
        if len(held) < 3:
            assert chart.title == "Widgets: 140 in 2024-25"  # no claim from too few years
        else:
            assert chart.title == "Widgets have risen every year since 2020-21"


def test_trend_states_the_change_only_when_last_year_is_held(measures) -> None:
    measure("widgets_change_pct")(lambda d: 140 / 130 * 100 - 100)
    both = FakeData("2024-25", YEARS)
    reg = FigureRegister(6, "2024-25", refs={}, data=both)
    text = Trend("6.1", "widgets_total", "Widgets", change="widgets_change_pct").render(
        _context(both, reg))[0]
    assert "up 8% on 2023-24 (130)" in text
    alone = FakeData("2024-25", ["2024-25"])
    reg = FigureRegister(6, "2024-25", refs={}, data=alone)
    text = Trend("6.1", "widgets_total", "Widgets").render(_context(alone, reg))[0]
    assert "2023-24" not in text


def test_stated_figures_skip_what_cannot_be_computed(measures) -> None:
    data = FakeData("2024-25", ["2024-25"])
    reg = FigureRegister(6, "2024-25", refs={}, data=data)
    out = StatedFigures("6.2", (
        Stated("widgets_total", "We counted {value} widgets in {year}."),
        Stated("widgets_total", "Last year we counted {value}.", period="2023-24"),
    )).render(_context(data, reg))
    assert out == ["We counted 140 widgets in 2024-25."]


def test_a_stated_comparison_and_another_years_label_follow_the_figures_own_label(measures) -> None:
    data = FakeData("2024-25", YEARS)
    reg = FigureRegister(6, "2024-25", refs={}, data=data)
    [text] = StatedFigures("6.2", (
        Stated("widgets_total", "{value} widgets in {period}", span="months",
               compare=" ({before} in {before_period})"),
        Stated("widgets_total", "and {value} at the end of that year",
               period="previous", as_period="March {end}"),
    ), table=False, run_on=True).render(_context(data, reg))
    assert text == ("140 widgets in Apr 2024 - Mar 2025 (130 in Apr 2023 - Mar 2024), "
                    "and 130 at the end of that year.")
    assert [(f.period, f.value) for f in reg.figures] == [
        ("Apr 2024 - Mar 2025", 140), ("Apr 2023 - Mar 2024", 130), ("March 2024", 130)]


def test_a_stated_figure_takes_one_period_label() -> None:
    with pytest.raises(ValueError, match="at most one of"):
        Stated("widgets_total", "{value}", span="months", as_period="March {end}")
    with pytest.raises(ValueError, match="report year's figure only"):
        Stated("widgets_total", "{value}", period="previous", compare=" ({before})")


def test_change_words() -> None:
    assert vocab.change(5.02, "percent") == "up 5%"
    assert vocab.change(-1.0, "percentage points") == "down 1 percentage point"
    assert vocab.change(-2.4, "percentage points") == "down 2 percentage points"
    assert vocab.change(0.2, "percent") == "no change"


def _context(data, reg):
    from helpers.chapters.sections import Context

    return Context(6, data, reg)


def test_breakdown_hides_a_second_cell_when_one_small_count_is_hidden() -> None:
    import pandas as pd

    from helpers.chapters.sections import hidden_cells

    table = pd.DataFrame({
        "period": ["2024-25"] * 4 + ["2023-24"] * 3,
        "count": [3, 40, 12, 60, 20, 30, 50],
        "denominator": [115] * 4 + [100] * 3,
    })
    hidden = hidden_cells(table, threshold=5, min_denominator=10).tolist()
    # 2024-25: the 3 is hidden, and so is 12 (the smallest other) so 115 - 40 - 60 - ... fails
    assert hidden == [True, False, True, False, False, False, False]


def test_breakdown_of_a_tiny_denominator_hides_every_cell() -> None:
    import pandas as pd

    from helpers.chapters.sections import hidden_cells

    table = pd.DataFrame({"period": ["2024-25"] * 2, "count": [6, 2], "denominator": [8, 8]})
    assert hidden_cells(table, threshold=5, min_denominator=10).tolist() == [True, True]


def test_a_first_year_chart_names_one_year_not_a_span_of_one(measures) -> None:
    from helpers.report.wording import period_span

    assert period_span("2020-21", "2024-25") == "2020-21 to 2024-25"
    assert period_span("2024-25", "2024-25") == "2024-25"
    alone = FakeData("2024-25", ["2024-25"])
    reg = FigureRegister(6, "2024-25", refs={}, data=alone)
    chart = Trend("6.1", "widgets_total", "Widgets").render(_context(alone, reg))[1]
    assert chart.alt == "Bar chart of widgets per year, 2024-25; 2024-25: 140."
