"""Synthetic demo data: LADO consultations, referrals and workshops; training events,
attendance and evaluations; and the training partners' return.

Called by ``helpers.demo.generator.build`` with the front door's ``DemoContext``. Nothing here
involves a child, so the only thing taken from the context is this domain's own random
stream (``ctx.rng(2)``) and the list of years.

Calibration follows the rest of the demo: every count and share the report states is
allocated exactly (``allocate``), and randomness only decides which record carries it. The
parameters below are the report's figures for 2024-25 and its comparisons with earlier
years (LADO referrals 104 -> 125, neglect 2.8% of allegation categories in 2023-24 then
higher, training reach 559 -> 676 professionals); the rest are plausible values in keeping
with what the text says (referrals rising, police take-up of training low, agency mix
similar over the years).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from helpers.config import Year
from helpers.demo.common import DemoContext, Stage, allocate, draw_labels

DOMAIN = 2

# Stages whose ethnic or sex mix the demo must reproduce: none, as no child appears here.
STAGES: tuple[Stage, ...] = ()


@dataclass(frozen=True)
class LadoYear:
    """One year of LADO work, in the report's terms."""

    consultations: int
    progressed: int                      # consultations that became a formal referral
    referrals: int
    categories: Mapping[str, int]        # category mentions; the excess over referrals is
                                         # the number of referrals with two categories
    outcomes: Mapping[str, int]          # see _outcome_lists for how they combine
    workshops: int
    workshop_attendees: int
    workshop_audiences: Mapping[str, float]


# Referrals by sector of the adult's work, and consultations by sector of the setting
# ("most consultations were with schools, nurseries and health settings").
_REFERRAL_SECTORS = {"education": 0.36, "early_years": 0.16, "health": 0.12, "social_care": 0.09,
                     "voluntary": 0.07, "faith": 0.05, "sport": 0.05, "transport": 0.04,
                     "police": 0.03, "other": 0.03}
_CONSULTATION_SECTORS = {"education": 0.38, "early_years": 0.18, "health": 0.14,
                         "social_care": 0.08, "voluntary": 0.07, "faith": 0.05, "sport": 0.04,
                         "transport": 0.02, "police": 0.02, "other": 0.02}
_EARLY_AUDIENCES = {"education": 0.5, "early_years": 0.3, "health": 0.2}
_WIDER_AUDIENCES = {"education": 0.3, "voluntary": 0.2, "faith": 0.2, "health": 0.2,
                    "early_years": 0.1}


def _outcomes(asv: int, nfa: int, police: int, disciplinary: int, complaint: int, csc: int,
              dbs: int) -> dict[str, int]:
    return {"asv_meeting": asv, "nfa": nfa, "police": police, "disciplinary": disciplinary,
            "complaint_elsewhere": complaint, "csc": csc, "dbs": dbs}


# 2024-25 outcome counts are the report's (55, 31, 19, 9, 9, 6, 70: 199 outcomes for 125
# referrals). ASV meetings and NFA add up to the referrals, so the demo gives every referral
# exactly one of the two; police, disciplinary and DBS follow an ASV meeting, complaints an
# NFA. Earlier years keep roughly the same proportions.
LADO: Mapping[str, LadoYear] = {
    "2020-21": LadoYear(131, 17, 71, {"physical": 33, "sexual": 22, "emotional": 15, "neglect": 3},
                        _outcomes(31, 40, 18, 11, 5, 5, 3), 4, 41, _EARLY_AUDIENCES),
    "2021-22": LadoYear(146, 18, 83, {"physical": 38, "sexual": 26, "emotional": 18, "neglect": 3},
                        _outcomes(36, 47, 21, 12, 6, 6, 4), 7, 70, _EARLY_AUDIENCES),
    "2022-23": LadoYear(158, 18, 95, {"physical": 44, "sexual": 30, "emotional": 20, "neglect": 4},
                        _outcomes(42, 53, 24, 14, 7, 7, 5), 9, 96, _EARLY_AUDIENCES),
    # 3 neglect mentions among 107 (104 referrals, 3 with two categories): 2.8%.
    "2023-24": LadoYear(167, 18, 104, {"physical": 49, "sexual": 33, "emotional": 22, "neglect": 3},
                        _outcomes(46, 58, 26, 16, 7, 8, 5), 11, 118, _WIDER_AUDIENCES),
    # 178 consultations, 18 progressing (10%); neglect rises to 7 of 131 (5.3%).
    "2024-25": LadoYear(178, 18, 125, {"physical": 57, "sexual": 38, "emotional": 29, "neglect": 7},
                        _outcomes(55, 70, 31, 19, 9, 9, 6), 15, 158, _WIDER_AUDIENCES),
}


