"""Partner returns and membership: bad rows are rejected with the file, row and column to fix.

Every table of ``helpers.data.schema_partners`` gets at least one rejected row here, and every
rule of its ``cross_checks`` is shown catching what it claims to catch.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

from helpers.config import RAW_DIR, Year
from helpers.data import schema_partners as schemas_partners
from helpers.data import schemas
from helpers.data.validation import Problem, RawDataError, read_raw_table

YEAR = Year.parse("2024-25")
HEADER = "period,measure,breakdown,value\n"

# One valid row per partner return (period, measure, breakdown, value).
VALID_ROW: dict[str, str] = {
    "inspection_ratings": "April 2025,ofsted_ilacs,Care leavers,Outstanding",
    "provider_ratings": "latest,mainstream_schools,Good,32",
    "borough_profile": "not stated,population_total,,220000",
    "education_outcomes": "not stated,good_level_of_development_pct,England,67.7",
    "education_inclusion": "2023/24 academic year,permanent_exclusions_secondary,,18",
    "send": "as of January 2024,send_cyp,,4057",
    "school_safeguarding": "2024-25,safeguarding_reviews,,16",
    "domestic_abuse": "2024-25,marac_cases_with_child,,464",
    "family_group_conferences": "2024-25,fgc_referrals,,260",
    "asylum_support": "current,families_supported,,131",
    "serious_incidents": "2024-25,serious_incident_notifications,Under 2,4",
    "child_deaths": "1 Apr 2019 - 31 Mar 2024,deaths_notified,,449",
    "nrm": "2023-24,nrm_referrals,,30",
    "knife_crime": "2024 (calendar year),knife_crime_victims_10_24,2024-01,3",
    "youth_early_help": "2023-24,referrals,,885",
    "engage": "2024-25,initial_contacts,,325",
    "substance_misuse": "2024-25,referrals,,306",
    "website": "Apr 2024 - Mar 2025,page_views,,74491",
    "finance": "2024-25,income,Police,5000",
    "scrutiny": "2024-25,partnership_meetings,,6",
}


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / f"{name}.csv"
    path.write_text(text, encoding="utf-8")
    return path


def problems_of(path: Path, name: str) -> list[Problem]:
    with pytest.raises(RawDataError) as caught:
        read_raw_table(path, schemas.table(name), YEAR)
    return caught.value.problems


def read(tmp_path: Path, name: str, *rows: str) -> pd.DataFrame:
    return read_raw_table(write(tmp_path, name, HEADER + "\n".join(rows) + "\n"),
                          schemas.table(name), YEAR)


def checked(tmp_path: Path, name: str, *rows: str) -> list[Problem]:
    """Cross-check problems of a return made of ``rows`` (which must pass validation)."""
    return schemas_partners.cross_checks({name: read(tmp_path, name, *rows)})


def test_every_partner_return_is_declared_and_has_a_test_row():
    names = {t.name for t in schemas_partners.PARTNER_RETURNS}
    assert names == set(schemas_partners.RETURNS) == set(VALID_ROW)
    assert {t.name for t in schemas_partners.TABLES} == names | {"membership", "action_trackers",
                                                              "governance", "review_learning",
                                                              "priority_progress"}
    assert all(name in schemas.TABLES for name in names | {"membership"})


@pytest.mark.parametrize("name", sorted(schemas_partners.RETURNS))
def test_each_return_accepts_a_valid_row(tmp_path: Path, name: str):
    frame = read(tmp_path, name, VALID_ROW[name])
    assert len(frame) == 1
    assert schemas_partners.cross_checks({name: frame}) == []


@pytest.mark.parametrize("name", sorted(schemas_partners.RETURNS))
def test_each_return_rejects_an_unknown_measure_naming_file_row_and_column(tmp_path: Path,
                                                                          name: str):
    bad = "2024-25,no_such_measure,,1"
    path = write(tmp_path, name, HEADER + VALID_ROW[name] + "\n" + bad + "\n")
    [problem] = problems_of(path, name)
    assert (problem.file, problem.row, problem.column, problem.value) == (
        f"{name}.csv", 3, "measure", "no_such_measure")
    assert f"{name} measures" in problem.expected


@pytest.mark.parametrize("name", sorted(n for n in schemas_partners.RETURNS
                                        if n != "inspection_ratings"))
def test_numeric_returns_reject_text_in_value(tmp_path: Path, name: str):
    period, code, breakdown, _ = VALID_ROW[name].split(",")
    path = write(tmp_path, name, HEADER + f"{period},{code},{breakdown},about 40\n")
    [problem] = problems_of(path, name)
    assert (problem.row, problem.column, problem.value) == (2, "value", "about 40")


def test_ratings_reject_a_blank_grade(tmp_path: Path):
    path = write(tmp_path, "inspection_ratings", HEADER + "June 2025,hmip_youth_justice,,\n")
    [problem] = problems_of(path, "inspection_ratings")
    assert (problem.file, problem.row, problem.column) == ("inspection_ratings.csv", 2, "value")
    assert "blank" in problem.expected


def test_negative_count_rejected_by_the_table_minimum(tmp_path: Path):
    path = write(tmp_path, "domestic_abuse", HEADER + "2024-25,marac_cases,,-3\n")
    [problem] = problems_of(path, "domestic_abuse")
    assert (problem.row, problem.column) == (2, "value")
    assert "at least 0" in problem.expected


def test_thousands_separators_are_read(tmp_path: Path):
    frame = read(tmp_path, "finance", '2024-25,income,,"273,241"')
    assert frame["value"].iloc[0] == 273241


# --------------------------------------------------------------------------- membership
MEMBERS = "member_group,agency,job_title,people\n"


def test_membership_accepts_the_published_shape(tmp_path: Path):
    text = MEMBERS + ("independent,Independent,Young Advisors,2\n"
                      "la_departments,Camden Public Health,Director of Health and Wellbeing,1\n"
                      "la_departments,Camden Public Health,Director of Health and Wellbeing,1\n")
    frame = read_raw_table(write(tmp_path, "membership", text), schemas.table("membership"), YEAR)
    assert frame["people"].sum() == 4  # the duplicated seat is kept as published


def test_membership_rejects_an_empty_seat(tmp_path: Path):
    path = write(tmp_path, "membership", MEMBERS + "lead,Camden Council,Director,1\n"
                 "independent,Independent,Lay Member,0\n")
    [problem] = problems_of(path, "membership")
    assert (problem.file, problem.row, problem.column, problem.value) == (
        "membership.csv", 3, "people", "0")


def test_membership_rejects_an_unknown_group(tmp_path: Path):
    path = write(tmp_path, "membership", MEMBERS + "partners,Camden Council,Director,1\n")
    [problem] = problems_of(path, "membership")
    assert (problem.row, problem.column, problem.value) == (2, "member_group", "partners")
    assert "membership groups" in problem.expected


def test_membership_requires_a_job_title_column(tmp_path: Path):
    path = write(tmp_path, "membership", "member_group,agency,people\nlead,Camden Council,1\n")
    [problem] = problems_of(path, "membership")
    assert (problem.row, problem.column) == (1, "job_title")


# --------------------------------------------------------------------------- cross-checks
def test_the_same_row_twice_is_caught(tmp_path: Path):
    with pytest.raises(RawDataError) as info:
        read(tmp_path, "nrm", "2023-24,nrm_referrals,,30", "2023-24,nrm_referrals,,31")
    [problem] = info.value.problems
    assert (problem.file, problem.row, problem.column, problem.rule) == (
        "nrm.csv", 3, "breakdown", "KEY-201")
    assert "rows 2 and 3 both hold it" in problem.expected


def test_an_unknown_category_is_caught(tmp_path: Path):
    [problem] = checked(tmp_path, "provider_ratings", "latest,early_years_settings,Good,120",
                        "latest,early_years_settings,Outstandng,38")
    assert (problem.row, problem.column, problem.value) == (3, "breakdown", "Outstandng")
    assert "Requires improvement" in problem.expected


def test_a_comparator_area_is_allowed_only_where_declared(tmp_path: Path):
    assert checked(tmp_path, "education_inclusion",
                   "2023/24 academic year,persistent_absence_primary_pct,England,14.8") == []
    [problem] = checked(tmp_path, "education_inclusion",
                        "2023/24 academic year,permanent_exclusions_primary,England,100")
    assert (problem.column, problem.value) == ("breakdown", "England")


def test_a_fractional_count_is_caught(tmp_path: Path):
    [problem] = checked(tmp_path, "engage", "2024-25,children,,302.5")
    assert (problem.row, problem.column, problem.value) == (2, "value", "302.5")
    assert "whole number" in problem.expected


def test_a_percentage_over_100_is_caught(tmp_path: Path):
    [problem] = checked(tmp_path, "borough_profile", "not stated,pupils_fsm_eligible_pct,,144")
    assert (problem.row, problem.column, problem.value) == (2, "value", "144")


def test_an_unknown_rating_is_caught(tmp_path: Path):
    [problem] = checked(tmp_path, "inspection_ratings",
                        "latest,cqc_trust,Some Trust,Very good")
    assert (problem.file, problem.row, problem.column, problem.value) == (
        "inspection_ratings.csv", 2, "value", "Very good")
    assert "Outstanding" in problem.expected


def test_parts_that_do_not_add_up_to_the_total_are_caught(tmp_path: Path):
    rows = ["2024-25,expenditure,,273241", "2024-25,expenditure,Staffing,181823",
            "2024-25,expenditure,Professional fees,49615",
            "2024-25,expenditure,Multi-agency training,18421", "2024-25,expenditure,Other,23832"]
    [problem] = checked(tmp_path, "finance", *rows)
    assert (problem.file, problem.row, problem.column) == ("finance.csv", 3, "value")
    assert "273241" in problem.expected and problem.value == "273691 in all"
    rows[-1] = "2024-25,expenditure,Other,23382"
    assert checked(tmp_path, "finance", *rows) == []


def test_parts_are_checked_against_another_measure_total(tmp_path: Path):
    problems = checked(tmp_path, "nrm", "2023-24,nrm_referrals,,30", "2023-24,nrm_by_sex,Male,24",
                       "2023-24,nrm_by_sex,Female,7")
    assert [p.row for p in problems] == [3]
    assert "nrm_referrals total (30)" in problems[0].expected


def test_parts_of_another_period_are_not_compared(tmp_path: Path):
    assert checked(tmp_path, "nrm", "2023-24,nrm_referrals,,30",
                   "2022-23,nrm_by_sex,Male,29") == []


def test_a_whole_split_must_add_up_to_100(tmp_path: Path):
    rows = ["not stated,sex_pct,Male,47.2", "not stated,sex_pct,Female,42.8"]
    [problem] = checked(tmp_path, "borough_profile", *rows)
    assert "add up to 100" in problem.expected and problem.value == "90 in all"
    assert checked(tmp_path, "borough_profile", rows[0], "not stated,sex_pct,Female,53") == []


def test_a_stated_change_may_be_negative_but_a_count_may_not(tmp_path: Path):
    assert checked(tmp_path, "substance_misuse", "2024-25,referrals_change_pct,,-4.5") == []
    [problem] = checked(tmp_path, "substance_misuse", "2024-25,referrals,,-4")
    assert (problem.column, problem.value) == ("value", "-4")


def test_every_sums_to_names_a_measure_of_the_same_return():
    for items in schemas_partners.RETURNS.values():
        for code, item in items.items():
            assert item.sums_to is None or item.sums_to in items, code
            if item.breakdowns is not None and item.sums_to == code:
                assert "" in item.breakdowns, code


# --------------------------------------------------------------------------- added for chapters 7 and 9
def test_harm_types_must_be_listed_and_add_up_to_the_notifications(tmp_path: Path):
    rows = ["2024-25,serious_incident_notifications,,6",
            "2024-25,notifications_by_harm,Neglect,4", "2024-25,notifications_by_harm,Physical abuse,1"]
    [problem] = checked(tmp_path, "serious_incidents", *rows)
    assert (problem.rule, problem.row, problem.value) == ("PRT-103", 3, "5 in all")
    assert "serious_incident_notifications total (6)" in problem.expected
    rows[-1] = "2024-25,notifications_by_harm,Physical abuse,2"
    assert checked(tmp_path, "serious_incidents", *rows) == []
    [problem] = checked(tmp_path, "serious_incidents", "2024-25,notifications_by_harm,Abuse,6")
    assert (problem.rule, problem.column, problem.value) == ("PRT-101", "breakdown", "Abuse")
    assert "Unexpected death of an infant" in problem.expected


def test_school_safeguarding_rejects_a_part_school_and_a_total_for_meetings(tmp_path: Path):
    [problem] = checked(tmp_path, "school_safeguarding",
                        "2024-25 academic year,schools_inspected,,10.5")
    assert (problem.rule, problem.column, problem.value) == ("PRT-102", "value", "10.5")
    assert checked(tmp_path, "school_safeguarding",
                   "2024-25,dsl_forum_attendance,2024-05,57") == []
    [problem] = checked(tmp_path, "school_safeguarding", "2024-25,safeguarding_reviews,Autumn,9")
    assert (problem.rule, problem.column) == ("PRT-101", "breakdown")


REVIEWS = "review,review_type,incident,local_strengths,local_learning,national_context,demo\n"
GOOD_REVIEW = ("1,rapid_review,An infant with an unexplained injury,Same-day referral,"
               "Every bruise on a non-mobile baby needs a medical,National bruising guidance,yes")


def review_rows(tmp_path: Path, *rows: str) -> pd.DataFrame:
    path = write(tmp_path, "review_learning", REVIEWS + "\n".join(rows) + "\n")
    return read_raw_table(path, schemas.table("review_learning"), YEAR)


def test_review_learning_accepts_general_words(tmp_path: Path):
    frame = review_rows(tmp_path, GOOD_REVIEW)
    assert schemas_partners.review_learning_problems(frame) == []
    assert frame["demo"].iloc[0] == "yes"


@pytest.mark.parametrize(("text", "rule", "found"), [
    ("An infant born on a weekend", "REV-101", "born on"),
    ("A baby injured on 12/03/2024", "REV-101", "12/03/2024"),
    ("A child hurt on 3rd March", "REV-101", "3rd March"),
    ("A 14-year-old exploited outside the home", "REV-102", "14-year-old"),
    ("A young person aged 17 who went missing", "REV-102", "aged 17"),
    ("A family living at 12 Camden Road", "REV-103", "12 Camden Road"),
    ("A family in NW1 2AB", "REV-103", "NW1 2AB"),
    ("The death of Baby J", "REV-104", "Baby J"),
    ("Concerns raised by Mrs Smith", "REV-104", "Mrs S"),
])
def test_review_learning_refuses_identifying_detail(tmp_path: Path, text: str, rule: str,
                                                   found: str):
    frame = review_rows(tmp_path, GOOD_REVIEW, f"2,rapid_review,{text},a,b,c,yes")
    [problem] = schemas_partners.review_learning_problems(frame)
    assert (problem.file, problem.row, problem.column, problem.value, problem.rule) == (
        "review_learning.csv", 3, "incident", found, rule)


def test_review_learning_refuses_detail_in_any_text_column(tmp_path: Path):
    frame = review_rows(tmp_path, "1,lcspr,A baby who died,Child AB was seen weekly,b,c,")
    [problem] = schemas_partners.cross_checks({}) + schemas_partners.review_learning_checks(
        {"review_learning": frame})
    assert (problem.column, problem.value, problem.rule) == ("local_strengths", "Child AB",
                                                             "REV-104")


def test_review_learning_rejects_an_unknown_type_and_a_repeated_review(tmp_path: Path):
    with pytest.raises(RawDataError) as caught:
        review_rows(tmp_path, GOOD_REVIEW, GOOD_REVIEW.replace("rapid_review", "audit"))
    assert {(p.column, p.rule) for p in caught.value.problems} == {("review_type", "COL-103"),
                                                                   ("review", "KEY-201")}


def test_review_learning_refuses_a_case_record_id(tmp_path: Path):
    from helpers.data.processing import identifier_problems

    frame = review_rows(tmp_path, GOOD_REVIEW.replace("Same-day referral", "See CH-000123"))
    [problem] = identifier_problems({"review_learning": frame})
    assert (problem.column, problem.rule) == ("local_strengths", "SAFE-301")
# --------------------------------------------------------------------------- chapters 3 and 5
def test_the_scrutineer_cannot_attend_more_meetings_than_were_held(tmp_path: Path):
    def problems(*rows: str) -> list[Problem]:
        frame = read(tmp_path, "scrutiny", *rows)
        return [p for check in schemas_partners.CROSS_CHECKS for p in check({"scrutiny": frame})]

    held = "2024-25,partnership_meetings,,6"
    assert problems(held, "2024-25,scrutineer_meetings_attended,,6") == []
    [problem] = problems(held, "2024-25,scrutineer_meetings_attended,,7")
    assert (problem.file, problem.row, problem.column, problem.value, problem.rule) == (
        "scrutiny.csv", 3, "value", "7", "SCR-101")
    assert "6 meetings held in 2024-25" in problem.expected


PRIORITY_HEADER = "period,priority,row,side,item,lead,text,demo\n"
PROGRESS = "2024-25,1,1,progress,1,Voice,Young people helped to write the leaflets.,yes"
CHALLENGE = "2025-26,1,1,challenge,1,Homes,Find more foster carers near schools.,"


def priorities(tmp_path: Path, *rows: str) -> pd.DataFrame:
    return read_raw_table(write(tmp_path, "priority_progress", PRIORITY_HEADER + "\n".join(rows)
                                + "\n"), schemas.table("priority_progress"), YEAR)


def test_the_priorities_table_reads_progress_for_the_year_and_challenges_for_the_next(
        tmp_path: Path):
    frame = priorities(tmp_path, PROGRESS, CHALLENGE)
    assert list(frame["side"]) == ["progress", "challenge"]
    assert schemas_partners.priority_year_problems(frame, YEAR) == []


def test_last_years_priorities_table_in_this_years_folder_is_caught(tmp_path: Path):
    frame = priorities(tmp_path, PROGRESS.replace("2024-25", "2023-24"),
                       CHALLENGE.replace("2025-26", "2024-25"))
    problems = schemas_partners.priority_year_problems(frame, YEAR)
    assert [(p.file, p.row, p.column, p.value, p.rule) for p in problems] == [
        ("priority_progress.csv", 2, "period", "2023-24", "PRI-101"),
        ("priority_progress.csv", 3, "period", "2024-25", "PRI-101")]
    assert problems[1].expected.startswith("2025-26 (a challenge row")


def test_validating_a_year_checks_its_priorities_table_against_the_folder(tmp_path: Path):
    from helpers.data.processing import validate_year

    shutil.copytree(RAW_DIR / "2020-21", tmp_path / "2020-21")
    shutil.copy(RAW_DIR / "2024-25" / "priority_progress.csv", tmp_path / "2020-21")
    with pytest.raises(RawDataError) as info:
        validate_year("2020-21", tmp_path)
    found = info.value.problems
    assert found and {(p.file, p.rule) for p in found} == {("priority_progress.csv", "PRI-101")}
    assert found[0].value == "2024-25" and found[0].expected.startswith("2020-21")


def test_the_priorities_table_rejects_an_unknown_side_and_a_repeated_item(tmp_path: Path):
    path = write(tmp_path, "priority_progress", PRIORITY_HEADER
                 + PROGRESS.replace("progress", "impact") + "\n")
    [problem] = problems_of(path, "priority_progress")
    assert (problem.row, problem.column, problem.value) == (2, "side", "impact")
    assert "priority table columns" in problem.expected
    with pytest.raises(RawDataError) as info:
        priorities(tmp_path, PROGRESS, PROGRESS.replace("Voice", "Again"))
    [repeat] = info.value.problems
    assert (repeat.row, repeat.rule) == (3, "KEY-201")
