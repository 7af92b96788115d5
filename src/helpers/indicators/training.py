"""Indicators: multi-agency training (chapters 11 and 12): events, reach, agencies,
evaluations, and the training partners' own figures.

"Professionals trained" counts distinct people (pseudonymous ``attendee_id``) attending at
least one event in the year, not places taken: someone on two courses is one professional
reached. The training reach change compares that count with the previous year's.
"""

from __future__ import annotations

import math

import pandas as pd

from helpers.config import previous_year
from helpers.data.loading import ReportData
from helpers.data.schema_lado_training import AGENCY, EVENT_KEY, TRAINING_THEME
from helpers.indicators.base import Definition, measure, pick
from helpers.indicators.trends import value_at

DEFINITIONS: dict[str, Definition] = {
    "training_courses_and_events": Definition(
        "Multi-agency training courses and events", "courses and learning events of the "
        "partnership programme held in the year", "-", "Partnership training record."),
    "professionals_trained": Definition(
        "Professionals trained", "distinct professionals (attendee_id) attending at least one "
        "event in the year", "-", "Partnership training record; also the communication "
        "chapter's 'professionals reached'."),
    "training_reach_change_pct": Definition(
        "Change in training reach", "professionals trained in the year minus the previous "
        "year's", "professionals trained in the previous year", "Partnership training record."),
    "training_agency_mix": Definition(
        "Professionals trained by agency", "distinct professionals trained in the year, by the "
        "agency recorded at their latest event", "professionals trained in the year",
        "Partnership training record."),
    "event_attendees": Definition(
        "Attendees at a named event", "distinct professionals attending the event with the "
        "given event_key", "-", "Partnership training record."),
    "courses_good_or_excellent_pct": Definition(
        "Training rated good or excellent", "evaluations returned in the year rating the "
        "course good or excellent", "evaluations returned in the year", "End-of-course "
        "evaluation forms (stage 2 of the evaluation model)."),
    "training_rating_distribution": Definition(
        "Overall rating of training", "evaluations returned in the year with each rating",
        "evaluations returned in the year", "End-of-course evaluation forms."),
    "training_promoted_equal_opportunities_pct": Definition(
        "Training promoted equal opportunities", "evaluations answering yes",
        "evaluations answering the question (blanks left out)", "End-of-course evaluation forms."),
    "met_aims_pct": Definition(
        "Session met its aims", "evaluations answering yes",
        "evaluations answering the question (blanks left out)", "End-of-course evaluation forms."),
    "community_training": Definition(
        "Community safeguarding training", "community sector members and leaders trained, and "
        "sessions delivered, as the voluntary sector partner reports them", "-",
        "Partner return (training_partners)."),
    "dsl_training": Definition(
        "Designated safeguarding lead training", "education professionals trained, and % agreeing "
        "it helped them recognise and respond to concerns", "-",
        "Partner return (training_partners)."),
}


RATING_ORDER = ("excellent", "good", "satisfactory", "poor")


GOOD = ("excellent", "good")


def training_reach(events: pd.DataFrame, attendance: pd.DataFrame) -> pd.DataFrame:
    """Per period: events held, places taken, distinct professionals, and change (%) on the
    previous year's professionals (NaN where that year is not in the data)."""
    held = events.groupby("period").size().rename("events")
    places = attendance.groupby("period").size().rename("places")
    people = attendance.groupby("period")["attendee_id"].nunique().rename("professionals")
    out = pd.concat([held, places, people], axis=1).fillna(0).astype(int).reset_index()
    out = out.rename(columns={"index": "period"}).sort_values("period", ignore_index=True)
    before = out["period"].map(previous_year).map(dict(zip(out["period"], out["professionals"],
                                                       strict=True)))
    out["change_pct"] = (out["professionals"] / before - 1) * 100
    return out


def agency_mix(events: pd.DataFrame, attendance: pd.DataFrame) -> pd.DataFrame:
    """Distinct professionals per agency and period, with shares (%), for the agency chart.

    A professional who moved agency within the year counts once, under the agency recorded
    at their latest event.
    """
    dated = attendance.merge(events[["event_id", "period", "event_date"]],
                             on=["event_id", "period"], how="left")
    latest = (dated.sort_values(["event_date", "attendance_id"])
              .drop_duplicates(["period", "attendee_id"], keep="last"))
    out = latest.groupby(["period", "agency"]).size().rename("professionals").reset_index()
    out["pct"] = out["professionals"] / out.groupby("period")["professionals"].transform("sum") * 100
    out["label"] = out["agency"].map(AGENCY)
    order = {code: i for i, code in enumerate(AGENCY)}
    return (out.assign(_order=out["agency"].map(order))
            .sort_values(["period", "_order"], ignore_index=True).drop(columns="_order"))


