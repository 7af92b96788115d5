"""The data-quality page: every problem the build found in the year's data, with its source.

Validation rejects data that cannot be right (a wrong code, a total that does not add up
inside one return). What is left are things that may be right but need a person to look:
a share printed in the partnership's papers that the finance table does not bear out, a
figure quoted for an old period, a seat listed twice, a section number used twice, a
budget whose income and spending differ, a paragraph pasted into two sections, a figure
quoted with two values. Each check is a small pure function of the data and returns
``Issue`` rows naming the file and the rows behind them, so the page is computed, never
written by hand, and an issue disappears as soon as its cause is fixed.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from helpers.chapters.declarations import Renumbered, renumbered_sections
from helpers.config import partnership
from helpers.data.loading import ReportData
from helpers.indicators import partnership as pt
from helpers.report.navigation import (
    PageContext,
    crumbs_html,
    nowrap_years,
    page_title,
    running_head_css,
    standalone_page,
)
from helpers.report.page_furniture import banner_html
from helpers.report.tables import html_table

PAGE = "data-quality.html"
"""Also named in ``helpers.build.publishing`` (``DATA_QUALITY_PAGE``), which moves it."""


@dataclass(frozen=True)
class Issue:
    """One problem: its kind, what is wrong (in words), and the file and rows behind it."""

    kind: str
    text: str
    file: str
    rows: tuple[str, ...]


def previous_year(year: str) -> str:
    """'2024-25' -> '2023-24'."""
    start = int(year[:4]) - 1
    return f"{start}-{(start + 1) % 100:02d}"


def _row(index: int) -> str:
    """A frame index as the spreadsheet row a person opens (row 1 is the header)."""
    return f"row {int(index) + 2}"


# --------------------------------------------------------------------------- finance
def share_issues(finance: pd.DataFrame) -> list[Issue]:
    """Stated income shares that the finance table's own income rows do not bear out."""
    return [Issue("Source inconsistency", note.text, note.file, note.rows)
            for note in pt.income_share_notes(finance) if note.agrees is False]


def _total(finance: pd.DataFrame, code: str) -> tuple[float, int] | None:
    rows = finance[(finance["measure"] == code) & finance["breakdown"].map(_blank)]
    return (float(rows["value"].iloc[0]), int(rows.index[0])) if len(rows) else None


def _blank(value: object) -> bool:
    return value is None or value == "" or (isinstance(value, float) and pd.isna(value))


def reconcile_issues(finance: pd.DataFrame) -> list[Issue]:
    """Budget lines that do not add up to their total, and income that differs from spending."""
    issues = []
    for code in ("expenditure", "income"):
        total = _total(finance, code)
        parts = finance[(finance["measure"] == code) & ~finance["breakdown"].map(_blank)]
        if total is None or parts.empty:
            continue
        found = float(parts["value"].sum())
        if abs(found - total[0]) > 0.5:
            issues.append(Issue("Totals that do not reconcile",
                                f"the {code} lines add up to £{found:,.0f}, the {code} total "
                                f"is £{total[0]:,.0f}", "finance.csv",
                                tuple(_row(i) for i in (total[1], *parts.index))))
    spend, income = _total(finance, "expenditure"), _total(finance, "income")
    if spend and income and abs(spend[0] - income[0]) > 0.5:
        issues.append(Issue("Totals that do not reconcile",
                            f"income (£{income[0]:,.0f}) and expenditure (£{spend[0]:,.0f}) "
                            "differ, with no carry-forward recorded", "finance.csv",
                            (_row(income[1]), _row(spend[1]))))
    return issues


