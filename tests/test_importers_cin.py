"""CIN census importer: tables, the import report, privacy, errors, no-overwrite and streaming."""

from __future__ import annotations

import gc
import os
import re
import stat
import tracemalloc
import weakref
from pathlib import Path

import pytest

from helpers.config import RAW_DIR, REPO_ROOT, Year
from helpers.data import code_lists as pack
from helpers.importers import ImportFailed, Pseudonymiser, import_cin_census
from helpers.importers import codelists as cl
from helpers.importers.__main__ import main
from helpers.importers.cin_census import TABLES, ChildStream
from import_checks import header_of, read

pytestmark = pytest.mark.usefixtures("key_file")  # a pseudonym key of its own per test
FIXTURE = Path(__file__).parent / "fixtures" / "importers" / "cin_census_2024-25.xml"
YEAR = "2024-25"
ORIGINALS = ["LA0001", "LA0002", "LA0003", "LA0004", "A123456789012", "B987654321098", "C112233445566",
             "2012-05-17", "2019-11-03", "2010-01-31", "2025-05-01"]


def variant(tmp_path: Path, old: str, new: str, name: str = "census.xml", count: int = 1) -> tuple[Path, str]:
    text = FIXTURE.read_text(encoding="utf-8")
    assert old in text, old
    text = text.replace(old, new, count)
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path, text


def line_of(text: str, snippet: str) -> int:
    return text[: text.index(snippet)].count("\n") + 1


def problems(path: Path, out: Path, year: str = YEAR) -> list:
    with pytest.raises(ImportFailed) as info:
        import_cin_census(path, year, out)
    return info.value.problems


# --- tables ------------------------------------------------------------------------------------


def test_writes_every_census_table_with_the_packs_headers(tmp_path):
    report = import_cin_census(FIXTURE, YEAR, tmp_path)
    folder = tmp_path / YEAR
    for name in TABLES:
        assert header_of(folder / name) == header_of(RAW_DIR / YEAR / name), name
    assert not (folder / "contacts.csv").exists()
    assert report.written == {"children.csv": 4, "referrals.csv": 3, "assessments.csv": 3,
                              "cin_episodes.csv": 1, "section47.csv": 4, "cp_plans.csv": 2}


def test_children_have_month_of_birth_and_codes(tmp_path):
    import_cin_census(FIXTURE, YEAR, tmp_path)
    children = read(tmp_path / YEAR / "children.csv")
    assert [(c["birth_month"], c["sex"], c["ethnicity"]) for c in children] == [
        ("2012-05", "2", "WBRI"), ("2019-11", "1", "BAFR"), ("2025-05", "0", "NOBT"),
        ("2010-01", "1", "MWBC")]
    assert all(re.fullmatch(r"CH-\d{16}", c["child_id"]) for c in children)


def test_referrals_in_the_year_with_the_previous_referral(tmp_path):
    import_cin_census(FIXTURE, YEAR, tmp_path)
    refs = read(tmp_path / YEAR / "referrals.csv")
    got = [(r["referral_date"], r["source"], r["previous_referral_date"], r["contact_id"]) for r in refs]
    assert got == [
        ("2024-05-02", "6", "2023-06-10", ""), ("2024-09-15", "5D", "", ""), ("2025-01-10", "3B", "", "")]


def test_assessments_authorised_in_the_year_with_their_factors(tmp_path):
    import_cin_census(FIXTURE, YEAR, tmp_path)
    folder = tmp_path / YEAR
    refs = {r["referral_id"] for r in read(folder / "referrals.csv")}
    rows = read(folder / "assessments.csv")
    assert [(a["start_date"], a["authorised_date"], a["factors"]) for a in rows] == [
        ("2024-05-03", "2024-06-10", "3A;4B"), ("2024-09-16", "2024-10-20", "24A"),
        ("2025-01-11", "2025-02-01", "21")]
    assert {a["referral_id"] for a in rows} == refs


