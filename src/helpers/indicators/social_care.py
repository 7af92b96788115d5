"""Indicators: children's social care after the front door.

Children in need, child protection, children looked after, care leavers, missing episodes,
exploitation risk assessments and ethnic disproportionality along the child protection
journey. Definitions follow DfE's children in need and looked-after statistics where one
exists (``DEFINITIONS`` says which).

As in the front-door family, the pure functions take processed tables stacked over years
(each row carries its report year in ``period``) and return tidy frames, one row per period
and category, so one call feeds a chart, a table and a stated figure. Each year's extract
holds the records live during that year (see ``helpers.data.schema_social_care``), so every
function selects by date against its own row's reporting year: "started in the year",
"open at 31 March". The thin ``@measure`` functions at the end pick the report year's value.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import date, timedelta

import numpy as np
import pandas as pd

from helpers.config import Year, previous_year
from helpers.data import code_lists as codes
from helpers.data.loading import ReportData
from helpers.data.schema_social_care import (
    CCE_TYPES,
    CONTRIBUTED_PARTICIPATION,
    CP_CATEGORY,
    CSE_TYPES,
    NEW_PLACEMENT_RNE,
    SHORT_BREAK_LS,
)
from helpers.indicators.base import measure, rank_order
from helpers.indicators.front_door import Definition, benchmark_series
from helpers.indicators.trends import value_at

DEFINITIONS: dict[str, Definition] = {
    "cin_initial_visits_within_10_working_days_pct": Definition(
        "CIN initial visits within 10 working days",
        "CIN episodes starting in the year whose first visit was within 10 working days of "
        "the referral", "CIN episodes starting in the year with a first visit recorded",
        "Local timeliness measure; working days exclude weekends and England and Wales bank "
        "holidays."),
    "cin_visit_up_to_date_pct": Definition(
        "CIN visits up to date at 31 March",
        "CIN episodes open at 31 March whose latest visit (or, before any visit, the start) "
        "is within the plan's visit frequency of 31 March", "CIN episodes open at 31 March",
        "Local performance measure."),
    "referrals_to_s47_pct": Definition(
        "Referrals leading to a section 47 enquiry",
        "referrals in the year with a section 47 enquiry that followed them",
        "referrals in the year", "CIN census: Section47 module linked to its referral."),
    "cpp_total": Definition(
        "Children on a child protection plan at 31 March", "plans open at 31 March", "-",
        "DfE children in need statistics (table D1)."),
    "cpp_category_rank_order": Definition(
        "Plans starting in the year by initial category of abuse",
        "plans starting in the year with each initial category", "plans starting in the year",
        "CIN census InitialCategoryOfAbuse; 'becoming subject to a plan' counts plan starts."),
    "cpp_rate_per_10k_neglect": Definition(
        "Children becoming subject to a plan for neglect, per 10,000",
        "plans starting in the year with initial category neglect",
        "children aged 0-17 (population table) / 10,000",
        "DfE children in need statistics (plan starts by category)."),
    "cla_starters": Definition(
        "Children starting to be looked after", "children with an episode starting in the year "
        "with reason for new episode S", "-", "SSDA903; DfE children looked after statistics."),
    "cla_starters_aged_13_plus_pct": Definition(
        "Children starting to be looked after aged 13 or over",
        "starters aged 13 or over on the day they started", "starters in the year",
        "SSDA903; age from month of birth (counted from the first of the month)."),
    "cla_contributed_to_reviews_pct": Definition(
        "Looked-after children who contributed to their review",
        "children whose latest review in the year has participation PN1, PN2, PN3, PN5 or PN6",
        "children with a review in the year, leaving out PN0 (under 4)",
        "SSDA903 review participation codes."),
    "cla_statutory_visits_in_timescale_pct": Definition(
        "Statutory visits to looked-after children in timescale",
        "visits due in the year made on or before their due date", "visits due in the year",
        "Local performance measure (Care Planning Regulations visits)."),
    "cla_3plus_placements_12m_pct": Definition(
        "Placement stability: 3 or more placements in the year",
        "children looked after at 31 March with 3 or more placements during the year",
        "children looked after at 31 March",
        "DfE children looked after statistics; a change of legal status alone (RNE L) is "
        "not a new placement."),
    "cla_placed_within_20_miles_pct": Definition(
        "Placed within 20 miles of home",
        "children looked after at 31 March placed 20 miles or less from home",
        "children looked after at 31 March with a placement distance recorded",
        "DfE children looked after statistics (distance between home and placement)."),
    "uasc_share_of_cla_pct": Definition(
        "Unaccompanied asylum-seeking children among children looked after",
        "children looked after at 31 March who are (or were) UASC",
        "children looked after at 31 March", "SSDA903 UASC information."),
    "cla_health_and_dental_check_pct": Definition(
        "Health assessment and dental check up to date",
        "children in the 12-month cohort with both a health assessment and a dental check in "
        "the 12 months to 31 March",
        "children looked after continuously for at least 12 months at 31 March",
        "SSDA903 OC2 outcomes."),
    "cla_under5_development_check_pct": Definition(
        "Development checks of looked-after children under 5",
        "children under 5 in the 12-month cohort with a development check in the 12 months to "
        "31 March", "children under 5 at 31 March in the 12-month cohort", "SSDA903 OC2 outcomes."),
    "care_leavers_18plus_allocated": Definition(
        "Care leavers aged 18+ allocated", "care leavers aged 18 or over at 31 March with an "
        "allocated worker or personal adviser", "-", "Local count (SSDA903 OC3 cohort)."),
    "ethnic_disproportionality": Definition(
        "Ethnic group shares along the child protection journey",
        "distinct children of each major ethnic group at each stage (referral, assessment, "
        "S47, ICPC, plan start, looked after at 31 March)",
        "all distinct children at that stage, including ethnicity not known",
        "Ratio to the group's share of the 0-17 population (population table)."),
    "missing_children": Definition(
        "Children reported missing", "distinct children with a missing episode starting in "
        "the year", "-", "Local missing records."),
    "missing_episodes_24h_or_less_pct": Definition(
        "Missing episodes lasting 24 hours or less", "episodes lasting 24 hours or less",
        "missing episodes starting in the year", "Local missing records."),
    "rhc_children_successful_pct": Definition(
        "Children who had a return home conversation",
        "children missing in the year with at least one conversation held",
        "children missing in the year", "Local measure."),
    "rhc_episodes_pct": Definition(
        "Missing episodes followed by a return home conversation",
        "episodes whose conversation was held",
        "episodes in the year where a conversation applies (outcome not NA)", "Local measure."),
    "exploitation_risk_assessments": Definition(
        "Children receiving a CSE or CCE risk assessment",
        "distinct children with a risk assessment of the tool completed in the year "
        "(by sex: share of those children)", "-", "Local exploitation risk tools."),
    "exploitation_types": Definition(
        "Types of exploitation identified", "children assessed with the tool whose assessment "
        "records the type", "children assessed with the tool in the year",
        "Local tools; a child may have several types, so shares add up to more than 100%."),
    "cse_review_risk_score_reduced_pct": Definition(
        "CSE risk reduced at review", "CSE assessments whose review score is below the "
        "initial score", "CSE assessments of the year with a review", "Local tool."),
}

# --- calendar ----------------------------------------------------------------------------------

# Changes to the usual England and Wales bank holidays, from the Royal proclamations.
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


# --- shared helpers ----------------------------------------------------------------------------


def age_in_years(birth_month: pd.Series, on: pd.Series | pd.Timestamp) -> pd.Series:
    """Completed years of age on ``on`` from a month of birth ("YYYY-MM").

    Only the month of birth is held, so the birthday is taken as the first of that month:
    a child is counted as having their birthday at the start of their birth month.
    """
    born = pd.to_datetime(pd.Series(birth_month), format="%Y-%m")
    if isinstance(on, pd.Timestamp):
        when = pd.Series(on, index=born.index)
    else:  # matched position by position, whatever the two indexes are
        when = pd.Series(pd.to_datetime(pd.Series(on)).to_numpy(), index=born.index)
    return when.dt.year - born.dt.year - (when.dt.month < born.dt.month).astype(int)


def year_start(period: pd.Series) -> pd.Series:
    """1 April of each row's reporting year."""
    return pd.to_datetime(period.map(lambda p: Year.parse(p).first_day))


