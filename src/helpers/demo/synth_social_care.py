"""Synthetic demo data: children's social care beyond the front door.

Called by ``helpers.demo.generator.build`` with the front door's ``DemoContext``. Children follow
one continuous history from before 2020-21 to 31 March 2025: referrals (from the front door)
lead to section 47 enquiries, conferences and plans; children come into care, move
placement, are reviewed and visited, leave care and become care leavers; some go missing or
are assessed for exploitation. Each year's files are then cut from that history the way a
case system reports a year: every record live during the year, open ones without an end.

Calibration follows the front door: every figure the report states for 2024-25 (and the
earlier-year comparators it quotes: 339 plans at 31 March 2021, 13.5% with 3+ placements in
2023-24, 48 CSE and 93 CCE assessments, 96/4 female/male) is allocated exactly, and
randomness only decides which records carry it. Other years follow what the text says
(plans falling every year from the 2020-21 peak, care starters slightly down, missing
reports up) and are otherwise plausible. Ethnic and sex mixes at each stage are set through
``STAGES`` (see ``helpers.demo.generator.assign_by_stage``).

All randomness comes from ``ctx.rng(DOMAIN)``; children this domain adds to the shared pool
(long-standing children in care, unaccompanied asylum seekers, older care leavers) draw
their sex and ethnicity from the same stream, so other domains' files never depend on it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from helpers.calendar import add_working_days
from helpers.config import Year
from helpers.demo.common import ChildPool, DemoContext, Stage, allocate, draw_labels

DOMAIN = 1
NONE = -(10 ** 9)
"""'No date' in the day-number arrays (days since 1970-01-01)."""

REPORT_YEAR = "2024-25"

# --- parameters: child protection ----------------------------------------------------------------

# Children on a plan at 31 March; 2019-20 is the stock the history starts from.
CP_AT_YEAR_END = {"2019-20": 300, "2020-21": 339, "2021-22": 290, "2022-23": 241,
                  "2023-24": 196, "2024-25": 155}
# Plans starting in the year by initial category. Neglect leads until 2023-24; in 2024-25
# emotional abuse overtakes it, and 87 neglect starts on 44,000 children is 19.8 per 10,000.
# Sexual abuse starts fall in 2024-25.
PLAN_STARTS = {
    "2020-21": {"NEG": 165, "EMO": 140, "PHY": 45, "SAB": 15, "MUL": 10},
    "2021-22": {"NEG": 128, "EMO": 112, "PHY": 38, "SAB": 14, "MUL": 6},
    "2022-23": {"NEG": 112, "EMO": 98, "PHY": 34, "SAB": 13, "MUL": 3},
    "2023-24": {"NEG": 102, "EMO": 88, "PHY": 30, "SAB": 12, "MUL": 0},
    "2024-25": {"EMO": 96, "NEG": 87, "PHY": 29, "SAB": 7, "MUL": 0},
}
_HISTORIC_CATEGORIES = {"NEG": 0.45, "EMO": 0.35, "PHY": 0.12, "SAB": 0.05, "MUL": 0.03}
# Referrals followed by a section 47 enquiry (43% in 2024-25).
S47_RATE = {"2020-21": 39, "2021-22": 40, "2022-23": 41, "2023-24": 42, "2024-25": 43}
ICPC_WITHOUT_PLAN = 0.17   # conferences that did not make a plan, per plan made

# --- parameters: children in need -----------------------------------------------------------------

CIN_STARTS = {"2020-21": 470, "2021-22": 480, "2022-23": 495, "2023-24": 505, "2024-25": 520}
CIN_VISIT_IN_TIME = {"2020-21": 71, "2021-22": 69, "2022-23": 67, "2023-24": 68, "2024-25": 64}
CIN_UP_TO_DATE = {"2020-21": 82, "2021-22": 80, "2022-23": 79, "2023-24": 80, "2024-25": 77}
_CIN_FREQUENCY = {28: 0.7, 42: 0.2, 14: 0.1}

# --- parameters: children looked after ------------------------------------------------------------

CLA_AT_YEAR_END = {"2019-20": 228, "2020-21": 232, "2021-22": 226, "2022-23": 218,
                   "2023-24": 207, "2024-25": 196}
CLA_STARTERS = {"2020-21": 238, "2021-22": 231, "2022-23": 226, "2023-24": 222, "2024-25": 214}
STARTERS_13_PLUS = {"2020-21": 56, "2021-22": 57, "2022-23": 58, "2023-24": 60, "2024-25": 61}
UASC_STARTERS = {"2020-21": 0.11, "2021-22": 0.12, "2022-23": 0.13, "2023-24": 0.14,
                 "2024-25": 0.17}
UASC_AT_YEAR_END_2025 = 17          # % of children looked after at 31 March 2025
UNDER5_COHORT_2025 = 18             # under-5s looked after 12+ months at 31 March 2025
# Children looked after at 31 March with 3+ placements in the year (%, one decimal).
THREE_PLUS_PLACEMENTS = {"2020-21": 12.1, "2021-22": 12.4, "2022-23": 13.3, "2023-24": 13.5,
                         "2024-25": 10.0}
WITHIN_20_MILES = {"2024-25": 85}
VISITS_IN_TIME = {"2020-21": 91, "2021-22": 90, "2022-23": 92, "2023-24": 92, "2024-25": 93}
HEALTH_AND_DENTAL = {"2020-21": 84, "2021-22": 86, "2022-23": 87, "2023-24": 88, "2024-25": 89}
UNDER5_DEVELOPMENT = {"2020-21": 74, "2021-22": 80, "2022-23": 75, "2023-24": 80, "2024-25": 78}
REVIEW_NOT_CONTRIBUTED = {"2020-21": 0.04, "2021-22": 0.03, "2022-23": 0.02, "2023-24": 0.01,
                          "2024-25": 0.0}
_STARTER_BANDS_UNDER_13 = {(0, 0): 0.30, (1, 4): 0.25, (5, 9): 0.22, (10, 12): 0.23}
_STARTER_BANDS_13_PLUS = {(13, 15): 0.48, (16, 17): 0.52}
_STOCK_2020_AGES = {(0, 0): 0.03, (1, 4): 0.12, (5, 9): 0.15, (10, 12): 0.15, (13, 15): 0.27,
                    (16, 17): 0.28}

# --- parameters: care leavers, missing, exploitation ------------------------------------------------

CARE_LEAVERS_ALLOCATED = {"2020-21": 298, "2021-22": 312, "2022-23": 325, "2023-24": 338,
                          "2024-25": 350}
CARE_LEAVERS_UNALLOCATED = 5


@dataclass(frozen=True)
class MissingYear:
    """Children reported missing in one year and what happened to their episodes."""

    children: int
    episodes: int
    short_pct: float        # episodes of 24 hours or less (%, one decimal)
    rhc_children_pct: float  # children with a return home conversation held (%)
    rhc_episodes_pct: float  # applicable episodes with a conversation held (%, one decimal)
    not_applicable: int     # episodes where no conversation applies
    label: str = ""
    from_care: float = 0.45  # share of missing children who were looked after


MISSING = {
    "2020-21": MissingYear(96, 552, 77.9, 72, 61.2, 3, "2020-21"),
    "2021-22": MissingYear(103, 611, 78.6, 74, 62.5, 3, "2021-22"),
    "2022-23": MissingYear(110, 684, 78.1, 75, 63.8, 4, "2022-23"),
    "2023-24": MissingYear(118, 757, 79.0, 76, 65.1, 3, "2023-24"),
    "2024-25": MissingYear(127, 870, 79.4, 78, 66.5, 4, "2024-25"),
}


@dataclass(frozen=True)
class ExploitationYear:
    """Risk assessments of one tool in one year."""

    children: int
    main_sex: str            # "2" female for CSE, "1" male for CCE
    main_sex_pct: float
    reviewed: int
    reduced: int
    types: Mapping[str, int]  # children whose assessment records each type


EXPLOITATION: Mapping[str, Mapping[str, ExploitationYear]] = {
    "CSE": {
        "2020-21": ExploitationYear(41, "2", 93, 20, 12, {"REL": 14, "ONL": 13, "PEER": 10,
                                                          "GRP": 6, "TRAF": 3}),
        "2021-22": ExploitationYear(44, "2", 95, 22, 14, {"ONL": 16, "REL": 14, "PEER": 11,
                                                          "GRP": 5, "TRAF": 2}),
        "2022-23": ExploitationYear(46, "2", 93, 23, 15, {"ONL": 18, "REL": 13, "PEER": 12,
                                                          "GRP": 6, "TRAF": 2}),
        "2023-24": ExploitationYear(48, "2", 96, 24, 15, {"ONL": 20, "PEER": 13, "REL": 12,
                                                          "GRP": 5, "TRAF": 2}),
        "2024-25": ExploitationYear(48, "2", 85, 25, 17, {"ONL": 22, "PEER": 14, "REL": 10,
                                                          "GRP": 6, "TRAF": 3}),
    },
    "CCE": {
        "2020-21": ExploitationYear(64, "1", 88, 30, 17, {"DRG": 30, "YV": 22, "THF": 12,
                                                          "FIN": 6, "OTH": 6}),
        "2021-22": ExploitationYear(72, "1", 87, 34, 20, {"DRG": 32, "YV": 25, "THF": 15,
                                                          "FIN": 7, "OTH": 6}),
        "2022-23": ExploitationYear(85, "1", 88, 40, 24, {"DRG": 35, "YV": 30, "THF": 20,
                                                          "FIN": 9, "OTH": 7}),
        "2023-24": ExploitationYear(93, "1", 89, 44, 27, {"DRG": 36, "YV": 33, "THF": 22,
                                                          "FIN": 10, "OTH": 8}),
        "2024-25": ExploitationYear(104, "1", 86, 50, 31, {"YV": 40, "DRG": 38, "THF": 28,
                                                           "FIN": 12, "OTH": 8}),
    },
}

# --- parameters: ethnic mix at each stage in 2024-25 (shares of children) ---------------------------

# Black 9% and White 60% of the child population (population table); the report's stage
# figures are Black 28/26/43% (S47/ICPC/CLA), White 30% at referral, Mixed 18% at referral
# and assessment and 15% in care, Asian over-represented early and not later.
STAGE_MIX_2025 = {
    "uasc": {"Black": 0.50, "Other": 0.30, "Asian": 0.20},
    "missing": {"Black": 0.52, "White": 0.18, "Mixed": 0.14, "Asian": 0.06, "Other": 0.08,
                "Not known": 0.02},
    "cla": {"Black": 0.43, "White": 0.22, "Mixed": 0.15, "Asian": 0.08, "Other": 0.10,
            "Not known": 0.02},
    "icpc": {"Black": 0.26, "White": 0.29, "Mixed": 0.18, "Asian": 0.13, "Other": 0.10,
             "Not known": 0.04},
    "s47": {"Black": 0.28, "White": 0.28, "Mixed": 0.17, "Asian": 0.15, "Other": 0.08,
            "Not known": 0.04},
    "assessment": {"Black": 0.24, "White": 0.29, "Mixed": 0.18, "Asian": 0.19, "Other": 0.06,
                   "Not known": 0.04},
    "referral": {"Black": 0.23, "White": 0.30, "Mixed": 0.18, "Asian": 0.19, "Other": 0.06,
                 "Not known": 0.04},
}

# Earlier years keep the same pattern, a little less marked (the report calls it persistent).
STAGE_MIX_EARLIER = {
    "missing": {"Black": 0.45, "White": 0.21, "Mixed": 0.14, "Asian": 0.07, "Other": 0.08,
                "Not known": 0.05},
    "cla": {"Black": 0.38, "White": 0.24, "Mixed": 0.15, "Asian": 0.08, "Other": 0.10,
            "Not known": 0.05},
    "icpc": {"Black": 0.25, "White": 0.29, "Mixed": 0.17, "Asian": 0.13, "Other": 0.11,
             "Not known": 0.05},
    "s47": {"Black": 0.26, "White": 0.29, "Mixed": 0.17, "Asian": 0.14, "Other": 0.09,
            "Not known": 0.05},
}
# (Small groups get some slack: children already met in later years keep their ethnicity,
# and a stage cannot hold fewer of a group than it already has.)

# Synthetic Inner London and England comparators (stand-ins, not DfE's published values).
BENCHMARKS = {
    "cpp_rate_per_10k_neglect": {
        "Inner London": [21.9, 20.6, 19.8, 19.1, 18.7], "England": [27.6, 26.4, 25.9, 25.4, 25.0]},
    "cpp_rate_per_10k_sexual_abuse": {
        "Inner London": [2.6, 2.5, 2.4, 2.4, 2.3], "England": [2.9, 2.8, 2.9, 2.8, 2.7]},
    "cpp_starts_rate_per_10k": {
        "Inner London": [52.4, 49.8, 47.6, 46.1, 45.0], "England": [62.3, 60.1, 58.9, 57.4, 56.2]},
    "cpp_rate_per_10k": {
        "Inner London": [39.8, 37.5, 36.0, 34.9, 33.8], "England": [41.4, 42.1, 43.2, 41.6, 40.9]},
    "cla_rate_per_10k": {
        "Inner London": [54.0, 53.1, 52.7, 52.0, 51.6], "England": [67.0, 70.0, 71.0, 70.0, 69.0]},
}


# --- small tools --------------------------------------------------------------------------------


def count_for_pct(n: int, pct: float, decimals: int = 0) -> int:
    """The count out of ``n`` nearest to ``pct``% whose share, shown to ``decimals``
    places, reads ``pct`` (never a share sitting exactly on a rounding boundary)."""
    half = 0.5 * 10 ** -decimals
    target = pct * n / 100
    best: int | None = None
    for k in range(max(0, int(target) - 3), min(n, int(target) + 4) + 1):
        if abs(k / n * 100 - pct) < half - 1e-9 and (best is None
                                                     or abs(k - target) < abs(best - target)):
            best = k
    if best is None:
        raise ValueError(f"no count out of {n} shows as {pct}%")
    return best


def _target(label: str, n: int, pct: float, decimals: int = 0,
            exact: Sequence[str] = (REPORT_YEAR,)) -> int:
    """How many of ``n`` records carry a feature: exactly the published share in the years
    the report quotes (``exact``), the nearest whole number elsewhere."""
    return count_for_pct(n, pct, decimals) if label in exact else round(pct / 100 * n)


def _day(text: str) -> int:
    return int(np.datetime64(text, "D").astype(np.int64))


def _bounds(label: str) -> tuple[int, int]:
    year = Year.parse(label)
    return _day(year.first_day), _day(year.last_day)


def _iso(days: Sequence[int] | np.ndarray) -> list[str]:
    """Day numbers as YYYY-MM-DD, with NONE as a blank cell."""
    arr = np.asarray(days, dtype=np.int64)
    text = arr.astype("datetime64[D]").astype(str)
    return ["" if d == NONE else t for d, t in zip(arr.tolist(), text.tolist(), strict=True)]


def _year_month(days: np.ndarray | int) -> tuple[np.ndarray, np.ndarray]:
    d = np.asarray(days, dtype=np.int64).astype("datetime64[D]")
    return (d.astype("datetime64[Y]").astype(np.int64) + 1970,
            d.astype("datetime64[M]").astype(np.int64) % 12 + 1)


def _working_days_after(days: np.ndarray, offsets: np.ndarray) -> np.ndarray:
    """The day ``offsets`` working days after each day (England and Wales calendar)."""
    if len(days) == 0:
        return np.zeros(0, dtype=np.int64)
    start = pd.Series(np.asarray(days, dtype=np.int64).astype("datetime64[D]"))
    moved = add_working_days(start, offsets)
    return moved.to_numpy().astype("datetime64[D]").astype(np.int64)


def _uniform(rng: np.random.Generator, low: int, high: int) -> int:
    """A whole number from low to high inclusive (low if the range is empty)."""
    return int(rng.integers(low, high + 1)) if high > low else int(low)


class _People:
    """The shared pool of children, seen through this domain's own random stream."""

    def __init__(self, kids: ChildPool, rng: np.random.Generator):
        self.kids, self.rng = kids, rng
        births = pd.DatetimeIndex(kids.birth)
        self.birth_year = births.year.to_numpy().astype(np.int64)
        self.birth_month = births.month.to_numpy().astype(np.int64)
        self._eighteenth: dict[int, int] = {}

    def new(self, on: int, age_days: int) -> int:
        """A child first known on day ``on`` aged ``age_days``, drawn from our stream."""
        index = self.kids.new(pd.Timestamp(np.datetime64(on, "D")), age_days=int(age_days),
                              rng=self.rng)
        born = self.kids.birth[index]
        self.birth_year = np.append(self.birth_year, born.year)
        self.birth_month = np.append(self.birth_month, born.month)
        return index

    def age(self, index: np.ndarray | int, on: np.ndarray | int) -> np.ndarray:
        """Completed years on ``on`` counted from the first of the birth month, exactly as
        ``helpers.indicators.social_care.age_in_years`` counts from ``birth_month``."""
        year, month = _year_month(on)
        index = np.asarray(index)
        return year - self.birth_year[index] - (month < self.birth_month[index]).astype(np.int64)

    def eighteenth(self, index: int) -> int:
        """Day of the child's real 18th birthday (care ends by then)."""
        if index not in self._eighteenth:
            born = self.kids.birth[index]
            self._eighteenth[index] = _day((born + pd.DateOffset(years=18)).strftime("%Y-%m-%d"))
        return self._eighteenth[index]

    def ids(self, index: Sequence[int]) -> list[str]:
        return self.kids.ids(list(index))