def test_cin_episodes_are_plan_episodes_open_in_the_year(tmp_path):
    import_cin_census(FIXTURE, YEAR, tmp_path)
    (episode,) = read(tmp_path / YEAR / "cin_episodes.csv")
    got = (episode["start_date"], episode["end_date"], episode["visit_frequency_days"])
    assert got == ("2024-05-02", "", "")
    assert episode["referral_id"].startswith("RF-") and episode["referral_id"].endswith("-20240502")


def test_section47_outcomes_and_plans_linked_to_their_enquiry(tmp_path):
    import_cin_census(FIXTURE, YEAR, tmp_path)
    folder = tmp_path / YEAR
    s47 = {s["start_date"]: s for s in read(folder / "section47.csv")}
    assert {d: (s["outcome"], s["icpc_date"]) for d, s in s47.items()} == {
        "2024-07-01": ("ICPC", "2024-07-20"), "2024-09-20": ("NFA", ""), "2025-03-20": ("", ""),
        "2022-03-05": ("ICPC", "2022-03-25")}  # the 2022 enquiry made a plan still open in 2024-25
    plans = read(folder / "cp_plans.csv")
    assert [(p["start_date"], p["end_date"], p["initial_category"], p["latest_category"]) for p in plans] == [
        ("2024-07-20", "", "NEG", "NEG"), ("2022-03-25", "2024-06-30", "EMO", "NEG")]
    assert [p["s47_id"] for p in plans] == [s47["2024-07-01"]["s47_id"], s47["2022-03-05"]["s47_id"]]


def test_import_report_says_what_the_census_cannot_supply(tmp_path):
    report = import_cin_census(FIXTURE, YEAR, tmp_path)
    text = report.text()
    assert "contacts.csv: not written. The CIN census has no contacts" in text
    for column in ("referrals.contact_id", "cin_episodes.visit_frequency_days",
                   "cin_episodes.initial_visit_date"):
        assert column in text
    assert "section47.outcome (required): left empty for 1 enquiry" in text
    assert "1 assessment(s) not yet authorised" in report.left_out


# --- privacy -----------------------------------------------------------------------------------


def test_no_original_id_upn_or_full_date_of_birth_is_written(tmp_path):
    import_cin_census(FIXTURE, YEAR, tmp_path)
    for path in (tmp_path / YEAR).iterdir():
        text = path.read_text(encoding="utf-8")
        for original in ORIGINALS:
            assert original not in text, (path.name, original)


def test_pseudonyms_are_stable_keyed_and_the_key_file_is_private(tmp_path, key_file, monkeypatch):
    import_cin_census(FIXTURE, YEAR, tmp_path / "a")
    import_cin_census(FIXTURE, YEAR, tmp_path / "b")
    first = read(tmp_path / "a" / YEAR / "children.csv")
    assert first == read(tmp_path / "b" / YEAR / "children.csv")
    assert stat.S_IMODE(os.stat(key_file).st_mode) == 0o600
    assert len(key_file.read_bytes()) == 32
    monkeypatch.setenv("LSCP_PSEUDONYM_KEY_FILE", str(tmp_path / "other.key"))
    import_cin_census(FIXTURE, YEAR, tmp_path / "c")
    other = {c["child_id"] for c in read(tmp_path / "c" / YEAR / "children.csv")}
    assert other.isdisjoint(c["child_id"] for c in first)


def test_a_key_file_inside_the_repository_is_refused(tmp_path, monkeypatch):
    monkeypatch.setenv("LSCP_PSEUDONYM_KEY_FILE", str(REPO_ROOT / "pseudonym.key"))
    with pytest.raises(ImportFailed) as info:
        import_cin_census(FIXTURE, YEAR, tmp_path)
    assert info.value.problems[0].rule == "IMP-GEN-004"
    assert not (REPO_ROOT / "pseudonym.key").exists()


