"""Accessible HTML tables, with disclosure control applied on the way out.

Every table in the report goes through :func:`html_table` so that no chapter can forget
to hide small counts: counts are formatted by :mod:`helpers.report.disclosure`, and when the
table shows a "Total" row or column the cells that would give a hidden value back are
hidden too. The markup is plain and predictable (no pandas Styler, whose random ids make
every build differ): a ``<caption>`` names the table, column headers carry
``scope="col"`` and the label column ``scope="row"`` so screen readers announce each
number with its row and column, and numbers are right-aligned so digits line up. The
table sits in a scrolling box (``div.table-box``, a labelled region a keyboard can reach)
so a wide table scrolls inside the page on a phone instead of widening it, and reporting
years never break across lines.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from html import escape
from typing import Any

import pandas as pd
from pandas.api import types as ptypes

from helpers.report.disclosure import (
    COUNT_THRESHOLD,
    HIDDEN,
    MIN_DENOMINATOR,
    NOT_AVAILABLE,
    format_count,
    format_percent,
    is_missing,
    is_suppressed_count,
    small_symbol,
    suppression_mask,
)
from helpers.report.navigation import is_year, nowrap_years

__all__ = ["Table", "hidden_mask", "html_table"]

TOTAL = "total"
_NUM = ' class="num" style="text-align:right"'
_TEXT = ' style="text-align:left"'


def _style(numeric: bool, year: bool) -> str:
    """A cell's attributes: numbers right-aligned; a cell that is a reporting year is
    never broken across lines ("2020-/21")."""
    if not year:
        return _NUM if numeric else _TEXT
    return ' class="num yr" style="text-align:right"' if numeric else f' class="yr"{_TEXT}'


def _text(value: Any) -> str:
    """A header or label as text; tuples from a flattened MultiIndex are joined."""
    if isinstance(value, tuple):
        return " ".join(str(part) for part in value if str(part))
    return "" if is_missing(value) else str(value)


def _is_total(value: Any) -> bool:
    return isinstance(value, str) and value.strip().casefold() == TOTAL


def _frame(df: pd.DataFrame, index: bool) -> tuple[pd.DataFrame, list[str]]:
    """The frame to print (index turned into leading columns) and its header texts."""
    if not index:
        return df, [_text(c) for c in df.columns]
    names = ["" if n is None else _text(n) for n in df.index.names]
    frame = df.reset_index(names=[f"__index_{i}" for i in range(len(names))])
    return frame, names + [_text(c) for c in df.columns]


def _label_column(frame: pd.DataFrame, numeric: set[Any]) -> Any:
    """The first column, when it names the rows rather than holding a measure."""
    if len(frame.columns) and frame.columns[0] not in numeric:
        return frame.columns[0]
    return None


def _check_columns(frame: pd.DataFrame, *groups: Iterable[Any]) -> list[list[Any]]:
    lists = [list(g) for g in groups]
    for group in lists:
        missing = [c for c in group if c not in frame.columns]
        if missing:
            raise KeyError(f"columns not in the table: {missing}")
    if len(lists) == 2 and set(lists[0]) & set(lists[1]):
        raise ValueError(f"columns both count and percent: {set(lists[0]) & set(lists[1])}")
    return lists


def hidden_mask(
    df: pd.DataFrame,
    count_columns: Iterable[Any] = (),
    threshold: int = COUNT_THRESHOLD,
    index: bool = False,
    percent_columns: Iterable[Any] = (),
) -> pd.DataFrame:
    """The cells :func:`html_table` hides, as a boolean frame (df's index, count columns).

    A row is a total row when its label (first column, or the index with ``index=True``)
    is "Total"; a count column named "Total" is a total column. Charts use this so the
    bars they draw hide exactly what their data table hides.
    """
    frame, _ = _frame(df, index)
    counts, percents = _check_columns(frame, count_columns, percent_columns)
    label = _label_column(frame, set(counts) | set(percents))
    labels = pd.Index(frame[label]) if label is not None else pd.RangeIndex(len(frame))
    total_rows = [v for v in labels if _is_total(v)]
    total_row = total_rows[0] if len(total_rows) == 1 else None
    total_cols = [c for c in counts if _is_total(c)]
    total_column = total_cols[0] if len(total_cols) == 1 else None
    table = frame[counts].set_axis(labels, axis=0)
    mask = suppression_mask(table, counts, threshold, total_row, total_column)
    return mask.set_axis(df.index, axis=0)


def html_table(
    df: pd.DataFrame,
    caption: str,
    count_columns: Iterable[Any] = (),
    percent_columns: Iterable[Any] = (),
    index: bool = False,
    threshold: int = COUNT_THRESHOLD,
    *,
    decimals: int = 1,
    denominators: Mapping[Any, Any] | None = None,
    min_denominator: int = MIN_DENOMINATOR,
    protect_percents: bool = True,
    hide: pd.DataFrame | None = None,
) -> str:
    """The table as an accessible, disclosure-controlled HTML ``<table>``.

    ``count_columns`` are formatted as counts (``<5`` for small ones, ``x`` for cells
    hidden to protect them); ``percent_columns`` hold percentages on a 0-100 scale, shown
    with ``decimals`` places. ``denominators`` maps a percent column to the count column
    it is a percentage of, so a percentage of fewer than ``min_denominator`` is hidden.
    With ``protect_percents`` a row with a hidden count also hides its percentages, which
    together with a shown total would reveal the count. ``hide`` is an optional boolean
    frame (df's index, some count or percent columns) of further cells to hide, worked out
    by the caller (from totals published elsewhere, or percentages of small counts). Other
    numeric columns (rates, for example) are printed with ``decimals`` places. All text is HTML-escaped.
    """
    frame, headers = _frame(df, index)
    counts, percents = _check_columns(frame, count_columns, percent_columns)
    denominators = dict(denominators or {})
    _check_columns(frame, denominators.values())
    label = _label_column(frame, set(counts) | set(percents))
    hidden = hidden_mask(df, counts, threshold, index, percents)
    if hide is not None:
        extra = hide.reindex(index=hidden.index, columns=hidden.columns, fill_value=False)
        hidden = hidden | extra.fillna(False).astype(bool)
    mask = hidden.to_numpy(dtype=bool)
    percent_hide = None
    if hide is not None:
        percent_hide = (hide.reindex(index=hidden.index, columns=percents, fill_value=False)
                        .fillna(False).astype(bool).to_numpy())
    row_hidden = mask.any(axis=1) if mask.size else [False] * len(frame)
    numeric = {
        c for c in frame.columns
        if c in counts or c in percents
        or (c != label and ptypes.is_numeric_dtype(frame[c]) and not ptypes.is_bool_dtype(frame[c]))
    }
    used: set[str] = set()

    def cell(row: int, column: Any, value: Any) -> str:
        if column in counts:
            if mask[row, counts.index(column)]:
                text = small_symbol(threshold) if is_suppressed_count(value, threshold) else HIDDEN
            else:
                text = format_count(value, threshold)
        elif column in percents:
            hidden_here = percent_hide is not None and percent_hide[row, percents.index(column)]
            if ((protect_percents and row_hidden[row]) or hidden_here) and not is_missing(value):
                text = HIDDEN
            else:
                den = denominators.get(column)
                den_value = None if den is None else frame[den].iloc[row]
                text = format_percent(value, den_value, decimals, min_denominator)
        elif is_missing(value):
            text = NOT_AVAILABLE
        elif column in numeric and ptypes.is_float_dtype(frame[column]):
            text = f"{float(value):,.{decimals}f}"
        else:
            text = _text(value)
        if text in (small_symbol(threshold), HIDDEN, NOT_AVAILABLE):
            used.add(text)
        return escape(text)

    lines = [f'<div class="table-box" role="region" aria-label="{escape(caption, quote=True)}" '
             'tabindex="0">', '<table class="data-table">',
             f"<caption>{nowrap_years(escape(caption))}</caption>", "<thead>"]
    head = "".join(
        f'<th scope="col"{_style(c in numeric, is_year(h))}>'
        f"{escape(h) if is_year(h) else nowrap_years(escape(h))}</th>"
        for c, h in zip(frame.columns, headers, strict=True)
    )
    lines += [f"<tr>{head}</tr>", "</thead>", "<tbody>"]
    for row, values in enumerate(frame.itertuples(index=False, name=None)):
        parts = []
        for column, value in zip(frame.columns, values, strict=True):
            text = cell(row, column, value)
            year, text = is_year(text), nowrap_years(text) if not is_year(text) else text
            if column == label:
                parts.append(f'<th scope="row"{_style(False, year)}>{text}</th>')
            else:
                parts.append(f"<td{_style(column in numeric, year)}>{text}</td>")
        lines.append(f"<tr>{''.join(parts)}</tr>")
    lines.append("</tbody>")
    if used:
        lines.append(_key(used, threshold, len(frame.columns)))
    lines += ["</table>", "</div>"]
    return "\n".join(lines)


def _key(used: set[str], threshold: int, width: int) -> str:
    """A footnote explaining the symbols this table actually uses."""
    meanings = {
        small_symbol(threshold): f"a number from 1 to {threshold - 1}",
        HIDDEN: "not shown, to protect children's privacy",
        NOT_AVAILABLE: "not available",
    }
    text = "; ".join(f"{sym} = {meaning}" for sym, meaning in meanings.items() if sym in used)
    return (
        f'<tfoot><tr><td colspan="{max(width, 1)}"{_TEXT}>'
        f"<small>{escape(text)}</small></td></tr></tfoot>"
    )


class Table:
    """A report table that displays itself in a notebook (via ``_repr_html_``).

    Takes the same arguments as :func:`html_table`; the HTML is built once, up front, so
    a disclosure problem (for example a misspelt column) fails the cell that makes it.
    """

    def __init__(
        self,
        df: pd.DataFrame,
        caption: str,
        count_columns: Iterable[Any] = (),
        percent_columns: Iterable[Any] = (),
        index: bool = False,
        threshold: int = COUNT_THRESHOLD,
        **options: Any,
    ) -> None:
        self.data = df
        self.caption = caption
        self.html = html_table(
            df, caption, count_columns, percent_columns, index, threshold, **options
        )

    def _repr_html_(self) -> str:
        return self.html

    def __repr__(self) -> str:
        # Short and free of memory addresses: it is the text/plain output saved in notebooks.
        return f"Table({self.caption!r})"

    def __str__(self) -> str:
        return self.html
