"""Real-browser check of the built report pages (headless Chromium, tests/browser/check.mjs).

Builds the demo report for two years into a temporary folder (or reuses the reports
folder named by LSCP_BROWSER_REPORT_DIR): 2024-25, the reference year, and 2020-21, the
first demo year, which has no history (one-point trends, no change on last year), so
its pages take the other branches of the chapter code. Every page built (each year's
pages, its subgroup bundles, and the all-years index) is opened in Chromium, one check
run per year folder side by side, and each requirement for each page is its own test
case (page x check):

    network               no request leaves the page: only file: and data: URLs
    console               no console error and no uncaught page error
    viewport_meta         <meta name="viewport" content="width=device-width ...">; without it a
                          phone lays the page out 980 px wide whatever its CSS says
    no_horizontal_scroll  documentElement.scrollWidth <= innerWidth at 1280x800 and 400x800
    axe                   no axe-core violation tagged wcag2a, wcag2aa, wcag21a or wcag21aa
    pdf_a4                Chromium's print (preferCSSPageSize) gives A4 pages, 595 x 842 pt +-2
    check_ran             every step of the check itself ran (load, axe, screenshots, pdf)

Page weight needs no browser (``test_page_weight``): a page is emailed and opened on a
phone, so it stays under MAX_PAGE_BYTES; the one-file report and the subgroup bundles,
which are chapters put together, are no heavier than those chapters' pages and a
contents list.

Screenshots at both widths and the PDFs are written to <year folder>/_check/, named in
each failure message. Needs /usr/bin/chromium (or CHROMIUM_PATH) and tests/browser/node_modules;
``.ci/install-browser`` installs both (and pdfinfo, used to read the PDF page sizes).
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from helpers.build.outputs import SUBGROUP_DIR, subgroups

# Cases that fail today, each with why. Strict xfail: when a fix makes one pass, the test
# run fails until its entry is removed here. Keys are (page path in reports/, check name).
KNOWN_FAILURES: dict[tuple[str, str], str] = {}

#: The reference year, and the first demo year (no earlier year: no trends, no changes).
YEARS = ("2024-25", "2020-21")
ROOT = Path(__file__).resolve().parents[1]
BROWSER_DIR = ROOT / "tests" / "browser"
CHECK_SCRIPT = BROWSER_DIR / "check.mjs"
NOTEBOOKS = ROOT / "notebooks"
CHROMIUM = Path(os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))
REUSE_ENV = "LSCP_BROWSER_REPORT_DIR"
INSTALL_HINT = "run .ci/install-browser to install it"
#: Build and check, each: under load on a shared two-core machine both take minutes.
TIMEOUT_S = 1200

A4_PT = (595.28, 841.89)
A4_TOLERANCE_PT = 2.0
WIDTHS = ("1280", "400")
#: Heaviest a page may be: it is emailed round and opened on phones.
MAX_PAGE_BYTES = 400_000
#: What a page of chapters put together may add to them: its contents list and a note.
COMPILATION_ALLOWANCE_BYTES = 16_000

CHAPTERS = {int(nb.name[:2]): f"{nb.stem}.html"
            for nb in sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))}
ONE_FILE = "annual-report.html"
#: Pages made of chapter pages put together, and the chapters each draws on (a bundle's
#: single sections are cut from their chapter's page, so that page bounds them).
COMPILATIONS: dict[str, tuple[int, ...]] = {
    ONE_FILE: tuple(CHAPTERS),
    **{f"{SUBGROUP_DIR}/{group.slug}.html": tuple(dict.fromkeys(
        (*group.chapters, *(int(section.split(".")[0]) for section in group.sections))))
       for group in subgroups()},
}
# The pages a built year has: the index, one page per chapter notebook, the data dictionary,
# the summary, the whole report in one file, the data-quality page and the subgroup bundles.
YEAR_PAGES = [
    "index.html",
    *CHAPTERS.values(),
    "data-dictionary.html",
    "summary.html",
    "data-quality.html",
    *COMPILATIONS,
]
#: Every page of the build, by its path in reports/: the all-years index, then each year's.
PAGES = ["index.html", *(f"{year}/{page}" for year in YEARS for page in YEAR_PAGES)]


# --------------------------------------------------------------------------- running the check


def _missing_tools() -> str | None:
    """Why the browser check cannot run here, or None."""
    if not (CHROMIUM.is_file() and os.access(CHROMIUM, os.X_OK)):
        return f"Chromium not found at {CHROMIUM}; {INSTALL_HINT} (apt package chromium)"
    if shutil.which("node") is None:
        return "node not found on PATH; install Node.js 18+ then run .ci/install-browser"
    if not (BROWSER_DIR / "node_modules" / "puppeteer-core").is_dir():
        return f"{BROWSER_DIR.relative_to(ROOT)}/node_modules missing; {INSTALL_HINT} (npm ci)"
    return None


def _tail(text: str, lines: int = 40) -> str:
    return "\n".join(text.splitlines()[-lines:])


def _build_reports(out: Path) -> Path:
    """Build YEARS from the bundled raw data into ``out``; returns the reports folder."""
    spec = importlib.util.find_spec("helpers")
    assert spec is not None and spec.origin is not None, "helpers package not importable"
    src = str(Path(spec.origin).resolve().parents[1])
    env = dict(os.environ)
    # Absolute: the chapter kernels run in notebooks/, where a relative PYTHONPATH such as
    # "src" would point nowhere and they would import some other installed helpers.
    env["PYTHONPATH"] = os.pathsep.join([src, *filter(None, [env.get("PYTHONPATH")])])
    command = [
        sys.executable, "-m", "helpers.build",
        "--year", ",".join(YEARS),  # one build: one kernel pool, each year processed once
        "--workers", "2",
        "--processed-dir", str(out / "processed"),
        "--reports-dir", str(out / "reports"),
    ]
    proc = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=TIMEOUT_S)
    if proc.returncode != 0:
        pytest.fail(
            f"report build failed (exit {proc.returncode}): {' '.join(command)}\n"
            f"{_tail(proc.stdout)}\n{_tail(proc.stderr)}",
            pytrace=False,
        )
    return out / "reports"


def _pdf_sizes(pdf: Path, pages: int) -> list[tuple[float, float]] | None:
    """Each page's size in pt as pdfinfo reads it; None without pdfinfo."""
    if shutil.which("pdfinfo") is None:
        return None
    proc = subprocess.run(
        ["pdfinfo", "-f", "1", "-l", str(max(pages, 1)), str(pdf)],
        capture_output=True, text=True, timeout=60, check=True,
    )
    return [
        (float(w), float(h))
        for w, h in re.findall(r"^Page\s+\d+\s+size:\s+([\d.]+)\s+x\s+([\d.]+)\s+pts", proc.stdout, re.M)
    ]


