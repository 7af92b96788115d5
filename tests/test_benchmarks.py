"""Reading DfE's published statistics as DfE publishes them (helpers.benchmarks)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pandas as pd
import pytest

from helpers.benchmarks import ees, national, rows
from helpers.benchmarks.__main__ import main
from helpers.config import RAW_DIR, REPO_ROOT, Year
from helpers.data import schemas
from helpers.data.validation import read_raw_table


def dfe_dir() -> Path:
    """DfE's files beside the repository (../shared/data/dfe), else the shared copy."""
    for candidate in (REPO_ROOT.parent / "shared" / "data" / "dfe", Path("/work/shared/data/dfe")):
        if (candidate / "children-in-need").is_dir():
            return candidate
    return REPO_ROOT.parent / "shared" / "data" / "dfe"


DFE = dfe_dir()
C1 = DFE / "children-in-need" / "c1_children_in_need_referrals_and_rereferrals_2013_to_2025.csv"
needs_dfe = pytest.mark.skipif(not C1.exists(), reason=f"DfE published files not found in {DFE} "
                               "(tests read them from ../shared/data/dfe; never committed)")
HEADER = ("time_period,time_identifier,geographic_level,country_code,country_name,region_code,"
          "region_name,old_la_code,new_la_code,la_name,category,referral_count,"
          "rereferral_percent\n")
POP_HEADER = ("time_period,time_identifier,geographic_level,country_code,country_name,"
              "region_code,region_name,old_la_code,new_la_code,la_name,age_group,"
              "population_estimate\n")
LA = "Local authority,E92000001,England,E13000001,Inner London"


