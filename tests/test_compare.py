"""The "How we compare" chapter: any LA against its region, neighbours and England."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd
import pytest
from tests.test_benchmarks import C1, DFE, fixture_folder, needs_dfe

from helpers.benchmarks import ees, national
from helpers.benchmarks.sections import Compared, Place, Standing, ordinal
from helpers.build import compare
from helpers.build import runner as build
from helpers.config import NOTEBOOKS_DIR
from helpers.report import charts
from helpers.report.figure_register import FigureRegister

YEAR = "2024-25"


@pytest.fixture(scope="module")
def real() -> compare.National:
    if not C1.exists():
        pytest.skip(f"DfE published files not found in {DFE}")
    return compare.National.read(DFE)


def shown(reg: FigureRegister) -> dict[str, str]:
    frame = reg.frame()
    return dict(zip(frame["indicator"], frame["display"], strict=True))


def test_ordinals() -> None:
    assert [ordinal(n) for n in (1, 2, 3, 4, 11, 12, 13, 21, 22, 101, 112)] == [
        "1st", "2nd", "3rd", "4th", "11th", "12th", "13th", "21st", "22nd", "101st", "112th"]


@needs_dfe
def test_camden_page_matches_dfe_published_figures(real: compare.National) -> None:
    place, outputs, reg = compare.page_outputs(real, "202", YEAR)
    figures = shown(reg)
    assert (place.name, place.region) == ("Camden", "Inner London")
    assert figures["referrals_total"] == "2,086"
    assert figures["referral_rate_per_10k"] == "591.3"
    assert figures["cin_total"] == "1,808"
    assert figures["cin_rate_per_10k"] == "512.5"
    assert (figures["re_referral_rate"], figures["re_referral_rate.inner_london"],
            figures["re_referral_rate.national"]) == ("18.3%", "19.1%", "22.6%")
    assert re.fullmatch(r"\d+(st|nd|rd|th) highest of 15\d", figures["re_referral_rate_rank"])
    text = next(o for o in outputs if isinstance(o, str) and "**591.3**" in o)
    assert "2,086 referrals" in text and "607.1 in Inner London" in text
    lines = [o for o in outputs if isinstance(o, charts.Chart) and "Year" in o.data.columns]
    assert len(lines) >= 15
    assert list(lines[0].data.columns) == ["Year", "Camden", "Inner London",
                                           "Statistical neighbours", "England"]
    assert lines[0].data["Year"].iloc[0] == "2012-13"  # the series runs from 2013
    dots = [o for o in outputs if isinstance(o, charts.Chart) and "Indicator" in o.data.columns]
    assert len(dots) == 3 and all(o.alt and o.png() for o in dots)


@needs_dfe
@pytest.mark.parametrize("la", ["Manchester", "206"])
def test_another_la_matches_the_published_files(real: compare.National, la: str) -> None:
    place, _, reg = compare.page_outputs(real, la, YEAR)
    figures = shown(reg)
    c1 = ees.read_ees_csv(C1)
    row = c1[(c1["time_period"] == "2025") & (c1["old_la_code"] == place.code)].iloc[0]
    assert figures["re_referral_rate"] == f"{float(row['rereferral_percent']):.1f}%"
    assert figures["referrals_total"] == f"{int(row['referral_count']):,}"
    lait = ees.read_lait(DFE / "lait" / "bds_long_0.parquet")
    published = lait[(lait["measure"] == "CIN") & (lait["time_period"] == "2025")
                     & (lait["code"] == place.code)]["text"].iloc[0]
    assert abs(float(figures["cin_rate_per_10k"]) - float(published)) <= 0.11
    region = real.table[(real.table["indicator"] == "re_referral_rate")
                        & (real.table["period"] == YEAR) & (real.table["area"] == place.region)]
    slug = place.region.lower().replace(" ", "_")
    assert figures[f"re_referral_rate.{slug}"] == f"{region['value'].iloc[0]:.1f}%"


def test_a_suppressed_figure_is_said_to_be_unpublished(tmp_path: Path) -> None:
    folder = fixture_folder(tmp_path / "dfe")
    table = national.build(folder)
    reg = FigureRegister("0", YEAR, refs={})
    place = Place.of(table, national.neighbours(folder), "City of London", YEAR, reg)
    out = Compared("1", "re_referral_rate").render(place)
    assert out == ["**Re-referrals within 12 months (% of referrals).** DfE did not publish this "
                   "figure for City of London in 2024-25 (DfE's marker: c)."]
    assert reg.frame().empty
    # A dot plot needs the LA's own value: with it suppressed there is nothing to draw.
    assert Standing("1", ("re_referral_rate",), "Front door").render(place) == []


def test_one_year_of_data_gives_no_trend_claim(tmp_path: Path) -> None:
    folder = fixture_folder(tmp_path / "dfe")
    reg = FigureRegister("0", YEAR, refs={})
    place = Place.of(national.build(folder), national.neighbours(folder), "202", YEAR, reg)
    text, chart = Compared("1", "referral_rate_per_10k", count="referrals_total").render(place)
    assert "**500.0**" in text and "Since" not in text
    assert "Statistical neighbours" in text or "statistical neighbours" in text
    assert chart.title == "Referrals per 10,000 children: 500.0 in Camden in 2024-25"


@needs_dfe
def test_build_cli_writes_the_page(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LSCP_DFE_DIR", str(DFE))  # wherever the tests found DfE's files
    assert build.main(["--compare", "--la", "202", "--year", YEAR,
                       "--reports-dir", str(tmp_path)]) == 0
    page = tmp_path / "compare" / "202" / YEAR / "how_we_compare.html"
    html = page.read_text(encoding="utf-8")
    assert "How we compare: Camden, 2024-25" in html and "591.3" in html
    assert "<script src=\"http" not in html
    figures = pd.read_csv(page.parent / "figures.csv", dtype=str)
    assert "referral_rate_per_10k" in set(figures["indicator"])


@needs_dfe
def test_many_las_on_the_pool_with_an_index(real: compare.National, tmp_path: Path) -> None:
    las = ["202", "206", "352"]
    results = compare.build_all(real, las, YEAR, tmp_path, workers=2)
    assert results == dict.fromkeys(las)
    for la in las:
        assert (tmp_path / "compare" / la / YEAR / "how_we_compare.html").is_file()
    index = compare.write_index(real, las, YEAR, tmp_path, results)
    assert index.read_text(encoding="utf-8").count("<li>") == 3
    assert len(real.local_authorities(YEAR)) == 153


def test_unknown_la_is_an_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = fixture_folder(tmp_path / "dfe")
    assert compare.run("999", YEAR, reports_dir=tmp_path, dfe_dir=folder) == 2
    assert "no local authority '999'" in capsys.readouterr().err


def test_missing_download_folder_is_an_error(tmp_path: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    assert compare.run("202", YEAR, reports_dir=tmp_path, dfe_dir=tmp_path / "none") == 2
    assert "not a folder of DfE downloads" in capsys.readouterr().err


def test_notebook_is_thin_and_committed_without_outputs() -> None:
    path = NOTEBOOKS_DIR / "compare" / "how_we_compare.ipynb"
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    assert all(c["outputs"] == [] and c["execution_count"] is None for c in cells)
    parameters = "".join(cells[0]["source"])
    assert set(re.findall(r"^(\w+)\s*=", parameters, flags=re.M)) == {
        "la", "year", "dfe_dir", "output_dir"}
    assert "compare.page_outputs" in "".join(cells[2]["source"])
