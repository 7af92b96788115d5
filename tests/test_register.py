"""The figure register: disclosure control, text formatting, refs, duplicates and saving."""

from __future__ import annotations

import csv
import re

import pandas as pd
import pytest

from helpers.config import Disclosure
from helpers.report.figure_register import COLUMNS, FACTS_FILE, Figure, FigureRegister, published_refs

REFS = {
    ("6.1", "contacts_total", "2024-25"): "F072",
    ("6.1", "contacts_total", "2023-24"): "F071",
    ("6", "chapter_level", "2024-25"): "F900",
}


@pytest.fixture
def reg() -> FigureRegister:
    return FigureRegister("6", "2024-25", rules=Disclosure(), refs=REFS)


def only(reg: FigureRegister) -> Figure:
    assert len(reg.figures) == 1
    return reg.figures[0]


# --- count ---------------------------------------------------------------------------------


@pytest.mark.parametrize("value", [1, 2, 3, 4])
def test_small_count_is_suppressed(reg, value):
    assert reg.count("6.1", "n", "Children", value) == "<5"
    fig = only(reg)
    assert fig.display == "<5"
    assert fig.value is None
    assert fig.suppressed is True
    assert fig.unit == "count"


@pytest.mark.parametrize(("value", "display"), [(0, "0"), (5, "5"), (8583, "8,583"),
                                                (8583.0, "8,583")])
def test_zero_and_five_and_above_are_shown(reg, value, display):
    assert reg.count("6.1", "n", "Children", value) == display
    fig = only(reg)
    assert fig.display == display
    assert fig.value == int(value)
    assert fig.suppressed is False


def test_count_threshold_follows_the_rules():
    reg = FigureRegister("6", "2024-25", rules=Disclosure(count_threshold=10), refs={})
    assert reg.count("6.1", "a", "A", 9) == "<10"
    assert reg.count("6.1", "b", "B", 10) == "10"
    assert [f.suppressed for f in reg.figures] == [True, False]


def test_figure_fields_default_period_and_chapter(reg):
    reg.count("6.2", "referrals_total", "Referrals", 2017)
    fig = only(reg)
    assert fig.chapter == "6"
    assert fig.section == "6.2"
    assert fig.indicator == "referrals_total"
    assert fig.label == "Referrals"
    assert fig.period == "2024-25"
    assert fig.ref == ""  # not in the refs mapping


def test_chapter_number_is_normalised():
    reg = FigureRegister("06", "2024-25", rules=Disclosure(), refs={})
    assert reg.chapter == "6"


# --- percent -------------------------------------------------------------------------------


def test_percent_shown_when_denominator_is_at_least_the_minimum(reg):
    assert reg.percent("6.1", "p", "Share", 23.456, 10) == "23%"
    fig = only(reg)
    assert fig.value == 23.0  # stored at the precision shown, never more
    assert fig.suppressed is False
    assert fig.unit == "percent"


def test_percent_hidden_when_denominator_below_minimum(reg):
    assert reg.percent("6.1", "p", "Share", 44.4, 9) == "x"
    fig = only(reg)
    assert fig.display == "x"
    assert fig.value is None
    assert fig.suppressed is True


def test_percent_rounds_half_up_and_stores_the_precision_shown(reg):
    assert reg.percent("6.1", "p", "Share", 22.5, 200) == "23%"
    assert reg.percent("6.1", "q", "Share", 18.3543, 2017, decimals=1) == "18.4%"
    # A share to more decimals than shown, beside its published total, could give back a
    # hidden count: the register keeps only what the page shows.
    assert [f.value for f in reg.figures] == [23.0, 18.4]


def test_forced_hidden_percent_keeps_no_value(reg):
    assert reg.percent("6.1", "p", "Share", 40.0, 200, numerator=80, hidden=True) == "x"
    fig = only(reg)
    assert (fig.value, fig.suppressed) == (None, True)


# --- change, rate, category ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "unit", "decimals", "display"),
    [
        (5, "percent", 0, "+5%"),
        (4.5, "percent", 0, "+5%"),
        (-12.4, "percent", 0, "-12%"),
        (0.0, "percent", 0, "0%"),
        (1234.5, "percent", 0, "+1,235%"),
        (-1, "percentage points", 0, "-1 percentage point"),
        (1, "percentage points", 0, "+1 percentage point"),
        (-0.6, "percentage points", 0, "-1 percentage point"),
        (2, "percentage points", 0, "+2 percentage points"),
        (-3.25, "percentage points", 1, "-3.3 percentage points"),
        (0, "percentage points", 0, "0 percentage points"),
    ],
)
def test_change_formatting(reg, value, unit, decimals, display):
    assert reg.change("6.1", "c", "Change", value, unit=unit, decimals=decimals) == display
    fig = only(reg)
    assert fig.unit == unit
    shown = float(display.replace(",", "").split("%")[0].split(" ")[0])
    assert fig.value == pytest.approx(shown)
    assert fig.suppressed is False