@dataclass
class _World:
    """Everything the generators share: the stream, the pool and the front door's records."""

    rng: np.random.Generator
    people: _People
    years: tuple[str, ...]
    ref_id: np.ndarray
    ref_child: np.ndarray
    ref_day: np.ndarray
    ref_year: np.ndarray
    assessed: set[str]
    first_day: int = field(init=False)
    last_day: int = field(init=False)

    def __post_init__(self) -> None:
        self.first_day = _bounds(self.years[0])[0]
        self.last_day = _bounds(self.years[-1])[1]


def _world(ctx: DemoContext, rng: np.random.Generator) -> _World:
    refs = pd.concat([ctx.referrals[y].assign(_year=y) for y in ctx.years], ignore_index=True)
    assessed = set(pd.concat([ctx.assessments[y] for y in ctx.years])["referral_id"])
    return _World(
        rng=rng, people=_People(ctx.kids, rng), years=tuple(ctx.years),
        ref_id=refs["referral_id"].to_numpy(),
        ref_child=refs["child_id"].map(lambda c: int(c[3:]) - 1).to_numpy(),
        ref_day=pd.to_datetime(refs["referral_date"]).to_numpy().astype("datetime64[D]")
        .astype(np.int64),
        ref_year=refs["_year"].to_numpy(),
        assessed=assessed,
    )


