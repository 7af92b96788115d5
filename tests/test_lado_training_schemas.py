"""LADO and training tables: each rejects a bad row with its file, row and column, and the
cross-checks catch what they say they catch."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from helpers.config import Year
from helpers.data import schema_lado_training as lt
from helpers.data import schemas
from helpers.data.validation import Problem, RawDataError, check_references, read_raw_table

YEAR = Year.parse("2024-25")

HEADERS = {
    "lado_consultations": "consultation_id,consultation_date,sector,progressed_to_referral,referral_id",
    "lado_referrals": "referral_id,referral_date,sector,allegation_categories,outcomes,closed_date",
    "lado_workshops": "workshop_id,workshop_date,audience,attendees",
    "training_events": "event_id,title,event_date,format,delivery,theme,event_key",
    "training_attendance": "attendance_id,event_id,attendee_id,agency",
    "training_evaluations": "evaluation_id,event_id,overall_rating,promoted_equal_opportunities,met_aims",
    "training_partners": "period,measure,breakdown,value",
}

GOOD_ROWS = {
    "lado_consultations": ["LC-1,2024-05-01,education,Y,LR-1", "LC-2,2024-05-02,faith,N,"],
    "lado_referrals": ["LR-1,2024-05-03,education,physical;emotional,asv_meeting;police,",
                       "LR-2,2024-06-01,health,neglect,nfa,2024-07-01"],
    "lado_workshops": ["LW-1,2024-06-01,faith,12"],
    "training_events": ["TE-1,Multi-agency foundation,2024-05-01,course,virtual,core,",
                        "TE-2,Learning event,2024-11-14,event,in_person,domestic_abuse,"
                        "da_learning_event"],
    "training_attendance": ["TA-1,TE-1,PR-000001,health", "TA-2,TE-2,PR-000001,health"],
    "training_evaluations": ["EV-1,TE-1,excellent,Y,", "EV-2,TE-2,good,,Y"],
    "training_partners": ["2024-25,dsl_trained,,146", "2024-25,dsl_trained,primary,52"],
}


def write(tmp_path: Path, name: str, rows: list[str]) -> Path:
    path = tmp_path / f"{name}.csv"
    path.write_text("\n".join([HEADERS[name], *rows]) + "\n", encoding="utf-8")
    return path


def read(tmp_path: Path, name: str, rows: list[str]) -> pd.DataFrame:
    return read_raw_table(write(tmp_path, name, rows), schemas.table(name), YEAR)


def problems_for(tmp_path: Path, name: str, rows: list[str]) -> list[Problem]:
    with pytest.raises(RawDataError) as info:
        read(tmp_path, name, rows)
    return info.value.problems


def frames(tmp_path: Path, **overrides: list[str]) -> dict[str, pd.DataFrame]:
    """Every table of the domain, typed, from the good rows unless overridden."""
    return {name: read(tmp_path, name, overrides.get(name, rows))
            for name, rows in GOOD_ROWS.items()}


def where(problems: list[Problem]) -> list[tuple[str, int | None, str | None]]:
    return [(p.file, p.row, p.column) for p in problems]


# --- the schemas are registered and child-free -----------------------------------------------


def test_every_table_is_registered_and_has_no_child_id() -> None:
    for table in lt.TABLES:
        assert schemas.table(table.name) is table
        assert "child_id" not in table.column_names
    assert set(HEADERS) == {t.name for t in lt.TABLES}


@pytest.mark.parametrize("name", list(GOOD_ROWS))
def test_good_rows_are_read(tmp_path: Path, name: str) -> None:
    frame = read(tmp_path, name, GOOD_ROWS[name])
    assert len(frame) == len(GOOD_ROWS[name])


def test_code_lists_are_read_as_lists(tmp_path: Path) -> None:
    frame = read(tmp_path, "lado_referrals", GOOD_ROWS["lado_referrals"])
    assert frame["allegation_categories"].tolist() == [["physical", "emotional"], ["neglect"]]
    assert frame["closed_date"].isna().tolist() == [True, False]


# --- one bad row per table ----------------------------------------------------------------------


def test_consultation_with_unknown_sector(tmp_path: Path) -> None:
    [p] = problems_for(tmp_path, "lado_consultations",
                       ["LC-1,2024-05-01,education,N,", "LC-2,2024-05-02,school,N,"])
    assert (p.file, p.row, p.column, p.value) == ("lado_consultations.csv", 3, "sector", "school")
    assert "LADO sectors" in p.expected


def test_consultation_flag_must_be_y_or_n(tmp_path: Path) -> None:
    [p] = problems_for(tmp_path, "lado_consultations", ["LC-1,2024-05-01,education,yes,"])
    assert where([p]) == [("lado_consultations.csv", 2, "progressed_to_referral")]


def test_referral_with_unknown_allegation_category(tmp_path: Path) -> None:
    [p] = problems_for(tmp_path, "lado_referrals",
                       ["LR-1,2024-05-03,education,physical;bullying,nfa,"])
    assert (p.row, p.column, p.value) == (2, "allegation_categories", "bullying")


def test_referral_needs_an_allegation_category(tmp_path: Path) -> None:
    [p] = problems_for(tmp_path, "lado_referrals", ["LR-1,2024-05-03,education,,nfa,"])
    assert where([p]) == [("lado_referrals.csv", 2, "allegation_categories")]


def test_referral_outside_the_year(tmp_path: Path) -> None:
    [p] = problems_for(tmp_path, "lado_referrals", ["LR-1,2025-04-03,education,physical,nfa,"])
    assert where([p]) == [("lado_referrals.csv", 2, "referral_date")]


def test_referral_with_unknown_outcome(tmp_path: Path) -> None:
    [p] = problems_for(tmp_path, "lado_referrals",
                       ["LR-1,2024-05-03,education,physical,asv_meeting;sacked,"])
    assert (p.row, p.column, p.value) == (2, "outcomes", "sacked")


def test_workshop_needs_at_least_one_attendee(tmp_path: Path) -> None:
    [p] = problems_for(tmp_path, "lado_workshops", ["LW-1,2024-06-01,faith,12",
                                                    "LW-2,2024-06-02,health,0"])
    assert where([p]) == [("lado_workshops.csv", 3, "attendees")]


def test_event_with_unknown_format(tmp_path: Path) -> None:
    [p] = problems_for(tmp_path, "training_events",
                       ["TE-1,Seminar,2024-05-01,seminar,virtual,core,"])
    assert (p.file, p.row, p.column, p.value) == ("training_events.csv", 2, "format", "seminar")


def test_event_with_unknown_event_key(tmp_path: Path) -> None:
    [p] = problems_for(tmp_path, "training_events",
                       ["TE-1,Learning event,2024-05-01,event,virtual,core,da_event"])
    assert where([p]) == [("training_events.csv", 2, "event_key")]


def test_attendance_with_unknown_agency(tmp_path: Path) -> None:
    [p] = problems_for(tmp_path, "training_attendance", ["TA-1,TE-1,PR-000001,nhs"])
    assert (p.file, p.row, p.column, p.value) == ("training_attendance.csv", 2, "agency", "nhs")


def test_attendance_id_repeated(tmp_path: Path) -> None:
    problems = problems_for(tmp_path, "training_attendance",
                            ["TA-1,TE-1,PR-000001,health", "TA-1,TE-1,PR-000002,police"])
    assert {(p.file, p.column, p.value) for p in problems} == {
        ("training_attendance.csv", "attendance_id", "TA-1")}
    assert "appear once" in problems[0].expected


def test_evaluation_with_unknown_rating(tmp_path: Path) -> None:
    [p] = problems_for(tmp_path, "training_evaluations", ["EV-1,TE-1,very good,Y,Y"])
    assert where([p]) == [("training_evaluations.csv", 2, "overall_rating")]


def test_partner_return_with_misspelt_measure(tmp_path: Path) -> None:
    [p] = problems_for(tmp_path, "training_partners", ["2024-25,dsl_traned,,146"])
    assert (p.file, p.row, p.column, p.value) == ("training_partners.csv", 2, "measure",
                                                  "dsl_traned")


def test_partner_return_value_must_be_a_number(tmp_path: Path) -> None:
    [p] = problems_for(tmp_path, "training_partners", ["2024-25,dsl_trained,,about 150"])
    assert where([p]) == [("training_partners.csv", 2, "value")]


# --- references and cross-checks ----------------------------------------------------------------


def test_attendance_and_evaluations_must_name_a_known_event(tmp_path: Path) -> None:
    found = frames(tmp_path, training_attendance=["TA-1,TE-9,PR-000001,health"],
                   training_evaluations=["EV-1,TE-8,good,Y,Y"])
    problems = check_references(found, schemas.TABLES)
    assert where(problems) == [("training_attendance.csv", 2, "event_id"),
                               ("training_evaluations.csv", 2, "event_id")]


def test_good_rows_pass_the_cross_checks(tmp_path: Path) -> None:
    assert lt.cross_checks(frames(tmp_path)) == []


def test_progressed_consultation_must_name_its_referral(tmp_path: Path) -> None:
    found = frames(tmp_path, lado_consultations=["LC-1,2024-05-01,education,Y,",
                                                 "LC-2,2024-05-02,faith,N,LR-1"])
    problems = lt.cross_checks(found)
    assert where(problems) == [("lado_consultations.csv", 2, "referral_id"),
                               ("lado_consultations.csv", 3, "referral_id")]
    assert problems[1].value == "LR-1"


def test_consultation_cannot_follow_its_referral(tmp_path: Path) -> None:
    found = frames(tmp_path, lado_consultations=["LC-1,2024-05-09,education,Y,LR-1"])
    [p] = lt.cross_checks(found)
    assert (p.row, p.column, p.value) == (2, "consultation_date", "2024-05-09")
    assert "2024-05-03" in p.expected


def test_unknown_referral_is_allowed_only_at_the_end_of_the_year(tmp_path: Path) -> None:
    found = frames(tmp_path, lado_consultations=["LC-1,2024-10-01,education,Y,LR-9",
                                                 "LC-2,2025-03-20,education,Y,LR-10"])
    [p] = lt.cross_checks(found)
    assert (p.row, p.column, p.value) == (2, "referral_id", "LR-9")


def test_nfa_cannot_sit_with_further_action(tmp_path: Path) -> None:
    found = frames(tmp_path, lado_referrals=[
        "LR-1,2024-05-03,education,physical,asv_meeting;police,",
        "LR-2,2024-06-01,health,neglect,police;nfa,",
        "LR-3,2024-06-02,health,sexual,complaint_elsewhere;nfa,"])
    [p] = lt.cross_checks(found)
    assert (p.file, p.row, p.column, p.value) == ("lado_referrals.csv", 3, "outcomes", "police;nfa")


def test_referral_cannot_close_before_it_was_received(tmp_path: Path) -> None:
    found = frames(tmp_path, lado_referrals=[
        "LR-1,2024-05-03,education,physical,asv_meeting,2024-05-01"])
    [p] = lt.cross_checks(found)
    assert (p.file, p.row, p.column) == ("lado_referrals.csv", 2, "referral_date")


def test_attendee_recorded_twice_at_one_event(tmp_path: Path) -> None:
    found = frames(tmp_path, training_attendance=["TA-1,TE-1,PR-000001,health",
                                                  "TA-2,TE-1,PR-000002,police",
                                                  "TA-3,TE-1,PR-000001,health",
                                                  "TA-4,TE-2,PR-000003,education"])
    [p] = lt.cross_checks(found)
    assert (p.file, p.row, p.column, p.value) == ("training_attendance.csv", 4, "attendee_id",
                                                  "PR-000001")


def test_more_evaluations_than_attendees(tmp_path: Path) -> None:
    found = frames(tmp_path, training_evaluations=["EV-1,TE-1,good,Y,Y", "EV-2,TE-1,good,Y,Y",
                                                   "EV-3,TE-2,good,Y,Y"])
    [p] = lt.cross_checks(found)
    assert (p.file, p.row, p.column, p.value) == ("training_evaluations.csv", 3, "event_id", "TE-1")


def test_named_event_at_most_once_a_year(tmp_path: Path) -> None:
    found = frames(tmp_path, training_events=[
        "TE-1,Learning event,2024-05-01,event,virtual,domestic_abuse,da_learning_event",
        "TE-2,Learning event again,2024-11-14,event,in_person,domestic_abuse,da_learning_event"])
    [p] = lt.cross_checks(found)
    assert (p.file, p.row, p.column, p.value) == ("training_events.csv", 3, "event_key",
                                                  "da_learning_event")