@pytest.mark.parametrize(("value", "unit"), [(-0.4, "percent"),
                                             (-0.2, "percentage points")])
def test_small_negative_change_is_not_shown_as_minus_zero(reg, value, unit):
    assert not reg.change("6.1", "c", "Change", value, unit=unit).startswith("-")


def test_rate(reg):
    assert reg.rate("6.1", "r", "Rate", 18.35) == "18.4"
    assert reg.rate("6.1", "s", "Rate", 1234.56, decimals=0) == "1,235"
    assert [f.unit for f in reg.figures] == ["rate", "rate"]
    assert [f.value for f in reg.figures] == [18.4, 1235.0]


def test_category(reg):
    assert reg.category("6.1", "trend", "Trend", "increasing") == "increasing"
    fig = only(reg)
    assert (fig.value, fig.display, fig.unit, fig.suppressed) == (
        "increasing", "increasing", "category", False)


def test_rank_order_text(reg):
    text = reg.rank_order("6.3", "top_sources", "Top sources",
                          ["Police", "Local Authority services", "Health"])
    assert text == "1 Police; 2 Local Authority services; 3 Health"
    fig = only(reg)
    assert fig.unit == "rank"
    assert fig.value == text
    assert fig.display == text


def test_rank_order_accepts_a_generator(reg):
    assert reg.rank_order("6.3", "one", "One", (n for n in ["Police"])) == "1 Police"


# --- refs ----------------------------------------------------------------------------------


def test_ref_is_looked_up_by_section_indicator_and_period(reg):
    reg.count("6.1", "contacts_total", "Contacts", 8583)
    reg.count("6.1", "contacts_total", "Contacts", 8174, period="2023-24")
    reg.count("6.1", "contacts_total", "Contacts", 7795, period="2022-23")
    reg.count("6.2", "contacts_total", "Contacts", 8583)
    assert [f.ref for f in reg.figures] == ["F072", "F071", "", ""]


def test_ref_without_a_section_uses_the_chapter(reg):
    reg.category("", "chapter_level", "Chapter", "yes")
    assert only(reg).ref == "F900"


def test_refs_default_to_the_published_file():
    reg = FigureRegister("6", "2024-25", rules=Disclosure())
    assert reg.refs == published_refs()
    reg.count("6.1", "contacts_total", "Contacts", 8583)
    assert only(reg).ref == "F072"


def test_published_refs_on_the_real_file():
    refs = published_refs()
    assert refs[("6.1", "contacts_total", "2024-25")] == "F072"
    assert all(v.startswith("F") for v in refs.values())


def test_published_refs_keep_the_first_id_and_fall_back_to_chapter(tmp_path):
    path = tmp_path / "facts.csv"
    path.write_text(
        "id,chapter,section,indicator,period,value\n"
        "F001,1,,rating,2025,Good\n"
        "F002,6,6.1,contacts_total,2024-25,8583\n"
        "F003,6,6.1,contacts_total,2024-25,8583\n",
        encoding="utf-8",
    )
    refs = published_refs(path)
    assert refs == {("1", "rating", "2025"): "F001",
                    ("6.1", "contacts_total", "2024-25"): "F002"}


# --- duplicates ----------------------------------------------------------------------------


def test_same_figure_twice_with_same_display_is_recorded_once(reg):
    first = reg.count("6.1", "contacts_total", "Contacts", 8583)
    second = reg.count("6.1", "contacts_total", "Contacts (again)", 8583.0)
    assert first == second == "8,583"
    assert len(reg.figures) == 1
    assert reg.figures[0].label == "Contacts"


def test_same_small_counts_with_same_display_are_recorded_once(reg):
    # 2 and 3 both show as '<5', so the text agrees and nothing is leaked by the register
    reg.count("6.1", "n", "N", 2)
    assert reg.count("6.1", "n", "N", 3) == "<5"
    assert len(reg.figures) == 1


def test_same_figure_with_different_display_raises(reg):
    reg.count("6.1", "contacts_total", "Contacts", 8583)
    with pytest.raises(ValueError, match="different values: 8,583 and 8,584"):
        reg.count("6.1", "contacts_total", "Contacts", 8584)
    assert len(reg.figures) == 1


def test_same_indicator_in_another_period_or_section_is_a_new_figure(reg):
    reg.count("6.1", "contacts_total", "Contacts", 8583)
    reg.count("6.1", "contacts_total", "Contacts", 8174, period="2023-24")
    reg.count("6.2", "contacts_total", "Contacts", 1)
    assert len(reg.figures) == 3


# --- series --------------------------------------------------------------------------------


