"""Building blocks every demo domain shares: the child pool, exact allocation, the
context the front door hands on, and stage-based assignment of ethnicity and sex.

Kept apart from ``generator`` (which calls every domain) so that the domain modules
import only this module and nothing imports in a circle.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

YEARS = ("2020-21", "2021-22", "2022-23", "2023-24", "2024-25")

ETHNICITY_MIX = {
    "White": (0.31, {"WBRI": 0.55, "WOTH": 0.35, "WIRI": 0.07, "WROM": 0.02, "WIRT": 0.01}),
    "Black": (0.22, {"BAFR": 0.6, "BCRB": 0.2, "BOTH": 0.2}),
    "Mixed": (0.18, {"MWBC": 0.3, "MWBA": 0.25, "MWAS": 0.2, "MOTH": 0.25}),
    "Asian": (0.16, {"ABAN": 0.55, "AIND": 0.15, "APKN": 0.05, "AOTH": 0.25}),
    "Other": (0.09, {"OOTH": 0.8, "CHNE": 0.2}),
    "Not known": (0.04, {"NOBT": 0.6, "REFU": 0.4}),
}
POPULATION_SHARES = {"White": 0.60, "Asian": 0.16, "Mixed": 0.11, "Black": 0.09, "Other": 0.04}
AGE_BANDS = {"0-4": 0.25, "5-9": 0.26, "10-15": 0.33, "16-17": 0.16}
POPULATION_TOTAL = {"2020-21": 44900, "2021-22": 44700, "2022-23": 44450,
                     "2023-24": 44200, "2024-25": 44000}


def allocate(total: int, shares: Mapping[str, float]) -> dict[str, int]:
    """Split ``total`` in proportion to ``shares`` exactly (largest remainder method)."""
    keys = list(shares)
    weights = np.array([shares[k] for k in keys], dtype=float)
    raw = weights / weights.sum() * total
    counts = np.floor(raw).astype(int)
    order = np.argsort(-(raw - counts), kind="stable")
    counts[order[: total - counts.sum()]] += 1
    return dict(zip(keys, counts.tolist(), strict=True))


def draw_labels(rng: np.random.Generator, counts: Mapping[str, int]) -> np.ndarray:
    """An array holding each label ``count`` times, in random order."""
    values = np.repeat(np.array(list(counts), dtype=object), list(counts.values()))
    return rng.permutation(values)


class ChildPool:
    """The pool of synthetic children, kept across years so histories are consistent."""

    def __init__(self, rng: np.random.Generator):
        self.rng = rng
        self.birth: list[pd.Timestamp] = []
        self.birth_day = np.zeros(0, dtype=np.int64)
        self.sex: list[str] = []
        self.ethnicity: list[str] = []
        self.last_referral = np.full(0, np.iinfo(np.int64).min // 2, dtype=np.int64)

    def ids(self, index: Sequence[int]) -> list[str]:
        return [f"CH-{i + 1:06d}" for i in index]

    def new(self, on: pd.Timestamp, age_days: int | None = None,
            rng: np.random.Generator | None = None) -> int:
        """Create a child first seen on ``on``, aged ``age_days`` (random 0-17 if None).

        ``rng`` lets another domain's generator draw the child's details from its own
        stream, so its output does not depend on the front door's random state.
        """
        rng = self.rng if rng is None else rng
        if age_days is None:
            age_days = int(rng.integers(0, 18 * 365 - 30))
        self.birth.append(on - pd.Timedelta(days=age_days))
        self.birth_day = np.append(self.birth_day, day_number(self.birth[-1]))
        self.sex.append(str(rng.choice(["1", "2", "0"], p=[0.51, 0.48, 0.01])))
        groups = list(ETHNICITY_MIX)
        group = groups[rng.choice(len(groups), p=[ETHNICITY_MIX[g][0] for g in groups])]
        codes = ETHNICITY_MIX[group][1]
        self.ethnicity.append(str(rng.choice(list(codes), p=list(codes.values()))))
        self.last_referral = np.append(self.last_referral, np.iinfo(np.int64).min // 2)
        return len(self.birth) - 1

    def __len__(self) -> int:
        return len(self.birth)

    def age_years(self, on: pd.Timestamp) -> np.ndarray:
        """Every child's age in whole years on ``on`` (negative if not yet born)."""
        return (day_number(on) - self.birth_day) // 365.25

    def under_18(self, on: pd.Timestamp) -> np.ndarray:
        return self.birth_day > day_number(on - pd.DateOffset(years=18))

    def pick(self, mask: np.ndarray) -> int | None:
        candidates = np.flatnonzero(mask)
        return int(self.rng.choice(candidates)) if len(candidates) else None

    def table(self, index: Sequence[int]) -> pd.DataFrame:
        index = sorted(set(index))
        return pd.DataFrame({
            "child_id": self.ids(index),
            "birth_month": [self.birth[i].strftime("%Y-%m") for i in index],
            "sex": [self.sex[i] for i in index],
            "ethnicity": [self.ethnicity[i] for i in index],
        })