@dataclass(frozen=True)
class NamedEvent:
    """An event the report describes by name (found by ``event_key``)."""

    key: str
    title: str
    date: str
    format: str
    delivery: str
    theme: str
    attendees: int


@dataclass(frozen=True)
class TrainingYear:
    """One year of the multi-agency training programme."""

    events: int
    professionals: int                   # distinct professionals attending
    attendances: int                     # places taken (a professional may attend twice)
    evaluations: int
    good_or_excellent: float             # share of evaluations rated good or excellent
    equal_opportunities: float           # share of answers agreeing (Y)
    met_aims: float                      # share of answers agreeing (Y)
    virtual: float                       # share of events delivered online
    agencies: Mapping[str, float]        # agency mix of the year's professionals
    named: Sequence[NamedEvent] = ()
    community_people: int = 0
    community_sessions: int = 0
    dsl_trained: int = 0
    dsl_recognise_respond_pct: float = 100.0


def _agencies(la: float, health: float, education: float, vcs: float, police: float) -> dict:
    return {"local_authority": la, "health": health, "education": education, "vcs": vcs,
            "police": police, "other": round(1 - la - health - education - vcs - police, 4)}


_NAMED_2024 = (
    NamedEvent("info_sharing_workshop", "Workshop: confident information sharing and joint working",
               "2024-06-13", "workshop", "virtual", "information_sharing", 26),
    NamedEvent("cla_conference", "Conference: care-experienced people and their mental health",
               "2024-09-19", "conference", "in_person", "care_experienced", 86),
    NamedEvent("da_learning_event", "Learning event: a local domestic abuse safeguarding incident",
               "2024-11-14", "event", "in_person", "domestic_abuse", 35),
    NamedEvent("mh_lunch_learn", "Lunch and learn: children's and adult mental health services "
               "working together", "2025-02-06", "event", "virtual", "mental_health", 30),
)

# 559 professionals in 2023-24 and 676 in 2024-25: reach up 20.9%, which the report rounds
# to 21%. 95% of evaluations good or excellent and 99% agreeing on equal opportunities.
TRAINING: Mapping[str, TrainingYear] = {
    "2020-21": TrainingYear(24, 430, 478, 310, 0.93, 0.97, 0.95, 1.0,
                            _agencies(0.32, 0.25, 0.22, 0.10, 0.03), (), 212, 38, 118, 98),
    "2021-22": TrainingYear(27, 488, 548, 360, 0.94, 0.98, 0.96, 0.8,
                            _agencies(0.31, 0.26, 0.23, 0.10, 0.02), (), 241, 42, 127, 99),
    "2022-23": TrainingYear(29, 521, 590, 395, 0.94, 0.98, 0.96, 0.55,
                            _agencies(0.31, 0.27, 0.22, 0.09, 0.03), (), 263, 46, 133, 100),
    "2023-24": TrainingYear(30, 559, 640, 430, 0.96, 0.99, 0.97, 0.45,
                            _agencies(0.30, 0.26, 0.23, 0.11, 0.03), (), 281, 48, 139, 99),
    "2024-25": TrainingYear(32, 676, 790, 540, 0.95, 0.99, 0.97, 0.40,
                            _agencies(0.31, 0.26, 0.22, 0.11, 0.02), _NAMED_2024, 298, 51, 146, 100),
}
_RETURNING = 0.22         # share of a year's professionals who attended in an earlier year
_EXCELLENT = 0.58         # of good-or-excellent ratings
_POOR = 0.15              # of satisfactory-or-poor ratings
_ANSWERED = 0.98          # evaluations answering the equal-opportunities / aims questions
_DSL_SETTINGS = {"early years": 0.26, "primary": 0.36, "secondary": 0.23, "further education": 0.15}

