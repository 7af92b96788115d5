"""Page furniture every chapter shows: header, synthetic-data banner, key, data source.

The banner is driven by the dataset's own ``dataset.json`` rather than by a notebook flag,
so a page built on demo data cannot be circulated without saying so, on screen and on
every printed page. Every string from the data (source text, extract date) is escaped,
and text given to :func:`show` is rendered as markdown with raw HTML off.
"""

from __future__ import annotations

import html
from datetime import date

from IPython.display import HTML, Markdown, display

from helpers.config import partnership
from helpers.report.key_figures import KeyFigure, key_figures, key_figures_html
from helpers.report.navigation import css_string, nowrap_years
from helpers.report.outline import title_for
from helpers.report.safety import markdown_html

__all__ = [
    "SYMBOLS_KEY",
    "SYNTHETIC_BANNER",
    "SYNTHETIC_SOURCE",
    "KeyFigure",
    "banner_html",
    "key_figures",
    "key_figures_html",
    "page_footer",
    "page_header",
    "prose",
    "show",
]

SYNTHETIC_BANNER = (
    "Synthetic demo data: no real child appears in this report. The figures are "
    "illustrative, generated to resemble a partnership of this size."
)
#: Shown on every printed page of a demo report (a page margin is short).
SYNTHETIC_PRINT_NOTE = "Synthetic demo data: no real child appears in this report"
#: What the footer says about where demo figures came from, instead of generator details.
SYNTHETIC_SOURCE = (
    "The figures in this report are synthetic: made up by the LSCP Report Pack to "
    "show how the report works. They are not about any real child or family."
)


def banner_html(meta: dict) -> str:
    """The synthetic-data banner (also printed at the foot of every page), or '' for real data."""
    if not meta.get("synthetic"):
        return ""
    running = ("<style>@page { @bottom-left { content: " + css_string(SYNTHETIC_PRINT_NOTE)
               + "; font: bold 8pt arial, sans-serif; color: #5b2c00; } }</style>")
    return (f'<div class="lscp-banner" role="note">{html.escape(SYNTHETIC_BANNER)}</div>'
            + running)


def page_header(chapter: int, year: str, meta: dict) -> HTML:
    """Chapter heading with the partnership, year, data date and (if any) the demo banner."""
    who = partnership()
    title = f"{chapter}. {title_for(chapter)}"
    built = date.today().isoformat()
    extract = html.escape(str(meta.get("extract_date") or "not recorded"))
    return HTML(nowrap_years(
        f'<header class="lscp-header"><p class="caption">{html.escape(who.name)}: annual report '
        f"{html.escape(str(year))}</p><h1>{html.escape(title)}</h1>{banner_html(meta)}"
        f'<p class="meta">Data extracted {extract}; page built {built}.</p></header>'
    ))


SYMBOLS_KEY = (
    "**Symbols.** `<5`: a count from 1 to 4, not shown so that no child can be identified. "
    "`x`: not shown, either because the percentage is of fewer than 10 children or so that "
    "another hidden figure cannot be worked out from a total. `..`: not available."
)


def page_footer(meta: dict) -> HTML:
    """Closing note: the symbols key and where the data came from.

    A real dataset's ``source`` is shown as text (escaped); for synthetic data the reader
    gets a plain statement rather than the generator's name and seed.
    """
    if meta.get("synthetic"):
        source = html.escape(SYNTHETIC_SOURCE)
    else:
        source = html.escape(str(meta.get("source") or "not recorded"))
    return HTML(
        f'<footer class="lscp-footer">{markdown_html(SYMBOLS_KEY)}'
        f"<p><strong>Data source.</strong> {source}</p></footer>"
    )


def prose(text: str) -> HTML:
    """Markdown text (chapter wording or a partnership's narrative) as safe HTML."""
    return HTML(nowrap_years(f'<div class="prose">{markdown_html(text)}</div>'))


def show(*items: object) -> None:
    """Display each item in order; strings are markdown, rendered with raw HTML shown as text."""
    for item in items:
        if isinstance(item, Markdown):
            item = prose(item.data or "")
        display(prose(item) if isinstance(item, str) else item)
