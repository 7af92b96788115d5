"""The whole report: a one-page summary, the report as one file, and subgroup bundles.

Readers who never open thirteen chapter pages still need the headline facts, and a board
paper needs one file (and a PDF) it can attach. Everything here is assembled from what the
build already published for this extract, never recomputed:

* the **summary** takes each chapter's key figures from the key-figures box on its page
  (so it can never disagree with the page), matched to the chapter's rows in
  ``figures.csv`` for the section and ref; a chapter without a box shows its first few
  figures that carry a published ref, with their change worked out from the two values
  the register stated (as the box does);
* **what changed since last year** ranks every indicator with a value for both years in
  ``figures.csv``: percentages by their change in percentage points, counts of at least 10
  in both years by their relative change; suppressed values are never used;
* the **one-file report** and the **bundles** copy each chapter page's ``<main>`` content
  into one page with a contents list, so they are exactly the chapters' text.

Every string from a page is copied as the exporter made it (already escaped and checked);
every other string is escaped here, and the caller checks the finished page with
:func:`helpers.report.safety.executable_markup`.
"""

from __future__ import annotations

import html
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from html.parser import HTMLParser
from pathlib import Path

import pandas as pd

from helpers.config import previous_year
from helpers.report import page_parts
from helpers.report.navigation import css_string, nowrap_years, standalone_page
from helpers.report.outline import title_for
from helpers.report.wording import change_direction, describe_change

__all__ = [
    "FALLBACK_FIGURES", "MAX_MOVERS", "MIN_COUNT", "ChapterPage", "Headline", "Mover",
    "chapter_pages", "headlines", "movers", "render_document", "render_summary",
]

#: How many figures stand in for a chapter that has no key-figures box.
FALLBACK_FIGURES = 4
#: At most this many movers: a longer list is a table nobody reads first.
MAX_MOVERS = 10
#: A count moves "a lot" only if it is at least this big in both years: 2 to 4 is +100%.
MIN_COUNT = 10
_ARROWS = {"up": "▲", "down": "▼", "no change": "▶"}


@dataclass(frozen=True)
class ChapterPage:
    """One published chapter page: its number, file name, title and HTML text."""

    number: int
    name: str
    title: str
    text: str

    @property
    def href(self) -> str:
        return f"{self.name}.html"


@dataclass(frozen=True)
class Headline:
    """One headline figure as the summary shows it (display strings only)."""

    chapter: int
    label: str
    value: str
    period: str
    change: str = ""
    direction: str | None = None
    section: str = ""
    ref: str = ""
    href: str = ""


@dataclass(frozen=True)
class Mover:
    """An indicator whose value moved a lot between last year and this one."""

    chapter: int
    section: str
    indicator: str
    label: str
    before: str
    after: str
    change: float
    unit: str
    words: str = field(default="")


# --------------------------------------------------------------------------- pages


def chapter_pages(folder: Path, names: Iterable[str]) -> list[ChapterPage]:
    """The pages ``NN_slug.html`` in ``folder`` for the chapter names given, in order."""
    pages = []
    for name in sorted(set(names)):
        path = Path(folder) / f"{name}.html"
        if not path.is_file() or not name[:2].isdigit():
            continue
        number = int(name[:2])
        pages.append(ChapterPage(number, name, title_for(number, name[3:]),
                                 path.read_text(encoding="utf-8")))
    return pages


class _BoxParser(HTMLParser):
    """Reads the key-figures box(es) of a page: value, label, period and change text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.items: list[dict[str, str]] = []
        self._depth = 0  # >0 while inside <section class="key-figures">
        self._field: str | None = None
        self._field_depth = 0
        self._arrow = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        classes = (dict(attrs).get("class") or "").split()
        if self._depth:
            self._depth += 1
            if tag == "li":
                self.items.append({"value": "", "label": "", "period": "", "change": ""})
            elif self._field is not None:
                self._field_depth += 1
                self._arrow = self._arrow or "arrow" in classes
            else:
                for name in ("value", "label", "period", "change"):
                    if name in classes and self.items:
                        self._field, self._field_depth = name, 1
        elif tag == "section" and "key-figures" in classes:
            self._depth = 1

    def handle_endtag(self, tag: str) -> None:
        if not self._depth:
            return
        self._depth -= 1
        if self._field is not None:
            self._field_depth -= 1
            if self._arrow and self._field_depth >= 1:
                self._arrow = False
            if self._field_depth == 0:
                self._field = None

    def handle_data(self, data: str) -> None:
        if self._field is not None and self.items and not self._arrow:
            self.items[-1][self._field] += data


def box_figures(page_text: str) -> list[dict[str, str]]:
    """The figures of a page's key-figures box, as the page prints them (none if no box)."""
    return [dict(item) for item in _box_figures(page_text)]