def test_the_pseudonym_ignores_case_and_surrounding_spaces():
    p = Pseudonymiser(b"k" * 32)
    assert p.child_id(" la0001 ") == p.child_id("LA0001") != p.child_id("LA0002")


# --- errors ------------------------------------------------------------------------------------


@pytest.mark.parametrize(("old", "new", "field", "value", "rule", "where"), [
    ("<CINreferralDate>2024-05-02</CINreferralDate>", "<CINreferralDate>2024-02-30</CINreferralDate>",
     "CINreferralDate", "2024-02-30", "IMP-CIN-003", "/Child[1]/CINdetails[2]/CINreferralDate"),
    ("<ReferralSource>6</ReferralSource>", "<ReferralSource>6Z</ReferralSource>",
     "ReferralSource", "6Z", "IMP-CIN-004", "/Child[1]/CINdetails[2]/ReferralSource"),
    ("<AssessmentFactors>4B</AssessmentFactors>", "<AssessmentFactors>18A</AssessmentFactors>",
     "AssessmentFactors", "18A", "IMP-CIN-005",
     "/Child[1]/CINdetails[2]/Assessments[1]/FactorsIdentifiedAtAssessment/AssessmentFactors[2]"),
    ("<ICPCnotRequired>true</ICPCnotRequired>", "<ICPCnotRequired>maybe</ICPCnotRequired>",
     "ICPCnotRequired", "maybe", "IMP-CIN-006", "/Child[2]/CINdetails[1]/Section47[1]/ICPCnotRequired"),
    ("<NumberOfPreviousCPP>1</NumberOfPreviousCPP>", "<NumberOfPreviousCPP>one</NumberOfPreviousCPP>",
     "NumberOfPreviousCPP", "one", "IMP-CIN-009",
     "/Child[4]/CINdetails[1]/ChildProtectionPlans[1]/NumberOfPreviousCPP"),
])
def test_a_bad_value_names_file_position_field_value_and_rule(tmp_path, old, new, field, value, rule, where):
    path, text = variant(tmp_path, old, new)
    (problem,) = problems(path, tmp_path / "out")
    message = str(problem)
    position = f"/Message/Children{where} (line {line_of(text, new)})"
    for part in ("census.xml", position, field, repr(value), rule):
        assert part in message
    assert "expected" in message
    assert not (tmp_path / "out" / YEAR).exists()
    assert list((tmp_path / "out").iterdir()) == []  # the temporary folder is gone too


def test_a_missing_required_element_names_its_parent(tmp_path):
    path, text = variant(tmp_path, "<GenderCurrent>1</GenderCurrent>", "")
    (problem,) = problems(path, tmp_path)
    assert problem.rule == "IMP-CIN-002" and problem.field == "GenderCurrent" and problem.value == ""
    parent_line = line_of(text, "<ChildIdentifiers>\n        <LAchildID>LA0002")
    assert problem.position == f"/Message/Children/Child[2]/ChildIdentifiers (line {parent_line})"
    assert "census.xml" in str(problem) and "IMP-CIN-002" in str(problem)


def test_a_duplicate_child_is_an_error(tmp_path):
    path, text = variant(tmp_path, "<LAchildID>LA0002</LAchildID>", "<LAchildID>LA0001</LAchildID>")
    (problem,) = problems(path, tmp_path)
    assert problem.rule == "IMP-CIN-007" and problem.value == "LA0001"
    second = text.index("<LAchildID>LA0001", text.index("<LAchildID>LA0001") + 1)
    line = text[:second].count("\n") + 1
    assert problem.position == f"/Message/Children/Child[2]/ChildIdentifiers/LAchildID (line {line})"
    assert "Child[1]/ChildIdentifiers/LAchildID" in problem.expected


