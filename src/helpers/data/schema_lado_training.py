"""Record-level tables of the LADO service (consultations, referrals, workshops) and of the
partnership's multi-agency training (events, attendance, evaluations), plus the small
partner return for training the partnership commissions but does not record itself.

None of these tables holds a child id: they are about adults who work with children. The
adult a LADO referral concerns is never identified at all (only the sector they work in),
and a professional attending training appears only as a pseudonymous id (``PR-...``), so
that distinct professionals can be counted without holding names.

There is no national return for LADO work or for partnership training, so the code lists
below are the pack's own; each is small and written in words, so a local extract maps onto
it by hand.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

import pandas as pd

from helpers.data.rules import rule
from helpers.data.schema_blocks import Column, Table, aggregate_table
from helpers.data.validation import Problem, check_date_order, spreadsheet_row

YES_NO: Mapping[str, str] = {"Y": "Yes", "N": "No"}

# Sector the adult works or volunteers in (LADO referrals), or the sector of the setting
# that asked for advice (consultations) or attended a LADO workshop. The labels are the
# words the report uses ("schools, nurseries and health settings").
LADO_SECTOR: Mapping[str, str] = {
    "education": "schools",
    "early_years": "nurseries",
    "health": "health settings",
    "social_care": "social care",
    "police": "police",
    "faith": "faith groups",
    "sport": "sport and leisure",
    "transport": "transport",
    "voluntary": "charities and voluntary groups",
    "other": "other",
}

# Category of harm alleged. A referral may carry more than one category.
ALLEGATION_CATEGORY: Mapping[str, str] = {
    "physical": "physical abuse",
    "sexual": "sexual abuse",
    "emotional": "emotional abuse",
    "neglect": "neglect",
}

# Outcomes recorded for a referral; a referral may have several (an ASV meeting and a police
# referral, say). "nfa" means the LADO took no further action, so it excludes the outcomes
# that are further action by definition (see cross_checks).
LADO_OUTCOME: Mapping[str, str] = {
    "asv_meeting": "ASV meeting held (allegations against staff and volunteers)",
    "police": "referred to the police",
    "disciplinary": "disciplinary proceedings or referral to a professional body",
    "complaint_elsewhere": "found to be a complaint and referred to another service",
    "csc": "referred to children's social care",
    "dbs": "referred to the Disclosure and Barring Service",
    "nfa": "no further action",
}
FURTHER_ACTION = ("police", "disciplinary", "dbs")

TRAINING_FORMAT: Mapping[str, str] = {
    "course": "training course",
    "event": "learning event (including lunch and learn sessions)",
    "workshop": "workshop",
    "conference": "conference",
}

DELIVERY: Mapping[str, str] = {"in_person": "in person", "virtual": "virtual (online)"}

TRAINING_THEME: Mapping[str, str] = {
    "core": "core multi-agency safeguarding children",
    "dsl": "designated safeguarding leads",
    "domestic_abuse": "domestic abuse",
    "exploitation": "child exploitation and contextual safeguarding",
    "mental_health": "mental health in the family",
    "neglect": "neglect",
    "allegations": "managing allegations against staff and volunteers",
    "information_sharing": "information sharing",
    "care_experienced": "children looked after and care-experienced young people",
    "online_safety": "online safety",
    "harmful_practices": "harmful practices (FGM, forced marriage, honour-based abuse)",
    "send": "children with special educational needs and disabilities",
    "race_equity": "anti-racist and culturally competent practice",
    "sexual_abuse": "child sexual abuse",
}

# Events the report discusses by name. Measures find them by this key, never by title, so
# a retitled event still feeds the right figure.
EVENT_KEY: Mapping[str, str] = {
    "da_learning_event": "multi-agency learning event on a domestic abuse safeguarding incident",
    "cla_conference": "conference on working with care-experienced people and their mental health",
    "mh_lunch_learn": "lunch and learn on joint working between children's and adult mental "
                      "health services",
    "info_sharing_workshop": "workshop on information sharing and joint working",
}

AGENCY: Mapping[str, str] = {
    "local_authority": "local authority",
    "health": "health",
    "police": "police",
    "education": "education",
    "vcs": "voluntary and community sector",
    "other": "other",
}

RATING: Mapping[str, str] = {
    "excellent": "excellent",
    "good": "good",
    "satisfactory": "satisfactory",
    "poor": "poor",
}

LADO_CONSULTATIONS = Table(
    name="lado_consultations",
    level="record",
    description="Informal consultations with the LADO in the year (advice sought before, or "
                "instead of, a formal referral).",
    key=("consultation_id",),
    columns=(
        Column("consultation_id", "id", "consultation id", unique=True),
        Column("consultation_date", "date", "date of the consultation", in_year=True),
        Column("sector", "code", "sector of the setting that consulted the LADO",
               codes=LADO_SECTOR, code_list="LADO sectors"),
        Column("progressed_to_referral", "code", "whether the consultation became a formal "
               "LADO referral", codes=YES_NO, code_list="Y/N"),
        Column("referral_id", "id", "the LADO referral it became (lado_referrals.csv, or next "
               "year's file when the consultation was in the year's last 30 days); blank if "
               "it did not progress", required=False),
    ),
)

LADO_REFERRALS = Table(
    name="lado_referrals",
    level="record",
    description="Formal referrals to the LADO received in the year: allegations about adults "
                "who work or volunteer with children.",
    key=("referral_id",),
    columns=(
        Column("referral_id", "id", "LADO referral id", unique=True),
        Column("referral_date", "date", "date the referral was received", in_year=True),
        Column("sector", "code", "sector the adult works or volunteers in",
               codes=LADO_SECTOR, code_list="LADO sectors"),
        Column("allegation_categories", "codes", "categories of harm alleged (one or more)",
               codes=ALLEGATION_CATEGORY, code_list="LADO allegation categories",
               long_table="lado_allegation_categories"),
        Column("outcomes", "codes", "outcomes recorded so far (several allowed); blank while "
               "none is recorded", required=False, codes=LADO_OUTCOME,
               code_list="LADO outcomes", long_table="lado_referral_outcomes"),
        Column("closed_date", "date", "date the LADO closed the referral; blank if still open "
               "at the end of the year", required=False),
    ),
)

LADO_WORKSHOPS = Table(
    name="lado_workshops",
    level="record",
    description="Awareness workshops the LADO team delivered in the year to settings and "
                "community groups. Kept apart from the partnership's training programme: "
                "they are outreach to audiences (faith groups, charities) whose members are "
                "not registered as attendees, so only a head count is held.",
    key=("workshop_id",),
    columns=(
        Column("workshop_id", "id", "workshop id", unique=True),
        Column("workshop_date", "date", "date delivered", in_year=True),
        Column("audience", "code", "sector of the audience", codes=LADO_SECTOR,
               code_list="LADO sectors"),
        Column("attendees", "int", "number of people who attended", minimum=1),
    ),
)

TRAINING_EVENTS = Table(
    name="training_events",
    level="record",
    description="Courses and learning events of the partnership's multi-agency training "
                "programme held in the year.",
    key=("event_id",),
    columns=(
        Column("event_id", "id", "event id", unique=True),
        Column("title", "text", "title as advertised"),
        Column("event_date", "date", "date held (first day, if longer)", in_year=True),
        Column("format", "code", "kind of event", codes=TRAINING_FORMAT,
               code_list="training formats"),
        Column("delivery", "code", "in person or online", codes=DELIVERY,
               code_list="delivery modes"),
        Column("theme", "code", "main theme", codes=TRAINING_THEME, code_list="training themes"),
        Column("event_key", "code", "marks an event the report discusses by name; blank for "
               "the rest (at most once per year)", required=False, codes=EVENT_KEY,
               code_list="named events"),
    ),
)

TRAINING_ATTENDANCE = Table(
    name="training_attendance",
    level="record",
    description="One row per professional attending a training event in the year.",
    key=("attendance_id",),
    columns=(
        Column("attendance_id", "id", "attendance id", unique=True),
        Column("event_id", "id", "the event attended", references=("training_events", "event_id")),
        Column("attendee_id", "id", "pseudonymous professional id (PR-...), the same for a "
               "professional across events and years; never a name or email"),
        Column("agency", "code", "agency the professional works for", codes=AGENCY,
               code_list="training agencies"),
    ),
)

TRAINING_EVALUATIONS = Table(
    name="training_evaluations",
    level="record",
    description="End-of-course evaluation forms returned in the year (anonymous: linked to "
                "the event, not to the attendee).",
    key=("evaluation_id",),
    columns=(
        Column("evaluation_id", "id", "evaluation id", unique=True),
        Column("event_id", "id", "the event evaluated", references=("training_events", "event_id")),
        Column("overall_rating", "code", "overall rating of the course content and materials",
               codes=RATING, code_list="training ratings"),
        Column("promoted_equal_opportunities", "code", "agreed the course promoted equal "
               "opportunities and anti-discriminatory practice; blank if not answered",
               required=False, codes=YES_NO, code_list="Y/N"),
        Column("met_aims", "code", "agreed the session met its aims and objectives; blank if "
               "not answered", required=False, codes=YES_NO, code_list="Y/N"),
    ),
)

TRAINING_PARTNERS = aggregate_table(
    "training_partners",
    "Training the partnership commissions from others and is told about in totals: community "
    "safeguarding training by the voluntary sector partner, and designated safeguarding lead "
    "(DSL) training for education settings.",
    {
        "community_people_trained": "community sector members and leaders trained",
        "community_sessions": "community safeguarding training sessions delivered",
        "dsl_trained": "education professionals completing DSL training (breakdown: setting "
                       "type, blank for the total)",
        "dsl_recognise_respond_pct": "% of DSL delegates agreeing the training helped them "
                                     "recognise and respond to safeguarding concerns",
    },
)

TABLES: tuple[Table, ...] = (LADO_CONSULTATIONS, LADO_REFERRALS, LADO_WORKSHOPS, TRAINING_EVENTS,
                             TRAINING_ATTENDANCE, TRAINING_EVALUATIONS, TRAINING_PARTNERS)

# Indicators this domain adds to the comparator (benchmarks) table: code -> meaning.
# LADO and training figures have no published comparators, so there are none.
BENCHMARK_INDICATORS: dict[str, str] = {}

# A consultation this close to the year end may become a referral in the next year's file.
LATE_CONSULTATION_DAYS = 30

_LINK = ("lado_consultations", "lado_referrals")
PROGRESSED_HAS_REFERRAL = rule("LADO-101", "a consultation marked as progressed to referral "
                               "names its referral", _LINK[:1])
NOT_PROGRESSED_NO_REFERRAL = rule("LADO-102", "a consultation not progressed names no referral",
                                  _LINK[:1])
CONSULTATION_BEFORE_REFERRAL = rule("LADO-103", "a consultation is on or before the referral it "
                                    "led to", _LINK)
REFERRAL_LINK_EXISTS = rule("LADO-104", "a consultation's referral exists in lado_referrals "
                            f"(unless the consultation is in the year's last "
                            f"{LATE_CONSULTATION_DAYS} days)", _LINK)
NFA_ALONE = rule("LADO-105", "a LADO referral's outcome 'nfa' is never recorded with further "
                 "action", ("lado_referrals",))
REFERRAL_CLOSED_AFTER = rule("LADO-106", "a LADO referral closes on or after it was made",
                             ("lado_referrals",))
ATTENDEE_ONCE = rule("TRN-101", "a professional is recorded once per training event",
                     ("training_attendance",))
EVALUATIONS_WITHIN = rule("TRN-102", "an event has no more evaluation forms than attendees",
                          ("training_evaluations", "training_attendance"))
EVENT_KEY_ONCE = rule("TRN-103", "each named event (event_key) appears at most once a year",
                      ("training_events",))


def consultation_referral_links(frames: Mapping[str, pd.DataFrame]) -> list[Problem]:
    """A consultation marked as progressed names its referral, which exists and is not earlier.

    The flag and the link are recorded separately in case systems, so they can disagree;
    either way the consultation-to-referral rate would be wrong without this check.
    """
    if "lado_consultations" not in frames or "lado_referrals" not in frames:
        return []
    cons, refs = frames["lado_consultations"], frames["lado_referrals"]
    label = LADO_CONSULTATIONS.filename
    dates = dict(zip(refs["referral_id"], refs["referral_date"], strict=True))
    problems = []
    for idx, row in cons.iterrows():
        linked = bool(pd.notna(row["referral_id"]))
        if row["progressed_to_referral"] == "Y" and not linked:
            problems.append(Problem(label, "a referral_id, because progressed_to_referral is Y",
                                    spreadsheet_row(idx), "referral_id", "",
                                    rule=PROGRESSED_HAS_REFERRAL))
        elif row["progressed_to_referral"] == "N" and linked:
            problems.append(Problem(label, "a blank referral_id, because progressed_to_referral "
                                    "is N", spreadsheet_row(idx), "referral_id", row["referral_id"],
                                    rule=NOT_PROGRESSED_NO_REFERRAL))
        elif linked and row["referral_id"] in dates:
            if dates[row["referral_id"]] < row["consultation_date"]:
                problems.append(Problem(
                    label, f"a consultation on or before its referral "
                    f"({dates[row['referral_id']]:%Y-%m-%d})", spreadsheet_row(idx),
                    "consultation_date", f"{row['consultation_date']:%Y-%m-%d}",
                    rule=CONSULTATION_BEFORE_REFERRAL))
        elif linked and not _late_in_year(row["consultation_date"]):
            problems.append(Problem(
                label, "an id in lado_referrals.csv column 'referral_id' (only a consultation "
                f"in the year's last {LATE_CONSULTATION_DAYS} days may lead to next year's "
                "referral)", spreadsheet_row(idx), "referral_id", row["referral_id"],
                rule=REFERRAL_LINK_EXISTS))
    return problems


def _late_in_year(day: pd.Timestamp) -> bool:
    """Whether ``day`` falls in the last days of the financial year it belongs to."""
    year_start = day.year if day.month >= 4 else day.year - 1
    year_end = pd.Timestamp(f"{year_start + 1}-03-31")
    return (year_end - day).days < LATE_CONSULTATION_DAYS


def referral_outcomes_consistent(frames: Mapping[str, pd.DataFrame]) -> list[Problem]:
    """'No further action' cannot sit with a police, disciplinary or DBS referral.

    Those outcomes are further action; recording both means one of them is wrong, and the
    outcome counts the report prints would then overstate what happened.
    """
    if "lado_referrals" not in frames:
        return []
    refs = frames["lado_referrals"]
    problems = []
    for idx, outcomes in refs["outcomes"].items():
        clash = [o for o in outcomes if o in FURTHER_ACTION]
        if "nfa" in outcomes and clash:
            problems.append(Problem(LADO_REFERRALS.filename,
                                    f"'nfa' only without {', '.join(FURTHER_ACTION)}",
                                    spreadsheet_row(idx), "outcomes", ";".join(outcomes),
                                    rule=NFA_ALONE))
    problems.extend(check_date_order(refs, LADO_REFERRALS, "referral_date", "closed_date",
                                     rule=REFERRAL_CLOSED_AFTER))
    return problems


def attendance_once_per_event(frames: Mapping[str, pd.DataFrame]) -> list[Problem]:
    """A professional is recorded once per event; a repeat row would count a place twice."""
    if "training_attendance" not in frames:
        return []
    att = frames["training_attendance"]
    repeated = att.duplicated(["event_id", "attendee_id"], keep="first")
    return [Problem(TRAINING_ATTENDANCE.filename,
                    f"each attendee once per event; {att.at[idx, 'attendee_id']} is already "
                    f"recorded at {att.at[idx, 'event_id']}", spreadsheet_row(idx),
                    "attendee_id", att.at[idx, "attendee_id"], rule=ATTENDEE_ONCE)
            for idx in att.index[repeated]]


def evaluations_within_attendance(frames: Mapping[str, pd.DataFrame]) -> list[Problem]:
    """An event cannot have more evaluation forms than attendees (forms entered twice)."""
    if "training_evaluations" not in frames or "training_attendance" not in frames:
        return []
    evals = frames["training_evaluations"]
    places = frames["training_attendance"].groupby("event_id")["attendee_id"].nunique()
    returned = evals.groupby("event_id").size()
    problems = []
    for event_id, count in returned.items():
        if count > places.get(event_id, 0):
            idx = evals.index[evals["event_id"] == event_id][-1]
            problems.append(Problem(
                TRAINING_EVALUATIONS.filename,
                f"no more evaluations for an event than attendees ({places.get(event_id, 0)} "
                f"in training_attendance.csv); found {count}", spreadsheet_row(idx),
                "event_id", str(event_id), rule=EVALUATIONS_WITHIN))
    return problems


def event_keys_once(frames: Mapping[str, pd.DataFrame]) -> list[Problem]:
    """Each named event appears at most once a year, so its figure comes from one event."""
    if "training_events" not in frames:
        return []
    events = frames["training_events"]
    keyed = events["event_key"].notna()
    repeated = keyed & events["event_key"].duplicated(keep="first")
    return [Problem(TRAINING_EVENTS.filename, "each event_key at most once a year",
                    spreadsheet_row(idx), "event_key", events.at[idx, "event_key"],
                    rule=EVENT_KEY_ONCE)
            for idx in events.index[repeated]]


def cross_checks(frames: Mapping[str, pd.DataFrame]) -> list[Problem]:
    """Every rule between (or across rows of) this domain's tables."""
    return [p for check in (consultation_referral_links, referral_outcomes_consistent,
                            attendance_once_per_event, evaluations_within_attendance,
                            event_keys_once)
            for p in check(frames)]


CROSS_CHECKS: tuple[Callable[[Mapping[str, pd.DataFrame]], list[Problem]], ...] = (cross_checks,)