@lru_cache(maxsize=80)
def _box_figures(page_text: str) -> tuple[dict[str, str], ...]:
    parser = _BoxParser()
    parser.feed(page_text)
    parser.close()
    return tuple({k: " ".join(v.split()) for k, v in item.items()} for item in parser.items
                 if item["value"].strip())


def read_ahead(folder: Path, names: Iterable[str]) -> None:
    """Parse the pages ``names`` in ``folder`` now, for the summary, the one file and the
    bundles to reuse (parsing is cached by page text).

    The build calls this for the pages it keeps while the other chapters run, so after
    a one-chapter rebuild only that chapter's page is parsed on the critical path.
    """
    for page in chapter_pages(folder, names):
        _main(page.text)
        _box_figures(page.text)


def _direction(words: str) -> str | None:
    for direction in ("no change", "up", "down"):
        if words.startswith(direction):
            return direction
    return None


@lru_cache(maxsize=80)
def _main(text: str) -> tuple[page_parts.Node, ...]:
    """A page's main content, parsed once for the summary, the one file and the bundles
    (the trees are never changed in place: cutting and rewriting make copies)."""
    return tuple(page_parts.main_content(text))


@lru_cache(maxsize=80)
def _heading_ids(text: str) -> tuple[tuple[str, str], ...]:
    """A page's section numbers and the ids of their headings (headings with an id only),
    found once per page: the summary links each of its headline figures to one."""
    return tuple((number, str(node.attrs["id"]))
                 for number, node in page_parts.section_headings(_main(text))
                 if node.attrs.get("id"))


def section_anchor(page: ChapterPage, section: str) -> str:
    """``page.html#id`` if the page has a heading with an id for the section, else the
    page itself."""
    found = dict(_heading_ids(page.text)).get(section) if section else None
    return f"{page.href}#{found}" if found else page.href


# --------------------------------------------------------------------------- figures


def read_figures(path: Path) -> pd.DataFrame:
    """``figures.csv`` as text columns (the display strings must survive unchanged)."""
    return pd.read_csv(path, dtype=str, keep_default_na=False)


def _number(text: str) -> float | None:
    try:
        value = float(text)
    except (TypeError, ValueError):
        return None
    return value if math.isfinite(value) else None


def _not_suppressed(rows: pd.DataFrame) -> pd.DataFrame:
    return rows[rows["suppressed"].str.lower() != "true"]


def _change(unit: str, before: float, after: float) -> tuple[float, str] | None:
    """Change of a percentage in points, of a count relative (%); None if not defined."""
    if unit == "percent":
        return after - before, "percentage points"
    if unit == "count" and before >= MIN_COUNT and after >= MIN_COUNT:
        return (after - before) / before * 100, "percent"
    return None


def _pairs(figures: pd.DataFrame, year: str) -> pd.DataFrame:
    """One row per indicator (first stated) with both years' values, unsuppressed."""
    last = previous_year(year)
    rows = _not_suppressed(figures[figures["unit"].isin(["percent", "count"])])
    now = rows[rows["period"] == year].drop_duplicates(["chapter", "indicator"])
    before = rows[rows["period"] == last].drop_duplicates(["chapter", "indicator"])
    return now.merge(before[["chapter", "indicator", "value", "display"]],
                     on=["chapter", "indicator"], suffixes=("", "_before"))