def fixture_folder(folder: Path) -> Path:
    """A hand-made download in DfE's formats: two LAs, a region, England, markers."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "c1_children_in_need_referrals_and_rereferrals_2013_to_2025.csv").write_text(
        HEADER
        + "2025,Reporting year,National,E92000001,England,,,,,,R,1000,22.6\n"
        + "2025,Reporting year,National,E92000001,England,,,,,,R,1000,22.6\n"
        + "2025,Reporting year,Regional,E92000001,England,E13000001,Inner London,,,,R,300,19.1\n"
        + f"2025,Reporting year,{LA},202,E09000007,Camden,R,200,18.3\n"
        + f"2025,Reporting year,{LA},201,E09000001,City of London,R,c,c\n"
        + f"2025,Reporting year,{LA},206,E09000019,Islington,R,100,x\n"
        + f"2024,Reporting year,{LA},202,E09000007,Camden,R,low,-\n"
        + f"2024,Reporting year,{LA},206,E09000019,Islington,R,z,20.0\n", encoding="utf-8")
    (folder / "ons_mid-year_population_estimates_2012_to_2024.csv").write_text(
        POP_HEADER
        + "2024,Reporting year,National,E92000001,England,,,,,,0-17,100000\n"
        + "2024,Reporting year,Regional,E92000001,England,E13000001,Inner London,,,,0-17,10000\n"
        + f"2024,Reporting year,{LA},202,E09000007,Camden,0-17,4000\n"
        + f"2024,Reporting year,{LA},206,E09000019,Islington,0-17,2000\n", encoding="utf-8")
    (folder / "sn_model_2025_wide.csv").write_text(
        "old_la_code,la_name,region_ind,region_name,SN_1,SN_1P,SN_2,SN_2P\n"
        "202,Camden,3,London,206,Close,201,Close\n", encoding="utf-8-sig")
    return folder


def test_reporting_year_from_dfe_time_period() -> None:
    assert ees.reporting_year("2025") == "2024-25"
    assert ees.reporting_year("202324") == "2023-24"
    assert ees.reporting_year("2000") == "1999-00"


@pytest.mark.parametrize("marker", ["c", "x", "z", "low", "-", " C ", ""])
def test_suppression_markers_are_unavailable_never_zero(marker: str) -> None:
    values, status = ees.parse_values(pd.Series([marker, "0", "12.5"]))
    assert values.isna().tolist() == [True, False, False]
    assert values.iloc[1] == 0.0 and values.iloc[2] == 12.5
    assert status.iloc[0] == (marker.strip().lower() or "blank")
    assert status.iloc[1:].tolist() == ["", ""]


def test_extract_picks_areas_and_skips_suppressed_cells(tmp_path: Path) -> None:
    folder = fixture_folder(tmp_path / "dfe")
    path = folder / "c1_children_in_need_referrals_and_rereferrals_2013_to_2025.csv"
    found = ees.re_referral_rates(path, ["Inner London", "England", "Camden", "City of London"])
    assert found.values.tolist() == [
        ["Camden", "re_referral_rate", "2024-25", 18.3],
        ["England", "re_referral_rate", "2024-25", 22.6],
        ["Inner London", "re_referral_rate", "2024-25", 19.1],
    ]


def test_national_table_keeps_markers_and_computes_rates(tmp_path: Path) -> None:
    table = national.build(fixture_folder(tmp_path / "dfe"))
    cell = table.set_index(["indicator", "period", "code"])
    # 200 referrals over 4,000 children (mid-2024) = 500 per 10,000.
    assert cell.loc[("referral_rate_per_10k", "2024-25", "202"), "value"] == pytest.approx(500)
    assert cell.loc[("referral_rate_per_10k", "2024-25", "England"), "value"] == pytest.approx(100)
    for code, marker in (("201", "c"), ("206", "x")):
        row = cell.loc[("re_referral_rate", "2024-25", code)]
        assert pd.isna(row["value"]) and row["status"] == marker
    row = cell.loc[("referrals_total", "2023-24", "202")]
    assert pd.isna(row["value"]) and row["status"] == "low"
    # Duplicate England rows collapse; ranks count only LAs with a published value.
    assert len(table[(table["indicator"] == "re_referral_rate") & (table["code"] == "England")]) == 1
    assert cell.loc[("referrals_total", "2024-25", "202"), ["rank", "of"]].tolist() == [1, 2]
    assert pd.isna(cell.loc[("re_referral_rate", "2024-25", "201"), "rank"])


def test_benchmark_rows_cover_la_region_england_and_neighbours(tmp_path: Path) -> None:
    folder = fixture_folder(tmp_path / "dfe")
    found = rows.benchmark_rows(national.build(folder), "camden", national.neighbours(folder))
    latest = found[(found["indicator"] == "referrals_total") & (found["period"] == "2024-25")]
    assert latest["area"].tolist() == ["Camden", "Inner London", "England",
                                       "Statistical neighbours", "Islington", "City of London"]
    by_area = latest.set_index("area")
    # The neighbours' mean leaves out City of London's suppressed cell: it is Islington's 100.
    assert by_area.loc["Statistical neighbours", "value"] == 100
    assert by_area.loc["City of London", "status"] == "c"
    assert by_area["source"].str.startswith("DfE published: c1_").all()


def test_import_into_a_raw_year_replaces_stand_ins_and_records_sources(tmp_path: Path) -> None:
    folder = fixture_folder(tmp_path / "dfe")
    year_dir = tmp_path / "raw" / "2024-25"
    year_dir.mkdir(parents=True)
    shutil.copy(RAW_DIR / "2024-25" / "benchmarks.csv", year_dir / "benchmarks.csv")
    shutil.copy(RAW_DIR / "2024-25" / "dataset.json", year_dir / "dataset.json")
    before = pd.read_csv(year_dir / "benchmarks.csv")
    assert main(["import", str(folder), "--out", str(year_dir / "benchmarks.csv")]) == 0
    after = read_raw_table(year_dir / "benchmarks.csv", schemas.BENCHMARKS, Year.parse("2024-25"))
    rerefs = after[after["indicator"] == "re_referral_rate"].set_index("area")["value"]
    assert rerefs.to_dict() == {"Camden": 18.3, "Inner London": 19.1, "England": 22.6}
    # Indicators the download does not hold keep their rows; the suppressed cells are absent.
    others = before[~before["indicator"].isin(["re_referral_rate", "referral_rate_per_10k"])]
    assert len(after[after["indicator"].isin(others["indicator"])]) == len(others)
    assert "City of London" not in set(after["area"])
    meta = json.loads((year_dir / "dataset.json").read_text(encoding="utf-8"))
    assert meta["benchmark_sources"]["re_referral_rate"].startswith("DfE published: c1_")
    assert "cla_rate_per_10k" not in meta["benchmark_sources"]


def test_other_out_file_keeps_suppressed_rows_marked(tmp_path: Path) -> None:
    out = tmp_path / "dfe_rows.csv"
    assert main(["import", str(fixture_folder(tmp_path / "dfe")), "--out", str(out)]) == 0
    written = pd.read_csv(out, dtype=str, keep_default_na=False)
    city = written[(written["area"] == "City of London")
                   & (written["indicator"] == "re_referral_rate")]
    assert city[["value", "status"]].values.tolist() == [["", "c"]]


def test_unknown_la_is_an_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["import", str(fixture_folder(tmp_path / "dfe")), "--la", "999"]) == 2
    assert "no local authority '999'" in capsys.readouterr().err


@needs_dfe
def test_real_dfe_files_give_published_2024_25_figures(tmp_path: Path) -> None:
    table = national.build(DFE)
    found = rows.benchmark_rows(table, "202", national.neighbours(DFE))
    latest = found[found["period"] == "2024-25"].set_index(["indicator", "area"])["value"]
    assert {a: latest[("re_referral_rate", a)] for a in ("Camden", "Inner London", "England")} \
        == {"Camden": 18.3, "Inner London": 19.1, "England": 22.6}
    assert latest[("referrals_total", "Camden")] == 2086
    assert round(latest[("referral_rate_per_10k", "Camden")], 1) == 591.3
    assert latest[("cin_total", "Camden")] == 1808
    assert round(latest[("cin_rate_per_10k", "Camden")], 1) == 512.5
    assert found["period"].min() <= "2013-14"
    neighbours = national.neighbours(DFE)["202"]
    assert len(neighbours) == 10 and set(found["area"]) >= {"Statistical neighbours", "Islington"}
    # Every 2024-25 LAIT rate it also publishes agrees with the EES-derived value.
    lait = ees.read_lait(DFE / "lait" / "bds_long_0.parquet")
    cin = lait[(lait["measure"] == "CIN") & (lait["time_period"] == "2025")
               & (lait["level"] == "Local authority")].set_index("code")["text"]
    ours = table[(table["indicator"] == "cin_rate_per_10k") & (table["period"] == "2024-25")
                 & (table["level"] == "Local authority")].set_index("code")["value"].round(1)
    both = ours.index.intersection(cin.index[cin.str.match(r"^\d")])
    agree = (ours[both] - pd.to_numeric(cin[both])).abs() <= 0.11
    assert len(both) > 140 and agree.mean() > 0.95
