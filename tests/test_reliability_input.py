"""Input safety: every way a real extract goes wrong is refused (or tolerated) with a message
that names the file, the spreadsheet row, the column, the value and the rule broken."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pandas as pd
import pytest

from helpers.config import RAW_DIR, Year
from helpers.data import identifiers, narrative, schemas
from helpers.data.loading import read_dataset_meta
from helpers.data.processing import identifier_problems, process_year, validate_year
from helpers.data.validation import RawDataError, read_raw_table

YEAR = Year.parse("2024-25")
CONTACTS_HEADER = "contact_id,child_id,contact_date,source,presenting_factors,outcome\n"


def problems_for(path: Path, table: schemas.Table, year: Year | None = YEAR) -> list:
    with pytest.raises(RawDataError) as info:
        read_raw_table(path, table, year)
    return info.value.problems


@pytest.fixture()
def raw(tmp_path: Path) -> Path:
    root = tmp_path / "raw"
    shutil.copytree(RAW_DIR / "2024-25", root / "2024-25")
    return root


# --- repeated keys of aggregate tables --------------------------------------------------------


def test_a_repeated_population_row_is_refused_naming_both_rows(tmp_path: Path) -> None:
    path = tmp_path / "population.csv"
    path.write_text("age_band,ethnic_group,population\n0-4,White,100\n5-9,White,90\n"
                    "0-4,White,100\n")
    [problem] = problems_for(path, schemas.POPULATION)
    assert (problem.file, problem.row, problem.column, problem.value, problem.rule) == (
        "population.csv", 4, "ethnic_group", "White", "KEY-201")
    assert "rows 2 and 4 both hold it" in problem.expected
    assert "rule KEY-201 (an aggregate table holds each key" in str(problem)


def test_a_repeated_benchmark_is_refused_naming_both_rows(tmp_path: Path) -> None:
    path = tmp_path / "benchmarks.csv"
    path.write_text("area,indicator,period,value\nEngland,re_referral_rate,2024-25,21.4\n"
                    "England,re_referral_rate,2024-25,22.0\n")
    [problem] = problems_for(path, schemas.BENCHMARKS)
    assert (problem.row, problem.column, problem.value, problem.rule) == (
        3, "period", "2024-25", "KEY-201")
    assert "rows 2 and 3" in problem.expected


# --- identifiers in text ----------------------------------------------------------------------


@pytest.mark.parametrize("written", ["CH-000003", "ch-000003", "CH 000003", "ch_000003",
                                     "CH000003", "RF-2024-00017", "ct 2024 00001"])
def test_a_record_id_in_any_text_field_is_refused(written: str) -> None:
    membership = pd.DataFrame({"member_group": ["lead", "health"], "agency": ["Council", "ICB"],
                               "job_title": ["Director", f"Lead for {written}"],
                               "people": [1, 1]})
    [problem] = identifier_problems({"membership": membership})
    assert (problem.file, problem.row, problem.column, problem.value, problem.rule) == (
        "membership.csv", 3, "job_title", written, "SAFE-301")


def test_a_known_child_id_in_another_format_is_refused() -> None:
    known = identifiers.known_ids(pd.Series(["K-771234", "K-771235"]))
    frame = pd.DataFrame({"area": ["England", "seen k771235 twice"], "indicator": ["x", "y"],
                          "period": ["2024-25", "2024-25"], "value": [1.0, 2.0]})
    [problem] = identifier_problems({"benchmarks": frame}, known)
    assert (problem.row, problem.column, problem.value, problem.rule) == (
        3, "area", "k771235", "SAFE-302")


@pytest.mark.parametrize(("written", "ids"), [
    ("seen z x-93172 once", ["ZX-93172"]),          # the id's first two letters split
    ("seen ZX 931 72 once", ["ZX-93172"]),          # three words make the id
    ("seen zx_93172. once", ["ZX-93172"]),
    ("alpha beta-gamma", ["ALPHA-BETA"]),           # ids with no digit at all
    ("met Al Pha Beta", ["ALPHA-BETA"]),
])
def test_a_known_id_is_found_however_it_is_split(written: str, ids: list[str]) -> None:
    known = identifiers.known_ids(pd.Series(ids))
    found = identifiers.find_id(written, known)
    assert found is not None and identifiers.normalise(found) == identifiers.normalise(ids[0])


@pytest.mark.parametrize("written", ["seen azx93172 once", "zx9317", "zx93172b",
                                     "zx-93-17", "alphabets"])
def test_a_known_id_inside_a_longer_word_is_not_one(written: str) -> None:
    known = identifiers.known_ids(pd.Series(["ZX-93172", "ALPHA-BET"]))
    assert identifiers.find_id(written, identifiers.KnownIds.of(known)) is None


@pytest.mark.parametrize("prose", ["such as 2024-25", "as 2023/24 academic year", "CH4 data",
                                   "Apr 2024 - Mar 2025", "1 Apr 2019 - 31 Mar 2024"])
def test_ordinary_text_is_not_taken_for_an_id(prose: str) -> None:
    assert identifiers.find_id(prose) is None


def test_a_record_id_in_a_partner_return_fails_the_year(raw: Path) -> None:
    path = raw / "2024-25" / "nrm.csv"
    lines = path.read_text().splitlines()
    cells = lines[1].split(",")
    cells[2] = "ch_000003"
    lines[1] = ",".join(cells)
    path.write_text("\n".join(lines) + "\n")
    with pytest.raises(RawDataError) as info:
        validate_year("2024-25", raw)
    found = [p for p in info.value.problems if p.rule == "SAFE-301"]
    assert [(p.file, p.row, p.column, p.value) for p in found] == [
        ("nrm.csv", 2, "breakdown", "ch_000003")]


@pytest.mark.parametrize("written", ["ch-000123", "CH 000123", "ch_000123", "CH000123"])
def test_a_record_id_in_narrative_is_refused_in_any_style(tmp_path: Path, written: str) -> None:
    folder = tmp_path / narrative.FOLDER
    folder.mkdir()
    (folder / "06.md").write_text(f"## impact\nWe met {written} in May.\n")
    with pytest.raises(RawDataError) as info:
        narrative.read_year(tmp_path)
    [problem] = info.value.problems
    assert (problem.file, problem.row, problem.value, problem.rule) == (
        "narrative/06.md", 2, written, "SAFE-301")


# --- encodings and delimiters -----------------------------------------------------------------


def test_a_file_mixing_encodings_is_refused_at_its_first_bad_row(tmp_path: Path) -> None:
    path = tmp_path / "benchmarks.csv"
    path.write_bytes(b"area,indicator,period,value\n"
                     + "Café One,re_referral_rate,2024-25,1\n".encode()
                     + "Café Two,re_referral_rate,2023-24,2\n".encode("cp1252"))
    [problem] = problems_for(path, schemas.BENCHMARKS)
    assert (problem.file, problem.row, problem.rule) == ("benchmarks.csv", 3, "FILE-004")
    assert "mixes encodings: row 2 is UTF-8 but row 3 is not" in problem.expected


def test_utf16_is_refused_saying_so(tmp_path: Path) -> None:
    path = tmp_path / "benchmarks.csv"
    path.write_bytes("area,indicator,period,value\nEngland,re_referral_rate,2024-25,1\n"
                     .encode("utf-16"))
    [problem] = problems_for(path, schemas.BENCHMARKS)
    assert (problem.file, problem.rule) == ("benchmarks.csv", "FILE-004")
    assert "UTF-16" in problem.expected


def test_a_semicolon_separated_file_is_refused_saying_so(tmp_path: Path) -> None:
    path = tmp_path / "benchmarks.csv"
    path.write_text("area;indicator;period;value\nEngland;re_referral_rate;2024-25;1\n")
    [problem] = problems_for(path, schemas.BENCHMARKS)
    assert (problem.file, problem.row, problem.rule) == ("benchmarks.csv", 1, "FILE-005")
    assert "separated by semicolons" in problem.expected


def test_cp1252_narrative_is_read_and_a_mixed_one_refused(tmp_path: Path) -> None:
    folder = tmp_path / narrative.FOLDER
    folder.mkdir()
    (folder / "06.md").write_bytes("## impact\nOur café ran “drop-ins”.\n".encode("cp1252"))
    assert narrative.block(narrative.read_year(tmp_path), 6, "impact") == \
        "Our café ran “drop-ins”."
    (folder / "06.md").write_bytes("## impact\nOur café\n".encode()
                                   + "Their café\n".encode("cp1252"))
    with pytest.raises(RawDataError) as info:
        narrative.read_year(tmp_path)
    [problem] = info.value.problems
    assert (problem.file, problem.row, problem.rule) == ("narrative/06.md", 3, "FILE-004")


def test_dataset_json_is_read_like_a_csv(tmp_path: Path) -> None:
    meta = {"synthetic": False, "extract_date": "2025-05-01", "source": "Mosaic – Café team"}
    (tmp_path / "dataset.json").write_bytes(json.dumps(meta, ensure_ascii=False).encode("cp1252"))
    assert read_dataset_meta(tmp_path)["source"] == "Mosaic – Café team"
    (tmp_path / "dataset.json").write_bytes(json.dumps(meta).encode("utf-16"))
    with pytest.raises(RawDataError) as info:
        read_dataset_meta(tmp_path)
    assert info.value.problems[0].rule == "FILE-004"


# --- row numbers ------------------------------------------------------------------------------


def test_rows_are_counted_as_a_spreadsheet_counts_them_blank_lines_included(tmp_path: Path) -> None:
    path = tmp_path / "contacts.csv"
    path.write_text(CONTACTS_HEADER + "CT-1,CH-1,2024-04-01,6,,REF\n\n\n"
                    "CT-2,CH-2,2024-04-01,99,,REF\n")
    [problem] = problems_for(path, schemas.CONTACTS)
    assert (problem.row, problem.column, problem.value, problem.rule) == (5, "source", "99",
                                                                          "COL-103")
    assert str(problem).startswith("contacts.csv, row 5, column 'source': found '99'; rule COL-103")


# --- OS litter --------------------------------------------------------------------------------


def test_os_litter_is_ignored_with_a_note(raw: Path) -> None:
    year = raw / "2024-25"
    for name in ("Thumbs.db", ".DS_Store", "~$contacts.xlsx", "desktop.ini"):
        (year / name).write_bytes(b"\x00\x01junk")
    (year / "narrative" / ".DS_Store").write_bytes(b"\x00junk")
    (year / "narrative" / "Thumbs.db").write_bytes(b"\x00junk")
    notes: list[str] = []
    frames = validate_year("2024-25", raw, notes)
    assert len(frames["contacts"]) > 0
    assert {n.split(":")[0] for n in notes} >= {"Thumbs.db", ".DS_Store", "~$contacts.xlsx",
                                                "desktop.ini", "narrative/.DS_Store",
                                                "narrative/Thumbs.db"}


# --- optional and required tables -------------------------------------------------------------


def test_absent_and_empty_optional_tables_are_accepted_and_written_typed(raw: Path,
                                                                         tmp_path: Path) -> None:
    year = raw / "2024-25"
    (year / "exploitation_assessments.csv").unlink()
    header = ",".join(schemas.TABLES["youth_early_help"].column_names)
    (year / "youth_early_help.csv").write_text(header + "\n")
    notes: list[str] = []
    out = process_year("2024-25", raw, tmp_path / "processed", notes=notes)
    empty = pd.read_parquet(out / "exploitation_assessments.parquet")
    assert empty.empty
    assert list(empty.columns) == [c for c in schemas.TABLES["exploitation_assessments"].column_names
                                   if c != "exploitation_types"]
    assert pd.api.types.is_datetime64_any_dtype(empty["assessment_date"])
    assert pd.read_parquet(out / "exploitation_types.parquet").empty
    assert pd.read_parquet(out / "youth_early_help.parquet").empty
    assert any(n.startswith("exploitation_assessments.csv: absent or empty") for n in notes)


def test_a_required_table_still_fails_clearly(raw: Path) -> None:
    (raw / "2024-25" / "cp_plans.csv").unlink()
    with pytest.raises(RawDataError) as info:
        validate_year("2024-25", raw)
    [problem] = info.value.problems
    assert (problem.file, problem.rule) == ("cp_plans.csv", "FILE-001")
    assert "cp_plans.csv: rule FILE-001 (a required table's file is present" in str(problem)


# --- codes valid only in some years -----------------------------------------------------------


def test_a_code_used_before_it_existed_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "referrals.csv"
    path.write_text("referral_id,contact_id,child_id,referral_date,source,previous_referral_date\n"
                    "RF-1,CT-1,CH-1,2022-05-01,5D,\n")
    [problem] = problems_for(path, schemas.REFERRALS, Year.parse("2022-23"))
    assert (problem.file, problem.row, problem.column, problem.value, problem.rule) == (
        "referrals.csv", 2, "source", "5D", "COL-104")
    assert "5D (LA services: early help) is valid from 2023-24" in problem.expected
    path.write_text(path.read_text().replace("2022-05-01", "2024-05-01"))
    assert read_raw_table(path, schemas.REFERRALS, YEAR)["source"].tolist() == ["5D"]


def test_a_factor_used_before_it_existed_is_refused_inside_a_code_list(tmp_path: Path) -> None:
    path = tmp_path / "assessments.csv"
    path.write_text("assessment_id,child_id,referral_id,start_date,authorised_date,factors\n"
                    "AS-1,CH-1,RF-1,2020-05-01,2020-05-20,3B;24A\n")
    [problem] = problems_for(path, schemas.ASSESSMENTS, Year.parse("2020-21"))
    assert (problem.row, problem.column, problem.value, problem.rule) == (
        2, "factors", "24A", "COL-104")


def test_the_demo_years_use_only_codes_valid_in_them() -> None:
    for label in ("2020-21", "2022-23"):
        referrals = pd.read_csv(RAW_DIR / label / "referrals.csv", dtype=str)
        assert "5D" not in set(referrals["source"])
    factors = pd.read_csv(RAW_DIR / "2020-21" / "assessments.csv", dtype=str)["factors"]
    assert not factors.str.contains("24A").any()
    assert "5D" in set(pd.read_csv(RAW_DIR / "2024-25" / "referrals.csv", dtype=str)["source"])
