"""Raw-data validation: every bad-input case gets a precise, readable error."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

from helpers.config import RAW_DIR, Year
from helpers.data import schemas
from helpers.data.validation import Problem, RawDataError, decode, read_raw_table

YEAR = Year.parse("2024-25")
CONTACTS_HEADER = "contact_id,child_id,contact_date,source,presenting_factors,outcome\n"


def write(tmp_path: Path, name: str, text: str | bytes) -> Path:
    path = tmp_path / name
    if isinstance(text, str):
        path.write_text(text, encoding="utf-8")
    else:
        path.write_bytes(text)
    return path


def problems_for(path: Path, table: schemas.Table, year: Year | None = YEAR) -> list[Problem]:
    with pytest.raises(RawDataError) as info:
        read_raw_table(path, table, year)
    return info.value.problems


def test_valid_contacts_are_typed(tmp_path: Path) -> None:
    path = write(tmp_path, "contacts.csv", CONTACTS_HEADER
                 + "CT-1,CH-000001,2024-04-01,6,3B;4B,REF\n"
                 + "CT-2,CH-000002,31/03/2025,2A,,EH\n")
    frame = read_raw_table(path, schemas.CONTACTS, YEAR)
    assert frame["contact_date"].tolist() == [pd.Timestamp("2024-04-01"), pd.Timestamp("2025-03-31")]
    assert frame["presenting_factors"].tolist() == [["3B", "4B"], []]


def test_unknown_code_names_file_row_column_value_and_code_list(tmp_path: Path) -> None:
    path = write(tmp_path, "contacts.csv", CONTACTS_HEADER
                 + "CT-1,CH-000001,2024-04-01,6,,REF\n"
                 + "CT-2,CH-000002,2024-05-01,99,,REF\n")
    [problem] = problems_for(path, schemas.CONTACTS)
    assert (problem.file, problem.row, problem.column, problem.value) == ("contacts.csv", 3, "source", "99")
    assert "CIN census referral sources" in problem.expected
    message = str(RawDataError([problem]))
    assert "contacts.csv, row 3, column 'source': found '99'" in message


def test_unknown_code_inside_a_code_list(tmp_path: Path) -> None:
    path = write(tmp_path, "contacts.csv", CONTACTS_HEADER + "CT-1,CH-1,2024-04-01,6,3B;XX,REF\n")
    [problem] = problems_for(path, schemas.CONTACTS)
    assert (problem.row, problem.column, problem.value) == (2, "presenting_factors", "XX")


def test_date_outside_the_reporting_year(tmp_path: Path) -> None:
    path = write(tmp_path, "contacts.csv", CONTACTS_HEADER + "CT-1,CH-1,2025-04-01,6,,REF\n")
    [problem] = problems_for(path, schemas.CONTACTS)
    assert (problem.row, problem.column, problem.value) == (2, "contact_date", "2025-04-01")
    assert "2024-04-01 to 2025-03-31" in problem.expected


def test_date_not_restricted_to_year_cannot_be_after_year_end(tmp_path: Path) -> None:
    header = "assessment_id,child_id,referral_id,start_date,authorised_date,factors\n"
    path = write(tmp_path, "assessments.csv", header + "AS-1,CH-1,RF-1,2025-06-01,2025-03-01,3B\n")
    [problem] = problems_for(path, schemas.ASSESSMENTS)
    assert problem.column == "start_date"
    assert "2025-03-31" in problem.expected


def test_unparseable_date(tmp_path: Path) -> None:
    path = write(tmp_path, "contacts.csv", CONTACTS_HEADER + "CT-1,CH-1,1st April,6,,REF\n")
    [problem] = problems_for(path, schemas.CONTACTS)
    assert (problem.column, problem.value) == ("contact_date", "1st April")
    assert "YYYY-MM-DD" in problem.expected


def test_duplicate_ids(tmp_path: Path) -> None:
    path = write(tmp_path, "contacts.csv", CONTACTS_HEADER
                 + "CT-1,CH-1,2024-04-01,6,,REF\nCT-1,CH-2,2024-04-02,6,,EH\n")
    found = problems_for(path, schemas.CONTACTS)
    assert {(p.row, p.column, p.value) for p in found} == {(2, "contact_id", "CT-1"),
                                                         (3, "contact_id", "CT-1")}
    assert all("appear once" in p.expected for p in found)


def test_missing_column_lists_the_header_found(tmp_path: Path) -> None:
    path = write(tmp_path, "contacts.csv", "contact_id,child_id,contact_date,source,outcome\n"
                 "CT-1,CH-1,2024-04-01,6,REF\n")
    [problem] = problems_for(path, schemas.CONTACTS)
    assert (problem.row, problem.column) == (1, "presenting_factors")
    assert "contact_id, child_id, contact_date, source, outcome" in problem.expected


@pytest.mark.parametrize("content", [b"", b"   \n\n"])
def test_empty_file(tmp_path: Path, content: bytes) -> None:
    path = write(tmp_path, "contacts.csv", content)
    [problem] = problems_for(path, schemas.CONTACTS)
    assert problem.file == "contacts.csv"
    assert "empty" in problem.expected


def test_header_without_rows(tmp_path: Path) -> None:
    path = write(tmp_path, "contacts.csv", CONTACTS_HEADER)
    [problem] = problems_for(path, schemas.CONTACTS)
    assert "at least one data row" in problem.expected


def test_missing_file(tmp_path: Path) -> None:
    [problem] = problems_for(tmp_path / "contacts.csv", schemas.CONTACTS)
    assert problem.file == "contacts.csv"


def test_excel_thousands_separators_are_read_as_numbers(tmp_path: Path) -> None:
    path = write(tmp_path, "population.csv", 'age_band,ethnic_group,population\n0-4,White,"1,234"\n'
                 "5-9,Black,987\n")
    frame = read_raw_table(path, schemas.POPULATION)
    assert frame["population"].tolist() == [1234, 987]


@pytest.mark.parametrize("bad", ["12.5", "1,23", "lots", "1 234"])
def test_malformed_numbers_are_rejected(tmp_path: Path, bad: str) -> None:
    path = write(tmp_path, "population.csv", f'age_band,ethnic_group,population\n0-4,White,"{bad}"\n')
    [problem] = problems_for(path, schemas.POPULATION)
    assert (problem.row, problem.column, problem.value) == (2, "population", bad)
    assert "whole number" in problem.expected


def test_negative_population_is_rejected(tmp_path: Path) -> None:
    path = write(tmp_path, "population.csv", "age_band,ethnic_group,population\n0-4,White,-3\n")
    [problem] = problems_for(path, schemas.POPULATION)
    assert problem.value == "-3"
    assert "at least 0" in problem.expected


def test_utf8_bom_is_read(tmp_path: Path) -> None:
    path = write(tmp_path, "population.csv",
                 b"\xef\xbb\xbfage_band,ethnic_group,population\n0-4,White,10\n")
    frame = read_raw_table(path, schemas.POPULATION)
    assert list(frame.columns) == ["age_band", "ethnic_group", "population"]


def test_latin1_text_is_read(tmp_path: Path) -> None:
    text = "area,indicator,period,value\nSaint-Étienne,re_referral_rate,2024-25,18.5\n"
    path = write(tmp_path, "benchmarks.csv", text.encode("latin-1"))
    frame = read_raw_table(path, schemas.BENCHMARKS)
    assert frame["area"].iloc[0] == "Saint-Étienne"


def test_decode_prefers_utf8_and_falls_back() -> None:
    assert decode("café".encode()) == "café"
    assert decode("café".encode("cp1252")) == "café"
    assert decode(b"\x81") == "\x81"  # undefined in cp1252: Latin-1 never fails


def test_blank_required_value(tmp_path: Path) -> None:
    path = write(tmp_path, "contacts.csv", CONTACTS_HEADER + "CT-1,,2024-04-01,6,,REF\n")
    [problem] = problems_for(path, schemas.CONTACTS)
    assert (problem.row, problem.column, problem.value) == (2, "child_id", "")
    assert "blank" in problem.expected


def test_bad_month_of_birth(tmp_path: Path) -> None:
    path = write(tmp_path, "children.csv", "child_id,birth_month,sex,ethnicity\n"
                 "CH-1,2015-13,1,WBRI\nCH-2,2015-01-07,1,WBRI\n")
    found = problems_for(path, schemas.CHILDREN, None)
    assert [(p.row, p.value) for p in found] == [(2, "2015-13"), (3, "2015-01-07")]


def test_every_problem_is_reported_not_just_the_first(tmp_path: Path) -> None:
    path = write(tmp_path, "contacts.csv", CONTACTS_HEADER
                 + "CT-1,CH-1,2024-04-01,99,,REF\nCT-2,CH-2,2024-04-01,6,,MAYBE\n")
    found = problems_for(path, schemas.CONTACTS)
    assert [(p.row, p.column) for p in found] == [(2, "source"), (3, "outcome")]


def test_long_problem_lists_are_truncated_in_the_message() -> None:
    error = RawDataError(Problem("x.csv", "y", row=i, rule="COL-101") for i in range(40))
    message = str(error)
    assert message.startswith("40 problems in the raw data")
    assert "... and 15 more" in message
    assert len(error.problems) == 40


def test_the_bundled_demo_year_is_valid() -> None:
    from helpers.data.processing import validate_year

    frames = validate_year("2024-25", RAW_DIR)
    assert len(frames["contacts"]) > 0
    assert set(frames) == {*schemas.TABLES, "narrative"}


def _copy_year(tmp_path: Path) -> Path:
    raw = tmp_path / "raw"
    shutil.copytree(RAW_DIR / "2024-25", raw / "2024-25")
    return raw


def test_cross_table_reference_must_exist(tmp_path: Path) -> None:
    from helpers.data.processing import validate_year

    raw = _copy_year(tmp_path)
    path = raw / "2024-25" / "referrals.csv"
    lines = path.read_text().splitlines()
    fields = lines[1].split(",")
    fields[1] = "CT-NOT-THERE"
    lines[1] = ",".join(fields)
    path.write_text("\n".join(lines) + "\n")
    with pytest.raises(RawDataError) as info:
        validate_year("2024-25", raw)
    [problem] = info.value.problems
    assert (problem.file, problem.row, problem.column, problem.value) == (
        "referrals.csv", 2, "contact_id", "CT-NOT-THERE")
    assert "contacts.csv" in problem.expected


def test_assessment_authorised_before_it_started(tmp_path: Path) -> None:
    from helpers.data.processing import validate_year

    raw = _copy_year(tmp_path)
    path = raw / "2024-25" / "assessments.csv"
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    frame.loc[0, "start_date"] = "2024-12-31"
    frame.loc[0, "authorised_date"] = "2024-12-01"
    frame.to_csv(path, index=False)
    with pytest.raises(RawDataError) as info:
        validate_year("2024-25", raw)
    [problem] = info.value.problems
    assert (problem.row, problem.column, problem.value) == (2, "start_date", "2024-12-31")


def test_missing_year_folder(tmp_path: Path) -> None:
    from helpers.data.processing import validate_year

    with pytest.raises(RawDataError, match="a folder of raw data for 2024-25"):
        validate_year("2024-25", tmp_path)


@pytest.mark.parametrize("table", list(schemas.TABLES.values()), ids=lambda t: t.name)
def test_every_schema_rejects_a_row_with_its_required_values_missing(tmp_path: Path,
                                                                     table: schemas.Table) -> None:
    """Whatever the table, a blank row is refused cell by cell, each cell named."""
    path = write(tmp_path, table.filename,
                 ",".join(table.column_names) + "\n" + "," * (len(table.columns) - 1) + "\n")
    found = problems_for(path, table)
    required = {c.name for c in table.columns if c.required}
    assert {p.column for p in found} == required
    assert all(p.file == table.filename and p.row == 2 for p in found)


@pytest.mark.parametrize("table", [t for t in schemas.TABLES.values()
                                   if any(c.codes for c in t.columns)], ids=lambda t: t.name)
def test_every_code_column_rejects_an_unknown_code(tmp_path: Path, table: schemas.Table) -> None:
    column = next(c for c in table.columns if c.codes and c.kind in ("code", "codes"))
    path = write(tmp_path, table.filename,
                 ",".join(table.column_names) + "\n"
                 + ",".join("NOT-A-CODE" if c is column else "" for c in table.columns) + "\n")
    found = [p for p in problems_for(path, table) if p.column == column.name]
    assert [(p.row, p.value) for p in found] == [(2, "NOT-A-CODE")]
    assert column.expected() == found[0].expected
