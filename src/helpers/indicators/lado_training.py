"""Indicators: the LADO service (chapter 10) and multi-agency training (chapters 11 and 12).

Small pure functions take processed tables (stacked over years with ``period``) and return
tidy frames, one row per period (and category), for charts, tables and tests alike. The
``@measure`` functions at the end are thin: each picks one figure the report states out of
those frames, so every figure has exactly one definition.

Two definitions differ from a naive reading and are chosen to match how the service counts:

- An allegation category's share is taken over the categories recorded, not over
  referrals: a referral alleging physical and emotional abuse counts once in each, and the
  shares of the four categories add up to 100% (which a pie or stacked chart needs). The
  report's 2.8% for neglect in 2023-24 is only reachable this way (3 of 107 categories; 3 of
  104 referrals would be 2.9%).
- "Professionals trained" counts distinct people (pseudonymous ``attendee_id``) attending at
  least one event in the year, not places taken: someone on two courses is one professional
  reached. The training reach change compares that count with the previous year's.
"""

from __future__ import annotations

import math

import pandas as pd

from helpers.config import previous_year
from helpers.data.loading import ReportData
from helpers.data.schema_lado_training import (
    AGENCY,
    ALLEGATION_CATEGORY,
    EVENT_KEY,
    LADO_OUTCOME,
    LADO_SECTOR,
    TRAINING_THEME,
)
from helpers.indicators.base import measure, rank_order
from helpers.indicators.front_door import Definition

