"""The "key figures" box a chapter opens with: 3 to 6 headline figures and their change.

DfE's statistics pages open with a few headline figures, each with what it is, when, and
how it moved on last year, so a reader who stops there still leaves with the facts. The
figures come from the chapter's figure register (the same display strings the text uses,
disclosure control already applied), so the box can never disagree with the page; this
module only lays them out, escaping everything it is given.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from IPython.display import HTML

from helpers.report.navigation import nowrap_years
from helpers.report.wording import DOWN, SAME, UP

__all__ = ["MAX_FIGURES", "KeyFigure", "key_figures", "key_figures_html"]

MAX_FIGURES = 6
_ARROWS = {UP: "▲", DOWN: "▼", SAME: "▶"}


@dataclass(frozen=True)
class KeyFigure:
    """One headline figure as the register displays it.

    ``value`` is the display string (``8,583``, ``23.5%``, ``<5``); ``change`` the change in
    words (``up 5% on 2023-24``, from :func:`helpers.report.wording.describe_change`), or ''
    in a first year; ``direction`` is ``up``, ``down`` or ``no change`` and only chooses
    the arrow: whether a rise is good news is for the text to say, not the box.
    """

    label: str
    value: str
    period: str
    change: str = ""
    direction: str | None = None


def _as_figure(item: KeyFigure | Mapping[str, Any] | Any) -> KeyFigure:
    """Accept a KeyFigure, a mapping or any record with the same field names."""
    if isinstance(item, KeyFigure):
        return item
    get = item.get if isinstance(item, Mapping) else lambda k, d=None: getattr(item, k, d)
    value = get("value", None)
    display = get("display", None)
    shown = display if display not in (None, "") else value
    return KeyFigure(label=str(get("label", "")), value="" if shown is None else str(shown),
                     period=str(get("period", "") or ""), change=str(get("change", "") or ""),
                     direction=get("direction", None))


def key_figures_html(figures: Iterable[KeyFigure | Mapping[str, Any] | Any],
                     heading: str = "Key figures") -> str:
    """The box as HTML: a list of figures, each value, label, period and change.

    Raises ``ValueError`` for no figures, more than six (a box of ten figures is a table,
    and nobody reads it first), or a figure without a label or a value.
    """
    items = [_as_figure(f) for f in figures]
    if not items:
        raise ValueError("a key figures box needs at least one figure")
    if len(items) > MAX_FIGURES:
        raise ValueError(f"a key figures box shows at most {MAX_FIGURES} figures, got {len(items)}")
    esc = html.escape
    rows = []
    for fig in items:
        if not fig.label.strip() or not fig.value.strip():
            raise ValueError(f"a key figure needs a label and a value: {fig!r}")
        change = ""
        if fig.change:
            arrow = _ARROWS.get(str(fig.direction or ""), "")
            mark = f'<span class="arrow" aria-hidden="true">{arrow}</span> ' if arrow else ""
            change = f'<span class="change">{mark}{esc(fig.change)}</span>'
        period = f'<span class="period">{esc(fig.period)}</span>' if fig.period else ""
        rows.append(f'<li><span class="value">{esc(fig.value)}</span>'
                    f'<span class="label">{esc(fig.label)}</span>{period}{change}</li>')
    return nowrap_years(
        '<section class="key-figures" aria-label="' + esc(heading, quote=True) + '">'
        f"<h2>{esc(heading)}</h2><ul>{''.join(rows)}</ul></section>"
    )


def key_figures(figures: Iterable[KeyFigure | Mapping[str, Any] | Any],
                heading: str = "Key figures") -> HTML:
    """The box as a notebook display object (see :func:`key_figures_html`)."""
    return HTML(key_figures_html(figures, heading))