def year_end(period: pd.Series) -> pd.Series:
    """31 March of each row's reporting year."""
    return pd.to_datetime(period.map(lambda p: Year.parse(p).last_day))


def in_year(dates: pd.Series, period: pd.Series) -> pd.Series:
    """True where the date falls inside the row's reporting year."""
    return (dates >= year_start(period)) & (dates <= year_end(period))


def open_at(start: pd.Series, end: pd.Series, on: pd.Series) -> pd.Series:
    """True where a record (start, end) is open on ``on``: started, and not yet ended."""
    return (start <= on) & (end.isna() | (end > on))


def _pct(numerator: pd.Series, denominator: pd.Series) -> pd.Series:
    return numerator / denominator.where(denominator > 0) * 100


def _rate(frame: pd.DataFrame, flag: str, by: list[str] | None = None,
          count: str = "count", key: str = "pct") -> pd.DataFrame:
    """Per group: rows, rows where ``flag`` is true, and that share (%)."""
    by = by or ["period"]
    out = (frame.groupby(by)[flag].agg(["size", "sum"]).reset_index()
           .rename(columns={"size": "denominator", "sum": count}))
    out[count] = out[count].astype(int)
    out[key] = _pct(out[count], out["denominator"])
    return out.sort_values(by, ignore_index=True)


def _ages(frame: pd.DataFrame, children: pd.DataFrame, on: pd.Series) -> pd.Series:
    """Age in years of each row's child on ``on``, from that year's children table."""
    births = frame[["period", "child_id"]].merge(
        children[["period", "child_id", "birth_month"]], on=["period", "child_id"], how="left")
    return age_in_years(births["birth_month"], on).set_axis(frame.index)


def _attribute(frame: pd.DataFrame, children: pd.DataFrame, column: str) -> pd.Series:
    merged = frame[["period", "child_id"]].merge(
        children[["period", "child_id", column]], on=["period", "child_id"], how="left")
    return merged[column].set_axis(frame.index)


def population_totals(population: pd.DataFrame) -> pd.DataFrame:
    """Children aged 0-17 per period (the denominator of every rate per 10,000)."""
    return population.groupby("period")["population"].sum().rename("population").reset_index()


def population_shares(population: pd.DataFrame) -> pd.DataFrame:
    """Each major ethnic group's share (%) of the child population, per period."""
    out = population.groupby(["period", "ethnic_group"])["population"].sum().reset_index()
    out["pct"] = _pct(out["population"], out.groupby("period")["population"].transform("sum"))
    return out


def per_10k(counts: pd.DataFrame, population: pd.DataFrame, column: str = "count") -> pd.DataFrame:
    """Add ``rate_per_10k`` = count per 10,000 children aged 0-17 of the same period."""
    out = counts.merge(population_totals(population), on="period", how="left")
    out["rate_per_10k"] = out[column] / out["population"] * 10_000
    return out


# --- children in need --------------------------------------------------------------------------


def cin_initial_visit_timeliness(cin: pd.DataFrame, limit: int = 10) -> pd.DataFrame:
    """CIN episodes starting in each year with a first visit, and the share within ``limit``
    working days of the referral."""
    started = cin[in_year(cin["start_date"], cin["period"]) & cin["initial_visit_date"].notna()]
    started = started.assign(
        working_days=working_days_between(started["start_date"], started["initial_visit_date"]))
    started["in_time"] = started["working_days"] <= limit
    return _rate(started, "in_time")


def cin_visits_up_to_date(cin: pd.DataFrame) -> pd.DataFrame:
    """CIN episodes open at 31 March and the share whose visits are not overdue.

    A visit is overdue when more than ``visit_frequency_days`` have passed since the latest
    visit (or since the episode began, for a new episode not yet visited).
    """
    end = year_end(cin["period"])
    open_now = cin[open_at(cin["start_date"], cin["end_date"], end)]
    end = year_end(open_now["period"])
    since = open_now["latest_visit_date"].fillna(open_now["start_date"])
    allowed = pd.to_timedelta(open_now["visit_frequency_days"].astype(float), unit="D")
    return _rate(open_now.assign(up_to_date=since >= end - allowed), "up_to_date")


# --- child protection --------------------------------------------------------------------------


def referrals_with_s47(referrals: pd.DataFrame, section47: pd.DataFrame) -> pd.DataFrame:
    """Referrals per year and the share followed by a section 47 enquiry."""
    followed = set(section47["referral_id"])
    return _rate(referrals.assign(s47=referrals["referral_id"].isin(followed)), "s47")


def cp_plans_open_at_year_end(plans: pd.DataFrame) -> pd.DataFrame:
    """Children on a child protection plan at 31 March of each year (the 5-year trend)."""
    open_now = plans[open_at(plans["start_date"], plans["end_date"], year_end(plans["period"]))]
    counts = open_now.groupby("period")["child_id"].nunique().rename("count")
    periods = pd.Index(sorted(plans["period"].unique()), name="period")
    return counts.reindex(periods, fill_value=0).reset_index()


def cp_plan_starts(plans: pd.DataFrame) -> pd.DataFrame:
    """Plans starting in each year by initial category: count, share, rank and label."""
    starts = plans[in_year(plans["start_date"], plans["period"])]
    out = (starts.groupby(["period", "initial_category"]).size().rename("count").reset_index()
           .rename(columns={"initial_category": "category"}))
    out["pct"] = _pct(out["count"], out.groupby("period")["count"].transform("sum"))
    out["rank"] = out.groupby("period")["count"].rank(method="min", ascending=False).astype(int)
    out["label"] = out["category"].map(CP_CATEGORY)
    return out.sort_values(["period", "rank", "category"], ignore_index=True)


def cp_plan_start_rates(plans: pd.DataFrame, population: pd.DataFrame) -> pd.DataFrame:
    """Plan starts per 10,000 children by category, with an ``ALL`` row per period."""
    by_category = cp_plan_starts(plans)[["period", "category", "count"]]
    total = by_category.groupby("period")["count"].sum().reset_index().assign(category="ALL")
    return per_10k(pd.concat([by_category, total], ignore_index=True), population)


# --- children looked after ---------------------------------------------------------------------


