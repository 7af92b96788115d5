"""Statistical disclosure control for every number that leaves the pack.

The annual report is read by far more people than may see case records: partner agencies,
elected members, the public. A count of 1 to 4 children in a category can identify a child
to someone who knows the family, so small counts are hidden, and a percentage of a very
small group is not shown. Hiding one cell is not enough when a total is printed beside
it (the hidden value is the total minus the visible cells), so a second cell is hidden too
("secondary suppression").

Symbols, the same ones DfE uses in its statistical releases:

* ``<5`` small count: the true value is between 1 and 4 (``<threshold`` in general);
* ``x``  not shown: hidden to protect another cell, or a percentage of too small a group;
* ``..`` not available: the value is missing from the data.

Zero is shown as ``0``: "none" reveals nothing about an individual child.
All functions are pure so they can be tested exhaustively and reused by tables and charts.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

import numpy as np
import pandas as pd

from helpers.config import Disclosure

COUNT_THRESHOLD = Disclosure().count_threshold
MIN_DENOMINATOR = Disclosure().min_denominator

HIDDEN = "x"
NOT_AVAILABLE = ".."

__all__ = [
    "COUNT_THRESHOLD",
    "HIDDEN",
    "MIN_DENOMINATOR",
    "NOT_AVAILABLE",
    "apply_suppression",
    "format_count",
    "format_percent",
    "is_missing",
    "is_suppressed_count",
    "round_half_up",
    "small_symbol",
    "suppress_series",
    "suppression_mask",
]

Cell = tuple[int, int]
Line = tuple[list[Cell], Cell | None]


def small_symbol(threshold: int = COUNT_THRESHOLD) -> str:
    """The symbol shown instead of a small count, e.g. ``<5``."""
    return f"<{threshold}"


def is_missing(value: Any) -> bool:
    """True for None, NaN, NaT and pd.NA: values the report shows as ``..``."""
    if value is None:
        return True
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):  # array-likes are never a single missing value
        return False


def is_suppressed_count(value: Any, threshold: int = COUNT_THRESHOLD) -> bool:
    """True when a count is small enough to risk identifying a child (1 to threshold-1).

    Zero and missing values are not suppressed: neither says anything about a child.
    """
    if is_missing(value):
        return False
    number = float(value)
    return 0 < number < threshold


def round_half_up(value: float, decimals: int = 0) -> float:
    """Round halves away from zero (22.5 -> 23), as readers and the published report do.

    Python's ``round`` rounds halves to even (22.5 -> 22) and works on the binary value
    (2.675 -> 2.67), so the pack would disagree with hand-checked figures. The decimal
    text of the value is rounded instead.
    """
    if is_missing(value):
        return math.nan
    number = float(value)
    if not math.isfinite(number):
        return number
    quantum = Decimal(1).scaleb(-decimals)
    try:
        return float(Decimal(repr(number)).quantize(quantum, rounding=ROUND_HALF_UP))
    except InvalidOperation:  # beyond Decimal's precision: no digits left to round
        return number


def format_count(value: Any, threshold: int = COUNT_THRESHOLD) -> str:
    """A count as the report prints it: ``8,583``, ``0``, ``<5`` for 1-4, ``..`` if missing."""
    if is_missing(value):
        return NOT_AVAILABLE
    if is_suppressed_count(value, threshold):
        return small_symbol(threshold)
    return f"{int(round_half_up(value, 0)):,}"


def format_percent(
    value: Any,
    denominator: Any = None,
    decimals: int = 0,
    min_denominator: int = MIN_DENOMINATOR,
    *,
    numerator: Any = None,
    threshold: int = COUNT_THRESHOLD,
) -> str:
    """A percentage (already on a 0-100 scale) as the report prints it, e.g. ``23.5%``.

    A percentage of fewer than ``min_denominator`` children is shown as ``x``: each child
    moves it by 10 points or more, so it would effectively publish a small count. If the
    ``numerator`` count is given and is itself a small count, the percentage is hidden
    too, since percentage and denominator together would give the count back.
    A missing value or denominator gives ``..``. A share above zero that would round to
    zero is shown as ``<1%`` (``<0.1%`` with one decimal), never as ``0%``.
    """
    if is_missing(value):
        return NOT_AVAILABLE
    if denominator is not None:
        if is_missing(denominator):
            return NOT_AVAILABLE
        if float(denominator) < min_denominator:
            return HIDDEN
    if numerator is not None and is_suppressed_count(numerator, threshold):
        return HIDDEN
    rounded = round_half_up(value, decimals) + 0.0  # -0.0 + 0.0 is 0.0: never print "-0%"
    if rounded == 0 and float(value) > 0:
        # "0%" would say none; a share too small to show at this precision is "<1%".
        return f"<{_smallest_step(decimals)}%"
    return f"{rounded:,.{decimals}f}%"


def _smallest_step(decimals: int) -> str:
    """The smallest non-zero value printed at ``decimals`` places: ``1``, ``0.1``, ..."""
    return f"{Decimal(1).scaleb(-decimals):f}"


def _numeric(frame: pd.DataFrame) -> np.ndarray:
    """The frame as a float array; text and missing values become NaN."""
    return frame.apply(pd.to_numeric, errors="coerce").to_numpy(dtype=float, na_value=np.nan)


def _position(labels: pd.Index, label: Any, what: str) -> int:
    hits = np.flatnonzero(labels == label)
    if len(hits) != 1:
        raise ValueError(f"{what} {label!r} must appear exactly once, found {len(hits)}")
    return int(hits[0])


def _protect(values: np.ndarray, hidden: np.ndarray, lines: Sequence[Line],
             threshold: int) -> np.ndarray:
    """Secondary suppression over lines (components plus their total), until stable.

    A line whose cells add up to a shown total leaks a hidden small cell when the shown
    cells and the rule leave it one possible value (:func:`pinned`; a lone hidden cell
    always is). Then the smallest other non-zero component is hidden too (the least
    information lost); only if there is none is the total itself hidden. Hiding a cell
    can expose a cell in a crossing line, so passes repeat until nothing changes. Every
    pass hides at least one more cell, so this terminates.
    """
    hidden = hidden.copy()
    changed = True
    while changed:
        changed = False
        for components, total in lines:
            if not _leaks(values, hidden, components, total, threshold):
                continue
            candidates = [c for c in components if not hidden[c] and values[c] > 0]
            if candidates:
                pick = min(candidates, key=lambda c: values[c])  # ties: first in order
            elif values[total] > 0:
                pick = total
            else:
                continue
            hidden[pick] = True
            changed = True
    return hidden


def _leaks(values: np.ndarray, hidden: np.ndarray, components: Sequence[Cell],
           total: Cell | None, threshold: int) -> bool:
    """Whether one line gives a hidden cell back: a hidden total whose components are all
    shown, or (with the total shown) a hidden cell the rule leaves one value for."""
    if total is None:
        return False  # nothing to add up to
    flags = [bool(hidden[c]) for c in components]
    if hidden[total]:
        return not any(flags)
    counts = [int(v) if np.isfinite(v) else 0 for v in (values[c] for c in components)]
    small = [0 < v < threshold for v in counts]
    others = sorted((i for i, f in enumerate(flags) if f and not small[i]),
                    key=lambda i: (counts[i], i))
    return any(flags) and pinned(counts, flags, small, others, threshold, flags)


def protect_breakdown(counts: Sequence[int], primary: Sequence[bool],
                      threshold: int = COUNT_THRESHOLD) -> list[bool]:
    """Which cells of one breakdown to hide, when its total is published.

    ``primary`` marks the cells that must be hidden (small counts). While a reader who
    knows the total, every shown cell and this rule could still pin down a primary cell
    (:func:`pinned`), the smallest other non-zero cell is hidden too (ties: the first).
    Knowing the rule matters: a cell hidden to protect another is, by construction, no
    larger than the cells still shown, so "5, 5, 0 and 4" with one 5 and the 4 hidden
    gives the 4 back (the hidden pair adds to 9 and the hidden 5 cannot exceed the shown
    5). Zeros are shown; a hidden cell is never zero.
    """
    hidden = list(primary)
    chosen: list[int] = []
    while pinned(counts, hidden, primary, chosen, threshold):
        candidates = [i for i, c in enumerate(counts) if not hidden[i] and c > 0]
        if not candidates:
            break
        pick = min(candidates, key=lambda i: (counts[i], i))
        hidden[pick] = True
        chosen.append(pick)
    return hidden


def pinned(counts: Sequence[int], hidden: Sequence[bool], primary: Sequence[bool],
           chosen: Sequence[int], threshold: int = COUNT_THRESHOLD,
           guarded: Sequence[bool] | None = None) -> bool:
    """Whether some guarded hidden cell has only one value consistent with what is shown.

    ``guarded`` defaults to the primary cells. In a two-way table every hidden cell is
    guarded: a protecting cell given back in one line exposes the cell it protects in the
    crossing line.

    The reader is credited with more than is published (which cells are primary and the
    order the others were chosen in), so a breakdown safe from this reader is safe from a
    real one. Each hidden cell gets the range the rule allows: a primary cell 1 to
    ``threshold - 1``; a cell chosen to protect it from ``threshold`` up to the cells that
    were still shown when it was chosen (strictly below a tied cell that comes earlier).
    With the hidden cells' sum known, a primary cell is pinned when its range, narrowed by
    the others' ranges, holds one value. With nothing shown there is nothing to narrow.
    """
    guarded = primary if guarded is None else guarded
    if all(hidden) or not any(h for h, g in zip(hidden, guarded, strict=True) if g):
        return False
    shown = [(c, i) for i, c in enumerate(counts) if not hidden[i] and c > 0]
    total = sum(c for c, h in zip(counts, hidden, strict=True) if h)
    ranges: dict[int, tuple[int, int]] = {}
    later: list[tuple[int, int]] = []  # (upper bound, position) of cells chosen after
    for position in reversed(chosen):
        above = [c if position < i else c - 1 for c, i in shown]
        above += [upper if position < i else upper - 1 for upper, i in later]
        upper = min(above, default=total)
        ranges[position] = (threshold, upper)
        later.append((upper, position))
    for i, is_hidden in enumerate(hidden):
        if is_hidden and i not in ranges:
            ranges[i] = (1, threshold - 1)
    low_sum = sum(low for low, _ in ranges.values())
    high_sum = sum(high for _, high in ranges.values())
    for i, (low, high) in ranges.items():
        if not guarded[i]:
            continue
        least = max(low, total - (high_sum - high))
        most = min(high, total - (low_sum - low))
        if least >= most:
            return True
    return False


def suppression_mask(
    table: pd.DataFrame,
    count_columns: Iterable[Any],
    threshold: int = COUNT_THRESHOLD,
    total_row: Any = None,
    total_column: Any = None,
) -> pd.DataFrame:
    """Which count cells must not be shown: small counts, plus the cells that protect them.

    ``table`` has one row per category; ``total_row`` is the index label of its totals row
    and ``total_column`` the name of its totals column, when the published table shows
    them. Within every row (if there is a total column) and every column (if there is a
    total row) no hidden cell may be left alone, so it cannot be worked out by
    subtraction. Returns a boolean frame with the table's index and the count columns
    (the total column included); True means hide.
    """
    columns = list(count_columns)
    if total_column is not None and total_column not in columns:
        columns.append(total_column)
    values = _numeric(table[columns])
    hidden = (values > 0) & (values < threshold)

    rows = range(len(table))
    total_r = None if total_row is None else _position(table.index, total_row, "Total row")
    total_c = None if total_column is None else _position(pd.Index(columns), total_column,
                                                          "Total column")
    lines: list[Line] = []
    if total_c is not None:
        for r in rows:
            comps = [(r, c) for c in range(len(columns)) if c != total_c]
            lines.append((comps, (r, total_c)))
    if total_r is not None:
        for c in range(len(columns)):
            comps = [(r, c) for r in rows if r != total_r]
            lines.append((comps, (total_r, c)))
    hidden = _protect(values, hidden, lines, threshold)
    return pd.DataFrame(hidden, index=table.index, columns=columns)


def suppress_series(
    counts: pd.Series, threshold: int = COUNT_THRESHOLD, has_total: bool = True
) -> pd.Series:
    """Which counts in a breakdown to hide, when the breakdown's total is shown elsewhere.

    For example contacts by source, with all contacts in the headline: if only one source
    were hidden, the headline minus the other sources would give it back. Set
    ``has_total=False`` when no total of the series is published anywhere.
    """
    values = pd.to_numeric(counts, errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    total = np.nansum(values) if len(values) else 0.0
    column = np.append(values, total).reshape(-1, 1)
    hidden = (column > 0) & (column < threshold)
    if has_total:
        components = [(r, 0) for r in range(len(values))]
        hidden = _protect(column, hidden, [(components, (len(values), 0))], threshold)
    return pd.Series(hidden[:-1, 0], index=counts.index, name=counts.name, dtype=bool)


def apply_suppression(
    table: pd.DataFrame, mask: pd.DataFrame, threshold: int = COUNT_THRESHOLD
) -> pd.DataFrame:
    """The table as text ready to publish, using the mask from :func:`suppression_mask`.

    Columns in the mask are counts: a hidden small count shows ``<5``, a cell hidden to
    protect another shows ``x``, others go through :func:`format_count`. Columns not in
    the mask are passed through as text (missing values as ``..``).
    """
    out = pd.DataFrame(index=table.index)
    for column in table.columns:
        if column in mask.columns:
            hide = mask[column].to_numpy(dtype=bool)
            texts = []
            for value, masked in zip(table[column].tolist(), hide, strict=True):
                if not masked:
                    texts.append(format_count(value, threshold))
                elif is_suppressed_count(value, threshold):
                    texts.append(small_symbol(threshold))
                else:
                    texts.append(HIDDEN)
            out[column] = pd.Series(texts, index=table.index, dtype=object)
        else:
            out[column] = pd.Series(
                [NOT_AVAILABLE if is_missing(v) else str(v) for v in table[column].tolist()],
                index=table.index,
                dtype=object,
            )
    return out
