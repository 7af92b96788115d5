"""Chapter 2, About the partnership: its vision, commitments, aims and governance.

Declarations only. The words are the partnership's (``narrative/02.md``); the structure
diagram is drawn from ``governance.csv`` (one row per body and the body it reports to), and
the count of lead partners comes from the ``partnership`` measures, as a count of
organisations (never suppressed).
"""

from __future__ import annotations

import pandas as pd

from helpers.chapters.sections import (
    Chapter,
    Diagram,
    Narrative,
    Prose,
    Stated,
    StatedFigures,
)
from helpers.data import schema_partners as sp
from helpers.data.loading import ReportData

S = "2"


def _governance(d: ReportData) -> pd.DataFrame:
    return d.current("governance")


CHAPTER = Chapter(2, (
    Prose("This chapter sets out what the partnership is for, how it is organised and what "
          "this annual report is meant to do."),
    Narrative("vision", "what_we_do"),
    StatedFigures(S, (
        Stated("lead_safeguarding_partners_count",
               "In {year} the arrangements were led by {value} lead safeguarding partners"),
        Stated("partnership_subgroups_count",
               "and the partnership meeting was supported by {value} subgroups."),
    ), table=False),
    Narrative("commitments"),
    Diagram(S, _governance, "How the partnership is governed", sp.GOVERNANCE_KINDS,
            lead="Structure and governance."),
    Narrative("aims"),
))
