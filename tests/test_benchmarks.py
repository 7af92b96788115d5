"""Reading DfE's published statistics as DfE publishes them."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from helpers.config import REPO_ROOT, Year
from helpers.data import dfe_benchmarks as benchmarks
from helpers.data import schemas
from helpers.data.validation import read_raw_table

C1 = (REPO_ROOT.parent / "shared" / "data" / "dfe" / "children-in-need"
      / "c1_children_in_need_referrals_and_rereferrals_2013_to_2025.csv")
HEADER = ("time_period,time_identifier,geographic_level,country_code,country_name,region_code,"
          "region_name,old_la_code,new_la_code,la_name,category,rereferral_percent\n")


def test_reporting_year_from_dfe_time_period() -> None:
    assert benchmarks.reporting_year("2025") == "2024-25"
    assert benchmarks.reporting_year("202324") == "2023-24"
    assert benchmarks.reporting_year("2000") == "1999-00"


def test_extract_picks_areas_and_skips_suppressed_cells(tmp_path: Path) -> None:
    path = tmp_path / "c1.csv"
    path.write_text(HEADER
                    + "2025,Reporting year,National,E92000001,England,,,,,,R,22.6\n"
                    + "2025,Reporting year,National,E92000001,England,,,,,,R,22.6\n"
                    + "2025,Reporting year,Regional,E92000001,England,E13000001,Inner London,,,,R,19.1\n"
                    + "2025,Reporting year,Local authority,E92000001,England,E13000001,Inner London,"
                      "202,E09000007,Camden,R,18.3\n"
                    + "2025,Reporting year,Local authority,E92000001,England,E13000001,Inner London,"
                      "201,E09000001,City of London,R,c\n")
    rows = benchmarks.re_referral_rates(path, ["Inner London", "England", "Camden", "City of London"])
    assert rows.values.tolist() == [
        ["Camden", "re_referral_rate", "2024-25", 18.3],
        ["England", "re_referral_rate", "2024-25", 22.6],
        ["Inner London", "re_referral_rate", "2024-25", 19.1],
    ]


@pytest.mark.skipif(not C1.exists(), reason="DfE published files not present")
def test_real_dfe_file_gives_published_2024_25_rates(tmp_path: Path) -> None:
    rows = benchmarks.re_referral_rates(C1, ["Inner London", "England", "Camden"])
    latest = rows[rows["period"] == "2024-25"].set_index("area")["value"]
    assert latest.to_dict() == {"Camden": 18.3, "England": 22.6, "Inner London": 19.1}
    assert rows["period"].min() <= "2013-14"
    out = tmp_path / "benchmarks.csv"
    assert benchmarks.main(["--c1", str(C1), "--year", "2024-25", "--out", str(out)]) == 0
    parsed = read_raw_table(out, schemas.BENCHMARKS, Year.parse("2024-25"))
    assert isinstance(parsed, pd.DataFrame) and len(parsed) == 2
