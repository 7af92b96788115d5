"""SSDA903 importer: tables, distance, the import report, privacy, errors and no-overwrite."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from helpers.config import RAW_DIR
from helpers.importers import ImportFailed, import_cin_census, import_ssda903
from helpers.importers.__main__ import main
from helpers.importers.ssda903 import TABLES
from import_checks import header_of, read

pytestmark = pytest.mark.usefixtures("key_file")  # a pseudonym key of its own per test
FIXTURES = Path(__file__).parent / "fixtures" / "importers"
FOLDER = FIXTURES / "ssda903"
POSTCODES = FIXTURES / "postcodes.csv"
YEAR = "2024-25"
ORIGINALS = ["LA0001", "LA0101", "LA0102", "A123456789012", "D445566778899", "E998877665544", "NW1 2DB",
             "NW12DB", "NW5 1TL", "ME1 1AA", "SE1 7PB", "SC123456", "17/05/2012", "09/08/2008", "23/02/2005",
             "2012-05-17", "2008-08-09", "2005-02-23", "12/12/2023", "2023-12-12"]


def copy_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "return"
    shutil.copytree(FOLDER, folder)
    return folder


def edit(folder: Path, name: str, old: str, new: str) -> None:
    path = folder / name
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def problems(folder: Path, out: Path, year: str = YEAR) -> list:
    with pytest.raises(ImportFailed) as info:
        import_ssda903(folder, year, out)
    return info.value.problems


@pytest.fixture
def imported(tmp_path):
    report = import_ssda903(FOLDER, YEAR, tmp_path / "raw", postcodes=POSTCODES)
    return report, tmp_path / "raw" / YEAR


# --- tables ------------------------------------------------------------------------------------


def test_writes_every_903_table_with_the_packs_headers(imported):
    report, folder = imported
    for name in TABLES:
        assert header_of(folder / name) == header_of(RAW_DIR / YEAR / name), name
    assert report.written == {"children.csv": 3, "cla_episodes.csv": 3, "cla_reviews.csv": 2,
                              "cla_health.csv": 1, "care_leavers.csv": 1, "missing_episodes.csv": 2}
    assert [(c["birth_month"], c["sex"], c["ethnicity"]) for c in read(folder / "children.csv")] == [
        ("2012-05", "2", "WBRI"), ("2008-08", "1", "BAFR"), ("2005-02", "2", "WOTH")]


def test_episodes_open_in_the_year_with_uasc_and_distance(imported):
    _, folder = imported
    rows = [(e["start_date"], e["end_date"], e["rne"], e["legal_status"], e["placement_type"],
             e["placement_distance_miles"], e["uasc"], e["reason_ceased"])
            for e in read(folder / "cla_episodes.csv")]
    assert rows == [
        ("2024-10-10", "2025-01-02", "S", "V2", "U6", "1.3", "N", "X1"),
        ("2025-01-02", "", "P", "C2", "U4", "29.5", "N", ""),
        ("2023-03-15", "", "S", "V2", "H5", "", "Y", ""),  # SE1 7PB is not in the lookup
    ]  # the episode that ended 14/03/2024 is not open in 2024-25


def test_reviews_health_leavers_and_missing(imported):
    report, folder = imported
    assert [(r["review_date"], r["participation"]) for r in read(folder / "cla_reviews.csv")] == [
        ("2024-11-08", "PN1"), ("2024-08-19", "PN5")]
    (health,) = read(folder / "cla_health.csv")
    assert (health["health_assessment_date"], health["dental_check_date"]) == ("", "")
    (leaver,) = read(folder / "care_leavers.csv")
    assert [leaver[c] for c in TABLES["care_leavers.csv"][1:]] == ["", "YES", "F4", "D", "Y"]
    missing = read(folder / "missing_episodes.csv")
    assert [(m["start_date"], m["duration_hours"], m["looked_after"], m["rhc"]) for m in missing] == [
        ("2024-06-05", "", "Y", ""), ("2025-03-20", "", "Y", "")]
    assert {"1 review outside the year", "1 missing episode starting outside the year",
            "1 episode not open in the year"} <= set(report.left_out)


def test_import_report_says_what_the_903_cannot_supply(imported):
    text = imported[0].text()
    for column in ("cla_health.health_assessment_date", "care_leavers.pa_allocated",
                   "missing_episodes.duration_hours", "missing_episodes.rhc", "cla_visits.csv"):
        assert column in text
    assert "left empty for 1 episode(s) whose HOME_POST or PL_POST" in text


def test_without_a_postcode_lookup_distance_is_empty_and_reported(tmp_path):
    report = import_ssda903(FOLDER, YEAR, tmp_path)
    assert {e["placement_distance_miles"] for e in read(tmp_path / YEAR / "cla_episodes.csv")} == {""}
    assert any("distance measure is not available" in item for item in report.unavailable)


def test_records_and_files_are_matched_by_name(tmp_path):
    folder = tmp_path / "renamed"
    folder.mkdir()
    for path in FOLDER.iterdir():
        shutil.copy(path, folder / f"SSDA903_2025_{path.stem.upper()}.csv")
    report = import_ssda903(folder, YEAR, tmp_path / "out")
    assert report.written["cla_episodes.csv"] == 3 and report.written["care_leavers.csv"] == 1


def test_an_optional_file_that_is_absent_is_reported(tmp_path):
    folder = copy_folder(tmp_path)
    (folder / "oc3.csv").unlink()
    report = import_ssda903(folder, YEAR, tmp_path / "out")
    assert "care_leavers.csv" not in report.written
    assert "no oc3 file in the folder: care_leavers.csv not written." in report.unavailable


# --- privacy and pseudonyms --------------------------------------------------------------------


def test_no_original_id_upn_postcode_or_full_date_of_birth_is_written(imported):
    _, folder = imported
    for path in folder.iterdir():
        text = path.read_text(encoding="utf-8")
        for original in ORIGINALS:
            assert original not in text, (path.name, original)


def test_a_child_in_both_returns_gets_one_pseudonym_and_children_are_merged(tmp_path):
    cin = import_cin_census(FIXTURES / "cin_census_2024-25.xml", YEAR, tmp_path)
    assert cin.written["children.csv"] == 4
    report = import_ssda903(FOLDER, YEAR, tmp_path)
    children = read(tmp_path / YEAR / "children.csv")
    assert len(children) == 6  # LA0001 is in both returns and is held once
    assert report.written["children.csv"] == 6
    first = children[0]["child_id"]
    assert {e["child_id"] for e in read(tmp_path / YEAR / "cla_episodes.csv")} >= {first}
    assert any("2 child(ren) added to the 4" in note for note in report.notes)


# --- errors ------------------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "old", "new", "row", "field", "value", "rule"), [
    ("episodes.csv", "LA0001,10/10/2024,S", "LA0001,31/02/2024,S", 2, "DECOM", "31/02/2024", "IMP-903-004"),
    ("episodes.csv", "N1,H5,PR4", "N1,H9,PR4", 4, "PLACE", "H9", "IMP-903-005"),
    ("oc3.csv", "YES,F4,D1", "YES,F3,D1", 2, "ACTIV", "F3", "IMP-903-006"),
    ("reviews.csv", "19/08/2024,PN5", "19/08/2024,", 4, "REVIEW_CODE", "", "IMP-903-003"),
    ("header.csv", "12/12/2023\n", "12/12/2023\nLA0101,1,09/08/2008,BAFR,,,\n", 5, "CHILD", "LA0101",
     "IMP-903-007"),
    ("missing.csv", "LA0001,17/05/2012,M", "LA0999,17/05/2012,M", 4, "CHILD", "LA0999", "IMP-903-008"),
    ("oc2.csv", "LA0101,09/08/2008", "LA0101,09/09/2008", 2, "DOB", "09/09/2008", "IMP-903-010"),
    ("oc2.csv", "LA0101,09/08/2008,14", "LA0101,09/08/2008,x4", 2, "SDQ_SCORE", "x4", "IMP-903-009"),
])
def test_a_bad_value_names_file_row_field_value_and_rule(tmp_path, name, old, new, row, field, value, rule):
    folder = copy_folder(tmp_path)
    edit(folder, name, old, new)
    found = problems(folder, tmp_path / "out")
    assert [(p.file, p.position, p.field, p.value, p.rule) for p in found] == [
        (name, f"row {row}", field, value, rule)]
    message = str(found[0])
    for part in (name, f"row {row}", field, repr(value), rule, "expected"):
        assert part in message
    assert not (tmp_path / "out").exists() or list((tmp_path / "out").iterdir()) == []


def test_a_code_outside_its_years_says_which_years(tmp_path):
    folder = copy_folder(tmp_path)
    edit(folder, "oc3.csv", "YES,F4,D1", "YES,F3,D1")
    (problem,) = problems(folder, tmp_path)
    assert "valid up to 2020-21" in problem.expected


def test_old_codes_are_accepted_in_their_own_years_and_mapped(tmp_path):
    folder = copy_folder(tmp_path)
    edit(folder, "oc3.csv", "YES,F4,D1", "YES,F3,D0")
    edit(folder, "oc3.csv", ",D0", ",0")
    report = import_ssda903(folder, "2020-21", tmp_path / "out")
    (leaver,) = read(tmp_path / "out" / "2020-21" / "care_leavers.csv")
    assert (leaver["activity"], leaver["accommodation"], leaver["accommodation_suitable"]) == ("F4", "0", "")
    assert any("F3/P3 written as F4/P4" in note for note in report.notes)
    edit(folder, "oc3.csv", "YES,F3", "YES,F5")
    (problem,) = problems(folder, tmp_path / "again", "2020-21")
    assert (problem.rule, problem.value) == ("IMP-903-006", "F5")


def test_a_missing_column_and_a_missing_file(tmp_path):
    folder = copy_folder(tmp_path)
    edit(folder, "reviews.csv", "CHILD,DOB,REVIEW,REVIEW_CODE", "CHILD,DOB,REVIEW,CODE")
    (folder / "episodes.csv").unlink()
    found = problems(folder, tmp_path / "out")
    assert [(p.rule, p.field, p.position) for p in found] == [
        ("IMP-903-001", "episodes", "folder"), ("IMP-903-002", "REVIEW_CODE", "row 1")]


def test_all_problems_are_collected_and_the_cli_exits_2(tmp_path, capsys):
    folder = copy_folder(tmp_path)
    edit(folder, "episodes.csv", "LA0001,10/10/2024,S", "LA0001,2024-10-10,S")
    edit(folder, "header.csv", "LA0101,1,09/08/2008,BAFR", "LA0101,3,09/08/2008,BAFR")
    assert main(["ssda903", str(folder), "--year", YEAR, "--out", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    assert "2 problem(s); nothing was written" in err
    assert "episodes.csv: row 2: DECOM = '2024-10-10'" in err and "IMP-903-004" in err
    assert "header.csv: row 3: SEX = '3'" in err and "IMP-903-005" in err


# --- no overwrite ------------------------------------------------------------------------------


def test_existing_tables_are_not_overwritten_without_replace(tmp_path):
    import_ssda903(FOLDER, YEAR, tmp_path)
    folder = tmp_path / YEAR
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    with pytest.raises(ImportFailed) as info:
        import_ssda903(FOLDER, YEAR, tmp_path, postcodes=POSTCODES)
    assert {p.field for p in info.value.problems} == set(TABLES) - {"children.csv"}
    assert {p.rule for p in info.value.problems} == {"IMP-GEN-001"}
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == before
    import_ssda903(FOLDER, YEAR, tmp_path, replace=True, postcodes=POSTCODES)
    assert "29.5" in (folder / "cla_episodes.csv").read_text(encoding="utf-8")
