"""The front door's part of the demo: contacts, referrals, assessments with factors,
the child population and the re-referral benchmark stand-ins, year by year.

Its parameters are the figures the reference report gives for the front door; the
other domains start from the ``DemoContext`` it returns.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from helpers.config import Year
from helpers.data import code_lists as codes
from helpers.demo.common import (
    AGE_BANDS,
    POPULATION_SHARES,
    POPULATION_TOTAL,
    YEARS,
    ChildPool,
    DemoContext,
    allocate,
    day_number,
    draw_labels,
)

WARM_UP = "2019-20"  # simulated only to give 2020-21 referrals a history; never written


@dataclass(frozen=True)
class FrontDoorYear:
    """What one year at the front door looks like, as the report describes it."""

    contacts: int
    outcomes: Mapping[str, float]          # share of contacts by outcome (REF exact below)
    referrals: int                         # contacts with outcome REF
    source_shares: Mapping[str, float]     # share of referrals by source group
    re_referral_rate: float                # re-referrals / referrals
    assessment_factor_shares: Mapping[str, float]
    contact_factor_shares: Mapping[str, float]
    early_help: int
    assessment_conversion: float = 0.88
    benchmark_re_referral: Mapping[str, float] = field(default_factory=dict)


# Factor prevalence among assessments authorised in the year. The 2024-25 values of 3B, 4B,
# 3A and 4A are the report's 32/26/20/16%; 16A (neglect) is its 12%. The rise in 3A
# (domestic abuse, child subject) follows the report's remark that it increased in 2024-25.
_BASE_FACTORS = {
    "3B": 0.31, "4B": 0.25, "3A": 0.16, "4A": 0.15, "16A": 0.13, "17A": 0.14,
    "2B": 0.09, "1B": 0.08, "5B": 0.05, "6B": 0.04, "5A": 0.05, "6A": 0.03,
    "18C": 0.07, "18B": 0.03, "19C": 0.03, "19B": 0.025, "15A": 0.06, "24A": 0.04,
    "11A": 0.02, "13A": 0.03, "10A": 0.04, "14A": 0.05, "2A": 0.03, "1A": 0.015,
    "7A": 0.02, "9A": 0.02, "12A": 0.005, "22A": 0.004, "23A": 0.003, "20": 0.10,
    "1C": 0.01, "2C": 0.01, "3C": 0.01, "4C": 0.05, "8E": 0.003,
}
_FACTOR_BY_YEAR = {
    "2019-20": {"3A": 0.15, "4A": 0.14},
    "2020-21": {"3A": 0.15, "4A": 0.15, "16A": 0.14},
    "2021-22": {"3A": 0.16, "4A": 0.15, "16A": 0.13},
    "2022-23": {"3A": 0.16, "4A": 0.15, "16A": 0.13},
    "2023-24": {"3A": 0.17, "3B": 0.31, "4B": 0.26, "4A": 0.16, "16A": 0.12},
    # FGM (22A) is identified so rarely that the 2024-25 count is too small to publish.
    "2024-25": {"3B": 0.32, "4B": 0.26, "3A": 0.20, "4A": 0.16, "4C": 0.06, "16A": 0.12,
                "22A": 0.0015},
}
_CONTACT_FACTORS = {"3B": 0.17, "4B": 0.12, "3A": 0.10, "4A": 0.09, "16A": 0.072,
                    "17A": 0.05, "2B": 0.04, "15A": 0.03, "18C": 0.04}

_SOURCES_2024 = {"Police": 0.25, "Local Authority services": 0.23, "Health": 0.20,
                 "Schools": 0.12, "Individual": 0.08, "Other": 0.04, "Housing": 0.03,
                 "Other legal agency": 0.03, "Other education services": 0.01,
                 "Anonymous": 0.01}
_SOURCES_EARLIER = {"Police": 0.27, "Health": 0.21, "Schools": 0.16,
                    "Local Authority services": 0.13, "Individual": 0.10, "Other": 0.04,
                    "Housing": 0.03, "Other legal agency": 0.03,
                    "Other education services": 0.02, "Anonymous": 0.01}

_OUTCOMES = {"IAG": 0.35, "SIGN": 0.30, "OPEN": 0.10, "NFA": 0.25}  # of non-REF, non-EH


def _year(contacts: int, referrals: int, early_help: int, rate: float, sources: dict,
          label: str, inner: float, england: float) -> FrontDoorYear:
    return FrontDoorYear(
        contacts=contacts, referrals=referrals, early_help=early_help, outcomes=_OUTCOMES,
        source_shares=sources, re_referral_rate=rate,
        assessment_factor_shares={**_BASE_FACTORS, **_FACTOR_BY_YEAR[label]},
        contact_factor_shares=_CONTACT_FACTORS,
        benchmark_re_referral={"Inner London": inner, "England": england},
    )


PARAMS: Mapping[str, FrontDoorYear] = {
    "2019-20": _year(6650, 1600, 1560, 0.215, _SOURCES_EARLIER, "2019-20", 19.2, 22.6),
    "2020-21": _year(7021, 1664, 1631, 0.214, _SOURCES_EARLIER, "2020-21", 19.0, 22.7),
    "2021-22": _year(7388, 1721, 1760, 0.208, _SOURCES_EARLIER, "2021-22", 18.7, 21.5),
    "2022-23": _year(7795, 1863, 1872, 0.201, _SOURCES_EARLIER, "2022-23", 18.9, 22.4),
    "2023-24": _year(8174, 1930, 2010, 0.194, _SOURCES_EARLIER, "2023-24", 18.6, 22.4),
    "2024-25": _year(8583, 2017, 2131, 0.184, _SOURCES_2024, "2024-25", 18.8, 22.6),
}

# Within-group split of CIN census referral source codes.
_SOURCE_CODES = {
    "Individual": {"1A": 0.6, "1B": 0.1, "1C": 0.2, "1D": 0.1},
    "Schools": {"2A": 1.0},
    "Other education services": {"2B": 1.0},
    "Health": {"3A": 0.2, "3B": 0.15, "3C": 0.05, "3D": 0.1, "3E": 0.35, "3F": 0.15},
    "Housing": {"4": 1.0},
    "Local Authority services": {"5A": 0.3, "5B": 0.4, "5C": 0.2, "5D": 0.1},
    "Police": {"6": 1.0},
    "Other legal agency": {"7": 1.0},
    "Other": {"8": 1.0},
    "Anonymous": {"9": 1.0},
}

def _front_door_year(rng: np.random.Generator, kids: ChildPool, label: str,
                     params: FrontDoorYear) -> dict[str, pd.DataFrame]:
    """Contacts and referrals for one year, with children chosen to honour re-referral rules."""
    year = Year.parse(label)
    start = pd.Timestamp(year.first_day)
    offsets = np.sort(rng.integers(0, 365, params.contacts))
    dates = [start + pd.Timedelta(days=int(d)) for d in offsets]
    other = allocate(params.contacts - params.referrals - params.early_help, params.outcomes)
    outcomes = draw_labels(rng, {"REF": params.referrals, "EH": params.early_help, **other})
    is_ref = outcomes == "REF"
    re_flags = np.zeros(params.referrals, dtype=bool)
    re_flags[: round(params.re_referral_rate * params.referrals)] = True
    re_flags = rng.permutation(re_flags)
    groups = draw_labels(rng, allocate(params.referrals, params.source_shares))
    ref_sources = [str(rng.choice(list(_SOURCE_CODES[g]), p=list(_SOURCE_CODES[g].values())))
                   for g in groups]
    all_codes = {c: s * w for g, s in _SOURCES_EARLIER.items()
                 for c, w in _SOURCE_CODES[g].items()}
    contact_rows, referral_rows = [], []
    ref_i = 0
    for i, (on, outcome) in enumerate(zip(dates, outcomes, strict=True)):
        day = day_number(on)
        contact_id = f"CT-{label[:4]}-{i + 1:05d}"
        if is_ref[i]:
            alive = kids.under_18(on) if kids.birth else np.zeros(0, dtype=bool)
            recent = (kids.last_referral > day - 365) & (kids.last_referral < day)
            if re_flags[ref_i]:
                child = kids.pick(alive & recent)
            elif rng.random() < 0.15:
                child = kids.pick(alive & (kids.last_referral <= day - 366)
                                  & (kids.last_referral > day - 6 * 365))
            else:
                child = None
            if child is None:
                if re_flags[ref_i]:
                    raise RuntimeError(f"no child eligible for a re-referral on {on:%Y-%m-%d}")
                child = kids.new(on)
            previous = kids.last_referral[child]
            referral_rows.append({
                "referral_id": f"RF-{label[:4]}-{ref_i + 1:05d}",
                "contact_id": contact_id,
                "child_id": kids.ids([child])[0],
                "referral_date": on.strftime("%Y-%m-%d"),
                "source": ref_sources[ref_i],
                "previous_referral_date": (pd.Timestamp(int(previous) * 86_400_000_000_000)
                                           .strftime("%Y-%m-%d") if previous > 0 else ""),
            })
            kids.last_referral[child] = day
            source = ref_sources[ref_i]
            ref_i += 1
        else:
            child = None
            if kids.birth and rng.random() < 0.35:
                child = kids.pick(kids.under_18(on))
            if child is None:
                child = kids.new(on)
            source = str(rng.choice(list(all_codes), p=np.array(list(all_codes.values()))
                                    / sum(all_codes.values())))
        contact_rows.append({"contact_id": contact_id, "child_id": kids.ids([child])[0],
                             "contact_date": on.strftime("%Y-%m-%d"), "source": source,
                             "outcome": str(outcome), "_child": child})
    contacts = pd.DataFrame(contact_rows)
    contacts["presenting_factors"] = _factor_lists(rng, len(contacts),
                                                   params.contact_factor_shares, empty="")
    return {"contacts": contacts, "referrals": pd.DataFrame(referral_rows)}


# Factors never recorded together in the demo, so that "any mental health factor" is the
# sum of its parts (the report's 48% is 26% parent + 16% child + 6% other household member).
_DISJOINT = (("4A", "4B", "4C"),)


def _factor_lists(rng: np.random.Generator, n: int, shares: Mapping[str, float],
                  empty: str, disjoint: Sequence[Sequence[str]] = ()) -> list[str]:
    """Give exactly round(share * n) records each factor, chosen at random.

    Factors in one ``disjoint`` group go to different records, so their shares add up.
    """
    chosen: list[list[str]] = [[] for _ in range(n)]
    grouped = {code for group in disjoint for code in group}
    for code, share in shares.items():
        if code in grouped:
            continue
        for idx in rng.choice(n, size=round(share * n), replace=False):
            chosen[idx].append(code)
    for group in disjoint:
        present = [c for c in group if c in shares]
        order = rng.permutation(n)
        start = 0
        for code in present:
            size = round(shares[code] * n)
            for idx in order[start:start + size]:
                chosen[idx].append(code)
            start += size
    return [";".join(sorted(c, key=_factor_sort_key)) if c else empty for c in chosen]


def _factor_sort_key(code: str) -> tuple[int, str]:
    digits = "".join(ch for ch in code if ch.isdigit())
    return int(digits), code


def _assessments(rng: np.random.Generator, referrals: pd.DataFrame, conversion: float) -> pd.DataFrame:
    """Assessments following referrals, dated; factors are added per authorising year."""
    take = rng.random(len(referrals)) < conversion
    chosen = referrals[take].reset_index(drop=True)
    ref_dates = pd.to_datetime(chosen["referral_date"])
    start = ref_dates + pd.to_timedelta(rng.integers(0, 8, len(chosen)), unit="D")
    authorised = start + pd.to_timedelta(rng.integers(5, 61, len(chosen)), unit="D")
    return pd.DataFrame({
        "assessment_id": [r.replace("RF-", "AS-") for r in chosen["referral_id"]],
        "child_id": chosen["child_id"],
        "referral_id": chosen["referral_id"],
        "start_date": start.dt.strftime("%Y-%m-%d"),
        "authorised_date": authorised.dt.strftime("%Y-%m-%d"),
    })


def population(label: str) -> pd.DataFrame:
    total = POPULATION_TOTAL[label]
    rows = []
    for band, count in allocate(total, AGE_BANDS).items():
        for group, n in allocate(count, POPULATION_SHARES).items():
            rows.append({"age_band": band, "ethnic_group": group, "population": n})
    return pd.DataFrame(rows)


def benchmarks(label: str) -> pd.DataFrame:
    rows = [{"area": area, "indicator": "re_referral_rate", "period": label, "value": value}
            for area, value in PARAMS[label].benchmark_re_referral.items()]
    return pd.DataFrame(rows)


# What a case system recorded before a code existed: early help referred as another internal
# department (5B) before 5D, criminal exploitation as gangs (13A) before 24A.
_EARLIER_CODE = {"5D": "5B", "24A": "13A"}


def _valid_code(code: str, years: Mapping[str, codes.ValidYears], label: str) -> str:
    """``code`` if it is valid in ``label``, else the code used for it before it existed."""
    return code if code not in years or years[code].covers(label) else _EARLIER_CODE[code]


def _recode_factors(cell: str, label: str) -> str:
    """A ';'-list of factors with each code valid in ``label`` (no code listed twice)."""
    if not cell:
        return cell
    out: list[str] = []
    for code in cell.split(";"):
        valid = _valid_code(code, codes.ASSESSMENT_FACTOR_YEARS, label)
        if valid not in out:
            out.append(valid)
    return ";".join(sorted(out, key=_factor_sort_key))


def codes_for_year(frame: pd.DataFrame, label: str) -> pd.DataFrame:
    """The demo year with every code valid in that year (rule COL-104).

    The generator draws codes from today's lists, so earlier years are recoded afterwards;
    the random stream is untouched, so the years that need no recoding stay byte-identical.
    """
    out = frame.copy()
    if "source" in out.columns:
        out["source"] = out["source"].map(
            lambda c: _valid_code(c, codes.REFERRAL_SOURCE_YEARS, label))
    for column in ("factors", "presenting_factors"):
        if column in out.columns:
            out[column] = out[column].map(lambda cell: _recode_factors(cell, label))
    return out


def generate(seed: int) -> DemoContext:
    rng = np.random.default_rng(seed)
    kids = ChildPool(rng)
    front = {}
    for label in (WARM_UP, *YEARS):
        front[label] = _front_door_year(rng, kids, label, PARAMS[label])
    all_refs = pd.concat([f["referrals"] for f in front.values()], ignore_index=True)
    assessments = _assessments(rng, all_refs, PARAMS["2024-25"].assessment_conversion)
    by_year = {}
    for label in YEARS:
        year = Year.parse(label)
        in_year = assessments["authorised_date"].between(year.first_day, year.last_day)
        year_assess = assessments[in_year].reset_index(drop=True)
        year_assess["factors"] = _factor_lists(
            rng, len(year_assess), PARAMS[label].assessment_factor_shares, empty="21",
            disjoint=_DISJOINT)
        by_year[label] = year_assess
    return DemoContext(
        seed=seed, years=YEARS, kids=kids,
        contacts={y: codes_for_year(front[y]["contacts"][[
            "contact_id", "child_id", "contact_date", "source", "presenting_factors", "outcome"]],
            y) for y in YEARS},
        referrals={y: codes_for_year(front[y]["referrals"], y) for y in YEARS},
        assessments={y: codes_for_year(frame, y) for y, frame in by_year.items()},
    )