def event_ids(events: pd.DataFrame, key: str) -> pd.DataFrame:
    """The event(s) carrying ``event_key`` == ``key``, with their period."""
    return events.loc[events["event_key"] == key, ["period", "event_id"]]


def event_attendees(events: pd.DataFrame, attendance: pd.DataFrame, key: str) -> pd.DataFrame:
    """Distinct attendees at the named event, per period where it was held."""
    chosen = event_ids(events, key).merge(attendance, on=["period", "event_id"], how="inner")
    return (chosen.groupby("period")["attendee_id"].nunique().rename("attendees")
            .reset_index())


def rating_distribution(evaluations: pd.DataFrame) -> pd.DataFrame:
    """Evaluations by overall rating per period (every rating listed), with shares (%)."""
    periods = sorted(evaluations["period"].unique())
    index = pd.MultiIndex.from_product([periods, list(RATING_ORDER)],
                                       names=["period", "overall_rating"])
    out = (evaluations.groupby(["period", "overall_rating"]).size()
           .reindex(index, fill_value=0).rename("count").reset_index()
           .rename(columns={"overall_rating": "rating"}))
    out["pct"] = out["count"] / out.groupby("period")["count"].transform("sum") * 100
    return out


def good_or_excellent(evaluations: pd.DataFrame) -> pd.DataFrame:
    """Evaluations and the share (%) rating the course good or excellent, per period."""
    flagged = evaluations.assign(good=evaluations["overall_rating"].isin(GOOD))
    out = flagged.groupby("period").agg(evaluations=("evaluation_id", "size"),
                                        good_or_excellent=("good", "sum")).reset_index()
    out["pct"] = out["good_or_excellent"] / out["evaluations"] * 100
    return out


def agreement(evaluations: pd.DataFrame, column: str) -> pd.DataFrame:
    """Share (%) answering Y to a yes/no evaluation question, per period; blanks left out."""
    answered = evaluations[evaluations[column].notna()]
    out = (answered.assign(yes=answered[column] == "Y").groupby("period")
           .agg(answered=("yes", "size"), agreed=("yes", "sum")).reset_index())
    out["pct"] = out["agreed"] / out["answered"] * 100
    return out


def partner_figure(partners: pd.DataFrame, code: str, period: str | None = None) -> float:
    """A total from the training partners' return (the row with a blank breakdown).

    ``period`` picks the figure's own period when a return carries several; otherwise the
    single total is used. Missing figures are NaN rather than 0, so a missing return is not
    reported as nobody trained.
    """
    rows = partners[(partners["measure"] == code) & partners["breakdown"].isna()]
    if period is not None and (rows["figure_period"] == period).any():
        rows = rows[rows["figure_period"] == period]
    if rows.empty:
        return math.nan
    if len(rows) > 1:
        raise ValueError(f"training_partners has {len(rows)} totals for {code}; expected one")
    return float(rows["value"].iloc[0])


def _reach(data: ReportData) -> pd.DataFrame:
    return training_reach(data.table("training_events"), data.table("training_attendance"))


@measure("training_courses_and_events")
def training_courses_and_events(data: ReportData) -> int:
    """Courses and learning events of the partnership programme held in the year."""
    return len(data.current("training_events"))


@measure("professionals_reached_by_training")
@measure("professionals_trained")
def professionals_trained(data: ReportData) -> int:
    """Distinct professionals attending at least one partnership event in the year."""
    return int(data.current("training_attendance")["attendee_id"].nunique())


@measure("training_reach_change_pct")
def training_reach_change_pct(data: ReportData) -> float:
    """% change in professionals trained on the previous year."""
    return float(pick(_reach(data), data.year, "change_pct"))


def _attendees(data: ReportData, key: str) -> int:
    out = event_attendees(data.current("training_events"), data.current("training_attendance"), key)
    return int(value_at(out, data.year, "attendees", default=0))