def test_codes_are_checked_against_the_collection_year(tmp_path):
    """5D (early help) arrived in 2023-24: a 2022-23 census may not use it; 24A (2021-22) is fine."""
    path, _ = variant(tmp_path, "<Year>2025</Year>\n      <ReferenceDate>2025-03-31</ReferenceDate>",
                      "<Year>2023</Year>\n      <ReferenceDate>2023-03-31</ReferenceDate>")
    found = problems(path, tmp_path, "2022-23")
    assert [(p.rule, p.field, p.value) for p in found] == [("IMP-CIN-005", "ReferralSource", "5D")]
    assert "valid from 2023-24" in found[0].expected


def test_code_years_are_the_packs_own():
    """A code is valid on import exactly when the pack's validation takes it in that year."""
    for codes, years in ((cl.FACTORS, pack.ASSESSMENT_FACTOR_YEARS),
                         (cl.REFERRAL_SOURCE, pack.REFERRAL_SOURCE_YEARS)):
        for code, span in years.items():
            for year in ("2019-20", "2020-21", "2021-22", "2023-24", "2024-25"):
                assert (codes.check(code, Year.parse(year)) is None) == span.covers(year), (code, year)
    assert set(cl.FACTORS.codes) == set(pack.ASSESSMENT_FACTOR)
    assert cl.FACTORS.check("18A", Year.parse("2019-20")) is None


def test_a_header_for_another_year_is_an_error(tmp_path):
    found = problems(FIXTURE, tmp_path, "2023-24")
    assert {(p.rule, p.field) for p in found} == {("IMP-CIN-008", "Year"), ("IMP-CIN-008", "ReferenceDate")}


def test_every_problem_is_collected_in_one_exception(tmp_path):
    text = FIXTURE.read_text(encoding="utf-8")
    text = text.replace("<Ethnicity>BAFR</Ethnicity>", "<Ethnicity>XXXX</Ethnicity>")
    text = text.replace("<CPPstartDate>2022-03-25</CPPstartDate>", "<CPPstartDate>25/03/2022</CPPstartDate>")
    path = tmp_path / "two.xml"
    path.write_text(text, encoding="utf-8")
    found = problems(path, tmp_path / "out")
    assert [(p.rule, p.value) for p in found] == [("IMP-CIN-004", "XXXX"), ("IMP-CIN-003", "25/03/2022")]


def test_xml_that_is_not_well_formed_gives_its_line(tmp_path):
    path, text = variant(tmp_path, "<Ethnicity>NOBT</Ethnicity>", "<Ethnicity>NOBT</Ethnic>")
    (problem,) = problems(path, tmp_path)
    assert problem.rule == "IMP-CIN-001"
    assert problem.position.startswith(f"line {line_of(text, '<Ethnicity>NOBT')}, column")