DEFINITIONS: dict[str, Definition] = {
    "lado_consultations": Definition(
        "Consultations with the LADO", "consultations in the year", "-",
        "Local LADO record (no national return)."),
    "lado_consultations_to_referral_pct": Definition(
        "Consultations progressing to a referral",
        "consultations in the year marked as progressed to a formal LADO referral",
        "consultations in the year", "Local LADO record."),
    "lado_consultation_main_sources": Definition(
        "Main sectors consulting the LADO", "consultations in the year by sector of the setting",
        "consultations in the year", "Local LADO record; the three largest sectors."),
    "lado_referrals": Definition(
        "Referrals to the LADO", "formal LADO referrals received in the year", "-",
        "Local LADO record."),
    "lado_referral_sectors": Definition(
        "Referrals by sector", "referrals in the year by sector the adult works in",
        "referrals in the year", "Local LADO record."),
    "lado_allegation_categories": Definition(
        "Allegation categories", "categories recorded on referrals in the year, by category",
        "all categories recorded on referrals in the year (a referral with two categories "
        "counts twice)", "Local LADO record; shares over categories so that they sum to 100%."),
    "lado_allegation_category_rank_order": Definition(
        "Allegation categories, most to least common",
        "categories recorded on referrals in the year", "-", "Local LADO record."),
    "lado_referrals_neglect_pct": Definition(
        "Neglect as an allegation category", "neglect categories recorded on referrals in the year",
        "all categories recorded on referrals in the year", "Local LADO record (see above)."),
    "lado_outcomes": Definition(
        "Outcomes of LADO referrals", "referrals received in the year with each outcome "
        "(a referral can have several)", "-", "Local LADO record."),
    "lado_workshops_delivered": Definition(
        "LADO workshops", "awareness workshops the LADO team delivered in the year", "-",
        "Local LADO record (lado_workshops)."),
    "lado_workshop_attendees": Definition(
        "LADO workshop attendees", "people attending LADO workshops in the year (head count "
        "per workshop, summed)", "-", "Local LADO record (lado_workshops)."),
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


# --- LADO ----------------------------------------------------------------------------------


def consultation_summary(consultations: pd.DataFrame) -> pd.DataFrame:
    """Consultations, how many progressed to a referral, and that share (%), per period."""
    flagged = consultations.assign(progressed=consultations["progressed_to_referral"] == "Y")
    out = flagged.groupby("period").agg(consultations=("consultation_id", "size"),
                                        progressed=("progressed", "sum")).reset_index()
    out["pct"] = out["progressed"] / out["consultations"] * 100
    return out.sort_values("period", ignore_index=True)


def by_sector(records: pd.DataFrame) -> pd.DataFrame:
    """Records (consultations or referrals) by sector per period: count, share, rank."""
    out = records.groupby(["period", "sector"]).size().rename("count").reset_index()
    out["pct"] = out["count"] / out.groupby("period")["count"].transform("sum") * 100
    out["rank"] = out.groupby("period")["count"].rank(method="min", ascending=False).astype(int)
    out["label"] = out["sector"].map(LADO_SECTOR)
    order = {code: i for i, code in enumerate(LADO_SECTOR)}
    out["_order"] = out["sector"].map(order)
    return (out.sort_values(["period", "rank", "_order"], ignore_index=True)
            .drop(columns="_order"))


def allegation_categories(referrals: pd.DataFrame, categories: pd.DataFrame) -> pd.DataFrame:
    """Categories recorded on each period's referrals.

    ``pct`` is the share of all categories recorded (the shares add to 100%); ``pct_of_referrals``
    is the share of referrals carrying the category (these can add to more than 100%).
    Ties keep the code list's order (physical, sexual, emotional, neglect).
    """
    linked = categories[["referral_id", "code"]].drop_duplicates().merge(
        referrals[["referral_id", "period"]], on="referral_id", how="inner")
    out = (linked.groupby(["period", "code"]).size().rename("count").reset_index()
           .rename(columns={"code": "category"}))
    out["pct"] = out["count"] / out.groupby("period")["count"].transform("sum") * 100
    totals = referrals.groupby("period").size()
    out["pct_of_referrals"] = out["count"] / out["period"].map(totals) * 100
    order = {code: i for i, code in enumerate(ALLEGATION_CATEGORY)}
    out["_order"] = out["category"].map(order)
    out = out.sort_values(["period", "count", "_order"], ascending=[True, False, True],
                          ignore_index=True).drop(columns="_order")
    out["rank"] = out.groupby("period").cumcount() + 1
    out["label"] = out["category"].map(ALLEGATION_CATEGORY)
    return out


def referral_outcomes(referrals: pd.DataFrame, outcomes: pd.DataFrame) -> pd.DataFrame:
    """Referrals received in each period with each outcome (every outcome listed, even at 0)."""
    linked = outcomes[["referral_id", "code"]].drop_duplicates().merge(
        referrals[["referral_id", "period"]], on="referral_id", how="inner")
    counts = linked.groupby(["period", "code"]).size()
    periods = sorted(referrals["period"].unique())
    index = pd.MultiIndex.from_product([periods, list(LADO_OUTCOME)], names=["period", "code"])
    out = (counts.reindex(index, fill_value=0).rename("count").reset_index()
           .rename(columns={"code": "outcome"}))
    out["label"] = out["outcome"].map(LADO_OUTCOME)
    return out


def workshop_summary(workshops: pd.DataFrame) -> pd.DataFrame:
    """LADO workshops delivered and people reached, per period."""
    out = workshops.groupby("period").agg(workshops=("workshop_id", "size"),
                                          attendees=("attendees", "sum")).reset_index()
    out["attendees"] = out["attendees"].astype(int)
    return out.sort_values("period", ignore_index=True)


# --- training ------------------------------------------------------------------------------



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


# --- registered measures -------------------------------------------------------------------


def _at(frame: pd.DataFrame, period: str, column: str, default: float = 0) -> float:
    """The value of ``column`` in ``period``'s row (``default`` if the period has none)."""
    rows = frame.loc[frame["period"] == period, column]
    return rows.iloc[0] if len(rows) else default


@measure("lado_consultations")
def lado_consultations(data: ReportData) -> int:
    """Consultations with the LADO in the year."""
    return len(data.current("lado_consultations"))


@measure("lado_consultations_to_referral_pct")
def lado_consultations_to_referral_pct(data: ReportData) -> float:
    """% of the year's consultations that progressed to a formal referral."""
    return float(_at(consultation_summary(data.current("lado_consultations")), data.year, "pct",
                     math.nan))


@measure("lado_consultation_main_sources")
def lado_consultation_main_sources(data: ReportData) -> str:
    """The three sectors consulting the LADO most, most first, in the report's words."""
    sectors = by_sector(data.current("lado_consultations"))
    return "; ".join(sectors["label"].head(3))


@measure("lado_referrals")
def lado_referrals(data: ReportData) -> int:
    """Formal referrals to the LADO received in the year."""
    return len(data.current("lado_referrals"))


def _categories(data: ReportData) -> pd.DataFrame:
    return allegation_categories(data.current("lado_referrals"),
                                 data.current("lado_allegation_categories"))


@measure("lado_allegation_category_rank_order")
def lado_allegation_category_rank_order(data: ReportData) -> str:
    """Allegation categories from most to least recorded in the year."""
    return rank_order(list(_categories(data)["label"]))


@measure("lado_referrals_neglect_pct")
def lado_referrals_neglect_pct(data: ReportData) -> float:
    """Neglect's share (%) of the allegation categories recorded in the year."""
    cats = _categories(data)
    if cats.empty:
        return math.nan
    return float(cats.loc[cats["category"] == "neglect", "pct"].sum())


def _outcome_measure(indicator: str, outcome: str) -> None:
    def compute(data: ReportData) -> int:
        out = referral_outcomes(data.current("lado_referrals"),
                                data.current("lado_referral_outcomes"))
        return int(out.loc[out["outcome"] == outcome, "count"].sum())

    compute.__doc__ = f"Referrals received in the year with the outcome: {LADO_OUTCOME[outcome]}."
    compute.__name__ = indicator
    measure(indicator)(compute)


for _indicator, _outcome in (
        ("lado_outcome_asv_meeting", "asv_meeting"),
        ("lado_outcome_police_referral", "police"),
        ("lado_outcome_disciplinary_or_professional_body", "disciplinary"),
        ("lado_outcome_complaint_referred_elsewhere", "complaint_elsewhere"),
        ("lado_outcome_referred_to_csc", "csc"),
        ("lado_outcome_referred_to_dbs", "dbs"),
        ("lado_outcome_nfa", "nfa")):
    _outcome_measure(_indicator, _outcome)


@measure("lado_workshops_delivered")
def lado_workshops_delivered(data: ReportData) -> int:
    """Awareness workshops the LADO team delivered in the year."""
    return len(data.current("lado_workshops"))


@measure("lado_workshop_attendees_more_than")
def lado_workshop_attendees_more_than(data: ReportData) -> int:
    """People reached by LADO workshops in the year (the report states a lower bound)."""
    return int(data.current("lado_workshops")["attendees"].sum())


# --- training measures ---------------------------------------------------------------------


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
    return float(_at(_reach(data), data.year, "change_pct", math.nan))


def _attendees(data: ReportData, key: str) -> int:
    out = event_attendees(data.current("training_events"), data.current("training_attendance"), key)
    return int(_at(out, data.year, "attendees"))


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
    return float(_at(good_or_excellent(_evaluations_at(data, "da_learning_event")), data.year,
                     "pct", math.nan))


@measure("mh_joint_working_lunch_learn_attendees")
def mh_joint_working_lunch_learn_attendees(data: ReportData) -> int:
    """Professionals attending the mental health joint-working lunch and learn."""
    return _attendees(data, "mh_lunch_learn")


@measure("info_sharing_workshop_met_aims_pct")
def info_sharing_workshop_met_aims_pct(data: ReportData) -> float:
    """% of the information-sharing workshop's answers agreeing it met its aims."""
    return float(_at(agreement(_evaluations_at(data, "info_sharing_workshop"), "met_aims"),
                     data.year, "pct", math.nan))


@measure("courses_good_or_excellent_pct")
def courses_good_or_excellent_pct(data: ReportData) -> float:
    """% of the year's evaluations rating the course good or excellent."""
    return float(_at(good_or_excellent(data.current("training_evaluations")), data.year, "pct",
                     math.nan))


@measure("training_promoted_equal_opportunities_pct")
def training_promoted_equal_opportunities_pct(data: ReportData) -> float:
    """% of the year's answers agreeing the training promoted equal opportunities."""
    out = agreement(data.current("training_evaluations"), "promoted_equal_opportunities")
    return float(_at(out, data.year, "pct", math.nan))


# --- partner figures (rows carry their own period) -----------------------------------------


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


# ---- added for chapter 10
#: Time from referral to closure, as the chart's bands (upper bound in months, label).
RESOLUTION_BANDS: tuple[tuple[float, str], ...] = (
    (1, "closed within a month"), (3, "closed in one to three months"),
    (6, "closed in three to six months"), (math.inf, "closed after more than six months"))
STILL_OPEN = "still open"
MONTH_DAYS = 365.25 / 12


def resolution_bands(referrals: pd.DataFrame) -> pd.DataFrame:
    """Referrals received in each period by how long they took to close (or still open).

    Months are calendar-average months (30.4 days) from referral to closure; a referral
    closed on day 30 is within a month. Every band is listed, even at 0, so the chart's
    categories are the same every year.
    """
    months = (referrals["closed_date"] - referrals["referral_date"]).dt.days / MONTH_DAYS
    labels = pd.Series(STILL_OPEN, index=referrals.index)
    for upper, label in reversed(RESOLUTION_BANDS):
        labels = labels.mask(months.notna() & (months <= upper), label)
    order = [label for _, label in RESOLUTION_BANDS] + [STILL_OPEN]
    index = pd.MultiIndex.from_product([sorted(referrals["period"].unique()), order],
                                       names=["period", "band"])
    out = (referrals.assign(band=labels).groupby(["period", "band"]).size()
           .reindex(index, fill_value=0).rename("count").reset_index())
    out["denominator"] = out.groupby("period")["count"].transform("sum")
    out["pct"] = out["count"] / out["denominator"] * 100
    return out


@measure("lado_resolved_within_3_months_pct", denominator="lado_referrals")
def lado_resolved_within_3_months_pct(data: ReportData) -> float:
    """% of the year's referrals closed within three months of being received."""
    bands = resolution_bands(data.current("lado_referrals"))
    quick = [label for upper, label in RESOLUTION_BANDS if upper <= 3]
    now = bands[bands["period"] == data.year]
    if now.empty:
        return math.nan
    return float(now.loc[now["band"].isin(quick), "pct"].sum())


# ---- added for chapter 12
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


# ---- added for chapter 10 (definitions)
DEFINITIONS["lado_resolved_within_3_months_pct"] = Definition(
    "Referrals resolved within three months", "referrals received in the year and closed within "
    "three calendar-average months (91 days) of being received", "referrals received in the year "
    "(still-open ones included)", "Local LADO record (referral and closed dates).")
DEFINITIONS["lado_resolution_bands"] = Definition(
    "Time to resolution", "referrals received in the year by time from referral to closure "
    "(within a month, one to three, three to six, over six months, still open)",
    "referrals received in the year", "Local LADO record (referral and closed dates).")