# --------------------------------------------------------------------------- membership
def repeat_issues(members: pd.DataFrame) -> list[Issue]:
    """Membership rows that repeat an earlier row exactly (``partnership.repeated_seats``)."""
    if members.empty:
        return []
    frame = members.reset_index(drop=True)
    repeated = pt.repeated_seats(frame)
    key = ["member_group", "agency", "job_title"]
    issues = []
    for seat in repeated.drop_duplicates(key).itertuples():
        same = frame[(frame["member_group"] == seat.member_group)
                     & (frame["agency"] == seat.agency) & (frame["job_title"] == seat.job_title)]
        issues.append(Issue("Duplicated entries", f"{seat.job_title} ({seat.agency}) is listed "
                            f"{len(same)} times", "membership.csv",
                            tuple(_row(i) for i in same.index)))
    return issues


# --------------------------------------------------------------------------- sections
def renumbering_issues(renumbered: Iterable[Renumbered]) -> list[Issue]:
    """Section numbers the reference report prints twice, with the number the pack uses,
    as the chapter modules declare them (``declarations.renumbered_sections``)."""
    return [Issue("Duplicated section numbers",
                  f"the reference report numbers two sections {r.printed}; this report "
                  f"numbers '{r.title}' {r.renumbered}",
                  f"chapter {r.chapter} ({r.module}.RENUMBERED_SECTIONS)",
                  (f"section {r.printed}", f"section {r.renumbered}"))
            for r in renumbered]


# --------------------------------------------------------------------------- narrative
MIN_WORDS = 12
"""A paragraph shorter than this (a heading, a quote's attribution) may repeat by design."""


def _paragraphs(markdown: str) -> list[str]:
    return [" ".join(p.split()) for p in re.split(r"\n\s*\n", str(markdown)) if p.strip()]


def repeated_text_issues(narrative: pd.DataFrame) -> list[Issue]:
    """Paragraphs repeated word for word in two or more narrative blocks."""
    seen: dict[str, list[tuple[int, str]]] = {}
    for item in narrative.itertuples():
        for paragraph in dict.fromkeys(_paragraphs(item.markdown)):
            if len(paragraph.split()) >= MIN_WORDS:
                seen.setdefault(paragraph, []).append((int(item.chapter), str(item.block)))
    issues = []
    for paragraph, places in seen.items():
        if len(places) < 2:
            continue
        files = sorted({f"narrative/{c:02d}.md" for c, _ in places})
        opening = " ".join(paragraph.split()[:10])
        issues.append(Issue("Text repeated word for word",
                            f"the paragraph beginning '{opening} ...' appears in "
                            f"{len(places)} blocks", ", ".join(files),
                            tuple(f"block {b} (chapter {c})" for c, b in places)))
    return issues


# --------------------------------------------------------------------------- figures.csv
def stale_period_issues(figures: pd.DataFrame, year: str) -> list[Issue]:
    """Figures whose latest quoted period is before the report year's previous year
    (2022-23 in the 2024-25 report): the partner may have a newer figure. The earlier
    points of a trend (whose series reaches the report year) are history, not stale."""
    last = previous_year(year)
    yearly = figures[figures["period"].astype(str).str.fullmatch(r"\d{4}-\d{2}")]
    issues = []
    for indicator, rows in yearly.groupby("indicator", sort=False):
        latest = max(rows["period"].astype(str))
        if latest < last:
            shown = rows[rows["period"] == latest]
            issues.append(Issue("Stale periods",
                                f"{indicator} (section {shown['section'].iloc[0]}) is quoted for "
                                f"{latest} at the latest, in the {year} report", "figures.csv",
                                tuple(_row(i) for i in shown.index)))
    return issues


def two_value_issues(figures: pd.DataFrame) -> list[Issue]:
    """The same indicator and period shown with two different displays."""
    issues = []
    for (indicator, period), rows in figures.groupby(["indicator", "period"], sort=True):
        shown = list(dict.fromkeys(rows["display"].astype(str)))
        if len(shown) > 1:
            issues.append(Issue("Figures quoted with two values",
                                f"{indicator} for {period} is shown as {' and '.join(shown)}",
                                "figures.csv", tuple(_row(i) for i in rows.index)))
    return issues


