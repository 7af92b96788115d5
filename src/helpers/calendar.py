"""England and Wales bank holidays and working-day arithmetic.

Timeliness measures (CIN visits within 10 working days, assessments within 45) count
working days, which need the bank holiday calendar; the demo generator needs the inverse
(the date N working days on). Both stages use this module, so it sits at the root of the
package and imports nothing from them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, timedelta

import numpy as np
import pandas as pd

BANK_HOLIDAY_CHANGES: Mapping[int, Mapping[str, tuple[date, ...]]] = {
    2020: {"early_may": (date(2020, 5, 8),)},                      # moved to VE day (Friday)
    2022: {"spring": (date(2022, 6, 2),),                           # moved to Thursday
           "extra": (date(2022, 6, 3),                              # Platinum Jubilee
                     date(2022, 9, 19))},                           # State Funeral
    2023: {"extra": (date(2023, 5, 8),)},                           # Coronation
}


def easter_sunday(year: int) -> date:
    """Easter Sunday (Gregorian calendar; anonymous algorithm, Meeus/Jones/Butcher)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = b // 4, b % 4
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = c // 4, c % 4
    leap = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * leap) // 451
    month = (h + leap - 7 * m + 114) // 31
    day = (h + leap - 7 * m + 114) % 31 + 1
    return date(year, month, day)


def _monday(first: date, last: bool = False) -> date:
    """The first Monday on or after ``first`` (or the last Monday of its month)."""
    if last:
        end = date(first.year, first.month + 1, 1) - timedelta(days=1)
        return end - timedelta(days=end.weekday())
    return first + timedelta(days=(7 - first.weekday()) % 7)


def england_bank_holidays(year: int) -> list[date]:
    """Bank holidays in England and Wales in ``year``, with substitute days.

    The rules (New Year, Good Friday, Easter Monday, early May, spring and summer bank
    holidays, Christmas and Boxing Day, weekend days replaced by the next weekday) plus the
    one-off changes in ``BANK_HOLIDAY_CHANGES`` (2020 VE day, 2022 jubilee and state
    funeral, 2023 coronation). Checked against gov.uk for 2019-2026; a later one-off change
    must be added to the table.
    """
    changes = BANK_HOLIDAY_CHANGES.get(year, {})
    new_year = date(year, 1, 1)
    if new_year.weekday() >= 5:
        new_year = _monday(new_year)
    easter = easter_sunday(year)
    days = [new_year, easter - timedelta(days=2), easter + timedelta(days=1)]
    days += changes.get("early_may", (_monday(date(year, 5, 1)),))
    days += changes.get("spring", (_monday(date(year, 5, 1), last=True),))
    days.append(_monday(date(year, 8, 1), last=True))
    christmas = date(year, 12, 25)
    weekday = christmas.weekday()
    if weekday == 4:        # Friday: Boxing Day falls on Saturday
        days += [christmas, date(year, 12, 28)]
    elif weekday == 5:      # Saturday: both move to Monday and Tuesday
        days += [date(year, 12, 27), date(year, 12, 28)]
    elif weekday == 6:      # Sunday: Boxing Day on Monday, Christmas substitute Tuesday
        days += [date(year, 12, 26), date(year, 12, 27)]
    else:
        days += [christmas, date(year, 12, 26)]
    days += changes.get("extra", ())
    return sorted(days)


def _holidays(first: int, last: int) -> np.ndarray:
    return np.array([d for y in range(first, last + 1) for d in england_bank_holidays(y)],
                    dtype="datetime64[D]")


def working_days_between(start: pd.Series, end: pd.Series) -> pd.Series:
    """Working days after ``start`` up to and including ``end`` (NA where a date is missing).

    A visit on the next working day is 1 working day after the referral; a visit on the
    referral day is 0. Weekends and England and Wales bank holidays are not working days.
    """
    start, end = pd.Series(start), pd.Series(end)
    known = start.notna() & end.notna()
    out = pd.Series(pd.NA, index=start.index, dtype="Int64")
    if not known.any():
        return out
    begin = start[known].to_numpy().astype("datetime64[D]")
    finish = end[known].to_numpy().astype("datetime64[D]")
    years = pd.DatetimeIndex(np.concatenate([begin, finish])).year
    holidays = _holidays(int(years.min()), int(years.max()) + 1)
    one = np.timedelta64(1, "D")
    out[known] = np.busday_count(begin + one, finish + one, holidays=holidays)
    return out


def add_working_days(start: pd.Series, days: Iterable[int]) -> pd.Series:
    """The date that is exactly ``days`` working days after ``start`` (0 = the same day)."""
    start = pd.Series(start)
    days = np.asarray(list(days), dtype=int)
    begin = start.to_numpy().astype("datetime64[D]")
    years = pd.DatetimeIndex(begin).year
    holidays = _holidays(int(years.min()), int(years.max()) + 1)
    one = np.timedelta64(1, "D")
    moved = np.busday_offset(begin + one, np.maximum(days - 1, 0), roll="forward",
                             holidays=holidays)
    return pd.Series(np.where(days == 0, begin, moved).astype("datetime64[ns]"),
                     index=start.index)
