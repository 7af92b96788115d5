"""Shares in the words a report uses: "1 in 4", "2 in 5", "one fifth".

A published share is often worded rather than printed as a percentage. The words are worked
out here from the value, so "1 in 4" can never disagree with the 26.5% behind it: the
smallest denominator whose fraction lies within ``tolerance`` of the share wins, which is
how a writer rounds (26.5% is "1 in 4", not "9 in 34").
"""

from __future__ import annotations

from fractions import Fraction

#: How far the worded fraction may be from the share (absolute, on a 0-1 scale).
TOLERANCE = 0.025
#: The largest denominator a reader meets in words ("1 in 10").
MAX_DENOMINATOR = 10

_NUMBERS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine",
            "ten")
_PARTS = {2: ("half", "halves"), 3: ("third", "thirds"), 4: ("quarter", "quarters"),
          5: ("fifth", "fifths"), 6: ("sixth", "sixths"), 7: ("seventh", "sevenths"),
          8: ("eighth", "eighths"), 9: ("ninth", "ninths"), 10: ("tenth", "tenths")}


def simple_fraction(share: float, tolerance: float = TOLERANCE,
                    max_denominator: int = MAX_DENOMINATOR) -> Fraction:
    """The simplest fraction (smallest denominator) within ``tolerance`` of ``share``.

    Falls back to the nearest fraction with a denominator up to ``max_denominator`` when
    none is close enough. A share of 0 or 1 (or outside 0-1) is an error: "0 in 5" is not
    a way anyone words a figure.
    """
    if not 0 < share < 1:
        raise ValueError(f"a share to put in words must be between 0 and 1, got {share!r}")
    for denominator in range(2, max_denominator + 1):
        numerator = int(share * denominator + 0.5)
        if 0 < numerator < denominator and abs(numerator / denominator - share) <= tolerance:
            return Fraction(numerator, denominator)
    nearest = Fraction(share).limit_denominator(max_denominator)
    if nearest.numerator == 0:
        return Fraction(1, max_denominator)
    return nearest


def in_words(share: float, style: str = "in") -> str:
    """A share as words: ``style="in"`` gives "2 in 5"; ``style="fraction"`` "two fifths"."""
    fraction = simple_fraction(share)
    n, m = fraction.numerator, fraction.denominator
    if style == "in":
        return f"{n} in {m}"
    if style == "fraction":
        singular, plural = _PARTS[m]
        return f"{_NUMBERS[n]} {singular if n == 1 else plural}"
    raise ValueError(f"unknown style {style!r}: 'in' or 'fraction'")
