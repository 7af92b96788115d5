"""raw -> processed: typed parquet, raw untouched, no half-written output, skip when unchanged."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import pandas as pd
import pytest

from helpers.config import RAW_DIR
from helpers.data.loading import load_meta, load_table, load_trend, read_dataset_meta
from helpers.data.processing import FINGERPRINT_FILE, process_year
from helpers.data.validation import RawDataError

YEAR = "2024-25"


def digest(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture()
def raw(tmp_path: Path) -> Path:
    root = tmp_path / "raw"
    for year in ("2023-24", YEAR):
        shutil.copytree(RAW_DIR / year, root / year)
    return root


def test_process_writes_typed_tidy_tables_and_leaves_raw_alone(raw: Path, tmp_path: Path) -> None:
    before = digest(raw / YEAR)
    out = process_year(YEAR, raw, tmp_path / "processed")
    assert digest(raw / YEAR) == before
    contacts = load_table("contacts", YEAR, tmp_path / "processed")
    assert pd.api.types.is_datetime64_any_dtype(contacts["contact_date"])
    assert "presenting_factors" not in contacts.columns
    factors = load_table("assessment_factors", YEAR, tmp_path / "processed")
    assert list(factors.columns) == ["assessment_id", "code"]
    raw_assessments = pd.read_csv(raw / YEAR / "assessments.csv", dtype=str)
    expected_rows = raw_assessments["factors"].str.split(";").map(len).sum()
    assert len(factors) == expected_rows
    assert load_meta(YEAR, tmp_path / "processed")["synthetic"] is True
    assert (out / FINGERPRINT_FILE).exists()


def test_unchanged_year_is_not_reprocessed(raw: Path, tmp_path: Path) -> None:
    processed = tmp_path / "processed"
    process_year(YEAR, raw, processed)
    table = processed / YEAR / "contacts.parquet"
    first = table.stat().st_mtime_ns
    process_year(YEAR, raw, processed)
    assert table.stat().st_mtime_ns == first
    (raw / YEAR / "population.csv").write_text(
        (raw / YEAR / "population.csv").read_text().replace("6600", "6601"))
    process_year(YEAR, raw, processed)
    assert table.stat().st_mtime_ns != first


def test_failed_validation_keeps_the_previous_processed_data(raw: Path, tmp_path: Path) -> None:
    processed = tmp_path / "processed"
    process_year(YEAR, raw, processed)
    good = digest(processed / YEAR)
    path = raw / YEAR / "contacts.csv"
    path.write_text(path.read_text().replace(",REF\n", ",MAYBE\n", 1))
    with pytest.raises(RawDataError, match=r"contacts\.csv, row"):
        process_year(YEAR, raw, processed)
    assert digest(processed / YEAR) == good
    assert [p.name for p in processed.iterdir()] == [YEAR]  # no temporary folders left


def test_trend_stacks_available_years_with_period(raw: Path, tmp_path: Path) -> None:
    processed = tmp_path / "processed"
    for year in ("2023-24", YEAR):
        process_year(year, raw, processed)
    trend = load_trend("referrals", YEAR, processed)
    assert sorted(trend["period"].unique()) == ["2023-24", YEAR]
    with pytest.raises(FileNotFoundError, match="build the year first"):
        load_table("contacts", "2019-20", processed)


@pytest.mark.parametrize(
    ("content", "fragment"),
    [
        (None, "a dataset.json"),
        ("{not json", "valid JSON"),
        (json.dumps({"synthetic": "yes", "extract_date": "2025-05-01", "source": "x"}),
         "column 'synthetic': found \"'yes'\""),
        (json.dumps({"synthetic": True, "source": "x"}), "key 'extract_date'"),
    ],
)
def test_dataset_meta_errors(tmp_path: Path, content: str | None, fragment: str) -> None:
    if content is not None:
        (tmp_path / "dataset.json").write_text(content)
    with pytest.raises(RawDataError) as info:
        read_dataset_meta(tmp_path)
    assert fragment in str(info.value)