def headlines(pages: Sequence[ChapterPage], figures: pd.DataFrame, year: str,
              fallback: int = FALLBACK_FIGURES) -> dict[int, list[Headline]]:
    """Per chapter, the headline figures the summary shows (see the module notes)."""
    out: dict[int, list[Headline]] = {}
    chapters = figures["chapter"].astype(str).str.lstrip("0")
    for page in pages:
        mine = figures[chapters == str(page.number)]
        current = mine[mine["period"] == year]
        # (label, display) -> the first such figure's (section, ref)
        stated: dict[tuple[str, str], tuple[str, str]] = {}
        for key, place in zip(zip(current["label"], current["display"], strict=True),
                              zip(current["section"], current["ref"], strict=True),
                              strict=True):
            stated.setdefault(key, place)
        shown = []
        for box in box_figures(page.text):
            section, ref = stated.get((box["label"], box["value"]), ("", ""))
            shown.append(Headline(page.number, box["label"], box["value"], box["period"] or year,
                                  box["change"], _direction(box["change"]), section, ref,
                                  section_anchor(page, section)))
        if not shown:
            pairs = _pairs(mine, year).set_index("indicator")
            picked = current[current["ref"] != ""].drop_duplicates("indicator").head(fallback)
            for row in picked.itertuples(index=False):
                words, direction = "", None
                if row.indicator in pairs.index:
                    pair = pairs.loc[row.indicator]
                    before, after = _number(pair["value_before"]), _number(pair["value"])
                    moved = _change(row.unit, before, after) if None not in (before, after) else None
                    if moved is not None and row.suppressed.lower() != "true":
                        words = f"{describe_change(moved[0], moved[1])} on {previous_year(year)}"
                        direction = change_direction(moved[0])
                shown.append(Headline(page.number, row.label, row.display, row.period, words,
                                      direction, row.section, row.ref,
                                      section_anchor(page, row.section)))
        out[page.number] = shown
    return out


def movers(figures: pd.DataFrame, year: str, limit: int = MAX_MOVERS) -> list[Mover]:
    """The indicators that moved most since last year, at most ``limit``.

    Percentages are ranked by their change in percentage points and counts (at least
    :data:`MIN_COUNT` both years) by their relative change; the two kinds cannot be put on
    one scale, so the list takes the biggest of each in turn (a percentage first), and
    when one kind runs out the other fills the remaining places.
    """
    ranked: dict[str, list[Mover]] = {"percent": [], "count": []}
    for row in _pairs(figures, year).itertuples(index=False):
        before, after = _number(row.value_before), _number(row.value)
        if before is None or after is None:
            continue
        moved = _change(row.unit, before, after)
        if moved is None or change_direction(moved[0]) == "no change":
            continue
        ranked[row.unit].append(Mover(
            int(row.chapter), row.section, row.indicator, row.label, row.display_before,
            row.display, moved[0], moved[1], describe_change(moved[0], moved[1])))
    for kind in ranked.values():
        kind.sort(key=lambda m: (-abs(m.change), m.chapter, m.indicator))
    chosen: list[Mover] = []
    percents, counts = iter(ranked["percent"]), iter(ranked["count"])
    while len(chosen) < limit:
        taken = [m for m in (next(percents, None), next(counts, None)) if m is not None]
        if not taken:
            break
        chosen.extend(taken)
    return chosen[:limit]


# --------------------------------------------------------------------------- HTML


def _print_css(partnership: str, year: str, synthetic: bool, banner: str) -> str:
    """Running head on every printed page, and the demo warning in the footer."""
    head = f"{partnership}: annual report {year}"
    rules = "@top-left { content: " + css_string(head) + "; font: 8pt arial, sans-serif; " \
            "color: #505a5f; }"
    if synthetic:
        rules += (" @bottom-left { content: " + css_string(banner) + "; font: 700 8pt arial, "
                  "sans-serif; color: #5b2c00; }")
    return ("<style>@page { " + rules + " }\n"
            "@media print { section.chapter { break-before: page; }"
            " nav.contents { break-after: page; } }\n"
            ".contents .pg { float: right; font-variant-numeric: tabular-nums; }"
            " .contents li { max-width: 40rem; } .contents ol { list-style: none; }</style>")


def _page(title: str, partnership: str, year: str, body: str, *, synthetic: bool,
          banner: str, links: Sequence[tuple[str, str]] = (("index.html", "Contents"),)) -> str:
    esc = html.escape
    warning = f'<p class="lscp-banner" role="note">{esc(banner)}</p>' if synthetic else ""
    crumbs = ('<nav class="crumbs" aria-label="Report"><div class="page"><ul>'
              + "".join(f'<li><a href="{esc(href, quote=True)}">{esc(text)}</a></li>'
                        for href, text in links)
              + "</ul></div></nav>\n")
    return standalone_page(title, partnership, f'Annual report <span class="yr">{esc(year)}</span>',
                           f"{warning}\n{body}",
                           head=_print_css(partnership, year, synthetic, banner) + "\n",
                           crumbs=crumbs)


