"""Published figures the report prints twice, and figures whose period it does not state."""

from __future__ import annotations

from pathlib import Path

from helpers.config import Disclosure
from helpers.report.figure_register import FigureRegister, published_refs, published_repeats


def _facts(tmp_path: Path) -> Path:
    path = tmp_path / "facts.csv"
    path.write_text(
        "id,chapter,section,indicator,period,value\n"
        "F1,4,,disabled_pct,not stated,15\n"
        "F2,4,,disabled_pct,not stated,15\n"
        "F3,3,,rating,latest,Good\n",
        encoding="utf-8")
    return path


def _register(tmp_path: Path) -> FigureRegister:
    path = _facts(tmp_path)
    reg = FigureRegister("4", "2024-25", rules=Disclosure(), refs=published_refs(path))
    reg.repeats = published_repeats(path)
    return reg


def test_repeats_list_the_later_ids_of_a_figure(tmp_path: Path) -> None:
    assert published_repeats(_facts(tmp_path)) == {("4", "disabled_pct", "not stated"): ("F2",)}


def test_a_figure_stated_twice_gets_each_published_occurrence_then_no_more(tmp_path) -> None:
    reg = _register(tmp_path)
    for _ in range(3):
        reg.rate("4", "disabled_pct", "Disabled", 15.1, period="not stated", unit="percent")
    assert [f.ref for f in reg.figures] == ["F1", "F2"]


def test_an_unstated_published_period_matches_any_period_of_the_figure(tmp_path) -> None:
    reg = _register(tmp_path)
    reg.rate("4", "disabled_pct", "Disabled", 15.1, period="Census 2021", unit="percent")
    reg.category("3", "rating", "Rating", "Good", period="April 2025")
    assert [f.ref for f in reg.figures] == ["F1", ""]  # a stated period must match exactly