# --- child protection ---------------------------------------------------------------------------


@dataclass(eq=False)
class _S47:
    s47_id: str
    child: int
    referral_id: str
    referral_day: int
    start: int
    outcome: str = "NFA"
    icpc: int = NONE


@dataclass(eq=False)
class _Plan:
    plan_id: str
    child: int
    s47: _S47
    start: int
    initial: str
    latest: str
    end: int = NONE


def _historic_plans(w: _World) -> list[_Plan]:
    """Plans open on 1 April 2020, with the enquiries and referrals before the demo began."""
    rng, people = w.rng, w.people
    count = CP_AT_YEAR_END["2019-20"]
    categories = draw_labels(rng, allocate(count, _HISTORIC_CATEGORIES))
    plans = []
    for i in range(count):
        start = w.first_day - 1 - int(min(rng.exponential(200), 700))
        s47_start = start - _uniform(rng, 10, 21)
        referral = s47_start - _uniform(rng, 0, 5)
        child = people.new(referral, _uniform(rng, 0, 14 * 365))
        s47 = _S47(f"S47-H{i + 1:05d}", child, f"RF-HIST-{i + 1:05d}", referral, s47_start,
                   "ICPC", start)
        plans.append(_Plan(f"CPP-H{i + 1:05d}", child, s47, start, str(categories[i]),
                           str(categories[i])))
    return plans


def _child_protection(w: _World) -> tuple[list[_S47], list[_Plan]]:
    """Enquiries, conferences and plans, year by year, hitting each year's plan count."""
    rng, people = w.rng, w.people
    plans = _historic_plans(w)
    enquiries = [p.s47 for p in plans]
    s47_n = plan_n = 0
    for label in w.years:
        first, last = _bounds(label)
        in_year = np.flatnonzero(w.ref_year == label)
        pct = S47_RATE[label]
        wanted = _target(label, len(in_year), pct)
        assessed = np.array([w.ref_id[i] in w.assessed for i in in_year])
        order = np.concatenate([rng.permutation(in_year[assessed]),
                                rng.permutation(in_year[~assessed])])[:wanted]
        year_s47 = []
        for i in sorted(order):
            s47_n += 1
            start = min(int(w.ref_day[i]) + _uniform(rng, 0, 5), last)
            year_s47.append(_S47(f"S47-{s47_n:06d}", int(w.ref_child[i]), str(w.ref_id[i]),
                                 int(w.ref_day[i]), start))
        enquiries += year_s47
        # conferences: distinct children not already on a plan, young enough for a plan
        on_plan = {p.child for p in plans if p.end == NONE or p.end >= first}
        starts = PLAN_STARTS[label]
        n_plans = sum(starts.values())
        n_icpc = n_plans + round(n_plans * ICPC_WITHOUT_PLAN)
        chosen: list[_S47] = []
        seen: set[int] = set()
        for j in rng.permutation(len(year_s47)):
            s = year_s47[j]
            if s.start > last - 30 or s.child in on_plan or s.child in seen \
                    or people.age(s.child, s.start) > 16:
                continue
            chosen.append(s)
            seen.add(s.child)
            if len(chosen) == n_icpc:
                break
        if len(chosen) < n_icpc:
            raise RuntimeError(f"{label}: only {len(chosen)} enquiries can hold a conference")
        icpc_days = _working_days_after(np.array([s.start for s in chosen]),
                                        rng.integers(8, 16, len(chosen)))
        categories = draw_labels(rng, starts)
        new_plans = []
        for k, (s, day) in enumerate(zip(chosen, icpc_days.tolist(), strict=True)):
            s.outcome, s.icpc = "ICPC", int(day)
            if k < n_plans:
                plan_n += 1
                category = str(categories[k])
                new_plans.append(_Plan(f"CPP-{plan_n:06d}", s.child, s, s.icpc, category,
                                       category))
        for s in year_s47:
            if s.outcome != "ICPC":
                s.outcome = "CIN" if rng.random() < 0.5 else "NFA"
        _end_plans(w, label, [p for p in plans if p.end == NONE], new_plans)
        plans += new_plans
    for p in plans:
        if rng.random() < 0.08:
            p.latest = str(rng.choice([c for c in ("NEG", "EMO", "PHY", "SAB") if c != p.initial]))
    return enquiries, plans


def _end_plans(w: _World, label: str, stock: list[_Plan], new: list[_Plan]) -> None:
    """End exactly enough plans in the year to leave the year's count open at 31 March.

    Older plans are likelier to end; a plan never runs past the child's 18th birthday.
    """
    rng, people = w.rng, w.people
    first, last = _bounds(label)
    pool = stock + new
    old = {id(p) for p in stock}
    to_end = len(pool) - CP_AT_YEAR_END[label]
    forced = [p for p in pool if people.eighteenth(p.child) <= last + 1]
    ending = {id(p) for p in forced}
    rest = [p for p in pool if id(p) not in ending and (id(p) in old or p.start <= last - 45)]
    weights = np.array([1 + (first - p.start) / 180 if id(p) in old
                        else 0.35 * (last - p.start) / 365 for p in rest])
    picked = rng.choice(len(rest), size=to_end - len(forced), replace=False,
                        p=weights / weights.sum())
    for p in forced + [rest[i] for i in picked]:
        low = max(first, p.start + (60 if id(p) in old else 45))
        high = min(last, people.eighteenth(p.child) - 1)
        p.end = _uniform(rng, min(low, high), high)