# --------------------------------------------------------------------------- the page
Check = Callable[[], list[Issue]]


def find_issues(year: str, data_dir: Path, figures_csv: Path | None,
                renumbered: Sequence[Renumbered] | None = None) -> tuple[list[Issue], list[str]]:
    """Every issue of the year, and the checks that could not run (with why).

    ``renumbered``: the renumbering the chapter modules declare, when the caller has it
    (the build keeps it between builds); by default it is read from the modules."""
    data = ReportData(year, data_dir)
    figures = (pd.read_csv(figures_csv, dtype=str, keep_default_na=False)
               if figures_csv is not None and figures_csv.is_file() else None)
    checks: dict[str, Check] = {
        "finance shares": lambda: share_issues(data.current("finance")),
        "stale periods": lambda: [] if figures is None else stale_period_issues(figures, year),
        "membership repeats": lambda: repeat_issues(data.current("membership")),
        "section numbers": lambda: renumbering_issues(
            renumbered_sections() if renumbered is None else renumbered),
        "finance totals": lambda: reconcile_issues(data.current("finance")),
        "repeated text": lambda: repeated_text_issues(data.current("narrative")),
        "two values": lambda: [] if figures is None else two_value_issues(figures),
    }
    issues, skipped = [], []
    for name, check in checks.items():
        try:
            issues.extend(check())
        except (LookupError, FileNotFoundError, ValueError) as exc:
            skipped.append(f"{name}: {type(exc).__name__}: {exc}")
    return issues, skipped


#: The page's columns: what kind of problem, what is wrong, and where to look.
COLUMNS = ("Kind", "Issue", "File", "Rows")


def render_page(year: str, issues: Sequence[Issue], skipped: Sequence[str] = (),
                meta: dict | None = None, partnership_name: str | None = None) -> str:
    """The page as HTML in the report's page skeleton: one table of issues (kind, what, file,
    rows), in a box that scrolls sideways on a phone; the demo banner when ``meta`` says
    the data are synthetic."""
    esc = html.escape
    name = partnership_name or partnership().name
    if issues:
        frame = pd.DataFrame([(i.kind, i.text, i.file, "; ".join(i.rows)) for i in issues],
                             columns=list(COLUMNS))
        body = html_table(frame, f"Data-quality issues found in the {year} data")
    else:
        body = "<p>No issues found.</p>"
    not_run = ("<h2>Checks that could not run</h2><ul>"
               + "".join(f"<li>{esc(s)}</li>" for s in skipped) + "</ul>") if skipped else ""
    intro = nowrap_years(
        f"<p>Problems the build found in the {esc(year)} data that a person should check. "
        "Each names the input file and the rows behind it; fixing the data removes it from "
        "this page at the next build.</p>")
    context = PageContext(partnership=name, year=year, chapter_title="Data quality")
    return standalone_page(
        page_title("Data quality", name, year), name,
        f'Annual report <span class="yr">{esc(year)}</span>',
        f"<h1>Data quality</h1>\n{banner_html(meta or {})}{intro}{body}{not_run}",
        head=running_head_css(context) + "\n", crumbs=crumbs_html(context) + "\n")


def write_page(target_dir: Path, year: str, data_dir: Path, meta: dict | None = None,
               renumbered: Sequence[Renumbered] | None = None) -> Path:
    """Write ``data-quality.html`` into ``target_dir`` from the data and its figures.csv;
    ``meta`` is the dataset's ``dataset.json`` (read from ``data_dir`` when not given),
    ``renumbered`` as for :func:`find_issues`."""
    issues, skipped = find_issues(year, data_dir, target_dir / "figures.csv", renumbered)
    path = Path(target_dir) / PAGE
    if meta is None:
        meta = ReportData(year, data_dir).meta
    path.write_text(render_page(year, issues, skipped, meta), encoding="utf-8")
    return path