# Regular programme: (theme, format, title). Core and DSL courses run several times a year.
_PROGRAMME = (
    ("core", "course", "Working together to safeguard children: multi-agency foundation"),
    ("core", "course", "Safeguarding children: multi-agency refresher"),
    ("dsl", "course", "Designated safeguarding lead: new to the role"),
    ("dsl", "course", "Designated safeguarding lead: two-yearly update"),
    ("allegations", "course", "Managing allegations against staff and volunteers"),
    ("exploitation", "course", "Child exploitation and contextual safeguarding"),
    ("neglect", "course", "Recognising and responding to neglect"),
    ("domestic_abuse", "course", "Domestic abuse and its impact on children"),
    ("mental_health", "course", "Parental mental health and children"),
    ("online_safety", "workshop", "Keeping children safe online"),
    ("harmful_practices", "course", "Harmful practices: FGM, forced marriage and honour-based abuse"),
    ("send", "course", "Safeguarding disabled children and children with SEND"),
    ("race_equity", "workshop", "Anti-racist safeguarding practice"),
    ("sexual_abuse", "course", "Child sexual abuse within the family environment"),
    ("care_experienced", "course", "Transitional safeguarding for care-experienced young people"),
)


def generate(ctx: DemoContext) -> dict[str, dict[str, pd.DataFrame]]:
    """Tables for each demo year: {year: {table name: frame}}."""
    rng = ctx.rng(DOMAIN)
    pool: list[str] = []  # agency of every professional seen so far, by index
    out = {}
    for year in ctx.years:
        lado, training = LADO[year], TRAINING[year]
        referrals = _lado_referrals(rng, year, lado)
        events = _training_events(rng, year, training)
        attendance = _attendance(rng, year, training, events, pool)
        out[year] = {
            "lado_consultations": _lado_consultations(rng, year, lado, referrals),
            "lado_referrals": referrals,
            "lado_workshops": _lado_workshops(rng, year, lado),
            "training_events": events.drop(columns="_size"),
            "training_attendance": attendance,
            "training_evaluations": _evaluations(rng, year, training, events),
            "training_partners": _training_partners(year, training),
        }
    return out


# --- LADO ----------------------------------------------------------------------------------


def _dates(rng: np.random.Generator, year: str, n: int, weekdays: bool = False) -> list[pd.Timestamp]:
    """``n`` dates in the financial year, sorted; weekend dates moved to a weekday if asked."""
    start = pd.Timestamp(Year.parse(year).first_day)
    days = [start + pd.Timedelta(days=int(d)) for d in np.sort(rng.integers(0, 365, n))]
    return sorted(_weekday(d, start) for d in days) if weekdays else days


def _weekday(day: pd.Timestamp, year_start: pd.Timestamp) -> pd.Timestamp:
    """The nearest weekday to ``day`` in the same financial year (Saturday back, Sunday on)."""
    if day.day_of_week < 5:
        return day
    shifted = day + pd.Timedelta(days=-1 if day.day_of_week == 5 else 1)
    if not year_start <= shifted < year_start + pd.DateOffset(years=1):
        shifted = day + pd.Timedelta(days=2 if day.day_of_week == 5 else -2)
    return shifted


def _category_lists(rng: np.random.Generator, n: int, mentions: Mapping[str, int]) -> list[list[str]]:
    """Give ``n`` referrals the exact category mentions: one each, a second for the excess."""
    labels = [str(x) for x in draw_labels(rng, mentions)]
    lists = [[c] for c in labels[:n]]
    for category in labels[n:]:
        free = [i for i, cats in enumerate(lists) if len(cats) == 1 and category not in cats]
        lists[int(rng.choice(free))].append(category)
    return lists