def _cp_tables(enquiries: list[_S47], plans: list[_Plan], w: _World,
               label: str) -> dict[str, pd.DataFrame]:
    first, last = _bounds(label)
    live = [p for p in plans if p.start <= last and (p.end == NONE or p.end >= first)]
    linked = {p.s47.s47_id for p in live}
    s47 = [s for s in enquiries if first <= s.start <= last or first <= s.icpc <= last
           or s.s47_id in linked]
    people = w.people
    return {
        "section47": pd.DataFrame({
            "s47_id": [s.s47_id for s in s47],
            "child_id": people.ids([s.child for s in s47]),
            "referral_id": [s.referral_id for s in s47],
            "referral_date": _iso([s.referral_day for s in s47]),
            "start_date": _iso([s.start for s in s47]),
            "outcome": [s.outcome for s in s47],
            "icpc_date": _iso([s.icpc for s in s47]),
        }),
        "cp_plans": pd.DataFrame({
            "plan_id": [p.plan_id for p in live],
            "child_id": people.ids([p.child for p in live]),
            "s47_id": [p.s47.s47_id for p in live],
            "start_date": _iso([p.start for p in live]),
            "end_date": _iso([p.end if p.end != NONE and p.end <= last else NONE for p in live]),
            "initial_category": [p.initial for p in live],
            "latest_category": [p.latest for p in live],
        }),
    }


# --- children in need ----------------------------------------------------------------------------


@dataclass(eq=False)
class _Cin:
    episode_id: str
    child: int
    referral_id: str
    start: int
    visit: int
    frequency: int
    end: int


def _cin_episodes(w: _World, conferenced: set[str]) -> list[_Cin]:
    """CIN episodes from assessed referrals, with first visits timed to each year's rate."""
    rng = w.rng
    episodes: list[_Cin] = []
    freq_days, freq_p = list(_CIN_FREQUENCY), list(_CIN_FREQUENCY.values())
    for label in w.years:
        last = _bounds(label)[1]
        pool = [i for i in np.flatnonzero(w.ref_year == label)
                if w.ref_id[i] in w.assessed and w.ref_id[i] not in conferenced]
        chosen = sorted(rng.choice(pool, size=CIN_STARTS[label], replace=False))
        n = len(chosen)
        pct = CIN_VISIT_IN_TIME[label]
        in_time = _target(label, n, pct)
        starts = np.array([int(w.ref_day[i]) for i in chosen])
        late_ok = np.flatnonzero(starts <= last - 45)
        late = set(rng.choice(late_ok, size=n - in_time, replace=False).tolist())
        offsets = np.array([_uniform(rng, 11, 25) if k in late else _uniform(rng, 0, 10)
                            for k in range(n)])
        visits = _working_days_after(starts, offsets)
        visits = np.where(visits > last, starts, visits)   # a same-day visit at the year end
        for k, i in enumerate(chosen):
            end = int(starts[k]) + _uniform(rng, 90, 450)
            episodes.append(_Cin(
                f"CIN-{len(episodes) + 1:06d}", int(w.ref_child[i]), str(w.ref_id[i]),
                int(starts[k]), int(visits[k]),
                int(rng.choice(freq_days, p=freq_p)), end if end <= w.last_day else NONE))
    return episodes


def _cin_table(episodes: list[_Cin], w: _World, label: str) -> pd.DataFrame:
    """The year's CIN episodes with the latest visit as at the year end (or the episode end)."""
    rng = w.rng
    first, last = _bounds(label)
    live = [e for e in episodes if e.start <= last and (e.end == NONE or e.end >= first)]
    open_now = [e for e in live if e.end == NONE or e.end > last]
    pct = CIN_UP_TO_DATE[label]
    n_open = len(open_now)
    up_to_date = _target(label, n_open, pct)
    eligible = [k for k, e in enumerate(open_now) if e.visit <= last - e.frequency - 1]
    overdue = {id(open_now[k]) for k in rng.choice(eligible, size=n_open - up_to_date,
                                                   replace=False)}
    latest = []
    for e in live:
        if e.end != NONE and e.end <= last:
            latest.append(max(e.visit, e.end - _uniform(rng, 0, e.frequency - 1)))
        elif id(e) in overdue:
            high = last - e.frequency - 1
            latest.append(_uniform(rng, max(e.visit, high - 60), high))
        else:
            latest.append(max(e.visit, last - _uniform(rng, 0, e.frequency - 1)))
    return pd.DataFrame({
        "episode_id": [e.episode_id for e in live],
        "child_id": w.people.ids([e.child for e in live]),
        "referral_id": [e.referral_id for e in live],
        "start_date": _iso([e.start for e in live]),
        "initial_visit_date": _iso([e.visit for e in live]),
        "latest_visit_date": _iso(latest),
        "visit_frequency_days": [e.frequency for e in live],
        "end_date": _iso([e.end if e.end != NONE and e.end <= last else NONE for e in live]),
    })


# --- children looked after: periods of care -------------------------------------------------------


@dataclass(eq=False)
class _Period:
    child: int
    start: int
    uasc: bool
    legal: str = "V2"
    end: int = NONE
    reason: str = ""
    episodes: list[dict] = field(default_factory=list)


def _band_ages(rng: np.random.Generator, counts: Mapping[tuple[int, int], int]) -> list[int]:
    ages = [_uniform(rng, low, high) for (low, high), n in counts.items() for _ in range(n)]
    return [int(a) for a in rng.permutation(ages)]


def _initial_care_stock(w: _World) -> list[_Period]:
    """Children already looked after on 1 April 2020 (not in the front door's years)."""
    rng, people = w.rng, w.people
    ages = _band_ages(rng, allocate(CLA_AT_YEAR_END["2019-20"], _STOCK_2020_AGES))
    periods = []
    for age in ages:
        age_days = age * 365 + _uniform(rng, 30, 330)
        in_care = min(age_days - 10, int(rng.exponential(600)) + 20)
        start = w.first_day - in_care
        child = people.new(start, age_days - in_care)
        uasc = age >= 15 and rng.random() < 0.2
        periods.append(_Period(child, start, uasc, _legal_status(rng, age, uasc)))
    return periods


def _known_child(w: _World, on: int, age: int, used: set[int]) -> int | None:
    """A child referred in the 12 months before ``on`` who is ``age`` on that day."""
    recent = np.flatnonzero((w.ref_day <= on) & (w.ref_day > on - 365))
    children = np.unique(w.ref_child[recent])
    fits = children[w.people.age(children, on) == age]
    fits = np.array([c for c in fits.tolist() if c not in used])
    return int(w.rng.choice(fits)) if len(fits) else None


def _care_starters(w: _World, label: str, used: set[int]) -> list[_Period]:
    """This year's children coming into care, by age, from children already referred."""
    rng, people = w.rng, w.people
    first, last = _bounds(label)
    n = CLA_STARTERS[label]
    older = _target(label, n, STARTERS_13_PLUS[label])
    ages = _band_ages(rng, {**allocate(n - older, _STARTER_BANDS_UNDER_13),
                            **allocate(older, _STARTER_BANDS_13_PLUS)})
    n_uasc = round(UASC_STARTERS[label] * n)
    uasc_slots = set(rng.choice([k for k, a in enumerate(ages) if a >= 14], size=n_uasc,
                                replace=False).tolist())
    days = np.sort(rng.integers(first, last + 1, n))
    periods = []
    for k, (age, day) in enumerate(zip(ages, days.tolist(), strict=True)):
        child = None if k in uasc_slots else _known_child(w, day, age, used)
        if child is None:
            # a new arrival: born so that the indicator's month-of-birth age is ``age``
            for _ in range(50):
                child = people.new(day, age * 365 + _uniform(rng, 20, 340))
                if people.age(child, day) == age:
                    break
        used.add(child)
        uasc = k in uasc_slots
        periods.append(_Period(child, day, uasc, _legal_status(rng, age, uasc)))
    return periods