def cla_at_year_end(episodes: pd.DataFrame) -> pd.DataFrame:
    """The episode open at 31 March of each year for each child looked after then.

    Short-break legal statuses (V3, V4) are left out, as in DfE's count.
    """
    end = year_end(episodes["period"])
    open_now = episodes[open_at(episodes["start_date"], episodes["end_date"], end)
                        & ~episodes["legal_status"].isin(SHORT_BREAK_LS)]
    return (open_now.sort_values(["period", "child_id", "start_date"])
            .drop_duplicates(["period", "child_id"], keep="last").reset_index(drop=True))


AGE_BANDS: tuple[tuple[str, int, int], ...] = (
    ("under 1", 0, 0), ("1-4", 1, 4), ("5-9", 5, 9), ("10-12", 10, 12), ("13-15", 13, 15),
    ("16-17", 16, 17))


def age_band(age: pd.Series) -> pd.Series:
    """DfE-style age bands for children looked after (13-15 and 16-17 make '13 and over')."""
    out = pd.Series(pd.NA, index=age.index, dtype="object")
    for label, low, high in AGE_BANDS:
        out[(age >= low) & (age <= high)] = label
    return out


def cla_starters(episodes: pd.DataFrame, children: pd.DataFrame) -> pd.DataFrame:
    """One row per child starting to be looked after in each year (first start in the year),
    with age on the start date and age band."""
    started = episodes[(episodes["rne"] == "S") & in_year(episodes["start_date"], episodes["period"])]
    started = (started.sort_values(["period", "child_id", "start_date"])
               .drop_duplicates(["period", "child_id"]).reset_index(drop=True))
    started["age"] = _ages(started, children, started["start_date"])
    started["age_band"] = age_band(started["age"])
    return started[["period", "child_id", "start_date", "age", "age_band"]]


def cla_starters_by_age(episodes: pd.DataFrame, children: pd.DataFrame) -> pd.DataFrame:
    """Starters per year and age band, with each band's share of the year's starters."""
    starters = cla_starters(episodes, children)
    bands = [b[0] for b in AGE_BANDS]
    out = (starters.groupby(["period", "age_band"]).size().rename("count")
           .reindex(pd.MultiIndex.from_product([sorted(starters["period"].unique()), bands],
                                               names=["period", "age_band"]), fill_value=0)
           .reset_index())
    out["pct"] = _pct(out["count"], out.groupby("period")["count"].transform("sum"))
    return out


def placements_in_year(episodes: pd.DataFrame) -> pd.DataFrame:
    """Number of placements each child had during each year.

    The placement the child was in on 1 April (or started in) counts once; every later
    episode in the year that began a new placement (RNE other than L) counts again.
    """
    ordered = episodes.sort_values(["period", "child_id", "start_date"]).reset_index(drop=True)
    first = ordered.groupby(["period", "child_id"]).cumcount() == 0
    later_move = (in_year(ordered["start_date"], ordered["period"])
                  & ordered["rne"].isin(NEW_PLACEMENT_RNE))
    counted = ordered.assign(placement=first | later_move)
    return (counted.groupby(["period", "child_id"])["placement"].sum().astype(int)
            .rename("placements").reset_index())


def placement_stability(episodes: pd.DataFrame, threshold: int = 3) -> pd.DataFrame:
    """Children looked after at 31 March and the share with ``threshold``+ placements."""
    at_end = cla_at_year_end(episodes)[["period", "child_id"]]
    counted = at_end.merge(placements_in_year(episodes), on=["period", "child_id"], how="left")
    return _rate(counted.assign(unstable=counted["placements"] >= threshold), "unstable")


def placement_distance(episodes: pd.DataFrame, miles: float = 20) -> pd.DataFrame:
    """Children looked after at 31 March with a distance recorded; share within ``miles``."""
    at_end = cla_at_year_end(episodes)
    known = at_end[at_end["placement_distance_miles"].notna()]
    return _rate(known.assign(near=known["placement_distance_miles"] <= miles), "near")


def uasc_share(episodes: pd.DataFrame) -> pd.DataFrame:
    """Children looked after at 31 March and the share who are (or were) UASC."""
    at_end = cla_at_year_end(episodes)
    return _rate(at_end.assign(uasc=at_end["uasc"] == "Y"), "uasc")


def review_participation(reviews: pd.DataFrame) -> pd.DataFrame:
    """Children reviewed in the year (4 and over) and the share who contributed at their
    latest review."""
    latest = (reviews.sort_values(["period", "child_id", "review_date"])
              .drop_duplicates(["period", "child_id"], keep="last"))
    latest = latest[latest["participation"] != "PN0"]
    return _rate(latest.assign(contributed=latest["participation"].isin(CONTRIBUTED_PARTICIPATION)),
                 "contributed")


def visits_in_time(visits: pd.DataFrame) -> pd.DataFrame:
    """Statutory visits due in each year and the share made by their due date."""
    due = visits[in_year(visits["due_date"], visits["period"])]
    on_time = due["visit_date"].notna() & (due["visit_date"] <= due["due_date"])
    return _rate(due.assign(in_time=on_time), "in_time")


def _recent(dates: pd.Series, end: pd.Series) -> pd.Series:
    return dates.notna() & (dates > end - pd.DateOffset(years=1)) & (dates <= end)


def health_checks(health: pd.DataFrame, children: pd.DataFrame) -> pd.DataFrame:
    """The 12-month cohort's checks: per year, the share with both a health assessment and a
    dental check in the 12 months to 31 March, and the under-5s' development checks."""
    end = year_end(health["period"])
    flagged = health.assign(
        age=_ages(health, children, end),
        both=_recent(health["health_assessment_date"], end)
        & _recent(health["dental_check_date"], end),
        development=_recent(health["development_check_date"], end))
    both = _rate(flagged, "both")[["period", "denominator", "count", "pct"]]
    under5 = _rate(flagged[flagged["age"] < 5], "development")
    return both.merge(under5, on="period", how="left", suffixes=("", "_under5"))


# --- care leavers ------------------------------------------------------------------------------


def care_leavers_allocated(leavers: pd.DataFrame, children: pd.DataFrame) -> pd.DataFrame:
    """Care leavers aged 18+ at 31 March per year, and how many have an allocated worker."""
    adults = leavers[_ages(leavers, children, year_end(leavers["period"])) >= 18]
    return _rate(adults.assign(allocated=adults["pa_allocated"] == "Y"), "allocated")


# --- missing -----------------------------------------------------------------------------------


def missing_summary(missing: pd.DataFrame, hours: float = 24) -> pd.DataFrame:
    """Per year: children and episodes, episodes lasting ``hours`` or less, and return home
    conversations (share of children with one held; share of applicable episodes held)."""
    held = missing["rhc"] == "HELD"
    flagged = missing.assign(short=missing["duration_hours"] <= hours, held=held,
                             applicable=missing["rhc"] != "NA")
    by = flagged.groupby("period")
    out = pd.DataFrame({
        "children": by["child_id"].nunique(),
        "episodes": by.size(),
        "short": by["short"].sum(),
        "rhc_children": flagged[held].groupby("period")["child_id"].nunique(),
        "rhc_episodes": by["held"].sum(),
        "applicable": by["applicable"].sum(),
    }).fillna(0).astype(int).reset_index()
    out["short_pct"] = _pct(out["short"], out["episodes"])
    out["rhc_children_pct"] = _pct(out["rhc_children"], out["children"])
    out["rhc_episodes_pct"] = _pct(out["rhc_episodes"], out["applicable"])
    return out


