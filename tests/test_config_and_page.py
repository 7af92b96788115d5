"""Configuration (partnership, reporting years) and the page furniture every chapter shows."""

from __future__ import annotations

from pathlib import Path

import pytest

from helpers.config import Year, available_years, load_partnership, trend_years
from helpers.report.page_furniture import SYNTHETIC_BANNER, banner_html, page_header


def test_year_parses_financial_years_only() -> None:
    year = Year.parse("2024-25")
    assert (year.first_day, year.last_day, str(year)) == ("2024-04-01", "2025-03-31", "2024-25")
    assert Year.parse("1999-00").label == "1999-00"
    for bad in ("2024/25", "2024-26", "24-25", "2024"):
        with pytest.raises(ValueError, match="expected the form 2024-25"):
            Year.parse(bad)


def test_trend_years_are_oldest_first() -> None:
    assert trend_years("2024-25") == ["2020-21", "2021-22", "2022-23", "2023-24", "2024-25"]
    assert trend_years("2024-25", 2) == ["2023-24", "2024-25"]


def test_available_years_ignores_other_folders(tmp_path: Path) -> None:
    for name in ("2024-25", "2020-21", "scratch", "2024-26"):
        (tmp_path / name).mkdir()
    assert available_years(tmp_path) == ["2020-21", "2024-25"]
    assert available_years(tmp_path / "missing") == []


def test_partnership_file_is_read_and_complete(tmp_path: Path) -> None:
    camden = load_partnership()
    assert camden.la_code == "202"
    assert camden.disclosure.count_threshold == 5
    assert "England" in camden.benchmark_areas
    broken = tmp_path / "p.toml"
    broken.write_text('name = "X"\n')
    with pytest.raises(ValueError, match=r"missing setting.*short_name"):
        load_partnership(broken)


def test_banner_only_for_synthetic_data() -> None:
    assert SYNTHETIC_BANNER in banner_html({"synthetic": True})
    assert banner_html({"synthetic": False}) == ""


def test_page_header_names_partnership_year_chapter_and_date() -> None:
    html = page_header(6, "2024-25", {"synthetic": True, "extract_date": "2025-05-15"}).data
    assert "Camden Safeguarding Children Partnership" in html
    assert "6. Children and Families Contact Service" in html
    assert "2024-25" in html and "2025-05-15" in html
    assert SYNTHETIC_BANNER in html
