"""Indicator helpers added for chapters 10-14 and the chapters' own data checks."""

from __future__ import annotations

import pandas as pd
import pytest

from helpers.chapters import ch13_finance, ch14_membership
from helpers.indicators import lado, training
from helpers.indicators import partnership as pt


def test_resolution_bands_count_every_referral_once_and_keep_open_ones() -> None:
    referrals = pd.DataFrame({
        "period": "2024-25",
        "referral_date": pd.to_datetime(["2024-04-01"] * 5),
        "closed_date": pd.to_datetime(["2024-04-30", "2024-06-15", "2024-09-01", "2025-03-01",
                                       None]),
    })
    bands = lado.resolution_bands(referrals).set_index("band")
    assert bands["count"].tolist() == [1, 1, 1, 1, 1]
    assert bands.loc[lado.STILL_OPEN, "pct"] == 20
    assert (bands["denominator"] == 5).all()


def test_keyed_events_count_distinct_attendees_per_named_event() -> None:
    events = pd.DataFrame({"period": "2024-25", "event_id": ["E1", "E2", "E3"],
                           "event_key": ["mh_lunch_learn", None, "da_learning_event"],
                           "theme": ["mental_health", "core", "domestic_abuse"],
                           "title": ["MH", "Core", "DA"]})
    attendance = pd.DataFrame({"period": "2024-25", "event_id": ["E1", "E1", "E1", "E2", "E3"],
                               "attendee_id": ["a", "a", "b", "c", "d"]})
    out = training.keyed_events(events, attendance)
    assert out["event_key"].tolist() == ["da_learning_event", "mh_lunch_learn"]  # code-list order
    assert out["attendees"].tolist() == [1, 2]
    assert out["learning_from"].tolist() == ["domestic abuse", "mental health in the family"]


MEMBERS = pd.DataFrame({
    "period": "2024-25",
    "member_group": ["lead", "la_departments", "la_departments", "independent"],
    "agency": ["Council", "Public Health", "Public Health", "Independent"],
    "job_title": ["Director", "Director of Health", "Director of Health", "Young Advisors"],
    "people": [1, 1, 1, 2],
})


def test_repeated_seats_are_found_and_counts_by_agency_keep_them() -> None:
    repeated = pt.repeated_seats(MEMBERS)
    assert repeated["job_title"].tolist() == ["Director of Health"]
    by_agency = pt.membership_by_agency(MEMBERS).set_index("agency")
    assert by_agency.loc["Public Health", "count"] == 2
    assert by_agency.loc["Independent", "people"] == 2
    assert pt.repeated_seats(MEMBERS.drop_duplicates()).empty


class Current:
    """The one thing the chapters' checks read: the report year's table."""

    def __init__(self, tables: dict[str, pd.DataFrame]):
        self.tables = tables

    def current(self, name: str) -> pd.DataFrame:
        return self.tables[name]


def test_membership_note_names_each_repeated_seat() -> None:
    [problem] = ch14_membership._repeats(Current({"membership": MEMBERS}))
    assert problem.startswith("Director of Health (Public Health, local authority")


@pytest.mark.parametrize(("income", "expenditure", "problems"), [(100, 100, 0), (100, 90, 1)])
def test_finance_note_appears_only_when_income_and_expenditure_differ(
        income: float, expenditure: float, problems: int) -> None:
    finance = pd.DataFrame({"period": "2024-25", "measure": ["income", "expenditure"],
                            "breakdown": [None, None], "value": [income, expenditure]})
    assert len(ch13_finance._unbalanced(Current({"finance": finance}))) == problems