def _leavers(w: _World, label: str, pool: list[_Period]) -> None:
    """Close enough periods of care in the year to leave the year's count at 31 March.

    Everyone reaching 18 leaves on their birthday. In 2024-25 the mix left in care is set
    exactly: the UASC share and the number of under-5s looked after for over a year.
    """
    rng, people = w.rng, w.people
    first, last = _bounds(label)
    forced = [p for p in pool if people.eighteenth(p.child) <= last]
    for p in forced:
        p.end = max(people.eighteenth(p.child), p.start + 1)
        p.reason = str(rng.choice(["E17", "E5", "E6", "E8"], p=[0.3, 0.5, 0.1, 0.1]))
    free = [p for p in pool if p not in forced]
    stay = CLA_AT_YEAR_END[label]
    groups = _report_year_groups(w, free, first, last, stay) if label == REPORT_YEAR \
        else [(free, stay)]
    for members, keep in groups:
        can_leave = [p for p in members if p.start <= last - 14]
        weights = np.array([_leave_weight(w, p, first, last) for p in can_leave])
        leaving = len(members) - keep
        if leaving < 0 or leaving > len(can_leave):
            raise RuntimeError(f"{label}: cannot leave {keep} of {len(members)} in care")
        for i in rng.choice(len(can_leave), size=leaving, replace=False, p=weights / weights.sum()):
            p = can_leave[i]
            p.end = _uniform(rng, max(first, p.start + 14), last)
            p.reason = _leaving_reason(rng, int(people.age(p.child, p.end)), p.legal)


def _report_year_groups(w: _World, free: list[_Period], first: int, last: int,
                        stay: int) -> list[tuple[list[_Period], int]]:
    uasc = [p for p in free if p.uasc]
    young = [p for p in free if not p.uasc and p.start < first
             and w.people.age(p.child, last) < 5]
    rest = [p for p in free if p not in uasc and p not in young]
    n_uasc = count_for_pct(stay, UASC_AT_YEAR_END_2025)
    return [(uasc, n_uasc), (young, UNDER5_COHORT_2025),
            (rest, stay - n_uasc - UNDER5_COHORT_2025)]


def _leave_weight(w: _World, p: _Period, first: int, last: int) -> float:
    """Many who come into care leave within months, children settled in care less often;
    remands end soon, older adolescents leave sooner, unaccompanied children mostly stay
    until 18."""
    age = int(w.people.age(p.child, last))
    weight = 0.6 if p.uasc else 3.0 if p.legal == "J1" else 1.6 if age >= 16 else 1.0
    return weight * (1.5 if p.start >= first else 0.6)


def _leaving_reason(rng: np.random.Generator, age: int, legal: str) -> str:
    if legal == "J1":
        options = {"E14": 0.8, "E9": 0.1, "E4A": 0.1}
    elif age < 5:
        options = {"E11": 0.3, "E12": 0.1, "E45": 0.2, "E4A": 0.3, "E41": 0.1}
    elif age < 16:
        options = {"E4A": 0.45, "E13": 0.15, "E45": 0.15, "E41": 0.1, "E4B": 0.1, "E3": 0.05}
    else:
        options = {"E4A": 0.3, "E13": 0.2, "E5": 0.2, "E4B": 0.1, "E14": 0.1, "E8": 0.1}
    return str(rng.choice(list(options), p=list(options.values())))


def _periods_of_care(w: _World) -> list[_Period]:
    periods = _initial_care_stock(w)
    used = {p.child for p in periods}
    for label in w.years:
        stock = [p for p in periods if p.end == NONE]
        starters = _care_starters(w, label, used)
        _leavers(w, label, stock + starters)
        periods += starters
    return periods


def _legal_status(rng: np.random.Generator, age: int, uasc: bool) -> str:
    if uasc:
        return "V2"
    options = {"C1": 0.65, "V2": 0.35} if age < 13 else {"V2": 0.55, "C1": 0.35, "J1": 0.10}
    return str(rng.choice(list(options), p=list(options.values())))


# --- children looked after: episodes, placements, distance -----------------------------------------


def _unstable_children(w: _World, periods: list[_Period]) -> dict[str, set[int]]:
    """For each year, the periods (by position) with 3+ placements, exactly as set."""
    chosen: dict[str, set[int]] = {}
    for label in w.years:
        first, last = _bounds(label)
        at_end = [k for k, p in enumerate(periods) if p.start <= last and (p.end == NONE
                                                                           or p.end > last)]
        pct = THREE_PLUS_PLACEMENTS[label]
        # the report quotes 13.5% for 2023-24 and 10% for 2024-25
        n = _target(label, len(at_end), pct, decimals=1 if pct % 1 else 0,
                    exact=(REPORT_YEAR, "2023-24"))
        roomy = [k for k in at_end if last - max(first, periods[k].start) >= 40]
        chosen[label] = set(w.rng.choice(roomy, size=n, replace=False).tolist())
    return chosen


def _placement_type(rng: np.random.Generator, age: int, uasc: bool) -> str:
    if uasc:
        options = {"H5": 0.55, "U6": 0.35, "K2": 0.10} if age >= 16 else {"U6": 0.8, "K2": 0.2}
    elif age < 1:
        options = {"U6": 0.6, "U3": 0.15, "R3": 0.15, "U5": 0.10}
    elif age < 13:
        options = {"U6": 0.55, "U4": 0.2, "U3": 0.15, "U1": 0.05, "K2": 0.05}
    elif age < 16:
        options = {"U6": 0.55, "U4": 0.1, "K2": 0.25, "U3": 0.05, "R1": 0.05}
    else:
        options = {"H5": 0.45, "U6": 0.3, "K2": 0.15, "U4": 0.05, "P2": 0.05}
    return str(rng.choice(list(options), p=list(options.values())))


def _distance(rng: np.random.Generator, near: bool) -> float:
    return round(float(rng.uniform(0.3, 19.9) if near else rng.uniform(20.6, 160.0)), 1)


def _care_episodes(w: _World, periods: list[_Period]) -> None:
    """Split each period of care into SSDA903 episodes at placement and legal changes."""
    rng, people = w.rng, w.people
    unstable = _unstable_children(w, periods)
    placement_id = episode_n = 0
    for k, p in enumerate(periods):
        stop = p.end if p.end != NONE else w.last_day + 1
        events: dict[int, set[str]] = {}
        for label in w.years:
            first, last = _bounds(label)
            low, high = max(first, p.start + 1), min(last, stop - 1)
            if high - low < 2:
                continue
            moves = int(rng.choice([2, 2, 2, 3, 4])) if k in unstable[label] \
                else int(rng.choice([0, 1], p=[0.68, 0.32]))
            moves = min(moves, high - low)
            for day in rng.choice(np.arange(low, high + 1), size=moves, replace=False).tolist():
                events.setdefault(int(day), set()).add("P")
        if p.legal == "C1":
            change = p.start + _uniform(rng, 150, 330)
            if change < stop:
                events.setdefault(change, set()).add("L")
        legal = p.legal
        days = [p.start, *sorted(events)]
        placement_id += 1
        place = _placement_type(rng, int(people.age(p.child, p.start)), p.uasc)
        miles = _distance(rng, rng.random() < 0.85)
        for j, day in enumerate(days):
            kinds = events.get(day, set()) if j else {"S"}
            if "L" in kinds:
                legal = "C2"
            if j and "P" in kinds:
                placement_id += 1
                place = _placement_type(rng, int(people.age(p.child, day)), p.uasc)
                miles = _distance(rng, rng.random() < 0.85)
            rne = "S" if j == 0 else "B" if kinds == {"P", "L"} else "L" if kinds == {"L"} \
                else ("T" if rng.random() < 0.1 else "P")
            end = days[j + 1] if j + 1 < len(days) else p.end
            episode_n += 1
            p.episodes.append({"id": f"EP-{episode_n:06d}", "start": day, "end": end,
                               "rne": rne, "legal": legal, "place": place, "miles": miles,
                               "placement": placement_id,
                               "reason": "X1" if j + 1 < len(days) else p.reason})
    _set_distances(w, periods)


