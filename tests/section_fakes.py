"""The data stand-in the section-type tests share.

It holds just what sections and the register read from ``ReportData``: the report year, the
years held (and so the trend window and last year), a view from another year and, for
partner returns, one frame of rows that every table name gives. The measures are declared by
each test on the empty registry of the ``registry`` fixture (``conftest.py``).
"""

from __future__ import annotations

import pandas as pd

from helpers.data.loading import ReportData, rows_of_year


class FakeData:
    """A report year, the years held and, optionally, a partner return's rows of every year
    (a ``period`` column); without rows, any table is missing."""

    def __init__(self, year: str, held: list[str], rows: pd.DataFrame | None = None):
        self.year, self.held, self.rows = year, held, rows
        self.data_dir, self.meta = ".", {"synthetic": True}
        self.source = "Source: test records (synthetic demo data)."

    @property
    def periods(self) -> list[str]:
        return [y for y in self.held if y <= self.year]

    def years_held(self) -> list[str]:
        return list(self.held)

    def for_year(self, year: str) -> FakeData:
        return FakeData(year, self.held, self.rows)

    def table(self, name: str) -> pd.DataFrame:
        if self.rows is None:
            raise FileNotFoundError(name)
        return self.rows[self.rows["period"].isin(self.periods)].reset_index(drop=True)

    # Worked out from the year, the periods and the tables as the real data object does.
    previous = ReportData.previous
    has_previous = ReportData.has_previous

    def current(self, name: str) -> pd.DataFrame:
        return rows_of_year(self.table(name), self.year)
