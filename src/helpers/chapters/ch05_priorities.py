"""Chapter 5, progress against the partnership's safeguarding priorities.

Declarations only. Each priority's progress and challenges are the partnership's words for the
year: a short narrative and its table of examples of impact beside the challenges for next
year (``priority_progress.csv``, whose headers take their years from the data). The one figure
the chapter states (assessments naming mental health as a factor) is the ``@measure``
chapter 6 uses too.
"""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd

from helpers.chapters.sections import (
    Chapter,
    Heading,
    Key,
    KeyFigures,
    Narrative,
    Prose,
    SidesTable,
    Stated,
    StatedFigures,
)
from helpers.data.loading import ReportData

SECTION = "5"
#: The table's columns: the side's code and its header ({period} is read from the rows).
SIDES = (("progress", "Impact and progress in {period}"),
         ("challenge", "Challenges for {period}"))


def _priority(number: int) -> Callable[[ReportData], pd.DataFrame]:
    """The rows of priority ``number`` (its section is 5.``number``) in the year's table."""
    def rows(d: ReportData) -> pd.DataFrame:
        table = d.current("priority_progress")
        return table[table["priority"] == number]

    return rows


def _table(number: int) -> SidesTable:
    return SidesTable(f"{SECTION}.{number}", _priority(number), f"Priority {number}: impact "
                     "and challenges, {year}", SIDES)


CHAPTER = Chapter(5, (
    KeyFigures((Key(SECTION, "assessments_mental_health_factor_pct"),)),
    Prose("The partnership chooses a small number of priorities for two years at a time and "
          "reports each year on what changed and what still stands in the way."),
    Heading("5.1", "Children looked after and care-experienced young people"),
    Narrative("priority_1"),
    _table(1),
    Heading("5.2", "Mental health in the family"),
    Narrative("priority_2"),
    StatedFigures(SECTION, (
        Stated("assessments_mental_health_factor_pct",
               "In {year}, {value} of social work assessments recorded mental health (of a "
               "parent, carer or the child) as a factor."),
    ), lead="Why it matters.", table=False),
    _table(2),
    Heading("5.3", "Re-engaging vulnerable children in education"),
    Narrative("priority_3"),
    _table(3),
))
