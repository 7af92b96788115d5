"""Property: a breakdown's published numbers never give a suppressed count back.

Random small breakdowns (2-6 categories, counts 0-30, seeded, so a failure is
reproducible) go through the same calls a ``Breakdown`` section makes: ``hidden_cells``
for primary and secondary suppression, ``FigureRegister.percent`` per category and
``FigureRegister.count`` for the total, and the published numbers are read back from
``FigureRegister.frame()`` as ``figures.csv`` stores them.

The attacker knows the total, every published share at its published precision, and that
a hidden cell is not zero (zeros are printed). Each published share gives the set of
whole counts that round to it; the hidden cells share what is left of the total. A
suppressed count is *recovered* when only one value is possible for it.

Two attackers are checked. The arithmetic one (the brief's "total minus the published
counts") is the property the pack must meet. The rule-aware one also knows how secondary
suppression works (an extra hidden cell is at least the threshold and no larger than the
cells still shown); the pack must meet that too.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from itertools import product

import pandas as pd

from helpers.chapters.sections import hidden_cells
from helpers.report import disclosure
from helpers.report.figure_register import FigureRegister

SEED = 20250601
CASES = 800
YEAR = "2024-25"
MIN_DENOMINATOR = FigureRegister("06", YEAR, refs={}).rules.min_denominator


def publish(counts: Sequence[int]) -> tuple[int | None, list[float | None], FigureRegister]:
    """The total and each category's share as the register stores them (None = hidden)."""
    reg = FigureRegister("06", YEAR, refs={})
    total = sum(counts)
    table = pd.DataFrame({"period": YEAR, "count": list(counts), "denominator": total})
    table["hidden"] = hidden_cells(table, reg.rules.count_threshold, reg.rules.min_denominator)
    for i, row in table.iterrows():
        share = 100 * row["count"] / total if total else 0.0
        reg.percent("6.1", f"cat_{i}", f"Category {i}", share, total, numerator=row["count"],
                    hidden=bool(row["hidden"]))
    reg.count("6.1", "total", "Total", total)
    frame = reg.frame()
    stored = frame.loc[frame["indicator"] == "total", "value"].iloc[0]
    published_total = None if stored is None else int(stored)
    shares = [None if row.suppressed else float(row.value)
              for row in frame.itertuples() if str(row.indicator).startswith("cat_")]
    return published_total, shares, reg


def possible_counts(share: float, total: int) -> list[int]:
    """Whole counts of ``total`` whose share rounds to the published ``share`` (0 dp)."""
    return [c for c in range(total + 1)
            if disclosure.round_half_up(100 * c / total, 0) == share]


def feasible(total: int, shares: Sequence[float | None], threshold: int,
             rule_aware: bool) -> list[tuple[int, ...]]:
    """Every count vector consistent with what is published (and the rules, if known)."""
    # Below the minimum denominator every cell is hidden, zeros too; above it a hidden
    # cell is never zero.
    lowest = 0 if total < MIN_DENOMINATOR else 1
    options = []
    for share in shares:
        options.append(possible_counts(share, total) if share is not None
                       else list(range(lowest, total + 1)))
    out = []
    for vector in product(*options):
        if sum(vector) != total:
            continue
        if rule_aware and not _obeys_rules(vector, shares, threshold):
            continue
        out.append(vector)
    return out


def _obeys_rules(vector: Sequence[int], shares: Sequence[float | None], threshold: int) -> bool:
    """Would suppression of ``vector`` hide exactly the cells that are hidden?"""
    table = pd.DataFrame({"period": YEAR, "count": list(vector), "denominator": sum(vector)})
    hidden = hidden_cells(table, threshold, MIN_DENOMINATOR)
    small = [0 < c < threshold for c in vector]
    shown_hidden = [s is None for s in shares]
    return [bool(h or s) for h, s in zip(hidden, small, strict=True)] == shown_hidden