def test_cli_prints_problems_and_exits_2(tmp_path, capsys):
    path, _ = variant(tmp_path, "<ReferralSource>6</ReferralSource>", "<ReferralSource>6Z</ReferralSource>")
    assert main(["cin-census", str(path), "--year", YEAR, "--out", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    assert "IMP-CIN-004" in err and "census.xml" in err and "'6Z'" in err


def test_cli_prints_the_import_report(tmp_path, capsys):
    assert main(["cin-census", str(FIXTURE), "--year", YEAR, "--out", str(tmp_path)]) == 0
    assert "contacts.csv: not written" in capsys.readouterr().out


# --- no overwrite ------------------------------------------------------------------------------


def test_existing_tables_are_not_overwritten_without_replace(tmp_path):
    folder = tmp_path / YEAR
    folder.mkdir()
    (folder / "referrals.csv").write_text("keep me\n", encoding="utf-8")
    with pytest.raises(ImportFailed) as info:
        import_cin_census(FIXTURE, YEAR, tmp_path)
    assert [(p.rule, p.field) for p in info.value.problems] == [("IMP-GEN-001", "referrals.csv")]
    assert (folder / "referrals.csv").read_text(encoding="utf-8") == "keep me\n"
    assert sorted(p.name for p in folder.iterdir()) == ["referrals.csv"]
    import_cin_census(FIXTURE, YEAR, tmp_path, replace=True)
    assert len(read(folder / "referrals.csv")) == 3


def test_a_failed_import_leaves_the_year_folder_untouched(tmp_path):
    import_cin_census(FIXTURE, YEAR, tmp_path)
    before = {p.name: p.read_bytes() for p in (tmp_path / YEAR).iterdir()}
    path, _ = variant(tmp_path, "<ReferralSource>6</ReferralSource>", "<ReferralSource>6Z</ReferralSource>")
    with pytest.raises(ImportFailed):
        import_cin_census(path, YEAR, tmp_path, replace=True)
    assert {p.name: p.read_bytes() for p in (tmp_path / YEAR).iterdir()} == before
    assert sorted(p.name for p in tmp_path.iterdir()) == [YEAR, "census.xml", "keys"]  # no temporary folder


def test_a_child_with_other_details_in_children_csv_needs_replace(tmp_path, key_file):
    import_cin_census(FIXTURE, YEAR, tmp_path)
    folder = tmp_path / YEAR
    child = Pseudonymiser.from_key_file(key_file).child_id("LA0002")
    text = (folder / "children.csv").read_text(encoding="utf-8")
    text = text.replace(f"{child},2019-11,1,", f"{child},2019-11,2,")
    for name in TABLES:
        if name != "children.csv":
            (folder / name).unlink()
    (folder / "children.csv").write_text(text, encoding="utf-8")
    with pytest.raises(ImportFailed) as info:
        import_cin_census(FIXTURE, YEAR, tmp_path)
    (problem,) = info.value.problems
    assert (problem.rule, problem.field, problem.value) == ("IMP-GEN-003", "sex", "1")
    import_cin_census(FIXTURE, YEAR, tmp_path, replace=True)
    assert {c["child_id"]: c["sex"] for c in read(folder / "children.csv")}[child] == "1"


# --- streaming ---------------------------------------------------------------------------------


def generated(path: Path, n: int) -> Path:
    child = FIXTURE.read_text(encoding="utf-8").split("<Children>")[1].split("</Child>")[0] + "</Child>\n"
    head, _, _ = FIXTURE.read_text(encoding="utf-8").partition("<Children>")
    with path.open("w", encoding="utf-8") as fh:
        fh.write(head + "<Children>\n")
        for i in range(n):
            fh.write(child.replace("LA0001", f"GEN{i:06d}"))
        fh.write("  </Children>\n</Message>\n")
    return path


def test_the_stream_keeps_no_reference_to_earlier_children(tmp_path):
    refs = []
    for kind, elem, _, lines in ChildStream(generated(tmp_path / "big.xml", 50)):
        if kind == "Child":
            refs.append(weakref.ref(elem))
            assert len(lines) < 60  # only this child's elements (and their ancestors) are mapped
    gc.collect()
    assert len(refs) == 50
    assert all(r() is None for r in refs[:-1])


def peak_bytes(path: Path) -> int:
    tracemalloc.start()
    try:
        count = sum(1 for kind, *_ in ChildStream(path) if kind == "Child")
        return tracemalloc.get_traced_memory()[1], count
    finally:
        tracemalloc.stop()


def test_memory_does_not_grow_with_the_number_of_children(tmp_path):
    small, n_small = peak_bytes(generated(tmp_path / "small.xml", 200))
    large, n_large = peak_bytes(generated(tmp_path / "large.xml", 4000))
    assert (n_small, n_large) == (200, 4000)
    assert (tmp_path / "large.xml").stat().st_size > 5_000_000
    assert large < small * 1.5 + 100_000


def test_a_large_generated_census_imports(tmp_path):
    report = import_cin_census(generated(tmp_path / "big.xml", 3000), YEAR, tmp_path / "out")
    assert report.written["children.csv"] == 3000
    assert report.written["cp_plans.csv"] == 3000