# --- exploitation ------------------------------------------------------------------------------


def exploitation_by_sex(assessments: pd.DataFrame, children: pd.DataFrame) -> pd.DataFrame:
    """Distinct children assessed per year and tool, by sex (count and share)."""
    kids = assessments.drop_duplicates(["period", "tool", "child_id"])
    kids = kids.assign(sex=_attribute(kids, children, "sex"))
    out = kids.groupby(["period", "tool", "sex"]).size().rename("count").reset_index()
    out["children"] = out.groupby(["period", "tool"])["count"].transform("sum")
    out["pct"] = _pct(out["count"], out["children"])
    out["label"] = out["sex"].map(codes.SEX)
    return out.sort_values(["period", "tool", "sex"], ignore_index=True)


def exploitation_children(assessments: pd.DataFrame) -> pd.DataFrame:
    """Distinct children with a risk assessment per year and tool."""
    return (assessments.groupby(["period", "tool"])["child_id"].nunique().rename("children")
            .reset_index())


def exploitation_type_shares(assessments: pd.DataFrame, types: pd.DataFrame) -> pd.DataFrame:
    """Per year and tool: children whose assessment recorded each type, as a share of the
    children assessed with that tool (types overlap, so shares can add to over 100%)."""
    linked = types.rename(columns={"code": "type"}).merge(
        assessments[["period", "assessment_id", "tool", "child_id"]],
        on=["period", "assessment_id"], how="inner")
    counts = (linked.drop_duplicates(["period", "tool", "child_id", "type"])
              .groupby(["period", "tool", "type"]).size().rename("count").reset_index())
    out = counts.merge(exploitation_children(assessments), on=["period", "tool"])
    out["pct"] = _pct(out["count"], out["children"])
    out["label"] = out["type"].map({**CSE_TYPES, **CCE_TYPES})
    return out.sort_values(["period", "tool", "count", "type"], ascending=[True, True, False, True],
                           ignore_index=True)


def risk_reduced(assessments: pd.DataFrame) -> pd.DataFrame:
    """Per year and tool: assessments with a review, and the share whose score went down."""
    reviewed = assessments[assessments["review_date"].notna()]
    return _rate(reviewed.assign(reduced=reviewed["review_score"] < reviewed["initial_score"]),
                 "reduced", by=["period", "tool"])


# --- disproportionality ------------------------------------------------------------------------

STAGES: tuple[str, ...] = ("referral", "assessment", "s47", "icpc", "cp_plan", "cla")
STAGE_LABELS: Mapping[str, str] = {
    "population": "Child population", "referral": "Referral", "assessment": "Assessment",
    "s47": "Section 47 enquiry", "icpc": "ICPC", "cp_plan": "Child protection plan",
    "cla": "Looked after (31 March)", "missing": "Missing",
}


def _members(frame: pd.DataFrame, mask: pd.Series, stage: str) -> pd.DataFrame:
    return frame.loc[mask, ["period", "child_id"]].drop_duplicates().assign(stage=stage)


def stage_members(referrals: pd.DataFrame, assessments: pd.DataFrame, section47: pd.DataFrame,
                  plans: pd.DataFrame, episodes: pd.DataFrame,
                  missing: pd.DataFrame | None = None) -> pd.DataFrame:
    """Distinct children at each stage of the journey in each year (period, stage, child_id).

    Referral: referred in the year; assessment: assessment authorised in the year; s47:
    enquiry started in the year; icpc: conference held in the year; cp_plan: plan started in
    the year; cla: looked after at 31 March; missing (optional): reported missing in the year.
    """
    parts = [
        _members(referrals, pd.Series(True, index=referrals.index), "referral"),
        _members(assessments, pd.Series(True, index=assessments.index), "assessment"),
        _members(section47, in_year(section47["start_date"], section47["period"]), "s47"),
        _members(section47, in_year(section47["icpc_date"], section47["period"]), "icpc"),
        _members(plans, in_year(plans["start_date"], plans["period"]), "cp_plan"),
        cla_at_year_end(episodes)[["period", "child_id"]].assign(stage="cla"),
    ]
    if missing is not None:
        parts.append(_members(missing, pd.Series(True, index=missing.index), "missing"))
    return pd.concat(parts, ignore_index=True)[["period", "stage", "child_id"]]


def ethnic_group_shares(members: pd.DataFrame, children: pd.DataFrame) -> pd.DataFrame:
    """Each major ethnic group's share (%) of the distinct children at each stage and year.

    Children whose ethnicity is refused or not yet obtained form "Not known" and stay in the
    denominator, so the named groups' shares are of every child at the stage.
    """
    groups = _attribute(members, children, "ethnicity").map(codes.ETHNIC_GROUP).fillna("Not known")
    counted = members.assign(ethnic_group=groups)
    out = counted.groupby(["period", "stage", "ethnic_group"]).size().rename("count").reset_index()
    out["children"] = out.groupby(["period", "stage"])["count"].transform("sum")
    out["pct"] = _pct(out["count"], out["children"])
    return out


def disproportionality(members: pd.DataFrame, children: pd.DataFrame,
                       population: pd.DataFrame) -> pd.DataFrame:
    """The matrix the chapter charts: group x stage shares (%) with the population first, and
    each share's ratio to the group's population share (above 1 = over-represented)."""
    shares = ethnic_group_shares(members, children)
    pop = population_shares(population)
    pop_rows = pop.rename(columns={"population": "count"}).assign(
        stage="population", children=pop.groupby("period")["population"].transform("sum"))
    out = pd.concat([pop_rows[shares.columns], shares], ignore_index=True)
    out = out.merge(pop[["period", "ethnic_group", "pct"]].rename(columns={"pct": "population_pct"}),
                    on=["period", "ethnic_group"], how="left")
    out["ratio"] = out["pct"] / out["population_pct"]
    order = {s: i for i, s in enumerate(["population", *STAGES, "missing"])}
    out["stage_label"] = out["stage"].map(STAGE_LABELS)
    return (out.assign(_order=out["stage"].map(order))
            .sort_values(["period", "_order", "ethnic_group"]).drop(columns="_order")
            .reset_index(drop=True))


# --- measures ----------------------------------------------------------------------------------


def _pick(frame: pd.DataFrame, year: str, column: str = "pct", **where: str) -> float:
    """A figure from a tidy indicator frame; NaN where the year has no such row."""
    return value_at(frame, year, column, default=float("nan"), **where)


def _current(d: ReportData, *names: str) -> list[pd.DataFrame]:
    return [d.current(name) for name in names]


@measure("cin_initial_visits_within_10_working_days_pct", denominator="cin_started_with_visit_total")
def cin_initial_visits_pct(d: ReportData) -> float:
    """CIN initial visits within 10 working days of referral (%)."""
    return _pick(cin_initial_visit_timeliness(d.current("cin_episodes")), d.year)


@measure("cin_visit_up_to_date_pct", denominator="cin_open_31_march_total")
def cin_visit_up_to_date_pct(d: ReportData) -> float:
    """CIN episodes open at 31 March with visits up to date (%)."""
    return _pick(cin_visits_up_to_date(d.current("cin_episodes")), d.year)


@measure("referrals_to_s47_pct", denominator="cp_journey_referrals")
def referrals_to_s47_pct(d: ReportData) -> float:
    """Referrals in the year followed by a section 47 enquiry (%)."""
    return _pick(referrals_with_s47(*_current(d, "referrals", "section47")), d.year)