def recovered(counts: Sequence[int], rule_aware: bool) -> list[int]:
    """Indexes of suppressed small counts that only one consistent vector allows."""
    total, shares, reg = publish(counts)
    threshold = reg.rules.count_threshold
    if not total:  # a hidden (or zero) total: nothing to subtract from
        return []
    vectors = feasible(total, shares, threshold, rule_aware)
    assert tuple(counts) in vectors  # the truth is always consistent with what is shown
    return [i for i, c in enumerate(counts)
            if shares[i] is None and 0 < c < threshold and len({v[i] for v in vectors}) == 1]


def random_breakdowns(seed: int, cases: int) -> list[tuple[int, ...]]:
    rng = random.Random(seed)
    out = []
    for _ in range(cases):
        size = rng.randint(2, 4)
        # Small counts on purpose: that is where suppression acts.
        out.append(tuple(rng.choice((0, 1, 2, 3, 4, 5, 6, rng.randint(0, 30)))
                         for _ in range(size)))
    return out


def _leaks(breakdowns: Sequence[tuple[int, ...]], rule_aware: bool) -> dict:
    return {c: found for c in breakdowns if (found := recovered(c, rule_aware))}


def _primaries(counts: Sequence[int]) -> int:
    return sum(0 < c < FigureRegister("06", YEAR, refs={}).rules.count_threshold for c in counts)


def test_a_lone_small_count_is_never_given_back_by_arithmetic() -> None:
    # The case secondary suppression is designed for: one small count in the breakdown.
    cases = [c for c in random_breakdowns(SEED, CASES) if _primaries(c) <= 1]
    assert len(cases) > 150
    leaks = _leaks(cases, rule_aware=False)
    assert not leaks, f"{len(leaks)} breakdowns leak, e.g. {sorted(leaks.items())[:5]}"


def test_a_lone_small_count_is_protected_by_a_second_hidden_cell() -> None:
    # Without the secondary cell, 29 - 20 - 6 would give the 3 back.
    total, shares, _reg = publish((3, 20, 6))
    assert (total, shares.count(None)) == (29, 2)
    assert recovered((3, 20, 6), rule_aware=False) == []


def test_every_breakdown_is_safe_from_arithmetic() -> None:
    leaks = _leaks(random_breakdowns(SEED, CASES), rule_aware=False)
    assert not leaks, f"{len(leaks)} breakdowns leak, e.g. {sorted(leaks.items())[:5]}"


def test_two_ones_are_not_recoverable() -> None:
    # Found by the property test: 1, 1 and 20 published 91% of 22, and 22 - 20 = 2 could
    # only be 1 + 1 (a hidden cell is never 0); now the 20 is hidden too.
    assert recovered((1, 1, 20), rule_aware=False) == []


def test_a_rule_aware_reader_cannot_recover_the_primary_cell() -> None:
    # 5, 5, 0 and 4 used to publish one 5 (36% of 14) and the 0: the hidden pair adds to 9,
    # and the hidden 5, chosen as the smallest other cell, could be neither above the shown
    # 5 nor below the threshold, so it was 5 and the 4 was given back. Now both 5s hide.
    assert recovered((5, 5, 0, 4), rule_aware=True) == []
    total, shares, _reg = publish((5, 5, 0, 4))
    assert (total, shares.count(None)) == (14, 3)


def test_every_small_breakdown_is_safe_from_a_reader_who_knows_the_rule() -> None:
    # The reader enumerates every breakdown for which the pack would hide the same cells.
    # Fewer cases than the arithmetic test: each one runs the rule on every candidate.
    cases = [c for c in random_breakdowns(SEED + 1, 150) if sum(c) <= 40]
    assert len(cases) > 100
    leaks = _leaks(cases, rule_aware=True)
    assert not leaks, f"{len(leaks)} breakdowns leak, e.g. {sorted(leaks.items())[:5]}"