def day_number(ts: pd.Timestamp) -> int:
    return int(ts.value // 86_400_000_000_000)



@dataclass
class DemoContext:
    """What the front door generated, handed to the other domains' generators.

    Each domain draws from its own random stream (``rng(domain)``), so adding or changing
    one domain never changes another's files.
    """

    seed: int
    years: tuple[str, ...]
    kids: ChildPool
    contacts: dict[str, pd.DataFrame]
    referrals: dict[str, pd.DataFrame]
    assessments: dict[str, pd.DataFrame]

    def rng(self, domain: int) -> np.random.Generator:
        return np.random.default_rng([self.seed, domain])


def child_index(child_id: str) -> int:
    return int(child_id[3:]) - 1


@dataclass(frozen=True)
class Stage:
    """Children at one stage of the journey in one year, and the mix they must have.

    ``select`` picks the stage's child ids from that year's generated tables; ``shares``
    gives target shares for some categories of ``attribute`` ('ethnic_group' or 'sex');
    categories not named share the rest in proportion to the pool's own mix.
    """

    name: str
    year: str
    attribute: str
    select: Callable[[Mapping[str, pd.DataFrame]], set[str]]
    shares: Mapping[str, float]


def assign_by_stage(ctx: DemoContext, out: Mapping[str, Mapping[str, pd.DataFrame]],
                    stages: Sequence[Stage]) -> None:
    """Set children's ethnicity or sex so each stage shows its target mix exactly.

    Stages are taken in the order given (put the smallest, deepest stages first). Children
    already fixed by an earlier stage count towards a later stage's targets; the rest are
    allocated exactly (largest remainder) at random. This is how the demo reproduces the
    report's disproportionality pattern without typing a share into any chapter.
    """
    fixed: dict[tuple[str, int], str] = {}
    rng = ctx.rng(99)
    for stage in stages:
        members = sorted(child_index(c) for c in stage.select(out[stage.year]))
        values = _attribute_values(ctx.kids, stage.attribute)
        counts = allocate(len(members), _complete_shares(stage, values, members))
        for child in members:
            if (stage.attribute, child) in fixed:
                counts[fixed[(stage.attribute, child)]] -= 1
        free = [c for c in members if (stage.attribute, c) not in fixed]
        if any(n < 0 for n in counts.values()):
            raise ValueError(f"stage {stage.name} ({stage.year}) cannot meet its targets "
                             f"given earlier stages: {counts}")
        labels = draw_labels(rng, counts)
        for child, value in zip(free, labels, strict=True):
            fixed[(stage.attribute, child)] = str(value)
            _set_attribute(ctx.kids, stage.attribute, child, str(value), rng)


def _attribute_values(kids: ChildPool, attribute: str) -> list[str]:
    if attribute == "sex":
        return kids.sex
    from helpers.data.code_lists import ETHNIC_GROUP

    return [ETHNIC_GROUP[e] for e in kids.ethnicity]


def _complete_shares(stage: Stage, values: list[str], members: list[int]) -> dict[str, float]:
    """Target shares for every category: the named ones, the rest as in the members now."""
    named = dict(stage.shares)
    rest = 1.0 - sum(named.values())
    others: dict[str, int] = {}
    for child in members:
        if values[child] not in named:
            others[values[child]] = others.get(values[child], 0) + 1
    total = sum(others.values())
    for key in sorted(others):
        named[key] = rest * others[key] / total if total else 0.0
    return named


def _set_attribute(kids: ChildPool, attribute: str, child: int, value: str,
                   rng: np.random.Generator) -> None:
    if attribute == "sex":
        kids.sex[child] = value
        return
    codes = ETHNICITY_MIX[value][1]
    kids.ethnicity[child] = str(rng.choice(list(codes), p=list(codes.values())))