def _headline_item(item: Headline) -> str:
    esc = html.escape
    change = ""
    if item.change:
        arrow = _ARROWS.get(str(item.direction or ""), "")
        mark = f'<span class="arrow" aria-hidden="true">{arrow}</span> ' if arrow else ""
        change = f'<span class="change">{mark}{esc(item.change)}</span>'
    ref = f' <span class="note">Ref. {esc(item.ref)}</span>' if item.ref else ""
    return (f'<li><span class="value">{esc(item.value)}</span>'
            f'<span class="label"><a href="{esc(item.href, quote=True)}">{esc(item.label)}</a>'
            f'</span><span class="period">{esc(item.period)}</span>{change}{ref}</li>')


def render_summary(pages: Sequence[ChapterPage], figures: pd.DataFrame, year: str,
                   partnership: str, *, synthetic: bool = False, banner: str = "") -> str:
    """``summary.html``: every chapter's headline figures, then the biggest movers."""
    esc = html.escape
    found = headlines(pages, figures, year)
    blocks = []
    for page in pages:
        items = "".join(_headline_item(h) for h in found.get(page.number, []))
        body = (f'<ul>{items}</ul>' if items
                else "<p>This chapter states no headline figure.</p>")
        blocks.append(f'<section class="key-figures" aria-labelledby="sum-{page.number:02d}">'
                      f'<h2 id="sum-{page.number:02d}"><a href="{esc(page.href, quote=True)}">'
                      f"{page.number}. {esc(page.title)}</a></h2>{body}</section>")
    moved = movers(figures, year)
    by_number = {p.number: p for p in pages}
    if moved:
        rows = []
        for m in moved:
            page = by_number.get(m.chapter)
            label = esc(m.label)
            if page is not None:
                label = f'<a href="{esc(section_anchor(page, m.section), quote=True)}">{label}</a>'
            rows.append(f'<tr><td>{label}</td><td class="num">{esc(m.before)}</td>'
                        f'<td class="num">{esc(m.after)}</td><td>{esc(m.words)}</td></tr>')
        last = esc(previous_year(year))
        changed = ('<div class="table-box" role="region" tabindex="0" aria-label="Biggest '
                   'changes"><table><caption>Biggest changes since last year</caption><thead>'
                   f'<tr><th scope="col">Figure</th><th scope="col" class="num">{last}</th>'
                   f'<th scope="col" class="num">{esc(year)}</th><th scope="col">Change</th>'
                   f'</tr></thead><tbody>{"".join(rows)}</tbody></table></div>'
                   "<p class=\"note\">Percentages are compared in percentage points, counts of "
                   f"at least {MIN_COUNT} by their relative change; suppressed figures are left "
                   "out.</p>")
    else:
        changed = "<p>No figure in this build has a value for both years.</p>"
    body = (f'<h1>The report on a page <span class="yr">{esc(year)}</span></h1>'
            + "\n".join(blocks)
            + f"<h2>What changed since last year</h2>{changed}")
    return _page(f"Summary – {partnership} annual report {year}", partnership, year,
                 nowrap_years(body), synthetic=synthetic, banner=banner)


# --------------------------------------------------------------------------- one file

#: A link to a chapter page (``07_assurance.html``, with or without ``#fragment``).
_CHAPTER_HREF = re.compile(r"(\d\d_[a-z0-9_]+)\.html(#.*)?$")
#: A link that is not relative to the page (a fragment, a data URI, a scheme, a root path).
_NOT_RELATIVE = re.compile(r"^(?:#|/|[a-z][a-z0-9+.-]*:)", re.IGNORECASE)


@dataclass(frozen=True)
class Entry:
    """One line of the contents: heading id, text and level (1 chapter, 2 section)."""

    anchor: str
    text: str
    level: int


@dataclass(frozen=True)
class Part:
    """A chapter page as a document includes it: whole, or only the sections named."""

    page: ChapterPage
    sections: tuple[str, ...] = ()


def _listed(numbers: Sequence[str]) -> str:
    return numbers[0] if len(numbers) == 1 else f"{', '.join(numbers[:-1])} and {numbers[-1]}"