def _set_distances(w: _World, periods: list[_Period]) -> None:
    """Make exactly the report's share of children in care at 31 March placed nearby."""
    last = _bounds(REPORT_YEAR)[1]
    open_now = [p.episodes[-1] for p in periods if p.end == NONE]
    wanted = count_for_pct(len(open_now), WITHIN_20_MILES[REPORT_YEAR])
    near = [e for e in open_now if e["miles"] <= 20]
    far = [e for e in open_now if e["miles"] > 20]
    flip, to_near = (far, True) if len(near) < wanted else (near, False)
    picked = w.rng.choice(len(flip), size=abs(wanted - len(near)), replace=False)
    changed = {flip[i]["placement"]: _distance(w.rng, to_near) for i in picked.tolist()}
    for p in periods:
        for e in p.episodes:
            if e["placement"] in changed and e["start"] <= last:
                e["miles"] = changed[e["placement"]]


def _cla_table(periods: list[_Period], w: _World, label: str) -> pd.DataFrame:
    first, last = _bounds(label)
    rows = [(p, e) for p in periods for e in p.episodes
            if e["start"] <= last and (e["end"] == NONE or e["end"] >= first)]
    rows.sort(key=lambda r: (r[1]["start"], r[0].child))
    ended = [e["end"] != NONE and e["end"] <= last for _, e in rows]
    return pd.DataFrame({
        "episode_id": [e["id"] for _, e in rows],
        "child_id": w.people.ids([p.child for p, _ in rows]),
        "start_date": _iso([e["start"] for _, e in rows]),
        "end_date": _iso([e["end"] if done else NONE for (_, e), done in zip(rows, ended,
                                                                                strict=True)]),
        "rne": [e["rne"] for _, e in rows],
        "legal_status": [e["legal"] for _, e in rows],
        "placement_type": [e["place"] for _, e in rows],
        "placement_distance_miles": [e["miles"] for _, e in rows],
        "uasc": ["Y" if p.uasc else "N" for p, _ in rows],
        "reason_ceased": [e["reason"] if done else "" for (_, e), done in zip(rows, ended,
                                                                               strict=True)],
    })


# --- children looked after: reviews, visits, health -----------------------------------------------


def _reviews_and_visits(w: _World, periods: list[_Period]) -> tuple[list[dict], list[dict]]:
    """Reviews (20 days, 3 months, then 6-monthly) and 6-weekly statutory visits."""
    people = w.people
    reviews, visits = [], []
    for p in periods:
        stop = p.end if p.end != NONE else w.last_day + 1
        day = p.start + 20
        step = 91
        while day < stop:
            if day >= w.first_day:
                reviews.append({"child": p.child, "day": day})
            day += step
            step = 182
        due = p.start + 7
        while due < stop:
            if w.first_day <= due <= w.last_day:
                visits.append({"child": p.child, "due": due, "start": p.start, "stop": stop})
            due += 42
    for r in reviews:
        r["age"] = int(people.age(r["child"], r["day"]))
    return reviews, visits


def _review_table(reviews: list[dict], w: _World, label: str) -> pd.DataFrame:
    rng = w.rng
    first, last = _bounds(label)
    rows = [r for r in reviews if first <= r["day"] <= last]
    missed = REVIEW_NOT_CONTRIBUTED[label]
    codes = []
    for r in rows:
        if r["age"] < 4:
            codes.append("PN0")
        elif rng.random() < missed:
            codes.append(str(rng.choice(["PN4", "PN7"])))
        else:
            codes.append(str(rng.choice(["PN1", "PN2", "PN3", "PN5", "PN6"],
                                        p=[0.55, 0.06, 0.04, 0.12, 0.23])))
    return pd.DataFrame({
        "review_id": [f"RV-{label[:4]}-{i + 1:05d}" for i in range(len(rows))],
        "child_id": w.people.ids([r["child"] for r in rows]),
        "review_date": _iso([r["day"] for r in rows]),
        "participation": codes,
    })


def _visit_table(visits: list[dict], w: _World, label: str) -> pd.DataFrame:
    rng = w.rng
    first, last = _bounds(label)
    rows = sorted((v for v in visits if first <= v["due"] <= last),
                  key=lambda v: (v["due"], v["child"]))
    n = len(rows)
    pct = VISITS_IN_TIME[label]
    on_time = _target(label, n, pct)
    late = set(rng.choice(n, size=n - on_time, replace=False).tolist())
    made = []
    for k, v in enumerate(rows):
        if k in late:
            day = v["due"] + _uniform(rng, 1, 14)
            made.append(day if day <= last and day < v["stop"] else NONE)
        else:
            made.append(max(v["start"], v["due"] - _uniform(rng, 0, 7)))
    return pd.DataFrame({
        "visit_id": [f"VS-{label[:4]}-{i + 1:05d}" for i in range(n)],
        "child_id": w.people.ids([v["child"] for v in rows]),
        "due_date": _iso([v["due"] for v in rows]),
        "visit_date": _iso(made),
    })


def _health_table(periods: list[_Period], w: _World, label: str) -> pd.DataFrame:
    """Checks for the 12-month cohort: in care on 1 April and still on 31 March."""
    rng, people = w.rng, w.people
    first, last = _bounds(label)
    cohort = sorted((p for p in periods if p.start <= first and (p.end == NONE or p.end > last)),
                    key=lambda p: p.child)
    n = len(cohort)
    both = _target(label, n, HEALTH_AND_DENTAL[label])
    ok = set(rng.choice(n, size=both, replace=False).tolist())
    under5 = [k for k, p in enumerate(cohort) if people.age(p.child, last) < 5]
    developed = _target(label, len(under5), UNDER5_DEVELOPMENT[label])
    checked = set(rng.choice(under5, size=developed, replace=False).tolist()) if under5 else set()
    health, dental, development = [], [], []
    for k in range(n):
        recent = [last - _uniform(rng, 0, 330), last - _uniform(rng, 0, 350)]
        if k not in ok:
            stale = last - _uniform(rng, 370, 520) if rng.random() < 0.6 else NONE
            recent[int(rng.integers(0, 2))] = stale
        health.append(recent[0])
        dental.append(recent[1])
        if k in checked:
            development.append(last - _uniform(rng, 0, 300))
        elif k in under5:
            development.append(last - _uniform(rng, 380, 600) if rng.random() < 0.5 else NONE)
        else:
            development.append(NONE)
    return pd.DataFrame({
        "child_id": people.ids([p.child for p in cohort]),
        "health_assessment_date": _iso(health),
        "dental_check_date": _iso(dental),
        "development_check_date": _iso(development),
    })


# --- care leavers ----------------------------------------------------------------------------------