def _outcome_lists(rng: np.random.Generator, n: int, counts: Mapping[str, int]) -> list[list[str]]:
    """Exact outcome counts combined as LADO work runs.

    Each referral either goes to an ASV meeting or ends with no further action; police and
    disciplinary referrals follow an ASV meeting, a DBS referral follows disciplinary action,
    a complaint passed elsewhere ends in NFA, and a referral to children's social care can
    go with either.
    """
    if counts["asv_meeting"] + counts["nfa"] != n:
        raise ValueError("ASV meetings and NFA must add up to the referrals")
    order = rng.permutation(n)
    asv, nfa = order[: counts["asv_meeting"]], order[counts["asv_meeting"]:]
    lists: list[list[str]] = [[] for _ in range(n)]
    for i in asv:
        lists[i].append("asv_meeting")
    for i in nfa:
        lists[i].append("nfa")
    disciplinary = rng.choice(asv, counts["disciplinary"], replace=False)
    chosen = {
        "police": rng.choice(asv, counts["police"], replace=False),
        "disciplinary": disciplinary,
        "dbs": rng.choice(disciplinary, counts["dbs"], replace=False),
        "complaint_elsewhere": rng.choice(nfa, counts["complaint_elsewhere"], replace=False),
        "csc": rng.choice(n, counts["csc"], replace=False),
    }
    for outcome, idx in chosen.items():
        for i in idx:
            lists[i].append(outcome)
    order_of = {o: k for k, o in enumerate(("asv_meeting", "police", "disciplinary", "dbs",
                                            "csc", "complaint_elsewhere", "nfa"))}
    return [sorted(x, key=order_of.__getitem__) for x in lists]


def _lado_referrals(rng: np.random.Generator, year: str, p: LadoYear) -> pd.DataFrame:
    dates = _dates(rng, year, p.referrals, weekdays=True)
    sectors = draw_labels(rng, allocate(p.referrals, _REFERRAL_SECTORS))
    categories = _category_lists(rng, p.referrals, p.categories)
    outcomes = _outcome_lists(rng, p.referrals, p.outcomes)
    year_end = pd.Timestamp(Year.parse(year).last_day)
    closed = []
    for on, outs in zip(dates, outcomes, strict=True):
        # Most close within three months; police investigations take longer.
        long_case = "police" in outs or rng.random() < 0.1
        days = int(rng.integers(95, 300) if long_case else rng.integers(7, 90))
        end = on + pd.Timedelta(days=days)
        closed.append(end.strftime("%Y-%m-%d") if end <= year_end else "")
    return pd.DataFrame({
        "referral_id": [f"LR-{year[:4]}-{i + 1:03d}" for i in range(p.referrals)],
        "referral_date": [d.strftime("%Y-%m-%d") for d in dates],
        "sector": [str(s) for s in sectors],
        "allegation_categories": [";".join(c) for c in categories],
        "outcomes": [";".join(o) for o in outcomes],
        "closed_date": closed,
    })


def _lado_consultations(rng: np.random.Generator, year: str, p: LadoYear,
                        referrals: pd.DataFrame) -> pd.DataFrame:
    """Consultations; those that progressed precede (by up to two weeks) their referral."""
    start = pd.Timestamp(Year.parse(year).first_day)
    ref_dates = pd.to_datetime(referrals["referral_date"])
    eligible = np.flatnonzero((ref_dates >= start + pd.Timedelta(days=17)).to_numpy())
    linked = np.sort(rng.choice(eligible, p.progressed, replace=False))
    rows = []
    for i in linked:
        on = ref_dates.iloc[i] - pd.Timedelta(days=int(rng.integers(0, 15)))
        on -= pd.Timedelta(days=max(on.day_of_week - 4, 0))  # a weekend call: the Friday before
        rows.append({"date": on, "sector": referrals.at[i, "sector"], "progressed": "Y",
                     "referral_id": referrals.at[i, "referral_id"]})
    others = p.consultations - p.progressed
    sectors = draw_labels(rng, allocate(others, _CONSULTATION_SECTORS))
    for on, sector in zip(_dates(rng, year, others, weekdays=True), sectors, strict=True):
        rows.append({"date": on, "sector": str(sector), "progressed": "N", "referral_id": ""})
    frame = pd.DataFrame(rows).sort_values("date", kind="stable", ignore_index=True)
    return pd.DataFrame({
        "consultation_id": [f"LC-{year[:4]}-{i + 1:03d}" for i in range(len(frame))],
        "consultation_date": frame["date"].dt.strftime("%Y-%m-%d"),
        "sector": frame["sector"],
        "progressed_to_referral": frame["progressed"],
        "referral_id": frame["referral_id"],
    })