@pytest.fixture(scope="module")
def reports_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The reports folder holding YEARS, built once for this module (or reused)."""
    reuse = os.environ.get(REUSE_ENV)
    if reuse:
        return Path(reuse).resolve()
    return _build_reports(tmp_path_factory.mktemp("build"))


def _run_checks(reports: Path, work: Path) -> list[dict[str, Any]]:
    """check.mjs on each year folder and on the reports folder (the all-years index),
    side by side; each result's ``page`` becomes its path in ``reports``."""
    runs = [(f"{year}/", reports / year) for year in YEARS]
    runs.append(("", reports))  # its year folders are left to their own runs
    env = {**os.environ, "CHROMIUM_PATH": str(CHROMIUM)}
    started = []
    results = []
    try:
        for n, (prefix, folder) in enumerate(runs):
            out, log = work / f"report-{n}.json", (work / f"check-{n}.log").open("w")
            command = ["node", str(CHECK_SCRIPT), str(folder), "--out", str(out),
                       "--check-dir", str(folder / "_check")]
            started.append((prefix, out, log, subprocess.Popen(
                command, cwd=BROWSER_DIR, env=env, stdout=subprocess.DEVNULL, stderr=log)))
        for prefix, out, log, proc in started:
            code = proc.wait(timeout=TIMEOUT_S)
            if code != 0 or not out.is_file():
                stderr = Path(log.name).read_text(encoding="utf-8")
                pytest.fail(f"check.mjs {proc.args[2]} failed (exit {code}):\n{_tail(stderr)}",
                            pytrace=False)
            for result in json.loads(out.read_text(encoding="utf-8"))["results"]:
                result["page"] = prefix + result["page"]
                results.append(result)
    finally:
        for _, _, log, proc in started:
            if proc.poll() is None:  # a run failed or timed out: stop the others (and Chromium)
                proc.terminate()
                try:
                    proc.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    proc.kill()
                    proc.wait()
            log.close()
    return results


