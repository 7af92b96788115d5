"""Shares worded as "1 in 4" or "one fifth", and the register stating a ratio measure so."""

from __future__ import annotations

from fractions import Fraction

import pytest

from helpers.report.figure_register import FigureRegister
from helpers.report.fractions import in_words, simple_fraction


@pytest.mark.parametrize(("share", "expected"), [
    (0.2, Fraction(1, 5)), (0.41, Fraction(2, 5)), (0.265, Fraction(1, 4)),
    (0.334, Fraction(1, 3)), (0.5, Fraction(1, 2)), (0.76, Fraction(3, 4)),
])
def test_the_simplest_close_fraction_wins(share: float, expected: Fraction) -> None:
    assert simple_fraction(share) == expected


def test_a_share_no_small_fraction_fits_gets_the_nearest_one() -> None:
    # 1/7 is the first fraction within 0.025 of 0.137; nothing is near 0.06, so the nearest
    assert simple_fraction(0.137) == Fraction(1, 7)
    assert simple_fraction(0.06) == Fraction(1, 10)


@pytest.mark.parametrize(("share", "style", "expected"), [
    (0.2, "fraction", "one fifth"), (0.4, "in", "2 in 5"), (0.25, "in", "1 in 4"),
    (0.4, "fraction", "two fifths"), (0.5, "fraction", "one half"),
    (0.75, "fraction", "three quarters"),
])
def test_words(share: float, style: str, expected: str) -> None:
    assert in_words(share, style) == expected


@pytest.mark.parametrize("share", [0, 1, -0.2, 1.5])
def test_shares_outside_zero_to_one_are_refused(share: float) -> None:
    with pytest.raises(ValueError, match="between 0 and 1"):
        simple_fraction(share)


def test_unknown_style_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown style"):
        in_words(0.5, "percent")


def test_register_records_the_value_and_shows_the_words() -> None:
    reg = FigureRegister("4", "2024-25", refs={})
    assert reg.ratio("4", "children_in_poverty_share", "Poverty", 0.41) == "2 in 5"
    figure = reg.figures[-1]
    assert (figure.value, figure.display, figure.unit) == (0.41, "2 in 5", "ratio")