def _lado_workshops(rng: np.random.Generator, year: str, p: LadoYear) -> pd.DataFrame:
    sizes = allocate(p.workshop_attendees, dict(enumerate(rng.uniform(0.6, 1.4, p.workshops))))
    audiences = draw_labels(rng, allocate(p.workshops, p.workshop_audiences))
    return pd.DataFrame({
        "workshop_id": [f"LW-{year[:4]}-{i + 1:02d}" for i in range(p.workshops)],
        "workshop_date": [d.strftime("%Y-%m-%d") for d in _dates(rng, year, p.workshops, True)],
        "audience": [str(a) for a in audiences],
        "attendees": list(sizes.values()),
    })


# --- training ------------------------------------------------------------------------------


def _training_events(rng: np.random.Generator, year: str, p: TrainingYear) -> pd.DataFrame:
    """The year's events, with their planned size (``_size``) used to lay out attendance."""
    regular = p.events - len(p.named)
    picks = [_PROGRAMME[i % len(_PROGRAMME)] for i in rng.permutation(regular)]
    delivery = draw_labels(rng, allocate(p.events, {"virtual": p.virtual, "in_person": 1 - p.virtual}))
    rows = [{"title": title, "event_date": d, "format": fmt, "theme": theme, "event_key": "",
             "delivery": str(mode)}
            for (theme, fmt, title), d, mode in zip(picks, _dates(rng, year, regular, True),
                                                    delivery[:regular], strict=True)]
    rows += [{"title": e.title, "event_date": pd.Timestamp(e.date), "format": e.format,
              "theme": e.theme, "event_key": e.key, "delivery": e.delivery} for e in p.named]
    named_places = sum(e.attendees for e in p.named)
    weights = dict(enumerate(rng.uniform(0.6, 1.4, regular)))
    sizes = list(allocate(p.attendances - named_places, weights).values())
    sizes += [e.attendees for e in p.named]
    frame = pd.DataFrame(rows).assign(_size=sizes)
    frame = frame.sort_values("event_date", kind="stable", ignore_index=True)
    frame.insert(0, "event_id", [f"TE-{year[:4]}-{i + 1:02d}" for i in range(len(frame))])
    frame["event_date"] = frame["event_date"].dt.strftime("%Y-%m-%d")
    return frame[["event_id", "title", "event_date", "format", "delivery", "theme", "event_key",
                  "_size"]]


def _year_professionals(rng: np.random.Generator, p: TrainingYear, pool: list[str]) -> list[int]:
    """Indices of the year's distinct professionals: some returning, the rest new.

    New professionals' agencies make up the year's agency mix as closely as returning ones
    allow (the mix is shown as a chart, not quoted, so near is enough).
    """
    returning = [int(i) for i in rng.choice(len(pool), min(len(pool), round(_RETURNING
                                                                              * p.professionals)),
                                            replace=False)] if pool else []
    target = allocate(p.professionals, p.agencies)
    for i in returning:
        target[pool[i]] -= 1
    needed = {a: max(n, 0) for a, n in target.items()}
    new_count = p.professionals - len(returning)
    agencies = draw_labels(rng, allocate(new_count, needed))
    first_new = len(pool)
    pool.extend(str(a) for a in agencies)
    return returning + list(range(first_new, len(pool)))


