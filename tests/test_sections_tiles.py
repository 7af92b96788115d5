"""Tiles and SharesChart: figures stated through their measures, with the partner's period."""

from __future__ import annotations

import pandas as pd
import pytest

from helpers.chapters.sections import Context, SharesChart, Tile, Tiles, tile_html
from helpers.indicators.base import NotAvailable, measure
from helpers.report.charts import Chart
from helpers.report.figure_register import FigureRegister
from section_fakes import FakeData


@pytest.fixture
def measures(registry: dict) -> dict:
    measure("residents_total", people=False)(lambda d: 1200)
    measure("children_of_residents_share")(lambda d: 0.21)
    measure("red_pct")(lambda d: 60.4)
    measure("blue_pct")(lambda d: 39.6)

    def missing(d: FakeData) -> float:
        """Widgets recorded."""
        raise NotAvailable("no return")

    measure("widgets_pct")(missing)
    return registry


def _ctx() -> Context:
    data = FakeData("2024-25", ["2024-25"])  # no partner rows: periods fall back to the year
    return Context(4, data, FigureRegister(4, "2024-25", refs={}, data=data))  # type: ignore[arg-type]


def test_tiles_state_each_figure_once_and_skip_what_is_missing(measures) -> None:
    ctx = _ctx()
    out = Tiles("4", (Tile("residents_total", "residents; {red_pct} wear red"),
                      Tile("children_of_residents_share", "of residents", words="fraction"),
                      Tile("widgets_pct", "of widgets")), title="At a glance").render(ctx)
    page = out[0].data
    assert page.count('<li class="lscp-tile"') == 2
    assert "1,200" in page and "residents; 60% wear red" in page
    assert "one fifth" in page and "Period: 2024-25" in page
    assert out[-1] == "Not available for 2024-25: Widgets recorded."
    shown = {f.indicator: f.display for f in ctx.reg.figures}
    assert shown == {"residents_total": "1,200", "red_pct": "60%",
                     "children_of_residents_share": "one fifth"}


def test_tiles_with_nothing_available_say_so(measures) -> None:
    out = Tiles("4", (Tile("widgets_pct", "of widgets"),), title="At a glance").render(_ctx())
    assert out == ["Not available from the data held for 2024-25."]


def test_tile_html_escapes_and_labels_period_and_source() -> None:
    html = tile_html("<5", "children & young people", "2023/24", "a return", "England 17%")
    assert "&lt;5" in html and "&amp;" in html
    assert "Period: 2023/24. Source: a return" in html and "Compared with: England 17%" in html


def test_shares_chart_orders_the_shares_and_draws_them(measures) -> None:
    ctx = _ctx()
    text, chart = SharesChart("4", (("Blue", "blue_pct"), ("Red", "red_pct")),
                              subject="Colour", noun="residents").render(ctx)
    assert text == "Colour (2024-25): Red 60% and Blue 40%."
    assert isinstance(chart, Chart) and chart.title == "Red was the largest group of residents"


def test_ratings_table_groups_grades_by_date_and_tables_every_row(measures) -> None:
    from helpers.chapters.sections import RatingsTable
    from helpers.report.tables import Table

    measure("leaders_rating", unit="category")(lambda d: "Outstanding")
    measure("care_rating", unit="category")(lambda d: "Outstanding")
    measure("youth_rating", unit="category")(lambda d: "Good")
    text, table = RatingsTable("3", (("Leaders", "leaders_rating"), ("Care", "care_rating"),
                                     ("Youth", "youth_rating")),
                               caption="Grades", subject="Inspections").render(_ctx())
    assert text == ("Inspections: 2 of 3 rated Outstanding (2024-25) and Youth rated Good "
                    "(2024-25).")
    assert isinstance(table, Table) and list(table.data["Rating"]) == [
        "Outstanding", "Outstanding", "Good"]


def test_signatories_list_the_groups_seats_by_title_and_agency() -> None:
    from helpers.chapters.sections import Signatories

    class Members(FakeData):
        def current(self, name: str) -> pd.DataFrame:
            return pd.DataFrame({"member_group": ["lead", "schools"],
                                 "agency": ["The Council", "A School"],
                                 "job_title": ["Director", "Head"], "people": [1, 1]})

    data = Members("2024-25", ["2024-25"])
    ctx = Context(1, data, FigureRegister(1, "2024-25", refs={}, data=data))  # type: ignore[arg-type]
    [text] = Signatories("lead").render(ctx)
    assert text.endswith("- Director, The Council") and "A School" not in text


# --------------------------------------------------------------------------- SidesTable
SIDES = (("progress", "Progress, {period}"), ("challenge", "Challenges, {period}"))


def _items(*rows: tuple[int, str, int, str, str]) -> pd.DataFrame:
    periods = {"progress": "2024-25", "challenge": "2025-26"}
    return pd.DataFrame([{"row": r, "side": s, "item": i, "lead": lead, "text": text,
                          "figure_period": periods[s], "demo": "yes"}
                         for r, s, i, lead, text in rows])


def test_text_table_puts_each_row_block_in_one_row_with_headers_from_the_data() -> None:
    from helpers.chapters.sections import SidesTable

    rows = _items((2, "progress", 1, "Later", "Second block."),
                  (1, "progress", 2, "", "Second item <b>escaped</b>."),
                  (1, "progress", 1, "Voice", "First item."),
                  (1, "challenge", 1, "Homes", "Find carers."))
    [html] = SidesTable("5.1", lambda d: rows, "Priority one, {year}", SIDES).render(_ctx())
    text = html.data
    assert text.count("<tr>") == 3  # the header and two row blocks
    assert "Progress, <span class=\"yr\">2024-25</span>" in text
    assert "Challenges, <span class=\"yr\">2025-26</span>" in text
    first = text.split("<tbody>")[1].split("</tr>")[0]
    assert first.index("First item") < first.index("Second item") < first.index("Find carers")
    assert "<strong>Voice.</strong> First item." in first and "&lt;b&gt;" in first
    assert "Demo text" in text
    second = text.split("<tbody>")[1].split("</tr>")[1]
    assert "Second block." in second and second.count("<td") == 2  # an empty challenge cell


def test_text_table_without_rows_says_so() -> None:
    from helpers.chapters.sections import SidesTable

    empty = _items().reindex(columns=["row", "side", "item", "lead", "text", "figure_period"])
    [said] = SidesTable("5.1", lambda d: empty, "Priority, {year}", SIDES).render(_ctx())
    assert isinstance(said, str) and "2024-25" in said
