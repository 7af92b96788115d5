"""Children's social care beyond the front door: children in need, child protection,
children looked after (SSDA903 codes), care leavers, missing episodes and exploitation risk
assessments.

Each year's extract holds the records that were *live* during the reporting year, not only
those that began in it: a child protection plan open on 1 April is in the file with the
enquiry it came from, even if both started years earlier. That is how a case system
reports a year (the CIN census and SSDA903 work the same way), and it lets every link be
checked inside one year's folder: a plan always finds its section 47 enquiry, a missing
episode from care always finds the care episode it happened in. Indicators pick the rows
they count by date (started in the year, open at 31 March).

Codes are the national ones wherever a national return defines them: CIN census category of
abuse, SSDA903 reason for new episode, legal status, placement type, reason episode ceased,
review participation and the care leaver (OC3) codes. The pack's own codes (section 47
outcome, return home conversation, exploitation types) are listed here with their meaning.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from types import MappingProxyType

import numpy as np
import pandas as pd

from helpers.data.rules import rule
from helpers.data.schema_blocks import CHILD_ID, Column, Table
from helpers.data.validation import Problem, is_in, key_set, spreadsheet_row

# --- code lists ------------------------------------------------------------------------------

YES_NO = MappingProxyType({"Y": "Yes", "N": "No"})

# CIN census InitialCategoryOfAbuse / LatestCategoryOfAbuse.
CP_CATEGORY = MappingProxyType({
    "NEG": "neglect",
    "PHY": "physical abuse",
    "SAB": "sexual abuse",
    "EMO": "emotional abuse",
    "MUL": "multiple categories",
})

# Outcome of a section 47 enquiry. The CIN census records only whether an ICPC was held
# (DateOfInitialCPC) or not required (ICPCnotRequired); the pack splits "not required" the
# way the Standard Safeguarding Dataset does.
S47_OUTCOME = MappingProxyType({
    "ICPC": "initial child protection conference held",
    "CIN": "no conference; continue as a child in need",
    "NFA": "no further action",
})

# SSDA903 RNE: reason for new episode.
REASON_NEW_EPISODE = MappingProxyType({
    "S": "started to be looked after",
    "L": "change of legal status only",
    "P": "change of placement and carer(s) only",
    "T": "change of placement but same carer(s) only",
    "B": "change of legal status and of placement and carer(s) at the same time",
    "U": "change of legal status and of placement (same carer(s)) at the same time",
})

# RNE codes that begin a new placement (everything but a change of legal status alone).
NEW_PLACEMENT_RNE = frozenset({"S", "P", "T", "B", "U"})

# SSDA903 LS: legal status.
LEGAL_STATUS = MappingProxyType({
    "C1": "interim care order",
    "C2": "full care order",
    "D1": "freeing order granted",
    "E1": "placement order granted",
    "V2": "single period of accommodation under section 20",
    "V3": "series of short-term breaks: individual episodes",
    "V4": "series of short-term breaks: agreements recorded",
    "L1": "police protection and in local authority accommodation",
    "L2": "emergency protection order",
    "L3": "child assessment order and in local authority accommodation",
    "J1": "remanded to local authority or youth detention accommodation",
    "J2": "in local authority accommodation under PACE",
    "J3": "youth rehabilitation order with residence or intensive fostering requirement",
})

# Short breaks are not counted as being looked after at 31 March (DfE convention).
SHORT_BREAK_LS = frozenset({"V3", "V4"})

# SSDA903 PLACE: placement type.
PLACEMENT_TYPE = MappingProxyType({
    "A3": "placed for adoption with consent, with current foster carer(s)",
    "A4": "placed for adoption with consent, not with current foster carer(s)",
    "A5": "placed for adoption under a placement order, with current foster carer(s)",
    "A6": "placed for adoption under a placement order, not with current foster carer(s)",
    "H5": "supported accommodation (semi-independent living)",
    "K1": "secure children's home",
    "K2": "children's home",
    "P1": "placed with own parent(s) or person with parental responsibility",
    "P2": "independent living",
    "P3": "residential employment",
    "R1": "residential care home",
    "R2": "NHS or other medical or nursing establishment",
    "R3": "family centre or mother and baby unit",
    "R5": "young offender institution",
    "S1": "residential school",
    "T0": "temporary move: any",
    "T1": "temporary move: hospital",
    "T2": "temporary move: child on holiday",
    "T3": "temporary move: foster carer on holiday",
    "T4": "temporary move: 7 days or less, other",
    "U1": "foster placement with relative or friend: long term",
    "U2": "foster placement with relative or friend: fostering for adoption",
    "U3": "foster placement with relative or friend: other",
    "U4": "foster placement with other foster carer: long term",
    "U5": "foster placement with other foster carer: fostering for adoption",
    "U6": "foster placement with other foster carer: other",
    "Z1": "other placement",
})

# SSDA903 REC: reason episode ceased.
REASON_CEASED = MappingProxyType({
    "X1": "episode ends and a new one begins the same day (care continues)",
    "E11": "adopted: application unopposed",
    "E12": "adopted: consent dispensed with",
    "E13": "left care to live with parent(s), relative(s) or others without parental responsibility",
    "E14": "accommodation on remand ended",
    "E15": "age assessment found the child to be 18 or over",
    "E16": "child moved abroad",
    "E17": "aged 18 or over and remained with current carers",
    "E2": "died",
    "E3": "care taken by another local authority",
    "E41": "residence or child arrangements order granted",
    "E45": "special guardianship order: former foster carer, relative or friend",
    "E46": "special guardianship order: former foster carer, other",
    "E47": "special guardianship order: other carer, relative or friend",
    "E48": "special guardianship order: other carer, other",
    "E4A": "returned home to parent(s) as part of the care plan",
    "E4B": "returned home to parent(s) not as part of the care plan",
    "E5": "moved into independent living with supportive accommodation",
    "E6": "moved into independent living with no formalised support",
    "E7": "transferred to residential care funded by adult social services",
    "E8": "care ceased for any other reason",
    "E9": "sentenced to custody",
})

# SSDA903 REVIEW_CODE: participation in the looked-after review.
REVIEW_PARTICIPATION = MappingProxyType({
    "PN0": "child under 4 at the time of the review",
    "PN1": "attended and spoke for themselves",
    "PN2": "attended and an advocate spoke for them",
    "PN3": "attended and conveyed views non-verbally",
    "PN4": "attended but did not contribute views",
    "PN5": "did not attend but briefed an advocate",
    "PN6": "did not attend but conveyed views by other means",
    "PN7": "did not attend and views were not conveyed",
})

# Codes that mean the child's views reached the review (PN0 is outside the count).
CONTRIBUTED_PARTICIPATION = frozenset({"PN1", "PN2", "PN3", "PN5", "PN6"})

# SSDA903 OC3 codes for care leavers.
CARE_LEAVER_IN_TOUCH = MappingProxyType({
    "YES": "in touch", "NO": "not in touch", "DIED": "died",
    "REFU": "young person refuses contact", "NREQ": "no longer requires services",
    "RHOM": "returned home to parents for 6 months or more",
})
CARE_LEAVER_ACTIVITY = MappingProxyType({
    "F1": "higher education, full time", "P1": "higher education, part time",
    "F2": "other education, full time", "P2": "other education, part time",
    "F4": "training or employment, full time", "P4": "training or employment, part time",
    "F5": "apprenticeship, full time", "P5": "apprenticeship, part time",
    "G4": "not in education, employment or training: illness or disability",
    "G5": "not in education, employment or training: other reasons",
    "G6": "not in education, employment or training: pregnancy or parenting",
    "0": "not known",
})
CARE_LEAVER_ACCOMMODATION = MappingProxyType({
    "B": "with parents or relatives", "C": "community home or residential care",
    "D": "semi-independent transitional accommodation", "E": "supported lodgings",
    "G": "gone abroad", "H": "deported", "K": "ordinary lodgings without support",
    "R": "residence not known", "S": "no fixed abode or homeless", "T": "foyer or similar",
    "U": "independent living", "V": "emergency accommodation", "W": "bed and breakfast",
    "X": "in custody", "Y": "other", "Z": "with former foster carers", "0": "not known",
})

# Outcome of the return home conversation offered after a missing episode.
RHC_OUTCOME = MappingProxyType({
    "HELD": "conversation held",
    "DECL": "offered; the child declined",
    "NOTH": "offered; could not be completed",
    "NA": "not applicable (still missing at year end, in custody, or another area's child)",
})

EXPLOITATION_TOOL = MappingProxyType({
    "CSE": "child sexual exploitation risk assessment",
    "CCE": "child criminal exploitation risk assessment",
})

CSE_TYPES = MappingProxyType({
    "ONL": "online exploitation",
    "PEER": "peer-on-peer exploitation",
    "REL": "relationship (boyfriend) model",
    "GRP": "group or gang-associated exploitation",
    "TRAF": "trafficking for sexual exploitation",
})
CCE_TYPES = MappingProxyType({
    "YV": "youth violence",
    "DRG": "drug related",
    "THF": "forced theft/robbery",
    "FIN": "financial exploitation (money mules)",
    "OTH": "other criminal exploitation",
})
EXPLOITATION_TYPES = MappingProxyType({**CSE_TYPES, **CCE_TYPES})
TYPES_BY_TOOL: Mapping[str, Mapping[str, str]] = MappingProxyType(
    {"CSE": CSE_TYPES, "CCE": CCE_TYPES})

# --- tables ----------------------------------------------------------------------------------

_CHILD = Column("child_id", "id", CHILD_ID, references=("children", "child_id"))


def _yes_no(name: str, description: str, required: bool = True) -> Column:
    return Column(name, "code", description, required=required, codes=YES_NO, code_list="Y/N")


CIN_EPISODES = Table(
    name="cin_episodes",
    level="record",
    description=("Child in need episodes (children supported on a child in need plan) open at "
                 "any point in the year; the episode starts on the date of its referral."),
    key=("episode_id",),
    columns=(
        Column("episode_id", "id", "CIN episode id", unique=True),
        _CHILD,
        Column("referral_id", "id", "the referral that opened the episode"),
        Column("start_date", "date", "CINreferralDate: the date of that referral"),
        Column("initial_visit_date", "date", "date of the first visit; blank if none yet",
               required=False),
        Column("latest_visit_date", "date",
               "latest visit on or before the year end (or the episode's end); blank if none",
               required=False),
        Column("visit_frequency_days", "int", "days allowed between visits under the plan",
               minimum=1, maximum=92),
        Column("end_date", "date", "CINclosureDate; blank if open at the year end",
               required=False),
    ),
)

SECTION47 = Table(
    name="section47",
    level="record",
    description=("Section 47 enquiries that started in the year, held their initial child "
                 "protection conference (ICPC) in the year, or led to a plan open in the year."),
    key=("s47_id",),
    columns=(
        Column("s47_id", "id", "section 47 enquiry id", unique=True),
        _CHILD,
        Column("referral_id", "id", "the referral the enquiry followed"),
        Column("referral_date", "date", "date of that referral"),
        Column("start_date", "date", "S47ActualStartDate"),
        Column("outcome", "code", "what the enquiry led to", codes=S47_OUTCOME,
               code_list="section 47 outcomes"),
        Column("icpc_date", "date", "DateOfInitialCPC; blank if no conference",
               required=False),
    ),
)

CP_PLANS = Table(
    name="cp_plans",
    level="record",
    description="Child protection plans open at any point in the year (CIN census).",
    key=("plan_id",),
    columns=(
        Column("plan_id", "id", "plan id", unique=True),
        _CHILD,
        Column("s47_id", "id", "the section 47 enquiry whose conference made the plan",
               references=("section47", "s47_id")),
        Column("start_date", "date", "CPPstartDate (the date of the ICPC)"),
        Column("end_date", "date", "CPPendDate; blank if open at the year end", required=False),
        Column("initial_category", "code", "InitialCategoryOfAbuse", codes=CP_CATEGORY,
               code_list="CIN census category of abuse"),
        Column("latest_category", "code", "LatestCategoryOfAbuse", codes=CP_CATEGORY,
               code_list="CIN census category of abuse"),
    ),
)

CLA_EPISODES = Table(
    name="cla_episodes",
    level="record",
    description=("Looked-after episodes (SSDA903 episodes table) open at any point in the year. "
                 "A new episode starts whenever the placement or legal status changes."),
    key=("episode_id",),
    columns=(
        Column("episode_id", "id", "episode id", unique=True),
        _CHILD,
        Column("start_date", "date", "DECOM: date the episode began"),
        Column("end_date", "date", "DEC: date the episode ceased; blank if open at year end",
               required=False),
        Column("rne", "code", "RNE: reason for new episode", codes=REASON_NEW_EPISODE,
               code_list="SSDA903 reason for new episode"),
        Column("legal_status", "code", "LS: legal status", codes=LEGAL_STATUS,
               code_list="SSDA903 legal status"),
        Column("placement_type", "code", "PLACE: placement type", codes=PLACEMENT_TYPE,
               code_list="SSDA903 placement type"),
        Column("placement_distance_miles", "float",
               "straight-line distance from home to placement; blank if not recorded",
               required=False, minimum=0),
        _yes_no("uasc", "unaccompanied asylum-seeking child (including former UASC)"),
        Column("reason_ceased", "code", "REC: reason the episode ceased; blank if open",
               required=False, codes=REASON_CEASED, code_list="SSDA903 reason episode ceased"),
    ),
)

CLA_REVIEWS = Table(
    name="cla_reviews",
    level="record",
    description="Looked-after reviews held in the year (SSDA903 reviews table).",
    key=("review_id",),
    columns=(
        Column("review_id", "id", "review id", unique=True),
        _CHILD,
        Column("review_date", "date", "REVIEW: date of the review", in_year=True),
        Column("participation", "code", "REVIEW_CODE: how the child took part",
               codes=REVIEW_PARTICIPATION, code_list="SSDA903 review participation"),
    ),
)

CLA_VISITS = Table(
    name="cla_visits",
    level="record",
    description="Statutory visits to looked-after children that fell due in the year.",
    key=("visit_id",),
    columns=(
        Column("visit_id", "id", "visit id", unique=True),
        _CHILD,
        Column("due_date", "date", "date by which the visit was due", in_year=True),
        Column("visit_date", "date", "date of the visit; blank if not made by the year end",
               required=False),
    ),
)

CLA_HEALTH = Table(
    name="cla_health",
    level="record",
    description=("Health checks of children looked after continuously for at least 12 months "
                 "at 31 March (the SSDA903 OC2 cohort): one row per child, latest dates."),
    key=("child_id",),
    columns=(
        Column("child_id", "id", CHILD_ID, unique=True, references=("children", "child_id")),
        Column("health_assessment_date", "date", "latest health assessment; blank if none",
               required=False),
        Column("dental_check_date", "date", "latest dental check; blank if none",
               required=False),
        Column("development_check_date", "date",
               "latest developmental check (children under 5); blank if none or not applicable",
               required=False),
    ),
)

CARE_LEAVERS = Table(
    name="care_leavers",
    level="record",
    description=("Care leavers aged 18 to 25 open to the looked-after and care leavers service "
                 "at 31 March, with the SSDA903 OC3 information."),
    key=("child_id",),
    columns=(
        Column("child_id", "id", "pseudonymous id the young person had as a child",
               unique=True, references=("children", "child_id")),
        _yes_no("pa_allocated", "a personal adviser or worker is allocated"),
        Column("in_touch", "code", "IN_TOUCH", codes=CARE_LEAVER_IN_TOUCH,
               code_list="SSDA903 OC3 in touch"),
        Column("activity", "code", "ACTIV: main activity", codes=CARE_LEAVER_ACTIVITY,
               code_list="SSDA903 OC3 activity"),
        Column("accommodation", "code", "ACCOM: type of accommodation",
               codes=CARE_LEAVER_ACCOMMODATION, code_list="SSDA903 OC3 accommodation"),
        _yes_no("accommodation_suitable", "the accommodation is judged suitable"),
    ),
)

MISSING_EPISODES = Table(
    name="missing_episodes",
    level="record",
    description="Episodes of children reported missing that began in the year.",
    key=("episode_id",),
    columns=(
        Column("episode_id", "id", "missing episode id", unique=True),
        _CHILD,
        Column("start_date", "date", "date the child went missing", in_year=True),
        Column("duration_hours", "float", "hours until the child was found or returned",
               minimum=0),
        _yes_no("looked_after", "missing from a care placement (the child was looked after)"),
        Column("rhc", "code", "return home conversation", codes=RHC_OUTCOME,
               code_list="return home conversation outcomes"),
    ),
)

EXPLOITATION_ASSESSMENTS = Table(
    name="exploitation_assessments",
    level="record",
    description="Child sexual and criminal exploitation risk assessments completed in the year.",
    optional=True,
    key=("assessment_id",),
    columns=(
        Column("assessment_id", "id", "risk assessment id", unique=True),
        _CHILD,
        Column("tool", "code", "which risk assessment tool", codes=EXPLOITATION_TOOL,
               code_list="exploitation risk tools"),
        Column("assessment_date", "date", "date the assessment was completed", in_year=True),
        Column("initial_score", "int", "risk score at assessment", minimum=0, maximum=100),
        Column("review_date", "date", "date of the review assessment; blank if none yet",
               required=False),
        Column("review_score", "int", "risk score at review; blank if no review",
               required=False, minimum=0, maximum=100),
        Column("exploitation_types", "codes", "types of exploitation identified",
               codes=EXPLOITATION_TYPES, code_list="exploitation types",
               long_table="exploitation_types"),
    ),
)

TABLES: tuple[Table, ...] = (
    CIN_EPISODES, SECTION47, CP_PLANS, CLA_EPISODES, CLA_REVIEWS, CLA_VISITS, CLA_HEALTH,
    CARE_LEAVERS, MISSING_EPISODES, EXPLOITATION_ASSESSMENTS,
)

# Indicators this domain adds to the comparator (benchmarks) table: code -> meaning.
BENCHMARK_INDICATORS: dict[str, str] = {
    "cpp_rate_per_10k": "children subject to a child protection plan at 31 March per 10,000 aged 0-17",
    "cpp_starts_rate_per_10k": "child protection plans starting in the year per 10,000 aged 0-17",
    "cpp_rate_per_10k_neglect": ("child protection plans starting in the year with initial "
                                 "category neglect per 10,000 aged 0-17"),
    "cpp_rate_per_10k_sexual_abuse": ("child protection plans starting in the year with initial "
                                      "category sexual abuse per 10,000 aged 0-17"),
    "cla_rate_per_10k": "children looked after at 31 March per 10,000 aged 0-17",
}

# --- cross-table rules -------------------------------------------------------------------------

S47 = ("section47",)
S47_AFTER_REFERRAL = rule("CIN-101", "a section 47 enquiry starts on or after its referral", S47)
ICPC_AFTER_S47 = rule("CIN-102", "an initial child protection conference (ICPC) is held on or "
                      "after its section 47 enquiry starts", S47)
ICPC_DATE_GIVEN = rule("CIN-103", "an enquiry whose outcome is ICPC gives the conference date", S47)
ICPC_OUTCOME = rule("CIN-104", "a conference date is given only when the outcome is ICPC", S47)
REFERRAL_SAME_CHILD = rule("CIN-105", "a record that follows a referral in this year's "
                           "referrals is for the same child", ("section47", "cin_episodes"))
REFERRAL_SAME_DATE = rule("CIN-106", "a record that follows a referral in this year's referrals "
                          "carries that referral's date", ("section47", "cin_episodes"))
PLAN_AT_ICPC = rule("CIN-111", "a child protection plan starts on the date of its enquiry's "
                    "ICPC", ("cp_plans", "section47"))
PLAN_SAME_CHILD = rule("CIN-112", "a child protection plan is for the child of its section 47 "
                       "enquiry", ("cp_plans", "section47"))
PLAN_END_ORDER = rule("CIN-113", "a child protection plan ends on or after it starts", ("cp_plans",))
PLAN_OVERLAP = rule("CIN-114", "a child's child protection plans do not overlap", ("cp_plans",))
CIN_FIRST_VISIT = rule("CIN-121", "a CIN episode's first visit is on or after it starts",
                       ("cin_episodes",))
CIN_LATEST_VISIT = rule("CIN-122", "a CIN episode's latest visit is on or after its first visit",
                        ("cin_episodes",))
CIN_END_ORDER = rule("CIN-123", "a CIN episode ends on or after it starts", ("cin_episodes",))
CIN_VISIT_BEFORE_END = rule("CIN-124", "a CIN episode's latest visit is on or before it ends",
                            ("cin_episodes",))
CLA_END_ORDER = rule("CLA-101", "a looked-after episode ends on or after it starts",
                     ("cla_episodes",))
CLA_OVERLAP = rule("CLA-102", "a child's looked-after episodes do not overlap (one may start "
                   "the day the previous ends)", ("cla_episodes",))
CLA_REASON = rule("CLA-103", "an episode has a reason ceased exactly when it has an end date",
                  ("cla_episodes",))
CLA_REVIEW_IN_CARE = rule("CLA-104", "a looked-after review is held while the child is looked "
                          "after", ("cla_reviews", "cla_episodes"))
CLA_VISIT_IN_CARE = rule("CLA-105", "a statutory visit falls due while the child is looked after",
                         ("cla_visits", "cla_episodes"))
CLA_HEALTH_COHORT = rule("CLA-106", "a child in the health cohort was looked after for the whole "
                         "year to 31 March", ("cla_health", "cla_episodes"))
MISSING_FROM_CARE = rule("CLA-107", "a missing episode marked as from care starts while the child "
                         "is looked after", ("missing_episodes", "cla_episodes"))
LEAVER_AGE = rule("CLA-108", "a care leaver is aged 18 or over at 31 March",
                  ("care_leavers", "children"))
EXP = ("exploitation_assessments",)
EXP_REVIEW_ORDER = rule("EXP-101", "an exploitation review is on or after the assessment", EXP)
EXP_REVIEW_SCORE = rule("EXP-102", "a review score is given exactly when there is a review date",
                        EXP)
EXP_TYPES = rule("EXP-103", "an exploitation assessment lists only its own tool's types", EXP)


def _row_problems(table: Table, mask: pd.Series, column: str, expected: str,
                  values: pd.Series, *, rule: str) -> list[Problem]:
    """One Problem per flagged row, naming the spreadsheet row, the value and the rule."""
    return [Problem(table.filename, expected, spreadsheet_row(idx), column, _text(values[idx]),
                    rule=rule)
            for idx in mask.index[mask.fillna(False).astype(bool).to_numpy()]]


def _text(value: object) -> str:
    if value is None or (not isinstance(value, str | list) and pd.isna(value)):
        return ""
    if isinstance(value, pd.Timestamp):
        return value.strftime("%Y-%m-%d")
    return str(value)


def year_end(frames: Mapping[str, pd.DataFrame]) -> pd.Timestamp | None:
    """31 March of the extract's reporting year, read from the referrals' in-year dates.

    Cross-checks are given the year's tables but not the year; referral dates are checked
    to lie inside the year, so any one of them fixes it.
    """
    referrals = frames.get("referrals")
    if referrals is None or referrals.empty or referrals["referral_date"].isna().all():
        return None
    first = referrals["referral_date"].min()
    start = first.year if first.month >= 4 else first.year - 1
    return pd.Timestamp(f"{start + 1}-03-31")


def _referral_link_problems(frame: pd.DataFrame, table: Table,
                            referrals: pd.DataFrame | None) -> list[Problem]:
    """The record's referral, when it is in this year's referrals, is the same child's and
    has the date the record says (referral ids from earlier years cannot be checked here)."""
    if referrals is None or frame.empty:
        return []
    date_col = "referral_date" if "referral_date" in frame.columns else "start_date"
    # Only the referrals this table points at: the front door may hold a million.
    linked = referrals[is_in(referrals["referral_id"], key_set(frame["referral_id"]))]
    known = linked.set_index("referral_id")[["child_id", "referral_date"]]
    found = is_in(frame["referral_id"], key_set(linked["referral_id"]))
    child = frame["referral_id"].map(known["child_id"])
    date = frame["referral_id"].map(known["referral_date"])
    problems = _row_problems(table, found & (child != frame["child_id"]), "child_id",
                             "the same child as the referral it follows (referrals.csv)",
                             frame["child_id"], rule=REFERRAL_SAME_CHILD)
    problems += _row_problems(table, found & (date != frame[date_col]), date_col,
                              "the date of the referral it follows (referrals.csv)",
                              frame[date_col], rule=REFERRAL_SAME_DATE)
    return problems


def _order_problems(frame: pd.DataFrame, table: Table, earlier: str, later: str, *,
                    rule: str) -> list[Problem]:
    """Rows where ``later`` is before ``earlier`` (blank dates are not compared)."""
    bad = frame[later] < frame[earlier]
    return _row_problems(table, bad, later, f"a date on or after {earlier}", frame[later],
                         rule=rule)


def _overlap_problems(frame: pd.DataFrame, table: Table, what: str, *, rule: str) -> list[Problem]:
    """A child's records (start_date, end_date) must not overlap; an open one must be last.

    A record may start on the day the previous one ended (SSDA903 episodes do, with X1).
    """
    if frame.empty:
        return []
    ordered = frame.sort_values(["child_id", "start_date", "end_date"], na_position="last")
    prev_end = ordered.groupby("child_id")["end_date"].shift()
    prev_open = ordered.groupby("child_id")["end_date"].shift().isna() & \
        ordered.groupby("child_id").cumcount().gt(0)
    bad = (ordered["start_date"] < prev_end) | prev_open
    bad = bad.reindex(frame.index)
    return _row_problems(table, bad, "start_date",
                         f"a date after the end of the same child's previous {what} "
                         f"({what}s of one child cannot overlap)", frame["start_date"], rule=rule)


def _looked_after_on(episodes: pd.DataFrame, child: pd.Series, on: pd.Series) -> pd.Series:
    """True where the child has a looked-after episode covering the date (start <= d < end)."""
    pairs = pd.DataFrame({"child_id": child.values, "on": on.values, "row": child.index})
    merged = pairs.merge(episodes[["child_id", "start_date", "end_date"]], on="child_id",
                         how="left")
    inside = (merged["start_date"] <= merged["on"]) & (
        merged["end_date"].isna() | (merged["end_date"] > merged["on"]))
    return inside.groupby(merged["row"]).any().reindex(child.index, fill_value=False)


def _section47_problems(frames: Mapping[str, pd.DataFrame]) -> list[Problem]:
    s47 = frames.get("section47")
    if s47 is None:
        return []
    problems = _order_problems(s47, SECTION47, "referral_date", "start_date",
                               rule=S47_AFTER_REFERRAL)
    problems += _order_problems(s47, SECTION47, "start_date", "icpc_date", rule=ICPC_AFTER_S47)
    held = s47["outcome"] == "ICPC"
    problems += _row_problems(SECTION47, held & s47["icpc_date"].isna(), "icpc_date",
                              "the conference date, as the outcome is ICPC", s47["icpc_date"],
                              rule=ICPC_DATE_GIVEN)
    problems += _row_problems(SECTION47, ~held & s47["icpc_date"].notna(), "outcome",
                              "ICPC, as a conference date is given", s47["outcome"],
                              rule=ICPC_OUTCOME)
    problems += _referral_link_problems(s47, SECTION47, frames.get("referrals"))
    return problems


def _cp_plan_problems(frames: Mapping[str, pd.DataFrame]) -> list[Problem]:
    plans, s47 = frames.get("cp_plans"), frames.get("section47")
    if plans is None or s47 is None:
        return []
    linked = s47.set_index("s47_id")
    found = is_in(plans["s47_id"], key_set(s47["s47_id"]))
    icpc = plans["s47_id"].map(linked["icpc_date"])
    child = plans["s47_id"].map(linked["child_id"])
    problems = _row_problems(CP_PLANS, found & (plans["start_date"] != icpc), "start_date",
                             "the date of the plan's initial conference (section47.csv "
                             "icpc_date): a plan starts at its ICPC", plans["start_date"],
                             rule=PLAN_AT_ICPC)
    problems += _row_problems(CP_PLANS, found & (child != plans["child_id"]), "child_id",
                              "the child of the section 47 enquiry (section47.csv)",
                              plans["child_id"], rule=PLAN_SAME_CHILD)
    problems += _order_problems(plans, CP_PLANS, "start_date", "end_date", rule=PLAN_END_ORDER)
    problems += _overlap_problems(plans, CP_PLANS, "plan", rule=PLAN_OVERLAP)
    return problems


def _cin_problems(frames: Mapping[str, pd.DataFrame]) -> list[Problem]:
    cin = frames.get("cin_episodes")
    if cin is None:
        return []
    problems = _order_problems(cin, CIN_EPISODES, "start_date", "initial_visit_date",
                               rule=CIN_FIRST_VISIT)
    problems += _order_problems(cin, CIN_EPISODES, "initial_visit_date", "latest_visit_date",
                                rule=CIN_LATEST_VISIT)
    problems += _order_problems(cin, CIN_EPISODES, "start_date", "end_date", rule=CIN_END_ORDER)
    after_end = cin["latest_visit_date"] > cin["end_date"]
    problems += _row_problems(CIN_EPISODES, after_end, "latest_visit_date",
                              "a visit on or before the episode's end_date",
                              cin["latest_visit_date"], rule=CIN_VISIT_BEFORE_END)
    problems += _referral_link_problems(cin, CIN_EPISODES, frames.get("referrals"))
    return problems


def _cla_problems(frames: Mapping[str, pd.DataFrame]) -> list[Problem]:
    episodes = frames.get("cla_episodes")
    if episodes is None:
        return []
    problems = _order_problems(episodes, CLA_EPISODES, "start_date", "end_date",
                               rule=CLA_END_ORDER)
    problems += _overlap_problems(episodes, CLA_EPISODES, "episode", rule=CLA_OVERLAP)
    mismatch = episodes["end_date"].isna() != episodes["reason_ceased"].isna()
    problems += _row_problems(CLA_EPISODES, mismatch, "reason_ceased",
                              "a reason exactly when the episode has an end_date",
                              episodes["reason_ceased"], rule=CLA_REASON)
    for name, table, column, code in (("cla_reviews", CLA_REVIEWS, "review_date", CLA_REVIEW_IN_CARE),
                                      ("cla_visits", CLA_VISITS, "due_date", CLA_VISIT_IN_CARE)):
        frame = frames.get(name)
        if frame is None or frame.empty:
            continue
        inside = _looked_after_on(episodes, frame["child_id"], frame[column])
        problems += _row_problems(table, ~inside, column,
                                  "a date on which the child was looked after (cla_episodes.csv)",
                                  frame[column], rule=code)
    problems += _cla_health_problems(frames, episodes)
    return problems


def _care_started(episodes: pd.DataFrame) -> pd.Series:
    """For each child with an open episode, the start of that period of care: the open
    episode's start, walked back through episodes that end on the day the next begins.

    Worked on whole columns, not child by child: a loop over groups cost ~0.3 s a year,
    more than every other cross-table check together. Indexed by child_id.
    """
    ordered = episodes.sort_values(["child_id", "start_date"])
    ordered = ordered[ordered["child_id"].notna()]
    if ordered.empty:
        return pd.Series(dtype=ordered["start_date"].dtype)
    ids = ordered["child_id"].to_numpy(dtype=object)
    starts = ordered["start_date"].to_numpy()
    ends = ordered["end_date"].to_numpy()
    same_child = ids[1:] == ids[:-1]
    # a row carries on the period of care of the row before it (NaT never equals a date)
    carries_on = np.r_[False, same_child & (ends[:-1] == starts[1:])]
    rows = np.arange(len(ids))
    first_of_period = np.maximum.accumulate(np.where(carries_on, 0, rows))
    open_now = np.r_[~same_child, True] & pd.isna(ends)
    return pd.Series(starts[first_of_period[open_now]], index=ids[open_now])


def _cla_health_problems(frames: Mapping[str, pd.DataFrame],
                         episodes: pd.DataFrame) -> list[Problem]:
    """Everyone in cla_health was looked after throughout the year, to its last day."""
    health, end = frames.get("cla_health"), year_end(frames)
    if health is None or health.empty or end is None:
        return []
    first_day = end - pd.DateOffset(years=1) + pd.Timedelta(days=1)
    # reindex, not map: map gives float NaN for an empty lookup (no open episode at all),
    # which cannot be compared with a date
    started = _care_started(episodes).reindex(health["child_id"]).set_axis(health.index)
    return _row_problems(CLA_HEALTH, started.isna() | (started > first_day), "child_id",
                         "a child looked after continuously for the whole year to 31 March "
                         "(cla_episodes.csv)", health["child_id"], rule=CLA_HEALTH_COHORT)


def _missing_problems(frames: Mapping[str, pd.DataFrame]) -> list[Problem]:
    missing, episodes = frames.get("missing_episodes"), frames.get("cla_episodes")
    if missing is None or episodes is None or missing.empty:
        return []
    from_care = missing["looked_after"] == "Y"
    inside = _looked_after_on(episodes, missing["child_id"], missing["start_date"])
    return _row_problems(MISSING_EPISODES, from_care & ~inside, "looked_after",
                         "N, as the child was not looked after on start_date (cla_episodes.csv)",
                         missing["looked_after"], rule=MISSING_FROM_CARE)


def _exploitation_problems(frames: Mapping[str, pd.DataFrame]) -> list[Problem]:
    frame = frames.get("exploitation_assessments")
    if frame is None:
        return []
    table = EXPLOITATION_ASSESSMENTS
    problems = _order_problems(frame, table, "assessment_date", "review_date",
                               rule=EXP_REVIEW_ORDER)
    mismatch = frame["review_date"].isna() != frame["review_score"].isna()
    problems += _row_problems(table, mismatch, "review_score",
                              "a score exactly when there is a review_date", frame["review_score"],
                              rule=EXP_REVIEW_SCORE)
    for idx, (tool, types) in frame[["tool", "exploitation_types"]].iterrows():
        wrong = [t for t in types if t not in TYPES_BY_TOOL.get(tool, {})]
        if wrong:
            problems.append(Problem(
                table.filename, f"types of the {tool} tool ({', '.join(TYPES_BY_TOOL[tool])})",
                spreadsheet_row(idx), "exploitation_types", ";".join(wrong), rule=EXP_TYPES))
    return problems


def _care_leaver_problems(frames: Mapping[str, pd.DataFrame]) -> list[Problem]:
    leavers, children, end = frames.get("care_leavers"), frames.get("children"), year_end(frames)
    if leavers is None or children is None or end is None or leavers.empty:
        return []
    leaving = children[is_in(children["child_id"], key_set(leavers["child_id"]))]
    births = leaving.set_index("child_id")["birth_month"]
    born = pd.to_datetime(leavers["child_id"].map(births), format="%Y-%m", errors="coerce")
    too_young = born > end - pd.DateOffset(years=18)
    return _row_problems(CARE_LEAVERS, too_young, "child_id",
                         "a young person aged 18 or over at 31 March (children.csv birth_month)",
                         leavers["child_id"], rule=LEAVER_AGE)


def cross_checks(frames: Mapping[str, pd.DataFrame]) -> list[Problem]:
    """Rules between this domain's tables, and with the front door's referrals.

    - a section 47 enquiry follows its referral (same child, same date when the referral is
      in this year's file), and an ICPC follows the enquiry;
    - a plan starts on its enquiry's ICPC date, for the same child; a child's plans, and a
      child's looked-after episodes, never overlap;
    - CIN visits fall inside the episode; reviews, visits and missing-from-care episodes
      happen while the child is looked after; the health cohort was looked after all year;
    - an exploitation assessment lists only its own tool's types; care leavers are 18+.
    """
    problems: list[Problem] = []
    for check in (_section47_problems, _cp_plan_problems, _cin_problems, _cla_problems,
                  _missing_problems, _exploitation_problems, _care_leaver_problems):
        problems.extend(check(frames))
    return problems


CROSS_CHECKS: tuple[Callable[[Mapping[str, pd.DataFrame]], list[Problem]], ...] = (cross_checks,)
