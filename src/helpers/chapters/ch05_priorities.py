"""Chapter 5, progress against the partnership's safeguarding priorities.

Declarations only. Each priority's progress and challenges are the partnership's words for the
year; the one figure the chapter states (assessments naming mental health as a factor) is
the ``@measure`` chapter 6 uses too.
"""

from __future__ import annotations

from helpers.chapters.sections import (
    Chapter,
    Heading,
    Key,
    KeyFigures,
    Narrative,
    Prose,
    Stated,
    StatedFigures,
)

SECTION = "5"

CHAPTER = Chapter(5, (
    KeyFigures((Key(SECTION, "assessments_mental_health_factor_pct"),)),
    Prose("The partnership chooses a small number of priorities for two years at a time and "
          "reports each year on what changed and what still stands in the way."),
    Heading("5.1", "Children looked after and care-experienced young people"),
    Narrative("priority_1"),
    Heading("5.2", "Mental health in the family"),
    Narrative("priority_2"),
    StatedFigures(SECTION, (
        Stated("assessments_mental_health_factor_pct",
               "In {year}, {value} of social work assessments recorded mental health (of a "
               "parent, carer or the child) as a factor."),
    ), lead="Why it matters.", table=False),
    Heading("5.3", "Re-engaging vulnerable children in education"),
    Narrative("priority_3"),
))