@pytest.fixture(scope="module")
def browser_report(reports_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The checks' results, as ``pages`` keyed by the page's path in the reports folder."""
    reason = _missing_tools()
    if reason:
        pytest.skip(reason)
    results = _run_checks(reports_dir, tmp_path_factory.mktemp("browser"))
    for result in results:
        pdf = result.get("pdf")
        result["pdfinfo_sizes"] = _pdf_sizes(Path(pdf["path"]), pdf["pages"]) if pdf else None
    return {"reports_dir": str(reports_dir), "pages": {r["page"]: r for r in results}}


# --------------------------------------------------------------------------- the checks
# Each returns the problems it finds on one page's result; none means the check passes.


def _step_errors(result: dict[str, Any], *steps: str) -> list[str]:
    return [f"{step} step failed: {msg}" for step, msg in result["errors"].items()
            if step == "load" or step.split("-")[0] in steps]


def check_network(result: dict[str, Any]) -> list[str]:
    return _step_errors(result) + [
        f"{r['type']} request to {r['url']} (from {r['frame']})" for r in result["requests"]
    ]


def check_console(result: dict[str, Any]) -> list[str]:
    problems = _step_errors(result)
    problems += [
        f"console error: {c['text']} ({c['url']}:{c['line']})" for c in result["console_errors"]
    ]
    problems += [f"page error: {e['message']}" for e in result["page_errors"]]
    return problems


def check_viewport_meta(result: dict[str, Any]) -> list[str]:
    content = result["viewport_meta"]
    if content is None:
        return [*_step_errors(result), "no <meta name=\"viewport\">"]
    if "width=device-width" not in content.replace(" ", ""):
        return [f"viewport meta {content!r} lacks width=device-width"]
    return []


def check_no_horizontal_scroll(result: dict[str, Any]) -> list[str]:
    problems = _step_errors(result, "width")
    for width in WIDTHS:
        measured = result["widths"].get(width)
        if measured is None:
            problems.append(f"{width} px: not measured")
        elif measured["scrollWidth"] > measured["innerWidth"]:
            sticking_out = ", ".join(
                f"{o['element']}" + (f" after {o['near']!r}" if o["near"] else "") + f" to {o['right']} px"
                for o in measured["overflowing"][:5]
            )
            problems.append(
                f"{width} px: scrollWidth {measured['scrollWidth']} > innerWidth "
                f"{measured['innerWidth']}; {measured['overflowing_count']} element(s) stick out, "
                f"widest: {sticking_out or 'unknown'}"
            )
    return problems


def check_axe(result: dict[str, Any]) -> list[str]:
    if result["axe"] is None:
        return _step_errors(result, "axe") or ["axe did not run"]
    return [
        f"{v['id']} ({v['impact']}, {v['count']} node(s), e.g. {v['targets'][0] if v['targets'] else '?'}): "
        f"{v['help']} {v['helpUrl']}"
        for v in result["axe"]["violations"]
    ]


def check_pdf_a4(result: dict[str, Any]) -> list[str]:
    pdf = result["pdf"]
    if pdf is None:
        return _step_errors(result, "pdf") or ["no PDF"]
    sizes = result["pdfinfo_sizes"]
    source = "pdfinfo"
    if sizes is None:  # no poppler: the MediaBox sizes check.mjs read
        sizes, source = [tuple(s) for s in pdf["page_sizes_pt"]], "MediaBox"
    if not sizes:
        return [f"no page sizes found in {pdf['path']}"]
    wrong = sorted({
        (w, h) for w, h in sizes
        if abs(w - A4_PT[0]) > A4_TOLERANCE_PT or abs(h - A4_PT[1]) > A4_TOLERANCE_PT
    })
    if wrong:
        shown = ", ".join(f"{w:g} x {h:g}" for w, h in wrong)
        return [f"{len(sizes)}-page PDF has pages of {shown} pt ({source}), not A4 595 x 842: {pdf['path']}"]
    return []


def check_ran(result: dict[str, Any]) -> list[str]:
    return [f"{step} step failed: {msg}" for step, msg in result["errors"].items()]


CHECKS: dict[str, Callable[[dict[str, Any]], list[str]]] = {
    "network": check_network,
    "console": check_console,
    "viewport_meta": check_viewport_meta,
    "no_horizontal_scroll": check_no_horizontal_scroll,
    "axe": check_axe,
    "pdf_a4": check_pdf_a4,
    "check_ran": check_ran,
}


def _outputs(result: dict[str, Any]) -> list[str]:
    """The screenshots and PDF the check wrote for a page."""
    shots = [shot["path"] for shot in (result.get("screenshots") or {}).values() if shot]
    return shots + ([result["pdf"]["path"]] if result.get("pdf") else [])


def _cases() -> list[Any]:
    cases = []
    for page in PAGES:
        for check in CHECKS:
            reason = KNOWN_FAILURES.get((page, check))
            marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
            cases.append(pytest.param(page, check, marks=marks, id=f"{page}-{check}"))
    return cases


# --------------------------------------------------------------------------- tests


@pytest.mark.e2e
@pytest.mark.parametrize(("page", "check"), _cases())
def test_page(browser_report: dict[str, Any], page: str, check: str) -> None:
    result = browser_report["pages"].get(page)
    assert result is not None, f"{page} was not built into {browser_report['reports_dir']}"
    problems = CHECKS[check](result)
    if problems:
        pytest.fail(
            f"{page} fails {check} (screenshots and PDF: {', '.join(_outputs(result))}):\n  "
            + "\n  ".join(problems),
            pytrace=False,
        )


@pytest.mark.e2e
@pytest.mark.parametrize("page", PAGES)
def test_page_weight(reports_dir: Path, page: str) -> None:
    """Under MAX_PAGE_BYTES; a page of chapters put together, no heavier than they are
    (bar its contents list): it must not carry anything twice."""
    path = reports_dir / page
    assert path.is_file(), f"{page} was not built into {reports_dir}"
    size = path.stat().st_size
    year, _, name = page.partition("/")
    if name in COMPILATIONS:
        chapters = [reports_dir / year / CHAPTERS[n] for n in COMPILATIONS[name] if n in CHAPTERS]
        limit = sum(p.stat().st_size for p in chapters if p.is_file())
        assert size <= limit + COMPILATION_ALLOWANCE_BYTES, (
            f"{page} is {size:,} bytes, more than its {len(chapters)} chapter page(s) together "
            f"({limit:,} bytes) and a contents list")
    else:
        assert size < MAX_PAGE_BYTES, (f"{page} is {size:,} bytes; a page must stay under "
                                       f"{MAX_PAGE_BYTES:,} (charts and tables are its weight)")


@pytest.mark.e2e
def test_every_built_page_is_checked(browser_report: dict[str, Any]) -> None:
    """A page the build adds must be added to PAGES, or it would go unchecked."""
    assert sorted(browser_report["pages"]) == sorted(PAGES)


def test_known_failures_name_real_cases() -> None:
    """A typo in KNOWN_FAILURES would silently expect nothing."""
    unknown = [key for key in KNOWN_FAILURES if key[0] not in PAGES or key[1] not in CHECKS]
    assert not unknown, f"KNOWN_FAILURES entries that match no test case: {unknown}"