@measure("cpp_total")
def cpp_total(d: ReportData) -> int:
    """Children on a child protection plan at 31 March."""
    return int(_pick(cp_plans_open_at_year_end(d.current("cp_plans")), d.year, "count"))


@measure("cpp_category_rank_order")
def cpp_category_rank_order(d: ReportData) -> str:
    """Initial categories of plans starting in the year, most common first."""
    starts = cp_plan_starts(d.current("cp_plans"))
    return rank_order(starts[starts["category"] != "MUL"]["label"].head(4).tolist())


def largest_plan_category(plans: pd.DataFrame, year: str) -> str:
    """The most common initial category of plans starting in ``year``."""
    starts = cp_plan_starts(plans)
    return str(starts.loc[starts["period"] == year, "label"].iloc[0])


@measure("cpp_largest_category_previous")
def cpp_largest_category_previous(d: ReportData) -> str:
    """The most common initial category of plans starting in the year before the report
    year (the category the report says 2024-25 shifted away from)."""
    previous = previous_year(d.year)
    if not d.has_year(previous):
        return "not available"
    return largest_plan_category(d.for_year(previous).current("cp_plans"), previous)


@measure("cpp_neglect_category_rank")
def cpp_neglect_category_rank(d: ReportData) -> int:
    """Rank of neglect among the initial categories of plans starting in the year."""
    return int(_pick(cp_plan_starts(d.current("cp_plans")), d.year, "rank", category="NEG"))


def _start_rate(d: ReportData, category: str) -> float:
    rates = cp_plan_start_rates(d.current("cp_plans"), d.current("population"))
    return _pick(rates, d.year, "rate_per_10k", category=category)


def _benchmark(d: ReportData, indicator: str, area: str) -> float:
    series = benchmark_series(d.current("benchmarks"), indicator)
    return _pick(series, d.year, "value", area=area)


def cpp_neglect_benchmarks(d: ReportData) -> str:
    """Inner London and England rates of plan starts for neglect, as the report pairs them."""
    values = [_benchmark(d, "cpp_rate_per_10k_neglect", a) for a in ("Inner London", "England")]
    return " | ".join(f"{v:g}" for v in values)


@measure("cpp_rate_per_10k_neglect", comparator=cpp_neglect_benchmarks)
def cpp_rate_per_10k_neglect(d: ReportData) -> float:
    """Plans starting in the year for neglect per 10,000 children aged 0-17."""
    return _start_rate(d, "NEG")


@measure("cpp_rate_sexual_abuse_trend")
def cpp_rate_sexual_abuse_trend(d: ReportData) -> str:
    """Whether the rate of plan starts for sexual abuse rose or fell on the previous year."""
    if not d.has_year(previous_year(d.year)):
        return "not available"
    now, before = _start_rate(d, "SAB"), _start_rate(d.for_year(previous_year(d.year)), "SAB")
    return "decrease" if now < before else "increase" if now > before else "no change"


@measure("cpp_rate_sexual_abuse_vs_benchmarks")
def cpp_rate_sexual_abuse_vs_benchmarks(d: ReportData) -> str:
    """The sexual abuse plan-start rate against Inner London and England: lower/higher/mixed."""
    rate = _start_rate(d, "SAB")
    others = [_benchmark(d, "cpp_rate_per_10k_sexual_abuse", a) for a in ("Inner London", "England")]
    if all(rate < o for o in others):
        return "lower"
    return "higher" if all(rate > o for o in others) else "mixed"


@measure("cla_starters")
def cla_starters_count(d: ReportData) -> int:
    """Children who started to be looked after in the year."""
    return len(cla_starters(*_current(d, "cla_episodes", "children")))


@measure("cla_starters_aged_13_plus_pct", denominator="cla_starters")
def cla_starters_aged_13_plus_pct(d: ReportData) -> float:
    """Starters aged 13 or over on the day they started (%)."""
    starters = cla_starters(*_current(d, "cla_episodes", "children"))
    return float((starters["age"] >= 13).mean() * 100)


@measure("cla_contributed_to_reviews_pct", denominator="cla_reviewed_total")
def cla_contributed_to_reviews_pct(d: ReportData) -> float:
    """Looked-after children (4+) who contributed to their latest review in the year (%)."""
    return _pick(review_participation(d.current("cla_reviews")), d.year)


@measure("cla_statutory_visits_in_timescale_pct", denominator="cla_visits_due_total")
def cla_statutory_visits_in_timescale_pct(d: ReportData) -> float:
    """Statutory visits due in the year made by their due date (%)."""
    return _pick(visits_in_time(d.current("cla_visits")), d.year)


@measure("cla_3plus_placements_12m_pct", denominator="cla_31_march_total", decimals=1)
def cla_3plus_placements_12m_pct(d: ReportData) -> float:
    """Children looked after at 31 March with 3 or more placements in the year (%)."""
    return _pick(placement_stability(d.current("cla_episodes")), d.year)


@measure("cla_placed_within_20_miles_pct", denominator="cla_distance_known_total")
def cla_placed_within_20_miles_pct(d: ReportData) -> float:
    """Children looked after at 31 March placed 20 miles or less from home (%)."""
    return _pick(placement_distance(d.current("cla_episodes")), d.year)


@measure("uasc_share_of_cla_pct", denominator="cla_31_march_total")
def uasc_share_of_cla_pct(d: ReportData) -> float:
    """Children looked after at 31 March who are or were UASC (%)."""
    return _pick(uasc_share(d.current("cla_episodes")), d.year)


@measure("cla_health_and_dental_check_pct", denominator="cla_health_cohort_total")
def cla_health_and_dental_check_pct(d: ReportData) -> float:
    """12-month cohort with a health assessment and a dental check in the year (%)."""
    return _pick(health_checks(*_current(d, "cla_health", "children")), d.year)


@measure("cla_under5_development_check_pct", denominator="cla_under5_cohort_total")
def cla_under5_development_check_pct(d: ReportData) -> float:
    """Under-5s in the 12-month cohort with a development check in the year (%)."""
    return _pick(health_checks(*_current(d, "cla_health", "children")), d.year, "pct_under5")


@measure("care_leavers_18plus_allocated")
def care_leavers_18plus_allocated(d: ReportData) -> int:
    """Care leavers aged 18+ with an allocated worker at 31 March."""
    return int(_pick(care_leavers_allocated(*_current(d, "care_leavers", "children")),
                     d.year, "count"))


def _stage_shares(d: ReportData) -> pd.DataFrame:
    members = stage_members(*_current(d, "referrals", "assessments", "section47", "cp_plans",
                                      "cla_episodes", "missing_episodes"))
    return ethnic_group_shares(members, d.current("children"))


def _group_share(stage: str, group: str) -> Callable[[ReportData], float]:
    def share(d: ReportData) -> float:
        return _pick(_stage_shares(d), d.year, stage=stage, ethnic_group=group)

    share.__doc__ = f"{group} children's share of children at stage '{stage}' (%)."
    return share


def _population_share(group: str) -> Callable[[ReportData], float]:
    def share(d: ReportData) -> float:
        return _pick(population_shares(d.current("population")), d.year, ethnic_group=group)

    share.__doc__ = f"{group} children's share of the child population (%)."
    return share


