"""Chapter 14, the partnership's membership: who sat on it during the year.

Declarations only. Counts come from the membership list through the measures in
the partner-return families of ``helpers.indicators``; they are counts of seats, not of children, so they are
shown as they are (never suppressed). The list covers the whole year, so its figures are
labelled with the year's dates, as the reference report's refs are. A row repeated in the
list is counted as listed and reported in a data-quality note.
"""

from __future__ import annotations

import pandas as pd

from helpers.chapters.sections import (
    Chapter,
    DataQualityNote,
    DataTable,
    Key,
    KeyFigures,
    Narrative,
    Prose,
    ShareBars,
    Stated,
    StatedFigures,
    slug,
)
from helpers.data import schema_partners as sp
from helpers.data.loading import ReportData
from helpers.indicators import partnership as pt

S = "14"
#: Membership group -> the indicator name of its published count of seats.
GROUP_INDICATORS = {group: name for name, (group, column) in pt.MEMBER_MEASURES.items()
                    if group is not None and column == "rows"}


def _groups(d: ReportData) -> pd.DataFrame:
    rows = []
    for period, members in d.table("membership").groupby("period", sort=True):
        summary = pt.membership_summary(members).assign(period=period)
        rows.append(summary.rename(columns={"rows": "count"}))
    return pd.concat(rows, ignore_index=True) if rows else pd.DataFrame(
        columns=["period", "member_group", "label", "count", "people"])


def _agencies(d: ReportData) -> pd.DataFrame:
    return pt.membership_by_agency(d.table("membership"))


def _seats(d: ReportData) -> pd.DataFrame:
    members = d.current("membership")
    return members.assign(group=members["member_group"].map(sp.MEMBER_GROUPS),
                          key=(members["agency"] + " " + members["job_title"]).map(slug))


def _repeats(d: ReportData) -> list[str]:
    repeated = pt.repeated_seats(d.current("membership"))
    return [f"{row.job_title} ({row.agency}, {sp.MEMBER_GROUPS[row.member_group].lower()})"
            for row in repeated.itertuples()]


CHAPTER = Chapter(14, (
    KeyFigures((Key(S, "members_total_rows"),
                Key(S, "members_total_people"),
                Key(S, "members_independent_scrutiny_people"))),
    Prose("The partnership is led by the local authority, the integrated care board and the "
          "police, who bring in the other agencies that work with children. This chapter lists "
          "the seats at the partnership during the year by group, with the agency and the role "
          "of each (roles only, never names)."),
    Narrative("membership_note"),
    StatedFigures(S, (
        Stated("members_total_rows", "The membership list for {year} has {value} seats",
               span="dates"),
        Stated("members_total_people", "held by {value} people;", span="dates"),
        Stated("members_independent_scrutiny_people",
               "independent scrutiny alone has {value} people, as some of its seats are shared.",
               span="dates"),
    ), table=False),
    ShareBars(S, _groups, "member_group",
              lambda group: GROUP_INDICATORS.get(group, f"members_rows.{group}"),
              subject="Seats in", noun="seats by membership group", unit="count",
              periods="year", people=False, in_order=True, span="dates", top=3,
              lead="Seats by group.",
              sentence="The groups with the most seats in {year} were {listed}.",
              title="{leader} had the most seats in {year}",
              xlabel="Membership group", ylabel="Seats"),
    ShareBars(S, _agencies, "agency", lambda agency: f"members_by_agency.{slug(agency)}",
              subject="Seats held by", noun="seats by agency", unit="count", periods="year",
              people=False, top=3, lead="Seats by agency.",
              sentence="The agencies with the most seats in {year} were {listed}.",
              title="{leader} held the most seats in {year}",
              xlabel="Agency", ylabel="Seats"),
    DataTable(S, _seats, "Members", (("Agency", "agency"), ("Role", "job_title")),
              value="people", value_header="People", key="key",
              indicator=lambda key: f"members_people.{key}", people=False, group="group"),
    DataQualityNote(S, _repeats,
                    "The membership list repeats {value} row(s) exactly: {problems}. Each row "
                    "is counted as listed; the partnership should confirm whether it is a "
                    "second person with the same role or the same seat entered twice.",
                    measure="members_repeated_rows"),
))
