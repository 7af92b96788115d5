"""Changes in words: "down 1 percentage point", "up 5%", "no change".

A reader takes in "down 1 percentage point" at a glance; "a change of -1 percentage point"
makes them work out the sign. Statistical releases (DfE's among them) state the direction
in words and the size without a sign, so the pack does the same everywhere a change is
printed: in chapter text, in the key figures box and in the figure register.
"""

from __future__ import annotations

import tomllib
from typing import Any

from helpers.config import RESOURCES_DIR
from helpers.report.disclosure import NOT_AVAILABLE, is_missing, round_half_up

__all__ = ["DOWN", "SAME", "UP", "VOCABULARY_FILE", "change_direction", "describe_change",
           "period_span"]

#: The report's trend and comparison words, kept as data (see ``helpers.chapters.vocabulary``).
VOCABULARY_FILE = RESOURCES_DIR / "vocabulary.toml"
with VOCABULARY_FILE.open("rb") as _fh:
    _CHANGE = tomllib.load(_fh)["change"]
UP, DOWN, SAME = _CHANGE["up"], _CHANGE["down"], _CHANGE["same"]

#: Units written after the number with a space, in the singular for exactly 1.
_SINGULAR = {"percentage points": "percentage point", "points": "point"}
#: Units that attach to the number with no space.
_ATTACHED = {"percent": "%", "%": "%", "pct": "%"}
#: Units that are just numbers (a count of children, contacts, ...).
_BARE = {"", "count", "number"}


def change_direction(value: Any, decimals: int = 0) -> str:
    """``up``, ``down`` or ``no change``, judged on the value as it will be printed.

    A change that rounds to zero at the printed precision reads as no change: writing
    "up 0%" would contradict itself.
    """
    if is_missing(value):
        return NOT_AVAILABLE
    rounded = round_half_up(float(value), decimals)
    if rounded > 0:
        return UP
    if rounded < 0:
        return DOWN
    return SAME


def _amount(size: float, unit: str, decimals: int) -> str:
    number = f"{size:,.{decimals}f}"
    unit = unit.strip()
    if unit.casefold() in _ATTACHED:
        return number + _ATTACHED[unit.casefold()]
    if unit.casefold() in _BARE:
        return number
    if size == 1:
        unit = _SINGULAR.get(unit, unit)
    return f"{number} {unit}"


def describe_change(value: Any, unit: str = "percent", decimals: int = 0) -> str:
    """A change in words: ``up 5%``, ``down 1 percentage point``, ``up 120``, ``no change``.

    ``unit`` is ``percent`` (a relative change, printed with ``%``), ``percentage points``
    (a difference between two percentages), ``count`` (a plain number) or any other unit
    name, which is printed after the number (``up 2.5 per 10,000 children``). A missing
    value gives ``..``, the report's symbol for not available.
    """
    direction = change_direction(value, decimals)
    if direction in (SAME, NOT_AVAILABLE):
        return direction
    size = abs(round_half_up(float(value), decimals))
    return f"{direction} {_amount(size, unit, decimals)}"


def period_span(first: object, last: object) -> str:
    """``2020-21 to 2024-25``, or just ``2020-21`` when the data hold one period: in a
    first year "2020-21 to 2020-21" reads as a slip."""
    return str(first) if str(first) == str(last) else f"{first} to {last}"