def test_series_of_counts_one_row_per_period(reg):
    frame = pd.DataFrame({"period": ["2022-23", "2023-24", "2024-25"], "count": [7795, 3, 8583]})
    assert reg.series("6.1", "contacts_total", frame, "Contacts", "count", "count") is None
    out = reg.frame()
    assert out["period"].tolist() == ["2022-23", "2023-24", "2024-25"]
    assert out["indicator"].tolist() == ["contacts_total"] * 3
    assert out["label"].tolist() == ["Contacts"] * 3
    assert out["display"].tolist() == ["7,795", "<5", "8,583"]
    assert out["suppressed"].tolist() == [False, True, False]
    assert out["ref"].tolist() == ["", "F071", "F072"]


def test_series_of_percentages_by_category(reg):
    frame = pd.DataFrame({
        "period": ["2023-24", "2023-24", "2024-25", "2024-25"],
        "outcome": ["REF", "EH", "REF", "EH"],
        "pct": [60.0, 40.0, 25.0, 75.0],
        "total": [200, 200, 8, 8],
    })
    reg.series("6.1", "contact_outcomes", frame, "Contacts", "pct", "percent",
               denominator="total", category="outcome")
    out = reg.frame()
    assert len(out) == 4
    assert out["indicator"].tolist() == ["contact_outcomes.REF", "contact_outcomes.EH"] * 2
    assert out["label"].tolist() == ["Contacts: REF", "Contacts: EH"] * 2
    assert out["period"].tolist() == ["2023-24", "2023-24", "2024-25", "2024-25"]
    # a denominator of 8 is below the minimum of 10
    assert out["display"].tolist() == ["60%", "40%", "x", "x"]
    assert out["suppressed"].tolist() == [False, False, True, True]


def test_series_of_rates(reg):
    frame = pd.DataFrame({"period": ["2023-24", "2024-25"], "rate": [19.44, 18.35]})
    reg.series("6.4", "re_referral_rate", frame, "Re-referrals", "rate", "rate", decimals=1)
    out = reg.frame()
    assert out["display"].tolist() == ["19.4", "18.4"]
    assert out["unit"].tolist() == ["rate", "rate"]


# --- frame and save ------------------------------------------------------------------------


def test_empty_register_frame_has_the_columns(reg):
    out = reg.frame()
    assert out.empty
    assert list(out.columns) == COLUMNS


def test_save_writes_the_chapter_csv(reg, tmp_path):
    reg.count("6.1", "contacts_total", "Contacts", 8583)
    reg.count("6.1", "small", "Small", 2)
    reg.percent("6.1", "share", "Share", 25.0, 2017)
    path = reg.save(tmp_path)
    assert path == tmp_path / "figures" / "06.csv"
    assert path.is_file()
    raw = path.read_bytes()
    assert b"\r\n" not in raw
    with path.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        rows = list(reader)
    assert reader.fieldnames == [
        "chapter", "section", "indicator", "label", "period", "value", "display", "unit",
        "suppressed", "ref"]
    assert len(rows) == 3
    assert rows[0] == {"chapter": "6", "section": "6.1", "indicator": "contacts_total",
                       "label": "Contacts", "period": "2024-25", "value": rows[0]["value"],
                       "display": "8,583", "unit": "count", "suppressed": "False",
                       "ref": "F072"}
    assert float(rows[0]["value"]) == 8583
    assert rows[1]["value"] == ""  # a suppressed count's value is never written
    assert rows[1]["display"] == "<5"
    assert rows[1]["suppressed"] == "True"
    assert float(rows[2]["value"]) == 25.0


def test_saved_count_is_written_as_a_whole_number(reg, tmp_path):
    reg.count("6.1", "contacts_total", "Contacts", 8583)
    reg.count("6.1", "small", "Small", 2)
    with reg.save(tmp_path).open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert rows[0]["value"] == "8583"


def test_save_with_explicit_number(reg, tmp_path):
    path = reg.save(tmp_path / "out", number="12")
    assert path == tmp_path / "out" / "figures" / "12.csv"
    saved = pd.read_csv(path)
    assert list(saved.columns) == COLUMNS
    assert saved.empty


def test_published_facts_file_exists_and_has_ids():
    assert FACTS_FILE.is_file()
    with FACTS_FILE.open(encoding="utf-8", newline="") as fh:
        ids = [row["id"] for row in csv.DictReader(fh)]
    assert ids
    assert len(ids) == len(set(ids))
    assert all(re.fullmatch(r"F\d{3}", i) for i in ids)


def test_a_figure_hidden_where_first_stated_stays_hidden(reg):
    assert reg.percent("6.1", "p", "Share", 25.0, 40, numerator=10, hidden=True) == "x"
    assert reg.percent("6.1", "p", "Share", 25.0, 40, numerator=10) == "x"
    assert len(reg.figures) == 1
    reg.percent("6.1", "q", "Share", 25.0, 40, numerator=10)
    with pytest.raises(ValueError, match="stated twice"):
        reg.percent("6.1", "q", "Share", 25.0, 40, numerator=10, hidden=True)
