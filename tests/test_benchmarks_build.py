"""A build with DfE's published benchmarks imported shows the real comparator values."""

from __future__ import annotations

import shutil
from pathlib import Path
from types import SimpleNamespace

import pandas as pd
import pytest
from tests.test_benchmarks import DFE, needs_dfe

from helpers.benchmarks.__main__ import main as import_main
from helpers.chapters import ch06_front_door, sections
from helpers.config import RAW_DIR
from helpers.data.loading import ReportData
from helpers.data.processing import process_year
from helpers.report import charts
from helpers.report.figure_register import FigureRegister

YEAR, PREVIOUS = "2024-25", "2023-24"


def render(processed: Path) -> tuple[list, FigureRegister]:
    data = ReportData(YEAR, processed)
    reg = FigureRegister(ch06_front_door.CHAPTER.number, YEAR, data=data)
    return ch06_front_door.CHAPTER.render(data, reg), reg


@pytest.fixture(scope="module")
def imported(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo's 2024-25 raw data with DfE's real benchmark rows imported, processed."""
    root = tmp_path_factory.mktemp("imported")
    for year in (PREVIOUS, YEAR):  # two years, so the re-referral trend is a line chart
        shutil.copytree(RAW_DIR / year, root / "raw" / year)
        out = root / "raw" / year / "benchmarks.csv"
        assert import_main(["import", str(DFE), "--out", str(out)]) == 0
        process_year(year, root / "raw", root / "processed")
    return root / "processed"


@needs_dfe
def test_chapter_6_states_real_inner_london_and_england_re_referral_rates(imported: Path) -> None:
    outputs, reg = render(imported)
    figures = reg.frame().set_index("indicator")
    assert figures.loc["re_referral_rate_inner_london", "display"] == "19.1"
    assert figures.loc["re_referral_rate_national", "display"] == "22.6"
    text = next(o for o in outputs if isinstance(o, str) and "Inner London (19.1%)" in o)
    assert "England (22.6%)" in text
    chart = next(o for o in outputs if isinstance(o, charts.Chart) and "Inner London" in o.data.columns)
    # Only the configured comparators are drawn (not the LA's own DfE row or its neighbours),
    # and the source names the DfE file instead of calling the values stand-ins.
    assert set(chart.data.columns) == {"Year", "Camden", "Inner London", "England"}
    assert "c1_children_in_need_referrals_and_rereferrals" in chart.source
    assert "stand-ins" not in chart.source


def test_source_note_names_the_file_only_for_imported_indicators() -> None:
    meta = {"synthetic": True, "benchmark_sources": {
        "re_referral_rate": "DfE published: c1_x.csv, saved 2026-01-02"}}
    ctx = SimpleNamespace(data=SimpleNamespace(meta=meta))
    rows = pd.DataFrame({"period": [YEAR], "area": ["England"], "value": [22.6]})
    assert sections._benchmark_source(ctx, rows, "re_referral_rate") == (
        "Comparator areas: DfE published statistics (c1_x.csv, saved 2026-01-02).")
    assert sections._benchmark_source(ctx, rows, "cpp_rate_per_10k").endswith(
        "(synthetic stand-ins).")
    assert sections._benchmark_source(ctx, rows.iloc[:0], "re_referral_rate") == ""
