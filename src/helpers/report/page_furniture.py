"""Page furniture every chapter shows: header, synthetic-data banner, symbols key.

The banner is driven by the dataset's own ``dataset.json`` rather than by a notebook flag,
so a page built on demo data cannot be circulated without saying so.
"""

from __future__ import annotations

import html
from datetime import date

from IPython.display import HTML, Markdown, display

from helpers.config import partnership
from helpers.report.outline import title_for

SYNTHETIC_BANNER = (
    "Synthetic demo data: no real child appears in this report. The figures are "
    "illustrative, generated to resemble a partnership of this size."
)


def banner_html(meta: dict) -> str:
    """The synthetic-data banner, or an empty string for real data."""
    if not meta.get("synthetic"):
        return ""
    return (f'<div class="lscp-banner" role="note" style="border:3px solid #D55E00;'
            f'background:#FFF4E5;padding:0.6em 1em;margin:0.5em 0;font-weight:bold">'
            f"{html.escape(SYNTHETIC_BANNER)}</div>")


def page_header(chapter: int, year: str, meta: dict) -> HTML:
    """Chapter heading with the partnership, year, data date and (if any) the demo banner."""
    who = partnership()
    title = f"{chapter}. {title_for(chapter)}"
    built = date.today().isoformat()
    return HTML(
        f'<header class="lscp-header"><p>{html.escape(who.name)}: annual report {year}</p>'
        f"<h1>{html.escape(title)}</h1>"
        f"<p>Data extracted {html.escape(str(meta.get('extract_date', 'unknown')))}; "
        f"page built {built}.</p>{banner_html(meta)}</header>"
    )


SYMBOLS_KEY = (
    "**Symbols.** `<5`: a count from 1 to 4, not shown so that no child can be identified. "
    "`x`: not shown, either because the percentage is of fewer than 10 children or so that "
    "another hidden figure cannot be worked out from a total. `..`: not available."
)


def page_footer(meta: dict) -> Markdown:
    """Closing note: the symbols key and where the data came from."""
    source = meta.get("source", "")
    return Markdown(f"---\n\n{SYMBOLS_KEY}\n\n**Data source.** {source}")


def show(*items: object) -> None:
    """Display each item in order (Markdown strings are rendered as Markdown)."""
    for item in items:
        display(Markdown(item) if isinstance(item, str) else item)
