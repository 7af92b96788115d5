"""The front page of a year's report: ``reports/<year>/index.html``.

The index is what people open first and what gets emailed round, so it states plainly what
the report is about (partnership, year, data extract date), whether the figures are real,
and which chapters are missing or out of date after a failed build. Readers are not told
to look elsewhere: everything is one file with inline CSS and no external links, so it
works from a shared drive or a USB stick, and prints cleanly.
"""

from __future__ import annotations

import html
import os
import tempfile
from collections.abc import Mapping
from datetime import datetime
from pathlib import Path
from typing import Any

from helpers.report.outline import TITLES, title_for

SYNTHETIC_BANNER = (
    "Synthetic demo data: no real child appears in this report. Figures are illustrative."
)

_CSS = """
:root { --ink: #1d2733; --muted: #5a6573; --line: #d5dbe3; --accent: #0b5394; }
* { box-sizing: border-box; }
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif;
  color: var(--ink); line-height: 1.5; margin: 0; background: #fff; }
main { max-width: 48rem; margin: 0 auto; padding: 2rem 1.25rem 3rem; }
h1 { font-size: 1.9rem; line-height: 1.2; margin: 0 0 .25rem; }
.subtitle { font-size: 1.2rem; color: var(--muted); margin: 0 0 1.5rem; }
.banner { border: 3px solid #b45f06; background: #fff4e5; color: #5b2c00; font-weight: 600;
  padding: .9rem 1.1rem; margin: 0 0 1.5rem; border-radius: 4px; font-size: 1.05rem; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: .2rem 1rem;
  margin: 0 0 2rem; }
dl.facts dt { color: var(--muted); }
dl.facts dd { margin: 0; }
ol.chapters { list-style: none; padding: 0; margin: 0 0 2rem; border-top: 1px solid var(--line); }
ol.chapters li { display: flex; gap: .75rem; padding: .55rem 0;
  border-bottom: 1px solid var(--line); }
.num { min-width: 2rem; color: var(--muted); font-variant-numeric: tabular-nums; }
a { color: var(--accent); }
.note { display: block; font-size: .9rem; color: var(--muted); }
.note.failed { color: #8a1c1c; font-weight: 600; }
.missing { color: var(--muted); }
footer { font-size: .9rem; color: var(--muted); }
@media print {
  main { max-width: none; padding: 0; }
  .banner { border-width: 2px; }
  ol.chapters li { break-inside: avoid; page-break-inside: avoid; }
  a { color: inherit; text-decoration: none; }
}
"""


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


def _chapter_rows(year_dir: Path, chapters_status: Mapping[Any, str]) -> list[str]:
    """One list item per known chapter: linked if its page exists, otherwise marked."""
    pages: dict[int, str] = {}
    for page in sorted(year_dir.glob("[0-9][0-9]_*.html")):
        pages.setdefault(int(page.name[:2]), page.name)
    status = {int(str(k)[:2]): v for k, v in chapters_status.items()}
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
            body = f'<a href="{html.escape(page, quote=True)}">{title}</a>{note}'
        else:
            label, kind = (
                ("Build failed", "note failed") if state == "failed" else ("Not built", "note")
            )
            body = f'<span class="missing">{title}</span> <span class="{kind}">{label}</span>'
        rows.append(f'<li><span class="num">{number}</span><span>{body}</span></li>')
    return rows


def render_index(
    year_dir: Path,
    year: str,
    partnership: Any,
    meta: Mapping[str, Any],
    chapters_status: Mapping[Any, str],
    built_at: datetime | None = None,
) -> str:
    """The index page as a string (see :func:`write_index`)."""
    year_dir = Path(year_dir)
    name = str(getattr(partnership, "name", partnership))
    built_at = built_at or datetime.now().astimezone()
    esc = html.escape
    banner = ""
    if meta.get("synthetic"):
        banner = f'<p class="banner" role="note">{esc(SYNTHETIC_BANNER)}</p>'
    extract = esc(str(meta.get("extract_date") or "not recorded"))
    source = meta.get("source")
    source_row = f"<dt>Data source</dt><dd>{esc(str(source))}</dd>" if source else ""
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
            ("calibration.csv", "Calibration: the demo data against the reference report's "
                                "published figures"),
        ) if (year_dir / name).exists()
    ]
    if extras:
        figures += "<ul>" + "".join(f'<li><a href="{n}">{esc(t)}</a></li>' for n, t in extras) + "</ul>"
    rows = "\n".join(_chapter_rows(year_dir, chapters_status))
    title = f"{name}: annual report {year}"
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{esc(title)}</title>
<style>{_CSS}</style>
</head>
<body>
<main>
<h1>{esc(name)}</h1>
<p class="subtitle">Annual report {esc(year)}</p>
{banner}
<dl class="facts">
<dt>Reporting year</dt><dd>{esc(year)}</dd>
<dt>Data extracted</dt><dd>{extract}</dd>
{source_row}
<dt>Report built</dt><dd>{esc(built_at.strftime("%d %B %Y, %H:%M"))}</dd>
</dl>
<h2>Chapters</h2>
<ol class="chapters">
{rows}
</ol>
{figures}
<footer><p>Each chapter opens as its own page and works without an internet connection.</p>
</footer>
</main>
</body>
</html>
"""


def write_index(
    year_dir: Path,
    year: str,
    partnership: Any,
    meta: Mapping[str, Any],
    chapters_status: Mapping[Any, str],
    built_at: datetime | None = None,
) -> Path:
    """Write ``year_dir/index.html`` atomically and return its path.

    ``partnership`` is a :class:`helpers.config.Partnership` or just its name.
    ``chapters_status`` maps a chapter (its number, or its ``NN_slug`` name) to one of
    ``built``, ``unchanged``, ``published``, ``failed`` or ``not built``. Every chapter
    with an HTML page in ``year_dir`` is linked, whatever its status, because a failed
    rebuild leaves the previous good page in place.
    """
    target = Path(year_dir) / "index.html"
    atomic_write_text(
        target, render_index(year_dir, year, partnership, meta, chapters_status, built_at)
    )
    return target