def _care_leavers(w: _World, periods: list[_Period]) -> dict[str, list[int]]:
    """Care leavers aged 18-24 open to the service at each 31 March.

    Young people who left care at 16 or over after 13 weeks join at 18; some stop needing
    the service each year; the rest of the caseload are older young people who left care
    before the demo began (created when first needed, ageing out at 25).
    """
    rng, people = w.rng, w.people
    left: dict[int, int] = {}
    for p in periods:
        if p.end != NONE and people.age(p.child, p.end) >= 16 and p.end - p.start >= 91:
            left[p.child] = max(left.get(p.child, NONE), p.end)
    cohorts: dict[str, list[int]] = {}
    cohort: list[int] = []
    dropped: set[int] = set()
    for n_year, label in enumerate(w.years):
        last = _bounds(label)[1]
        total = CARE_LEAVERS_ALLOCATED[label] + CARE_LEAVERS_UNALLOCATED
        keep = [c for c in cohort if people.age(c, last) < 25 and rng.random() < 0.93]
        dropped |= set(cohort) - set(keep)
        members = set(keep)
        new = [c for c, end in left.items() if c not in members and c not in dropped
               and end <= last and 18 <= people.age(c, last) < 25]
        if len(keep) + len(new) > total:
            gone = set(rng.choice(keep, size=len(keep) + len(new) - total, replace=False).tolist())
            keep = [c for c in keep if c not in gone]
            dropped |= gone
        cohort = keep + new
        youngest = 18 + n_year   # older leavers must already have been 18 in April 2020
        while len(cohort) < total:
            child = people.new(last, _uniform(rng, youngest, 24) * 365 + _uniform(rng, 40, 320))
            if 18 <= people.age(child, last) < 25:
                cohort.append(child)
        cohort = sorted(cohort)
        cohorts[label] = list(cohort)
    return cohorts


def _care_leaver_table(cohort: list[int], w: _World) -> pd.DataFrame:
    rng = w.rng
    n = len(cohort)
    allocated = np.array(["Y"] * n, dtype=object)
    allocated[rng.choice(n, size=CARE_LEAVERS_UNALLOCATED, replace=False)] = "N"

    def draw(options: Mapping[str, float]) -> list[str]:
        return [str(x) for x in rng.choice(list(options), size=n, p=list(options.values()))]

    return pd.DataFrame({
        "child_id": w.people.ids(cohort),
        "pa_allocated": allocated.tolist(),
        "in_touch": draw({"YES": 0.9, "NO": 0.03, "REFU": 0.03, "NREQ": 0.04}),
        "activity": draw({"F1": 0.08, "P1": 0.02, "F2": 0.15, "P2": 0.04, "F4": 0.2, "P4": 0.07,
                          "F5": 0.04, "G4": 0.07, "G5": 0.24, "G6": 0.05, "0": 0.04}),
        "accommodation": draw({"U": 0.36, "D": 0.15, "E": 0.07, "Z": 0.07, "B": 0.12, "K": 0.05,
                               "C": 0.03, "T": 0.04, "X": 0.03, "S": 0.02, "V": 0.02,
                               "0": 0.04}),
        "accommodation_suitable": draw({"Y": 0.9, "N": 0.1}),
    })


# --- missing ---------------------------------------------------------------------------------------


def _in_care_windows(periods: list[_Period], first: int, last: int) -> dict[int, tuple[int, int]]:
    windows = {}
    for p in periods:
        low = max(first, p.start)
        high = min(last, (p.end if p.end != NONE else last + 1) - 1)
        if high - low >= 90:
            windows[p.child] = (low, high)
    return windows


def _missing_table(w: _World, periods: list[_Period], label: str) -> pd.DataFrame:
    """Missing episodes: children from care and from home, exact counts and outcomes."""
    rng, people = w.rng, w.people
    first, last = _bounds(label)
    spec = MISSING[label]
    in_care = {p.child for p in periods if p.start <= last and (p.end == NONE or p.end > first)}
    windows = _in_care_windows(periods, first, last)
    teen = [c for c in windows if 11 <= people.age(c, first) <= 16]
    n_care = round(spec.from_care * spec.children)
    care_kids = rng.choice(sorted(teen), size=n_care, replace=False).tolist()
    referred = np.unique(w.ref_child[(w.ref_day >= first - 365) & (w.ref_day <= last)])
    ages = people.age(referred, first)
    home_pool = [c for c, a in zip(referred.tolist(), ages.tolist(), strict=True)
                 if 11 <= a <= 16 and c not in in_care]
    home_kids = rng.choice(home_pool, size=spec.children - n_care, replace=False).tolist()
    kids = [(c, windows[c], "Y") for c in care_kids] + [(c, (first, last), "N") for c in home_kids]
    counts = _episode_counts(rng, [hi - lo + 1 for _, (lo, hi), _ in kids], spec.episodes)
    rows = []
    for (child, (low, high), from_care), n in zip(kids, counts, strict=True):
        days = np.sort(rng.choice(np.arange(low, high + 1), size=n, replace=False))
        gaps = np.append(np.diff(days), last + 1 - days[-1])
        for day, gap in zip(days.tolist(), gaps.tolist(), strict=True):
            rows.append({"child": child, "day": day, "gap": gap, "care": from_care})
    rows.sort(key=lambda r: (r["day"], r["child"]))
    _durations(rng, rows, spec)
    _return_home(rng, rows, spec)
    return pd.DataFrame({
        "episode_id": [f"MS-{label[:4]}-{i + 1:05d}" for i in range(len(rows))],
        "child_id": people.ids([r["child"] for r in rows]),
        "start_date": _iso([r["day"] for r in rows]),
        "duration_hours": [r["hours"] for r in rows],
        "looked_after": [r["care"] for r in rows],
        "rhc": [r["rhc"] for r in rows],
    })