def _evaluations_at(data: ReportData, key: str) -> pd.DataFrame:
    ids = event_ids(data.current("training_events"), key)["event_id"]
    evals = data.current("training_evaluations")
    return evals[evals["event_id"].isin(ids)]


@measure("da_learning_event_attendees")
def da_learning_event_attendees(data: ReportData) -> int:
    """Professionals attending the domestic abuse learning event."""
    return _attendees(data, "da_learning_event")


@measure("da_learning_event_good_or_excellent_pct")
def da_learning_event_good_or_excellent_pct(data: ReportData) -> float:
    """% of the domestic abuse learning event's evaluations rating it good or excellent."""
    return float(pick(good_or_excellent(_evaluations_at(data, "da_learning_event")), data.year,
                     "pct"))


@measure("mh_joint_working_lunch_learn_attendees")
def mh_joint_working_lunch_learn_attendees(data: ReportData) -> int:
    """Professionals attending the mental health joint-working lunch and learn."""
    return _attendees(data, "mh_lunch_learn")


@measure("info_sharing_workshop_met_aims_pct")
def info_sharing_workshop_met_aims_pct(data: ReportData) -> float:
    """% of the information-sharing workshop's answers agreeing it met its aims."""
    return float(pick(agreement(_evaluations_at(data, "info_sharing_workshop"), "met_aims"),
                     data.year, "pct"))


@measure("courses_good_or_excellent_pct")
def courses_good_or_excellent_pct(data: ReportData) -> float:
    """% of the year's evaluations rating the course good or excellent."""
    return float(pick(good_or_excellent(data.current("training_evaluations")), data.year, "pct"))


@measure("training_promoted_equal_opportunities_pct")
def training_promoted_equal_opportunities_pct(data: ReportData) -> float:
    """% of the year's answers agreeing the training promoted equal opportunities."""
    out = agreement(data.current("training_evaluations"), "promoted_equal_opportunities")
    return float(pick(out, data.year, "pct"))


def _partner(data: ReportData, code: str) -> float:
    return partner_figure(data.current("training_partners"), code, data.year)


def _count(value: float) -> int | float:
    """A partner's count as an int, or NaN when the return does not give it."""
    return value if math.isnan(value) else int(value)


@measure("community_leaders_trained", by_year=False)
def community_leaders_trained(data: ReportData) -> int | float:
    """Community sector members and leaders trained by the voluntary sector partner."""
    return _count(_partner(data, "community_people_trained"))


@measure("community_training_sessions", by_year=False)
def community_training_sessions(data: ReportData) -> int | float:
    """Community safeguarding training sessions delivered by the voluntary sector partner."""
    return _count(_partner(data, "community_sessions"))


@measure("dsl_education_professionals_trained", by_year=False)
def dsl_education_professionals_trained(data: ReportData) -> int | float:
    """Education professionals completing designated safeguarding lead training."""
    return _count(_partner(data, "dsl_trained"))


@measure("dsl_training_recognise_respond_pct", by_year=False)
def dsl_training_recognise_respond_pct(data: ReportData) -> float:
    """% of DSL delegates agreeing the training helped them recognise and respond to concerns."""
    return _partner(data, "dsl_recognise_respond_pct")


# --------------------------------------------------------------------------- events the report names
def keyed_events(events: pd.DataFrame, attendance: pd.DataFrame) -> pd.DataFrame:
    """The events the report discusses by name (``event_key``), with their distinct
    attendees: one row per event and period, in the code list's order."""
    keyed = events[events["event_key"].notna()]
    people = event_attendees_by_event(keyed, attendance)
    out = keyed.merge(people, on=["period", "event_id"], how="left")
    out["attendees"] = out["attendees"].fillna(0).astype(int)
    out["learning_from"] = out["theme"].map(TRAINING_THEME)
    order = {key: i for i, key in enumerate(EVENT_KEY)}
    return (out.assign(_order=out["event_key"].map(order))
            .sort_values(["period", "_order"], ignore_index=True).drop(columns="_order"))


def event_attendees_by_event(events: pd.DataFrame, attendance: pd.DataFrame) -> pd.DataFrame:
    """Distinct attendees per event and period."""
    joined = events[["period", "event_id"]].merge(attendance, on=["period", "event_id"])
    return joined.groupby(["period", "event_id"])["attendee_id"].nunique().rename(
        "attendees").reset_index()