GROUP_STAGE_MEASURES: Mapping[str, tuple[str, str]] = {
    "black_share_s47_pct": ("s47", "Black"),
    "black_share_icpc_pct": ("icpc", "Black"),
    "black_share_cla_pct": ("cla", "Black"),
    "white_share_referrals_pct": ("referral", "White"),
    "mixed_share_referral_assessment_pct": ("referral", "Mixed"),
    "mixed_share_cla_pct": ("cla", "Mixed"),
    "missing_cohort_black_pct": ("missing", "Black"),
}
# Figures the report sets beside the group's share of the child population.
_POPULATION_COMPARATOR = {"black_share_s47_pct", "black_share_icpc_pct", "black_share_cla_pct",
                          "white_share_referrals_pct"}

measure("black_share_child_population_pct")(_population_share("Black"))
measure("white_share_population_pct")(_population_share("White"))
for _indicator, (_stage, _group) in GROUP_STAGE_MEASURES.items():
    measure(_indicator, comparator=_population_share(_group)
            if _indicator in _POPULATION_COMPARATOR else None)(_group_share(_stage, _group))


def _missing(d: ReportData, column: str) -> float:
    return _pick(missing_summary(d.current("missing_episodes")), d.year, column)


@measure("missing_children")
def missing_children(d: ReportData) -> int:
    """Children reported missing in the year."""
    return int(_missing(d, "children"))


@measure("missing_episodes")
def missing_episodes(d: ReportData) -> int:
    """Missing episodes starting in the year."""
    return int(_missing(d, "episodes"))


@measure("missing_episodes_24h_or_less_pct")
def missing_episodes_24h_or_less_pct(d: ReportData) -> float:
    """Missing episodes lasting 24 hours or less (%)."""
    return _missing(d, "short_pct")


@measure("rhc_children_successful_pct")
def rhc_children_successful_pct(d: ReportData) -> float:
    """Children missing in the year who had a return home conversation (%)."""
    return _missing(d, "rhc_children_pct")


@measure("rhc_episodes_pct")
def rhc_episodes_pct(d: ReportData) -> float:
    """Applicable missing episodes followed by a return home conversation (%)."""
    return _missing(d, "rhc_episodes_pct")


@measure("missing_reports_trend")
def missing_reports_trend(d: ReportData) -> str:
    """Whether missing episodes rose or fell on the previous year."""
    if not d.has_year(previous_year(d.year)):
        return "not available"
    summary = missing_summary(d.table("missing_episodes"))
    now, before = (_pick(summary, y, "episodes") for y in (d.year, previous_year(d.year)))
    return "increased" if now > before else "decreased" if now < before else "unchanged"


def _assessed(tool: str) -> Callable[[ReportData], int]:
    def count(d: ReportData) -> int:
        return int(_pick(exploitation_children(d.current("exploitation_assessments")), d.year,
                         "children", tool=tool))

    count.__doc__ = f"Children who received a {tool} risk assessment in the year."
    return count


def _sex_share(tool: str, sex: str) -> Callable[[ReportData], float]:
    def share(d: ReportData) -> float:
        frame = exploitation_by_sex(*_current(d, "exploitation_assessments", "children"))
        value = _pick(frame, d.year, tool=tool, sex=sex)
        return 0.0 if np.isnan(value) else value

    share.__doc__ = f"{codes.SEX[sex]} share of children given a {tool} risk assessment (%)."
    return share


def _type_share(tool: str, code: str) -> Callable[[ReportData], float]:
    def share(d: ReportData) -> float:
        frame = exploitation_type_shares(*_current(d, "exploitation_assessments",
                                                   "exploitation_types"))
        value = _pick(frame, d.year, tool=tool, type=code)
        return 0.0 if np.isnan(value) else value

    share.__doc__ = f"{tool} assessments identifying {EXPLOITATION_TYPE_LABELS[code]} (%)."
    return share


EXPLOITATION_TYPE_LABELS: Mapping[str, str] = {**CSE_TYPES, **CCE_TYPES}

measure("cse_risk_assessments")(_assessed("CSE"))
measure("cce_risk_assessments")(_assessed("CCE"))
for _indicator, (_tool, _sex) in {
    "cse_assessments_female_pct": ("CSE", "2"), "cse_assessments_male_pct": ("CSE", "1"),
    "cce_assessments_male_pct": ("CCE", "1"), "cce_assessments_female_pct": ("CCE", "2"),
}.items():
    measure(_indicator)(_sex_share(_tool, _sex))
for _indicator, _code in {"cce_type_youth_violence_pct": "YV", "cce_type_drug_related_pct": "DRG",
                          "cce_type_forced_theft_robbery_pct": "THF"}.items():
    measure(_indicator)(_type_share("CCE", _code))


@measure("cse_review_risk_score_reduced_pct")
def cse_review_risk_score_reduced_pct(d: ReportData) -> float:
    """CSE assessments reviewed in the year whose risk score went down (%)."""
    return _pick(risk_reduced(d.current("exploitation_assessments")), d.year, tool="CSE")


@measure("cse_most_prevalent_model")
def cse_most_prevalent_model(d: ReportData) -> str:
    """The type of exploitation most often identified in CSE assessments."""
    frame = exploitation_type_shares(*_current(d, "exploitation_assessments", "exploitation_types"))
    return str(frame[(frame["period"] == d.year) & (frame["tool"] == "CSE")]["label"].iloc[0])


@measure("cce_types_rank_order")
def cce_types_rank_order(d: ReportData) -> str:
    """The three types most often identified in CCE assessments, with their shares."""
    frame = exploitation_type_shares(*_current(d, "exploitation_assessments", "exploitation_types"))
    top = frame[(frame["period"] == d.year) & (frame["tool"] == "CCE")].head(3)
    return rank_order(top["label"].tolist(), top["pct"].tolist())


# ---- added for chapter 07
# The child protection journey as one cohort (referrals -> S47 -> ICPC -> plan), plans per
# 10,000 children, repeat and long plans, care leavers' outcomes, and disproportionality
# with a contact stage and an interval per ratio.

from helpers.indicators.base import NotAvailable  # noqa: E402 - kept inside this block

JOURNEY_STAGES: Mapping[str, str] = {
    "referral": "Referrals", "s47": "Section 47 enquiries", "icpc": "Initial child protection "
    "conferences", "cp_plan": "Child protection plans started",
}


def cp_journey(referrals: pd.DataFrame, section47: pd.DataFrame,
               plans: pd.DataFrame) -> pd.DataFrame:
    """The year's referrals followed down the journey: how many reached each stage.

    One cohort, so each stage is a subset of the one before and every conversion is a
    true share: referrals in the year; those followed by a section 47 enquiry; enquiries
    that went to an initial conference; conferences whose enquiry led to a plan. Columns:
    ``period``, ``stage``, ``label``, ``count``, ``previous`` (the stage before's count)
    and ``pct`` (conversion from it; NaN for the first stage).
    """
    enquiries = section47[section47["referral_id"].isin(set(referrals["referral_id"]))]
    conferences = enquiries[enquiries["icpc_date"].notna()]
    planned = conferences[conferences["s47_id"].isin(set(plans["s47_id"].dropna()))]
    rows = []
    periods = sorted(referrals["period"].unique())
    for stage, frame, column in (("referral", referrals, "referral_id"),
                                 ("s47", enquiries, "referral_id"),
                                 ("icpc", conferences, "s47_id"),
                                 ("cp_plan", planned, "s47_id")):
        counts = frame.groupby("period")[column].nunique().reindex(periods, fill_value=0)
        rows.extend({"period": p, "stage": stage, "label": JOURNEY_STAGES[stage],
                     "count": int(n)} for p, n in counts.items())
    out = pd.DataFrame(rows, columns=["period", "stage", "label", "count"])
    out["previous"] = out.groupby("period")["count"].shift(1)
    out["pct"] = _pct(out["count"], out["previous"])
    order = {s: i for i, s in enumerate(JOURNEY_STAGES)}
    return (out.assign(_o=out["stage"].map(order)).sort_values(["period", "_o"])
            .drop(columns="_o").reset_index(drop=True))