def _chapter_body(part: Part, included: set[str], base: str) -> tuple[str, list[Entry]]:
    """A chapter's main content (or the sections ``part`` names) with ids on its headings,
    and its contents entries.

    Links to a chapter included in the same file point inside it; links to one that is not
    stay as they are, with ``base`` before them (``../`` for a document in a subfolder), so
    they still reach the published pages.
    """
    page = part.page
    chapter = f"ch{page.number:02d}"
    nodes = list(_main(page.text))
    if part.sections:
        nodes = page_parts.cut(nodes, part.sections)
    entries: list[Entry] = []

    def change(node: page_parts.Node) -> page_parts.Node:
        if node.tag in ("h1", "h2"):
            text = node.text()
            if text == "Key figures" or not text:
                return node
            level = int(node.tag[1])
            anchor = chapter if level == 1 else f"{chapter}-s{len(entries) + 1}"
            entries.append(Entry(anchor, text, level))
            return node.with_attr("id", anchor)
        for name in ("href", "src"):
            value = node.attrs.get(name)
            if value and not _NOT_RELATIVE.match(value):
                target = _CHAPTER_HREF.match(value)
                if target and target.group(1) in included:
                    node = node.with_attr(name, f"#ch{target.group(1)[:2]}")
                elif base:
                    node = node.with_attr(name, base + value)
        ident = node.attrs.get("id") or ""
        if ident.startswith("cell-id="):
            # Notebook cell ids repeat from chapter to chapter; ids must be unique in one file.
            node = node.with_attr("id", f"{chapter}-{ident}")
        return node

    body = page_parts.markup(page_parts.rewrite(nodes, change))
    esc = html.escape
    if part.sections:
        whole = esc(base + page.href, quote=True)
        body = (f'<p class="note">From this chapter, section{"s" if len(part.sections) > 1 else ""}'
                f' {esc(_listed(part.sections))} only. <a href="{whole}">The whole chapter</a>.'
                "</p>" + body)
    if not any(e.level == 1 for e in entries):
        entries.insert(0, Entry(chapter, f"{page.number}. {page.title}", 1))
        body = f'<h1 id="{chapter}">{page.number}. {esc(page.title)}</h1>' + body
    return body, entries


def render_document(parts: Sequence[Part], year: str, partnership: str, title: str, *,
                    synthetic: bool = False, banner: str = "", note: str = "",
                    page_numbers: Mapping[str, int] | None = None, base: str = "",
                    ) -> tuple[str, list[Entry]]:
    """Every part's content in order, after a contents list, as one page.

    ``page_numbers`` (heading id -> printed page) adds page numbers to the contents, for
    the PDF; ``base`` is the way back to the year's folder from where the page is written
    (``../`` for a subgroup bundle). Returns the page and its contents entries (for looking
    those numbers up).
    """
    esc = html.escape
    included = {p.page.name for p in parts if not p.sections}
    chapters, entries = [], []
    for part in parts:
        body, mine = _chapter_body(part, included, base)
        entries.extend(mine)
        chapters.append(f'<section class="chapter" aria-labelledby="ch{part.page.number:02d}">'
                        f"{body}</section>")
    numbers = page_numbers or {}
    items, open_sub = [], False
    for entry in entries:
        pg = f'<span class="pg">{numbers[entry.anchor]}</span>' if entry.anchor in numbers else ""
        link = f'<a href="#{entry.anchor}">{esc(entry.text)}</a>{pg}'
        if entry.level == 1:
            if open_sub:
                items.append("</ol></li>")
            items.append(f"<li>{link}<ol>")
            open_sub = True
        else:
            items.append(f"<li>{link}</li>")
    if open_sub:
        items.append("</ol></li>")
    intro = f"<p>{esc(note)}</p>" if note else ""
    contents = (f'<nav class="contents toc" aria-labelledby="contents-h"><h1>{esc(title)} '
                f'<span class="yr">{esc(year)}</span></h1>{intro}<h2 id="contents-h">Contents'
                f'</h2><ol>{"".join(items)}</ol></nav>')
    links = ((("#contents-h", "Contents of this bundle"),
              (f"{base}index.html", "Contents of the full report"))
             if base else (("index.html", "Contents"),))
    page = _page(f"{title} – {partnership} {year}", partnership, year,
                 contents + "\n".join(chapters), synthetic=synthetic, banner=banner, links=links)
    return page, entries
