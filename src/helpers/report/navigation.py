"""Where a page sits in the report: its title, masthead, previous/next links, running head.

A chapter page is opened on its own (from an email, a shared drive, a search), so it has
to say whose report it is, for which year, and how to get to the rest: the year's
contents page and the chapters either side. The chapter notebooks do not know about each
other, so this is worked out when the page is exported: from an explicit
:class:`PageContext` when the build passes one, otherwise from the metadata papermill
leaves in the executed notebook (the year parameter and the notebook's path, whose
folder holds the other chapters).
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from helpers.report.outline import title_for

__all__ = ["ChapterLink", "PageContext", "chapter_context", "context_from_notebook",
           "crumbs_html", "css_string", "masthead_html", "nowrap_years", "page_title", "pager_html",
           "running_head_css", "standalone_page"]

_NOTEBOOK = re.compile(r"^(\d{2})_([A-Za-z0-9][A-Za-z0-9_-]*)\.ipynb$")
#: A reporting year such as 2020-21: kept on one line ("2020-/21" reads as nonsense).
_YEAR = re.compile(r"(?<![\d-])(\d{4})-(\d{2})(?![\d-])")
_TAG = re.compile(r"(<[^>]*>)")


@dataclass(frozen=True)
class ChapterLink:
    """A chapter as another page links to it: ``href`` is relative to the year folder."""

    number: int
    href: str
    title: str

    @property
    def label(self) -> str:
        return f"{self.number}. {self.title}"


@dataclass(frozen=True)
class PageContext:
    """What a chapter page needs to know about the report around it."""

    partnership: str
    year: str
    chapter: int | None = None
    chapter_title: str = ""
    contents_href: str = "index.html"
    all_years_href: str | None = "../index.html"
    previous: ChapterLink | None = None
    next: ChapterLink | None = None


def page_title(chapter_title: str, partnership: str, year: str, chapter: int | None = None) -> str:
    """The ``<title>``: chapter first (what a browser tab shows), then whose report and when."""
    head = f"{chapter}. {chapter_title}" if chapter is not None else chapter_title
    return f"{head} – {partnership} annual report {year}"


def _links(chapters: Iterable[ChapterLink | tuple[int, str, str]]) -> list[ChapterLink]:
    links = [c if isinstance(c, ChapterLink) else ChapterLink(int(c[0]), str(c[1]), str(c[2]))
             for c in chapters]
    return sorted({c.number: c for c in links}.values(), key=lambda c: c.number)


def chapter_context(
    year: str,
    chapter: int,
    chapters: Iterable[ChapterLink | tuple[int, str, str]],
    partnership: str | None = None,
    chapter_title: str | None = None,
) -> PageContext:
    """The context of chapter ``chapter``: ``chapters`` are all chapter pages of the year,
    as :class:`ChapterLink` or ``(number, href, title)`` (e.g. ``(6, "06_front_door.html",
    "Children and Families Contact Service")``), in any order."""
    if partnership is None:
        from helpers.config import partnership as configured

        partnership = configured().name
    links = _links(chapters)
    before = [c for c in links if c.number < chapter]
    after = [c for c in links if c.number > chapter]
    title = chapter_title or next((c.title for c in links if c.number == chapter),
                                  title_for(chapter))
    return PageContext(partnership=partnership, year=str(year), chapter=chapter,
                       chapter_title=title, previous=before[-1] if before else None,
                       next=after[0] if after else None)


def _discover(notebooks_dir: Path) -> list[ChapterLink]:
    links = []
    for path in sorted(notebooks_dir.glob("[0-9][0-9]_*.ipynb")):
        match = _NOTEBOOK.match(path.name)
        if match:
            number, slug = int(match[1]), match[2]
            links.append(ChapterLink(number, f"{match[1]}_{slug}.html", title_for(number, slug)))
    return links


def context_from_notebook(metadata: Mapping[str, Any], title: str) -> PageContext | None:
    """The context papermill's metadata implies, or None for a notebook it did not run.

    papermill records the parameters (``year``) and the notebook it executed
    (``input_path``); the chapter number is the ``NN`` of that file's name, and the other
    ``NN_slug.ipynb`` files beside it are the chapters the build publishes.
    """
    run = metadata.get("papermill") or {}
    year = (run.get("parameters") or {}).get("year")
    source = run.get("input_path")
    if not year or not source:
        return None
    path = Path(str(source))
    match = _NOTEBOOK.match(path.name)
    if not match:
        return None
    number = int(match[1])
    chapters = _discover(path.parent) if path.parent.is_dir() else []
    own = ChapterLink(number, f"{match[1]}_{match[2]}.html", title)
    return chapter_context(str(year), number, [*chapters, own], chapter_title=title)


def with_title(context: PageContext, title: str) -> PageContext:
    """The context with the chapter title the build gave (it wins over the outline's)."""
    return replace(context, chapter_title=title) if title else context


def nowrap_years(fragment: str) -> str:
    """Wrap every reporting year in an HTML fragment's text in ``<span class="yr">``.

    Only text between tags is touched, never attribute values, so alt text and links stay
    intact. The fragment must already be escaped HTML (text never contains ``<`` then).
    """
    parts = _TAG.split(fragment)
    inside_raw = False
    for i, part in enumerate(parts):
        if i % 2:  # a tag
            name = part[1:].split(None, 1)[0].rstrip(">/").lower() if len(part) > 2 else ""
            if name in ("svg", "style", "script", "title", "textarea"):
                inside_raw = True
            elif name in ("/svg", "/style", "/script", "/title", "/textarea"):
                inside_raw = False
            continue
        if not inside_raw:
            parts[i] = _YEAR.sub(_wrap_year, part)
    return "".join(parts)


def _wrap_year(match: re.Match[str]) -> str:
    """A reporting year (2020-21: the second part follows the first) in a no-wrap span;
    anything else that looks similar (a date's 2025-05) is left alone."""
    if (int(match[1]) + 1) % 100 != int(match[2]):
        return match[0]
    return f'<span class="yr">{match[0]}</span>'


def is_year(text: str) -> bool:
    """True when ``text`` is exactly one reporting year such as ``2024-25``."""
    match = _YEAR.fullmatch(str(text).strip())
    return bool(match) and (int(match[1]) + 1) % 100 == int(match[2])


def css_string(text: str) -> str:
    """``text`` as a CSS string literal, safe inside a ``<style>`` element."""
    out = []
    for ch in str(text):
        if ch in '"\\' or ch in "<>&" or ord(ch) < 32 or ord(ch) == 127:
            out.append(f"\\{ord(ch):x} ")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


def running_head_css(context: PageContext) -> str:
    """A ``<style>`` putting whose report, which year and the chapter at the top of every
    printed page (a CSS ``@page`` margin box; page numbers are in the house sheet)."""
    head = f"{context.partnership}: annual report {context.year}"
    if context.chapter is not None:
        head += f" · {context.chapter}. {context.chapter_title}"
    return ("<style>@page { @top-left { content: " + css_string(head)
            + "; font: 8pt arial, sans-serif; color: #505a5f; } }</style>")


def _link(href: str, text: str, rel: str = "") -> str:
    rel_attr = f' rel="{rel}"' if rel else ""
    return f'<a href="{html.escape(href, quote=True)}"{rel_attr}>{text}</a>'


def _rel(kind: str, label: str) -> str:
    return f'<span class="rel">{kind}</span>{html.escape(label)}'


def _chapter_items(context: PageContext) -> tuple[str, str]:
    """The previous and next chapter links as list items ('' where there is none)."""
    before = after = ""
    if context.previous is not None:
        link = _link(context.previous.href, _rel("Previous chapter", context.previous.label), "prev")
        before = f'<li class="prev">{link}</li>'
    if context.next is not None:
        link = _link(context.next.href, _rel("Next chapter", context.next.label), "next")
        after = f'<li class="next">{link}</li>'
    return before, after


def crumbs_html(context: PageContext) -> str:
    """The links under a page's masthead: the year's contents, all years, and the previous
    and next chapters (for a chapter page)."""
    contents = _link(context.contents_href, f"Contents of the {html.escape(context.year)} report")
    items = [f'<li class="contents">{contents}</li>']
    if context.all_years_href:
        items.append(f"<li>{_link(context.all_years_href, 'All years')}</li>")
    before, after = _chapter_items(context)
    items += [before, after]
    return ('<nav class="crumbs" aria-label="Report"><div class="page"><ul>'
            + "".join(items) + "</ul></div></nav>")


def masthead_html(context: PageContext) -> str:
    """The top of a chapter page: partnership and year, then links to the year's contents,
    all years, and the previous and next chapters."""
    esc = html.escape
    return (
        '<header class="masthead"><div class="page">'
        f'<span class="who">{esc(context.partnership)}</span>'
        f'<span class="when">Annual report <span class="yr">{esc(context.year)}</span></span>'
        "</div></header>" + crumbs_html(context)
    )


def pager_html(context: PageContext) -> str:
    """Previous and next chapter, and back to the contents, at the foot of a chapter page."""
    before, after = _chapter_items(context)
    back = f'<li>{_link(context.contents_href, _rel("Back to", "Contents"))}</li>'
    return (f'<nav class="pager" aria-label="Chapters"><div class="page"><ul>{before}{back}'
            f"{after}</ul></div></nav>")


def chapter_links(chapters: Sequence[ChapterLink]) -> list[ChapterLink]:
    """The chapters in report order, one per number (the last one given wins)."""
    return _links(chapters)


def standalone_page(title: str, who: str, when: str, main: str, *, head: str = "",
                    crumbs: str = "") -> str:
    """A page of the report that is not a chapter (a year's contents, the list of years, the
    summary, the whole report in one file): the house style, a masthead saying whose
    report it is (``who``) and when (``when``, HTML), and ``main`` as its content.

    ``head`` (more of ``<head>``) and ``crumbs`` (the links under the masthead) are HTML,
    each given with its own line ends.
    """
    from helpers.report.html_export import house_css  # html_export imports this module

    esc = html.escape
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{esc(title)}</title>
<style>{house_css()}</style>
{head}</head>
<body>
<header class="masthead"><div class="page"><span class="who">{esc(who)}</span>
<span class="when">{when}</span></div></header>
{crumbs}<div class="page">
<main id="content">
{main}
</main>
</div>
</body>
</html>
"""