def _attendance(rng: np.random.Generator, year: str, p: TrainingYear, events: pd.DataFrame,
                pool: list[str]) -> pd.DataFrame:
    """Attendance rows: exactly ``p.professionals`` distinct people fill ``p.attendances`` places.

    Every professional takes one place; the remaining places go to professionals already
    counted, never twice at the same event.
    """
    people = [int(x) for x in rng.permutation(_year_professionals(rng, p, pool))]
    slots = rng.permutation(np.repeat(np.arange(len(events)), events["_size"].to_numpy()))
    present: list[set[int]] = [set() for _ in range(len(events))]
    taken = []
    for k, event in enumerate(slots):
        if k < len(people):
            person = people[k]
        else:
            free = [x for x in people if x not in present[event]]
            person = free[int(rng.integers(len(free)))]
        present[event].add(person)
        taken.append((int(event), person))
    taken.sort()
    return pd.DataFrame({
        "attendance_id": [f"TA-{year[:4]}-{i + 1:04d}" for i in range(len(taken))],
        "event_id": [events.at[e, "event_id"] for e, _ in taken],
        "attendee_id": [f"PR-{x + 1:06d}" for _, x in taken],
        "agency": [pool[x] for _, x in taken],
    })


def _constrained_labels(rng: np.random.Generator, counts: Mapping[str, int], protected: np.ndarray,
                        allowed: set[str]) -> list[str]:
    """Labels in the exact ``counts``, with ``protected`` positions given only ``allowed`` ones.

    This is how a named event gets its reported 100% while the year's total stays exact.
    """
    n = sum(counts.values())
    out: list[str] = [""] * n
    open_idx = np.setdiff1d(np.arange(n), protected)
    others = {k: v for k, v in counts.items() if k not in allowed}
    placed = rng.permutation(open_idx)[: sum(others.values())]
    for i, label in zip(placed, draw_labels(rng, others), strict=True):
        out[int(i)] = str(label)
    used = set(placed.tolist())
    rest = [i for i in range(n) if i not in used]
    for i, label in zip(rest, draw_labels(rng, {k: v for k, v in counts.items() if k in allowed}),
                        strict=True):
        out[i] = str(label)
    return out


def _split(total: int, share: float, yes: str, no: str) -> dict[str, int]:
    first = round(total * share)
    return {yes: first, no: total - first}


def _evaluations(rng: np.random.Generator, year: str, p: TrainingYear,
                 events: pd.DataFrame) -> pd.DataFrame:
    """Evaluation forms, spread over events in proportion to their size."""
    per_event = allocate(p.evaluations, dict(zip(events["event_id"], events["_size"], strict=True)))
    event_ids = np.repeat(np.array(list(per_event)), list(per_event.values()))
    keys = events.set_index("event_id")["event_key"]
    at = np.array([keys[e] for e in event_ids])
    good = _split(p.evaluations, p.good_or_excellent, "good_or_excellent", "low")
    ratings = {**_split(good["good_or_excellent"], _EXCELLENT, "excellent", "good"),
               **_split(good["low"], 1 - _POOR, "satisfactory", "poor")}
    answered = round(p.evaluations * _ANSWERED)
    equal = {**_split(answered, p.equal_opportunities, "Y", "N"), "": p.evaluations - answered}
    aims = {**_split(answered, p.met_aims, "Y", "N"), "": p.evaluations - answered}
    return pd.DataFrame({
        "evaluation_id": [f"EV-{year[:4]}-{i + 1:04d}" for i in range(p.evaluations)],
        "event_id": event_ids,
        "overall_rating": _constrained_labels(rng, ratings, np.flatnonzero(at == "da_learning_event"),
                                              {"excellent", "good"}),
        "promoted_equal_opportunities": _constrained_labels(rng, equal, np.array([], dtype=int),
                                                            set(equal)),
        "met_aims": _constrained_labels(rng, aims, np.flatnonzero(at == "info_sharing_workshop"),
                                        {"Y"}),
    })


def _training_partners(year: str, p: TrainingYear) -> pd.DataFrame:
    rows = [
        (year, "community_people_trained", "", p.community_people),
        (year, "community_sessions", "", p.community_sessions),
        (year, "dsl_trained", "", p.dsl_trained),
        *((year, "dsl_trained", setting, n)
          for setting, n in allocate(p.dsl_trained, _DSL_SETTINGS).items()),
        (year, "dsl_recognise_respond_pct", "", p.dsl_recognise_respond_pct),
    ]
    return pd.DataFrame(rows, columns=["period", "measure", "breakdown", "value"])
