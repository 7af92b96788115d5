"""England and Wales bank holidays and working-day arithmetic (``helpers.calendar``), against
dates checked by hand on a calendar and gov.uk's bank holiday list."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from helpers import calendar

T = pd.Timestamp


@pytest.mark.parametrize(("year", "easter"), [(2019, date(2019, 4, 21)), (2020, date(2020, 4, 12)),
                                              (2024, date(2024, 3, 31)), (2025, date(2025, 4, 20))])
def test_easter_sunday(year: int, easter: date) -> None:
    assert calendar.easter_sunday(year) == easter


def test_bank_holidays_follow_the_rules_and_the_one_off_changes() -> None:
    assert calendar.england_bank_holidays(2024) == [
        date(2024, 1, 1), date(2024, 3, 29), date(2024, 4, 1), date(2024, 5, 6),
        date(2024, 5, 27), date(2024, 8, 26), date(2024, 12, 25), date(2024, 12, 26)]
    days_2020 = calendar.england_bank_holidays(2020)
    assert date(2020, 5, 8) in days_2020 and date(2020, 5, 4) not in days_2020   # VE day
    assert date(2020, 12, 28) in days_2020          # Boxing Day on a Saturday
    days_2022 = calendar.england_bank_holidays(2022)
    assert {date(2022, 1, 3), date(2022, 6, 2), date(2022, 6, 3), date(2022, 9, 19),
            date(2022, 12, 26), date(2022, 12, 27)} <= set(days_2022)
    assert date(2022, 5, 30) not in days_2022       # spring holiday moved to 2 June
    assert date(2023, 5, 8) in calendar.england_bank_holidays(2023)     # coronation
    assert date(2023, 1, 2) in calendar.england_bank_holidays(2023)     # New Year on a Sunday
    assert {date(2021, 12, 27), date(2021, 12, 28)} <= set(calendar.england_bank_holidays(2021))
    assert all(len(calendar.england_bank_holidays(y)) == 8 for y in (2019, 2021, 2024, 2025, 2026))


def test_working_days_skip_weekends_and_bank_holidays() -> None:
    start = pd.Series(pd.to_datetime(["2024-03-28", "2024-05-03", "2024-12-20", "2024-06-03",
                                      "2024-06-08", None]))
    end = pd.Series(pd.to_datetime(["2024-04-02", "2024-05-07", "2025-01-02", "2024-06-03",
                                    "2024-06-10", "2024-06-10"]))
    # Easter; early May bank holiday; Christmas and New Year; same day; Saturday to Monday
    assert calendar.working_days_between(start, end).tolist() == [1, 1, 6, 0, 1, pd.NA]


def test_adding_working_days_is_the_inverse_of_counting_them() -> None:
    start = pd.Series(pd.to_datetime(["2024-03-28", "2024-03-30", "2024-12-20"]))
    days = [10, 1, 0]
    moved = calendar.add_working_days(start, days)
    # 29 March and 1 April 2024 are Good Friday and Easter Monday
    assert moved.tolist() == [T("2024-04-15"), T("2024-04-02"), T("2024-12-20")]
    assert calendar.working_days_between(start, moved).tolist() == days
