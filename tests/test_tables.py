"""Accessible, disclosure-controlled HTML tables."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest

from helpers.report.tables import Table, hidden_mask, html_table


def cells(html: str) -> list[list[str]]:
    """The text of each body row's cells (th and td), in order."""
    body = html.split("<tbody>")[1].split("</tbody>")[0]
    return [re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row) for row in body.split("</tr>")[:-1]]


@pytest.fixture
def sources() -> pd.DataFrame:
    return pd.DataFrame({
        "Source": ["Police", "Schools", "Faith groups", "Total"],
        "Contacts": [2300, 1800, 3, 4103],
        "Share": [56.06, 43.87, 0.07, 100.0],
    })


def test_caption_headers_and_row_headers(sources):
    html = html_table(sources, "Contacts by source, 2024-25", ["Contacts"], ["Share"])
    # A wide table scrolls inside its own labelled box, not the page.
    assert html.startswith('<div class="table-box" role="region" aria-label="Contacts by source, '
                           '2024-25" tabindex="0">\n<table class="data-table">')
    assert html.rstrip().endswith("</table>\n</div>")
    assert ('<caption>Contacts by source, <span class="yr">2024-25</span></caption>' in html)
    assert html.count('<th scope="col"') == 3
    assert html.count('<th scope="row"') == 4
    assert '<th scope="col" class="num"' in html  # numeric headers align with their numbers
    assert html.count('<td class="num"') == 8


def test_years_never_break_and_text_is_escaped():
    df = pd.DataFrame({"Area <b>": ["<script>alert(1)</script>", "Camden"],
                       "2023-24": [12, 40], "Note": ["Since 2020-21", "2025-05-15"]})
    html = html_table(df, "By area, 2023-24 & 2024-25", ["2023-24"])
    assert "<script" not in html and "<b>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "Area &lt;b&gt;" in html
    assert '<th scope="col" class="num yr" style="text-align:right">2023-24</th>' in html
    assert 'Since <span class="yr">2020-21</span>' in html
    assert "2025-05-15" in html and '<span class="yr">2025-05' not in html  # a date, not a year
    assert '&amp; <span class="yr">2024-25</span>' in html


def test_counts_are_suppressed_with_a_secondary_cell(sources):
    rows = cells(html_table(sources, "c", ["Contacts"], ["Share"]))
    assert rows[0] == ["Police", "2,300", "56.1%"]
    # Faith groups is small, and Total is shown, so Schools hides too, with its share.
    assert rows[1] == ["Schools", "x", "x"]
    assert rows[2] == ["Faith groups", "&lt;5", "x"]
    assert rows[3] == ["Total", "4,103", "100.0%"]


def test_key_explains_symbols_only_when_used(sources):
    html = html_table(sources, "c", ["Contacts"], ["Share"])
    assert "<tfoot>" in html and "&lt;5 = a number from 1 to 4" in html
    plain = html_table(sources.iloc[:2], "c", ["Contacts"], ["Share"])
    assert "<tfoot>" not in plain


def test_without_total_only_primary_suppression(sources):
    rows = cells(html_table(sources.iloc[:3], "c", ["Contacts"]))
    assert [r[1] for r in rows] == ["2,300", "1,800", "&lt;5"]


def test_total_column_triggers_row_suppression():
    df = pd.DataFrame({"Area": ["Camden"], "Girls": [3], "Boys": [10], "Total": [13]})
    rows = cells(html_table(df, "By sex", ["Girls", "Boys", "Total"]))
    assert rows == [["Camden", "&lt;5", "x", "13"]]


def test_text_is_escaped():
    df = pd.DataFrame({"Name <b>": ["<script>alert(1)</script>", "A & B"], "n": [10, 20]})
    html = html_table(df, 'Caption "<i>"', ["n"])
    assert "<script>" not in html and "<b>" not in html and "<i>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "A &amp; B" in html
    assert "Name &lt;b&gt;" in html
    assert "<caption>Caption &quot;&lt;i&gt;&quot;</caption>" in html


def test_percent_with_small_denominator_hidden():
    df = pd.DataFrame({"Group": ["a", "b"], "Children": [9, 10], "Rate": [33.3, 30.0]})
    rows = cells(html_table(df, "c", ["Children"], ["Rate"], denominators={"Rate": "Children"},
                            decimals=0))
    assert [r[2] for r in rows] == ["x", "30%"]


def test_percent_half_rounds_up_and_missing_is_dots():
    df = pd.DataFrame({"Group": ["a", "b"], "Pct": [22.5, np.nan]})
    rows = cells(html_table(df, "c", percent_columns=["Pct"], decimals=0))
    assert [r[1] for r in rows] == ["23%", ".."]


def test_index_as_row_headers():
    df = pd.DataFrame({"n": [12, 40]}, index=pd.Index(["2023-24", "2024-25"], name="Year"))
    html = html_table(df, "c", ["n"], index=True)
    assert '<th scope="col" style="text-align:left">Year</th>' in html
    assert cells(html) == [["2023-24", "12"], ["2024-25", "40"]]


def test_all_numeric_table_has_no_row_header():
    df = pd.DataFrame({"a": [1, 20], "b": [30, 40]})
    html = html_table(df, "c", ["a", "b"])
    assert 'scope="row"' not in html


def test_other_numeric_columns_right_aligned_and_rounded():
    df = pd.DataFrame({"Area": ["Camden"], "Rate per 10,000": [512.345], "Year": [2024]})
    rows = cells(html_table(df, "c"))
    assert rows == [["Camden", "512.3", "2024"]]


def test_output_is_deterministic(sources):
    assert html_table(sources, "c", ["Contacts"]) == html_table(sources.copy(), "c", ["Contacts"])
    assert "id=" not in html_table(sources, "c", ["Contacts"])


def test_unknown_or_overlapping_columns_fail():
    df = pd.DataFrame({"Area": ["a"], "n": [1]})
    with pytest.raises(KeyError):
        html_table(df, "c", ["missing"])
    with pytest.raises(ValueError):
        html_table(df, "c", ["n"], ["n"])


def test_extra_hidden_cells_from_caller():
    df = pd.DataFrame({"Area": ["a", "b"], "n": [20, 30]})
    hide = pd.DataFrame({"n": [False, True]})
    assert [r[1] for r in cells(html_table(df, "c", ["n"], hide=hide))] == ["20", "x"]


def test_hidden_mask_matches_table(sources):
    mask = hidden_mask(sources, ["Contacts"], percent_columns=["Share"])
    assert mask["Contacts"].tolist() == [False, True, True, False]


def test_table_object_displays_itself(sources):
    table = Table(sources, "Contacts by source", ["Contacts"], ["Share"])
    assert table._repr_html_() == table.html
    assert table.html == html_table(sources, "Contacts by source", ["Contacts"], ["Share"])
    assert "<caption>Contacts by source</caption>" in table.html


def test_plain_text_repr_is_stable(sources):
    assert repr(Table(sources, "Contacts by source", ["Contacts"])) == "Table('Contacts by source')"
