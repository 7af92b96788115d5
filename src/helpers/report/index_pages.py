"""The front page of a year's report: ``reports/<year>/index.html``.

The index is what people open first and what gets emailed round, so it states plainly what
the report is about (partnership, year, data extract date), whether the figures are real,
and which chapters are missing or out of date after a failed build. Readers are not told
to look elsewhere: everything is one file with inline CSS (the house sheet) and no
external links, so it works from a shared drive or a USB stick, and prints cleanly.

Above the years sits ``reports/index.html``, listing every year built with its data date;
each year's contents page links the other years. Writing a year's index refreshes both,
from a small ``report.json`` each year folder keeps, so building one year never leaves
another year's links out of date.
"""

from __future__ import annotations

import html
import json
import os
import re
import tempfile
from collections.abc import Mapping
from datetime import datetime
from pathlib import Path
from typing import Any

from helpers.config import Year
from helpers.report.navigation import standalone_page
from helpers.report.outline import TITLES, title_for

SYNTHETIC_BANNER = (
    "Synthetic demo data: no real child appears in this report. Figures are illustrative."
)

#: Beside each year's index: what the all-years page needs to list that year.
YEAR_FILE = "report.json"
_YEARS_START, _YEARS_END = "<!-- lscp:years -->", "<!-- /lscp:years -->"


def _default_file_mode() -> int:
    """The mode ``open()`` would give a new file under the current umask."""
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