def cp_plan_rates_at_year_end(plans: pd.DataFrame, population: pd.DataFrame) -> pd.DataFrame:
    """Children on a plan at 31 March per 10,000 children aged 0-17 (DfE's table D1 rate)."""
    return per_10k(cp_plans_open_at_year_end(plans), population)


def repeat_plans(plans: pd.DataFrame) -> pd.DataFrame:
    """Plans starting in each year, and the share that were a second or later plan.

    A plan is a repeat when the same child had a plan that started earlier, in any year the
    stacked table holds. The extracts reach back five years at most, so this undercounts
    DfE's "ever" measure for children whose earlier plan is older than that.
    """
    history = plans.drop_duplicates("plan_id")[["child_id", "plan_id", "start_date"]]
    first = history.groupby("child_id")["start_date"].min().rename("first_start")
    starts = plans[in_year(plans["start_date"], plans["period"])].drop_duplicates(
        ["period", "plan_id"])
    starts = starts.merge(first, left_on="child_id", right_index=True, how="left")
    return _rate(starts.assign(repeat=starts["start_date"] > starts["first_start"]), "repeat")


def long_plans_ceasing(plans: pd.DataFrame, years: int = 2) -> pd.DataFrame:
    """Plans ending in each year, and the share that had lasted ``years`` years or more
    (DfE's measure of plans ceasing that lasted two years or more)."""
    ended = plans[plans["end_date"].notna() & in_year(plans["end_date"], plans["period"])]
    long = ended["end_date"] >= ended["start_date"] + pd.DateOffset(years=years)
    return _rate(ended.assign(long=long), "long")


CARE_LEAVER_AGES: tuple[tuple[str, int, int], ...] = (("18", 18, 18), ("19-21", 19, 21),
                                                      ("22 and over", 22, 120))
EET_ACTIVITIES = frozenset({"F1", "P1", "F2", "P2", "F4", "P4", "F5", "P5"})


def care_leaver_outcomes(leavers: pd.DataFrame, children: pd.DataFrame) -> pd.DataFrame:
    """Care leavers aged 18+ at 31 March by age group: share in touch, in education,
    employment or training, and in suitable accommodation (SSDA903 OC3 definitions).

    Columns: ``period``, ``age_group``, ``outcome`` (in_touch, eet, suitable), ``count``,
    ``denominator``, ``pct``. Every leaver in the group is in the denominator, as in DfE's
    figures (not in touch counts as not known to be in EET or suitable accommodation).
    """
    ages = _ages(leavers, children, year_end(leavers["period"]))
    adults = leavers.assign(age=ages)[ages >= 18].copy()
    adults["age_group"] = pd.NA
    for label, low, high in CARE_LEAVER_AGES:
        adults.loc[adults["age"].between(low, high), "age_group"] = label
    flags = {"in_touch": adults["in_touch"] == "YES",
             "eet": adults["activity"].isin(EET_ACTIVITIES),
             "suitable": adults["accommodation_suitable"] == "Y"}
    parts = [_rate(adults.assign(flag=flag), "flag", by=["period", "age_group"]).assign(outcome=name)
             for name, flag in flags.items()]
    return pd.concat(parts, ignore_index=True)[
        ["period", "age_group", "outcome", "count", "denominator", "pct"]]


def wilson_interval(count: float, total: float, z: float = 1.96) -> tuple[float, float]:
    """Wilson score interval for a proportion ``count / total`` (as fractions 0-1).

    Wilson rather than the normal approximation because small groups at late stages (a
    handful of ICPCs) give shares near 0 or 1, where the normal interval leaves [0, 1].
    """
    if total <= 0:
        return float("nan"), float("nan")
    p = count / total
    denominator = 1 + z * z / total
    centre = (p + z * z / (2 * total)) / denominator
    half = z * np.sqrt(p * (1 - p) / total + z * z / (4 * total * total)) / denominator
    return float(max(0.0, centre - half)), float(min(1.0, centre + half))


def disproportionality_ratio(stage_count: float, stage_total: float,
                             population_share_pct: float, z: float = 1.96) -> tuple[float, float, float]:
    """A group's share at a stage over its share of the child population, with the
    Wilson interval of the stage share divided by the same population share.

    The population share is a census count of the whole child population, not a sample,
    so it is taken as fixed: the uncertainty is in the stage's (much smaller) cohort.
    Returns ``(ratio, low, high)``; 1 means represented in line with the population.
    """
    if stage_total <= 0 or not population_share_pct > 0:
        return float("nan"), float("nan"), float("nan")
    share = population_share_pct / 100
    low, high = wilson_interval(stage_count, stage_total, z)
    return stage_count / stage_total / share, low / share, high / share


DISPROPORTIONALITY_GROUPS: tuple[str, ...] = ("Black", "White", "Mixed", "Asian", "Other")
DISPROPORTIONALITY_STAGES: tuple[str, ...] = ("population", "contact", *STAGES)


def disproportionality_matrix(members: pd.DataFrame, children: pd.DataFrame,
                              population: pd.DataFrame) -> pd.DataFrame:
    """Group x stage shares and ratios (with Wilson intervals) for the five major groups.

    ``members`` as :func:`stage_members` gives, optionally with ``contact`` rows. Adds
    ``low``/``high`` (the ratio's interval) and ``stage_label`` to :func:`disproportionality`.
    """
    out = disproportionality(members, children, population)
    out = out[out["ethnic_group"].isin(DISPROPORTIONALITY_GROUPS)
              & out["stage"].isin(DISPROPORTIONALITY_STAGES)].copy()
    bounds = [disproportionality_ratio(c, n, p) if s != "population" else (1.0, 1.0, 1.0)
              for c, n, p, s in zip(out["count"], out["children"], out["population_pct"],
                                    out["stage"], strict=True)]
    out[["ratio", "low", "high"]] = pd.DataFrame(bounds, index=out.index)
    labels = {**STAGE_LABELS, "contact": "Contact"}
    out["stage_label"] = out["stage"].map(labels)
    order = {s: i for i, s in enumerate(DISPROPORTIONALITY_STAGES)}
    groups = {g: i for i, g in enumerate(DISPROPORTIONALITY_GROUPS)}
    return (out.assign(_s=out["stage"].map(order), _g=out["ethnic_group"].map(groups))
            .sort_values(["period", "_s", "_g"]).drop(columns=["_s", "_g"])
            .reset_index(drop=True))