def _episode_counts(rng: np.random.Generator, room: list[int], total: int) -> list[int]:
    """Episodes per child: at least one each, a long tail, never more than the days allow."""
    n = len(room)
    weights = rng.pareto(1.3, n) + 0.2
    order = np.argsort(-np.array(room), kind="stable")
    ranked = np.sort(weights)[::-1]
    shares = {i: float(ranked[pos]) for pos, i in enumerate(order.tolist())}
    extra = allocate(total - n, shares)
    counts = [1 + extra[i] for i in range(n)]
    caps = [max(1, r // 2) for r in room]
    spare = sum(max(0, c - cap) for c, cap in zip(counts, caps, strict=True))
    counts = [min(c, cap) for c, cap in zip(counts, caps, strict=True)]
    while spare:
        for i in rng.permutation(n).tolist():
            if spare and counts[i] < caps[i]:
                counts[i] += 1
                spare -= 1
    return counts


def _durations(rng: np.random.Generator, rows: list[dict], spec: MissingYear) -> None:
    long_n = len(rows) - _target(spec.label, len(rows), spec.short_pct, decimals=1)
    roomy = [k for k, r in enumerate(rows) if r["gap"] >= 3]
    long = set(rng.choice(roomy, size=long_n, replace=False).tolist())
    for k, r in enumerate(rows):
        if k in long:
            r["hours"] = round(float(rng.uniform(24.5, min(r["gap"] * 24 - 2, 240))) * 2) / 2
        else:
            r["hours"] = float(rng.choice(np.arange(1, 49)) / 2)


def _return_home(rng: np.random.Generator, rows: list[dict], spec: MissingYear) -> None:
    """Exactly the set share of children, and of applicable episodes, with a conversation."""
    for r in rows:
        r["rhc"] = ""
    for k in rng.choice(len(rows), size=spec.not_applicable, replace=False).tolist():
        rows[k]["rhc"] = "NA"
    applicable = [k for k, r in enumerate(rows) if r["rhc"] != "NA"]
    held_n = _target(spec.label, len(applicable), spec.rhc_episodes_pct, decimals=1)
    children = sorted({r["child"] for r in rows})
    engaged_n = _target(spec.label, len(children), spec.rhc_children_pct)
    by_child: dict[int, list[int]] = {}
    for k in applicable:
        by_child.setdefault(rows[k]["child"], []).append(k)
    ranked = sorted(children, key=lambda c: (-len(by_child.get(c, [])), float(rng.random())))
    engaged = [c for c in ranked if by_child.get(c)][:engaged_n]
    held = [int(rng.choice(by_child[c])) for c in engaged]
    rest = [k for c in engaged for k in by_child[c] if k not in set(held)]
    held += rng.choice(rest, size=held_n - len(held), replace=False).tolist()
    held_set = set(held)
    for k in applicable:
        rows[k]["rhc"] = "HELD" if k in held_set else str(rng.choice(["DECL", "NOTH"], p=[0.6, 0.4]))


# --- exploitation ----------------------------------------------------------------------------------


def _exploitation_table(w: _World, label: str, used: set[int]) -> pd.DataFrame:
    """CSE and CCE risk assessments: one per child, children aged 11-17, set types and
    review outcomes."""
    rng, people = w.rng, w.people
    first, last = _bounds(label)
    rows = []
    for tool in ("CSE", "CCE"):
        spec = EXPLOITATION[tool][label]
        days = np.sort(rng.integers(first, last + 1, spec.children))
        kids = []
        for day in days.tolist():
            recent = np.unique(w.ref_child[(w.ref_day <= day) & (w.ref_day > day - 730)])
            ages = people.age(recent, day)
            fits = (ages >= (12 if tool == "CSE" else 11)) & (ages <= 17) \
                & ~np.isin(recent, np.fromiter(used, dtype=np.int64, count=len(used)))
            child = int(rng.choice(recent[fits]))
            used.add(child)
            kids.append(child)
        types = _type_lists(rng, spec.children, spec.types)
        reviewable = [k for k, d in enumerate(days.tolist()) if d <= last - 60]
        reviewed = rng.choice(reviewable, size=spec.reviewed, replace=False).tolist()
        reduced = set(reviewed[: spec.reduced])
        for k, (day, child) in enumerate(zip(days.tolist(), kids, strict=True)):
            score = _uniform(rng, 25, 85)
            review, later = NONE, None
            if k in reviewed:
                review = day + _uniform(rng, 42, min(150, last - day))
                later = max(0, score - _uniform(rng, 5, 30)) if k in reduced \
                    else min(100, score + _uniform(rng, 0, 15))
            rows.append({"child": child, "tool": tool, "day": day, "score": score,
                         "review": review, "review_score": later, "types": types[k]})
    rows.sort(key=lambda r: (r["day"], r["tool"], r["child"]))
    return pd.DataFrame({
        "assessment_id": [f"EX-{label[:4]}-{i + 1:04d}" for i in range(len(rows))],
        "child_id": people.ids([r["child"] for r in rows]),
        "tool": [r["tool"] for r in rows],
        "assessment_date": _iso([r["day"] for r in rows]),
        "initial_score": [r["score"] for r in rows],
        "review_date": _iso([r["review"] for r in rows]),
        "review_score": ["" if r["review_score"] is None else str(r["review_score"]) for r in rows],
        "exploitation_types": [r["types"] for r in rows],
    })


def _type_lists(rng: np.random.Generator, n: int, counts: Mapping[str, int]) -> list[str]:
    """Give exactly ``counts[type]`` of ``n`` assessments each type, every one at least one."""
    chosen: list[set[str]] = [set() for _ in range(n)]
    primary = draw_labels(rng, allocate(n, counts))
    for k, code in enumerate(primary.tolist()):
        chosen[k].add(str(code))
    for code, total in counts.items():
        have = [k for k in range(n) if code in chosen[k]]
        free = [k for k in range(n) if code not in chosen[k]]
        for k in rng.choice(free, size=total - len(have), replace=False).tolist():
            chosen[k].add(code)
    order = list(counts)
    return [";".join(sorted(c, key=order.index)) for c in chosen]


# --- benchmarks and stages -------------------------------------------------------------------------


def _benchmarks(years: Sequence[str]) -> dict[str, pd.DataFrame]:
    out = {}
    for i, label in enumerate(years):
        out[label] = pd.DataFrame([
            {"area": area, "indicator": indicator, "period": label, "value": values[i]}
            for indicator, areas in BENCHMARKS.items() for area, values in areas.items()])
    return out


def _between(frame: pd.DataFrame, column: str, label: str) -> pd.Series:
    year = Year.parse(label)
    return (frame[column] >= year.first_day) & (frame[column] <= year.last_day)


def _select(table: str, rule: Callable[[pd.DataFrame], pd.Series] | None = None
            ) -> Callable[[Mapping[str, pd.DataFrame]], set[str]]:
    def select(tables: Mapping[str, pd.DataFrame]) -> set[str]:
        frame = tables[table]
        return set(frame.loc[rule(frame), "child_id"] if rule else frame["child_id"])

    return select


def _stages() -> tuple[Stage, ...]:
    """The stages whose mix is set: 2024-25 deepest and smallest first, then the earlier
    years going back (children met again keep the mix already set), then sex by year."""
    y = REPORT_YEAR
    open_at_end = _select("cla_episodes", lambda f: f["end_date"] == "")
    uasc = _select("cla_episodes", lambda f: (f["end_date"] == "") & (f["uasc"] == "Y"))
    stages = [
        Stage("UASC looked after at 31 March", y, "ethnic_group", uasc, STAGE_MIX_2025["uasc"]),
        Stage("missing", y, "ethnic_group", _select("missing_episodes"), STAGE_MIX_2025["missing"]),
        Stage("looked after at 31 March", y, "ethnic_group", open_at_end, STAGE_MIX_2025["cla"]),
        Stage("ICPC", y, "ethnic_group", _select("section47", lambda f: _between(f, "icpc_date", y)),
              STAGE_MIX_2025["icpc"]),
        Stage("section 47", y, "ethnic_group",
              _select("section47", lambda f: _between(f, "start_date", y)), STAGE_MIX_2025["s47"]),
        Stage("assessment", y, "ethnic_group", _select("assessments"),
              STAGE_MIX_2025["assessment"]),
        Stage("referral", y, "ethnic_group", _select("referrals"), STAGE_MIX_2025["referral"]),
    ]
    for label in ("2023-24", "2022-23", "2021-22", "2020-21"):
        mix = STAGE_MIX_EARLIER
        stages += [
            Stage("missing", label, "ethnic_group", _select("missing_episodes"), mix["missing"]),
            Stage("looked after at 31 March", label, "ethnic_group", open_at_end, mix["cla"]),
            Stage("ICPC", label, "ethnic_group",
                  _select("section47", lambda f, y=label: _between(f, "icpc_date", y)),
                  mix["icpc"]),
            Stage("section 47", label, "ethnic_group",
                  _select("section47", lambda f, y=label: _between(f, "start_date", y)),
                  mix["s47"]),
        ]
    for tool, years in EXPLOITATION.items():
        for label, spec in years.items():
            other = "1" if spec.main_sex == "2" else "2"
            share = spec.main_sex_pct / 100
            stages.append(Stage(
                f"{tool} risk assessment", label, "sex",
                _select("exploitation_assessments", lambda f, t=tool: f["tool"] == t),
                {spec.main_sex: share, other: 1 - share}))
    return tuple(stages)


STAGES: tuple[Stage, ...] = _stages()


# --- entry point -----------------------------------------------------------------------------------


def generate(ctx: DemoContext) -> dict[str, dict[str, pd.DataFrame]]:
    """Tables for each demo year: {year: {table name: frame}}."""
    w = _world(ctx, ctx.rng(DOMAIN))
    enquiries, plans = _child_protection(w)
    conferenced = {s.referral_id for s in enquiries if s.outcome == "ICPC"}
    cin = _cin_episodes(w, conferenced)
    periods = _periods_of_care(w)
    _care_episodes(w, periods)
    reviews, visits = _reviews_and_visits(w, periods)
    leavers = _care_leavers(w, periods)
    benchmarks = _benchmarks(w.years)
    used: set[int] = set()
    out: dict[str, dict[str, pd.DataFrame]] = {}
    for label in w.years:
        out[label] = {
            **_cp_tables(enquiries, plans, w, label),
            "cin_episodes": _cin_table(cin, w, label),
            "cla_episodes": _cla_table(periods, w, label),
            "cla_reviews": _review_table(reviews, w, label),
            "cla_visits": _visit_table(visits, w, label),
            "cla_health": _health_table(periods, w, label),
            "care_leavers": _care_leaver_table(leavers[label], w),
            "missing_episodes": _missing_table(w, periods, label),
            "exploitation_assessments": _exploitation_table(w, label, used),
            "benchmarks": benchmarks[label],
        }
    return out