def atomic_write_text(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` so readers see the old file or the new one, never half.

    The temporary file is created next to the target so ``os.replace`` stays on one file
    system, where it is atomic.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        # mkstemp makes the file private (0600); a report must be as readable as any file
        # the user creates, e.g. on a shared drive or web server.
        os.fchmod(fd, _default_file_mode())
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            fh.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _stale_note(state: str, origin: Mapping[str, Any] | None) -> str:
    """The note for a page built from an earlier extract than this build's, else ""."""
    if not origin or origin.get("current", True):
        return ""
    if origin.get("extract_date") is None and origin.get("data_fingerprint") is None:
        return ""  # an old manifest entry that never recorded its extract: unknown, not stale
    date = html.escape(str(origin.get("extract_date") or "not recorded"))
    why = ("this build's data failed for this chapter" if state == "failed"
           else "this chapter was not rebuilt from this build's data")
    return f'<span class="note stale">From the earlier data extract of {date} ({why})</span>'


def _chapter_rows(year_dir: Path, chapters_status: Mapping[Any, str],
                  provenance: Mapping[Any, Mapping[str, Any]] | None = None) -> list[str]:
    """One list item per known chapter: linked if its page exists, otherwise marked."""
    pages: dict[int, str] = {}
    for page in sorted(year_dir.glob("[0-9][0-9]_*.html")):
        pages.setdefault(int(page.name[:2]), page.name)
    status = {int(str(k)[:2]): v for k, v in chapters_status.items()}
    origins = {int(str(k)[:2]): v for k, v in (provenance or {}).items()}
    numbers = sorted(set(TITLES) | set(pages) | set(status))

    rows = []
    for number in numbers:
        page = pages.get(number)
        slug = page[3:-5] if page else ""
        title = html.escape(title_for(number, slug))
        state = status.get(number, "built" if page else "not built")
        if page:
            note = ""
            if state == "failed":
                note = (
                    '<span class="note failed">The latest build of this chapter failed; '
                    "this is the previously published version.</span>"
                )
            note += _stale_note(state, origins.get(number))
            body = f'<a href="{html.escape(page, quote=True)}">{title}</a>{note}'
        else:
            label, kind = (
                ("Build failed", "note failed") if state == "failed" else ("Not built", "note")
            )
            body = f'<span class="missing">{title}</span> <span class="{kind}">{label}</span>'
        rows.append(f'<li><span class="num">{number}</span><span>{body}</span></li>')
    return rows


def _whole_report_links(year_dir: Path) -> list[tuple[str, str]]:
    """The summary, the one-file report, its PDF and each subgroup bundle, where built."""
    links = [(name, text) for name, text in (
        ("summary.html", "The report on a page: headline figures and what changed"),
        ("annual-report.html", "The whole report in one file"),
        ("annual-report.pdf", "The whole report as a PDF (A4, for printing)"),
    ) if (year_dir / name).is_file()]
    for page in sorted((year_dir / "subgroups").glob("*.html")):
        slug = page.stem
        links.append((f"subgroups/{page.name}", f"Subgroup bundle: {slug.replace('-', ' ')}"))
        if page.with_suffix(".pdf").is_file():
            links.append((f"subgroups/{slug}.pdf", f"Subgroup bundle: {slug.replace('-', ' ')} (PDF)"))
    return links


def _years_nav(reports_dir: Path | None, year: str) -> str:
    """The other built years, as links from one year's contents page."""
    entries = built_years(reports_dir) if reports_dir is not None else []
    others = [e for e in entries if e["year"] != year]
    items = "".join(
        f'<li><a href="../{html.escape(e["year"], quote=True)}/index.html">'
        f'<span class="yr">{html.escape(e["year"])}</span></a></li>' for e in others)
    body = ""
    if others:
        body = (f'<nav class="other-years" aria-label="Other years"><h2>Other years</h2>'
                f'<ul class="years">{items}</ul><p><a href="../index.html">All years</a></p></nav>')
    return f"{_YEARS_START}{body}{_YEARS_END}"


def _reports_dir(year_dir: Path) -> Path | None:
    """The folder holding year folders, if ``year_dir`` is named as a year (else None:
    nothing outside a report folder is ever written)."""
    try:
        Year.parse(Path(year_dir).name)
    except ValueError:
        return None
    return Path(year_dir).parent


def _facts(year: str, meta: Mapping[str, Any], built_at: datetime) -> str:
    """The demo banner, then the year, when its data were extracted and from where, and
    when the report was built."""
    esc = html.escape
    banner = ""
    if meta.get("synthetic"):
        banner = f'<p class="lscp-banner" role="note">{esc(SYNTHETIC_BANNER)}</p>'
    extract = esc(str(meta.get("extract_date") or "not recorded"))
    if meta.get("synthetic"):
        source_row = "<dt>Data source</dt><dd>Synthetic demo data (no real child)</dd>"
    else:
        source = meta.get("source")
        source_row = f"<dt>Data source</dt><dd>{esc(str(source))}</dd>" if source else ""
    return f"""{banner}
<dl class="facts">
<dt>Reporting year</dt><dd><span class="yr">{esc(year)}</span></dd>
<dt>Data extracted</dt><dd>{extract}</dd>
{source_row}
<dt>Report built</dt><dd>{esc(built_at.strftime("%d %B %Y, %H:%M"))}</dd>
</dl>"""


def _year_files(year_dir: Path) -> str:
    """Links to the year's files beside the chapters that the build wrote."""
    esc = html.escape
    figures = ""
    if (year_dir / "figures.csv").exists():
        figures = (
            "<p>Every figure quoted in the chapters, with its source period and unit, is in "
            '<a href="figures.csv">figures.csv</a> (a spreadsheet file).</p>'
        )
    extras = [
        (name, text) for name, text in (
            ("data-dictionary.html", "Data dictionary: every input table, column, code and "
                                     "indicator definition"),
            ("data-quality.html", "Data quality: problems found in this year's data, each "
                                  "with the file and rows behind it"),
            ("calibration.csv", "Calibration: the demo data against the reference report's "
                                "published figures"),
        ) if (year_dir / name).exists()
    ]
    extras += _whole_report_links(year_dir)
    if extras:
        figures += "<ul>" + "".join(f'<li><a href="{n}">{esc(t)}</a></li>' for n, t in extras) + "</ul>"
    return figures


def built_years(reports_dir: Path) -> list[dict[str, Any]]:
    """Every year folder under ``reports_dir`` with a contents page, newest first: year,
    partnership, extract date and whether the data are synthetic (from ``report.json``)."""
    entries = []
    for folder in Path(reports_dir).iterdir() if Path(reports_dir).is_dir() else []:
        record = folder / YEAR_FILE
        try:
            Year.parse(folder.name)
        except ValueError:
            continue
        if not record.is_file() or not (folder / "index.html").is_file():
            continue
        try:
            data = json.loads(record.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        entries.append({"year": folder.name, "partnership": str(data.get("partnership", "")),
                        "extract_date": str(data.get("extract_date") or "not recorded"),
                        "synthetic": bool(data.get("synthetic"))})
    return sorted(entries, key=lambda e: e["year"], reverse=True)


def render_reports_index(reports_dir: Path, partnership: Any) -> str:
    """``reports/index.html``: every year built, newest first, with its data date."""
    name = str(getattr(partnership, "name", partnership))
    esc = html.escape
    entries = built_years(reports_dir)
    rows = []
    for e in entries:
        demo = ' <span class="note">Synthetic demo data</span>' if e["synthetic"] else ""
        rows.append(
            f'<li><span><a href="{esc(e["year"], quote=True)}/index.html">Annual report '
            f'<span class="yr">{esc(e["year"])}</span></a>'
            f'<span class="note">Data extracted {esc(e["extract_date"])}</span>{demo}</span></li>')
    listing = (f'<ul class="years">{"".join(rows)}</ul>' if rows
               else "<p>No year has been built yet.</p>")
    banner = ""
    if entries and all(e["synthetic"] for e in entries):
        banner = f'<p class="lscp-banner" role="note">{esc(SYNTHETIC_BANNER)}</p>'
    main = f"""<h1>Annual reports</h1>
{banner}
<p>Each year's report was built from that year's data extract.</p>
{listing}"""
    return standalone_page(f"{name}: annual reports", name, "Annual reports", main)


def write_reports_index(reports_dir: Path, partnership: Any) -> Path:
    """Write ``reports_dir/index.html`` and refresh the "other years" links on every
    year's contents page; returns the all-years page. Safe to call after any build."""
    reports_dir = Path(reports_dir)
    for entry in built_years(reports_dir):
        page = reports_dir / entry["year"] / "index.html"
        text = page.read_text(encoding="utf-8")
        fresh = _YEARS_BLOCK.sub(lambda _m, y=entry["year"]: _years_nav(reports_dir, y), text,
                                 count=1)
        if fresh != text:
            atomic_write_text(page, fresh)
    target = reports_dir / "index.html"
    atomic_write_text(target, render_reports_index(reports_dir, partnership))
    return target


_YEARS_BLOCK = re.compile(re.escape(_YEARS_START) + ".*?" + re.escape(_YEARS_END), re.DOTALL)


def write_index(
    year_dir: Path,
    year: str,
    partnership: Any,
    meta: Mapping[str, Any],
    chapters_status: Mapping[Any, str],
    built_at: datetime | None = None,
    provenance: Mapping[Any, Mapping[str, Any]] | None = None,
) -> Path:
    """Write ``year_dir/index.html`` atomically and return its path.

    ``partnership`` is a :class:`helpers.config.Partnership` or just its name.
    ``chapters_status`` maps a chapter (its number, or its ``NN_slug`` name) to one of
    ``built``, ``unchanged``, ``published``, ``failed`` or ``not built``. Every chapter
    with an HTML page in ``year_dir`` is linked, whatever its status, because a failed
    rebuild leaves the previous good page in place.

    ``provenance`` (optional) maps a chapter, keyed the same way, to what
    :func:`helpers.build.cache.page_provenance` gives for it: a page whose ``current`` is
    False is marked as built from the earlier data extract, with that extract's date.

    When ``year_dir`` is named as a year (``reports/2024-25``), its ``report.json`` is
    written too and the all-years page (:func:`write_reports_index`) is refreshed.
    """
    year_dir = Path(year_dir)
    target = year_dir / "index.html"
    name = str(getattr(partnership, "name", partnership))
    reports_dir = _reports_dir(year_dir)
    if reports_dir is not None:
        record = {"year": str(year), "partnership": name,
                  "extract_date": meta.get("extract_date"), "synthetic": bool(meta.get("synthetic"))}
        atomic_write_text(year_dir / YEAR_FILE, json.dumps(record, indent=2) + "\n")
    rows = "\n".join(_chapter_rows(year_dir, chapters_status, provenance))
    crumbs = ""
    if reports_dir is not None:
        crumbs = ('<nav class="crumbs" aria-label="Report"><div class="page"><ul><li>'
                  '<a href="../index.html">All years</a></li></ul></div></nav>')
    yr = f'<span class="yr">{html.escape(year)}</span>'
    main = f"""<h1>Annual report {yr}</h1>
{_facts(year, meta, built_at or datetime.now().astimezone())}
<h2>Chapters</h2>
<ol class="chapters">
{rows}
</ol>
{_year_files(year_dir)}
{_years_nav(reports_dir, year)}
<footer><p>Each chapter opens as its own page and works without an internet connection.</p>
</footer>"""
    atomic_write_text(target, standalone_page(f"Contents – {name} annual report {year}", name,
                                              f"Annual report {yr}", main, crumbs=f"{crumbs}\n"))
    if reports_dir is not None:
        write_reports_index(reports_dir, partnership)
    return target