def journey_members(d: ReportData) -> pd.DataFrame:
    """Distinct children at each stage of the year, from contact to looked after."""
    members = stage_members(*_current(d, "referrals", "assessments", "section47", "cp_plans",
                                      "cla_episodes"))
    contacts = d.current("contacts")
    contact = _members(contacts, contacts["child_id"].notna(), "contact")
    return pd.concat([contact[members.columns], members], ignore_index=True)


def disproportionality_for(d: ReportData) -> pd.DataFrame:
    """The report year's disproportionality matrix (what the chapter's heatmap draws)."""
    return disproportionality_matrix(journey_members(d), d.current("children"),
                                     d.current("population"))


def _journey(d: ReportData) -> pd.DataFrame:
    return cp_journey(*_current(d, "referrals", "section47", "cp_plans"))


def _journey_count(stage: str) -> Callable[[ReportData], int]:
    def count(d: ReportData) -> int:
        return int(_pick(_journey(d), d.year, "count", stage=stage))

    count.__doc__ = f"This year's referrals reaching the stage: {JOURNEY_STAGES[stage].lower()}."
    return count


def _journey_pct(stage: str) -> Callable[[ReportData], float]:
    def share(d: ReportData) -> float:
        return _pick(_journey(d), d.year, stage=stage)

    share.__doc__ = f"Conversion to the stage from the one before: {JOURNEY_STAGES[stage].lower()} (%)."
    return share


measure("cp_journey_referrals")(_journey_count("referral"))
measure("cp_journey_s47")(_journey_count("s47"))
measure("cp_journey_icpc")(_journey_count("icpc"))
measure("cp_journey_cp_plan")(_journey_count("cp_plan"))
measure("cp_journey_s47_to_icpc_pct", denominator="cp_journey_s47")(_journey_pct("icpc"))
measure("cp_journey_icpc_to_plan_pct", denominator="cp_journey_icpc")(_journey_pct("cp_plan"))


@measure("cpp_rate_per_10k")
def cpp_rate_per_10k(d: ReportData) -> float:
    """Children on a child protection plan at 31 March per 10,000 children aged 0-17."""
    return _pick(cp_plan_rates_at_year_end(*_current(d, "cp_plans", "population")), d.year,
                 "rate_per_10k")


@measure("cpp_rate_per_10k_sexual_abuse")
def cpp_rate_per_10k_sexual_abuse(d: ReportData) -> float:
    """Plans starting in the year for sexual abuse per 10,000 children aged 0-17."""
    return _start_rate(d, "SAB")


@measure("cpp_starts_total")
def cpp_starts_total(d: ReportData) -> int:
    """Child protection plans starting in the year."""
    starts = cp_plan_starts(d.current("cp_plans"))
    return int(starts.loc[starts["period"] == d.year, "count"].sum())


def _plan_history(d: ReportData) -> pd.DataFrame:
    """Every plan the data folder holds up to the report year (for repeat plans)."""
    return d.table("cp_plans")


@measure("cpp_repeat_plans_pct", denominator="cpp_starts_total")
def cpp_repeat_plans_pct(d: ReportData) -> float:
    """Plans starting in the year that were a second or later plan for the child (%)."""
    if len(d.periods) < 2:
        raise NotAvailable("repeat plans need at least one earlier year of plans")
    return _pick(repeat_plans(_plan_history(d)), d.year)


@measure("cpp_ceased_total")
def cpp_ceased_total(d: ReportData) -> int:
    """Child protection plans that ended in the year."""
    return int(_pick(long_plans_ceasing(d.current("cp_plans")), d.year, "denominator"))


@measure("cpp_ceased_2plus_years_pct", denominator="cpp_ceased_total")
def cpp_ceased_2plus_years_pct(d: ReportData) -> float:
    """Plans ending in the year that had lasted two years or more (%)."""
    return _pick(long_plans_ceasing(d.current("cp_plans")), d.year)


def _leaver_outcomes(d: ReportData) -> pd.DataFrame:
    return care_leaver_outcomes(*_current(d, "care_leavers", "children"))


@measure("care_leavers_18plus_total")
def care_leavers_18plus_total(d: ReportData) -> int:
    """Care leavers aged 18 and over at 31 March (allocated or not)."""
    outcomes = _leaver_outcomes(d)
    rows = outcomes[(outcomes["period"] == d.year) & (outcomes["outcome"] == "in_touch")]
    return int(rows["denominator"].sum())


def _leaver_share(outcome: str) -> Callable[[ReportData], float]:
    def share(d: ReportData) -> float:
        rows = _leaver_outcomes(d)
        rows = rows[(rows["period"] == d.year) & (rows["outcome"] == outcome)]
        if rows.empty or rows["denominator"].sum() == 0:
            raise NotAvailable("no care leavers aged 18 and over this year")
        return float(rows["count"].sum() / rows["denominator"].sum() * 100)

    share.__doc__ = {"in_touch": "Care leavers aged 18+ in touch with the service (%).",
                     "eet": "Care leavers aged 18+ in education, employment or training (%).",
                     "suitable": "Care leavers aged 18+ in suitable accommodation (%)."}[outcome]
    return share


for _outcome in ("in_touch", "eet", "suitable"):
    measure(f"care_leavers_{_outcome}_pct", denominator="care_leavers_18plus_total")(
        _leaver_share(_outcome))


# Denominators of the chapter 7 percentages, so the register can hide a share of few children.
def _denominator(frame_fn: Callable[[ReportData], pd.DataFrame], doc: str,
                 column: str = "denominator") -> Callable[[ReportData], int]:
    def total(d: ReportData) -> int:
        return int(_pick(frame_fn(d), d.year, column))

    total.__doc__ = doc
    return total


measure("cin_started_with_visit_total")(_denominator(
    lambda d: cin_initial_visit_timeliness(d.current("cin_episodes")),
    "CIN episodes starting in the year with a first visit recorded."))
measure("cin_open_31_march_total")(_denominator(
    lambda d: cin_visits_up_to_date(d.current("cin_episodes")),
    "CIN episodes open at 31 March."))
measure("cla_reviewed_total")(_denominator(
    lambda d: review_participation(d.current("cla_reviews")),
    "Looked-after children aged 4+ reviewed in the year."))
measure("cla_visits_due_total", people=False)(_denominator(
    lambda d: visits_in_time(d.current("cla_visits")), "Statutory visits due in the year."))
measure("cla_31_march_total")(_denominator(
    lambda d: placement_stability(d.current("cla_episodes")),
    "Children looked after at 31 March."))
measure("cla_distance_known_total")(_denominator(
    lambda d: placement_distance(d.current("cla_episodes")),
    "Children looked after at 31 March with a placement distance recorded."))
measure("cla_health_cohort_total")(_denominator(
    lambda d: health_checks(*_current(d, "cla_health", "children")),
    "Children in the 12-month looked-after cohort."))
measure("cla_under5_cohort_total")(_denominator(
    lambda d: health_checks(*_current(d, "cla_health", "children")),
    "Children under 5 in the 12-month looked-after cohort.", "denominator_under5"))


@measure("sins_young_adult_suicides")
def sins_young_adult_suicides(d: ReportData) -> int:
    """Serious incident notifications about young people aged 18 and over (care leavers).

    The return breaks notifications down by age, not cause; the report's two notifications
    about young adults were both suicides, so the age band stands in for them.
    """
    from helpers.indicators.partners import figure

    return int(figure(d.current("serious_incidents"), "serious_incident_notifications",
                      "18 and over"))
