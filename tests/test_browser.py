"""Real-browser check of the built report pages (headless Chromium, tests/browser/check.mjs).

Builds the demo report for one year into a temporary folder (or reuses the year folder
named by LSCP_BROWSER_REPORT_DIR), opens every page once in one Chromium, and turns each
requirement for each page into its own test case (page x check):

    network               no request leaves the page: only file: and data: URLs
    console               no console error and no uncaught page error
    viewport_meta         <meta name="viewport" content="width=device-width ...">; without it a
                          phone lays the page out 980 px wide whatever its CSS says
    no_horizontal_scroll  documentElement.scrollWidth <= innerWidth at 1280x800 and 400x800
    axe                   no axe-core violation tagged wcag2a, wcag2aa, wcag21a or wcag21aa
    pdf_a4                Chromium's print (preferCSSPageSize) gives A4 pages, 595 x 842 pt +-2
    check_ran             every step of the check itself ran (load, axe, screenshots, pdf)

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

# Cases that fail today, each with why. Strict xfail: when a fix makes one pass, the test
# run fails until its entry is removed here. Keys are (page file name, check name).
KNOWN_FAILURES: dict[tuple[str, str], str] = {}

YEAR = "2024-25"
ROOT = Path(__file__).resolve().parents[1]
BROWSER_DIR = ROOT / "tests" / "browser"
CHECK_SCRIPT = BROWSER_DIR / "check.mjs"
NOTEBOOKS = ROOT / "notebooks"
CHROMIUM = Path(os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))
REUSE_ENV = "LSCP_BROWSER_REPORT_DIR"
INSTALL_HINT = "run .ci/install-browser to install it"

A4_PT = (595.28, 841.89)
A4_TOLERANCE_PT = 2.0
WIDTHS = ("1280", "400")

# The pages a built year has: the index, one page per chapter notebook, the data dictionary,
# the summary and the whole report in one file.
PAGES = [
    "index.html",
    *(f"{nb.stem}.html" for nb in sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))),
    "data-dictionary.html",
    "summary.html",
    "annual-report.html",
    "data-quality.html",
]


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


def _build_report(out: Path) -> Path:
    """Build YEAR from the bundled raw data into ``out``; returns the year folder."""
    spec = importlib.util.find_spec("helpers")
    assert spec is not None and spec.origin is not None, "helpers package not importable"
    src = str(Path(spec.origin).resolve().parents[1])
    env = dict(os.environ)
    # Absolute: the chapter kernels run in notebooks/, where a relative PYTHONPATH such as
    # "src" would point nowhere and they would import some other installed helpers.
    env["PYTHONPATH"] = os.pathsep.join([src, *filter(None, [env.get("PYTHONPATH")])])
    command = [
        sys.executable, "-m", "helpers.build",
        "--year", YEAR,
        "--workers", "2",
        "--processed-dir", str(out / "processed"),
        "--reports-dir", str(out / "reports"),
    ]
    proc = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
    if proc.returncode != 0:
        pytest.fail(
            f"report build failed (exit {proc.returncode}): {' '.join(command)}\n"
            f"{_tail(proc.stdout)}\n{_tail(proc.stderr)}",
            pytrace=False,
        )
    return out / "reports" / YEAR


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
def browser_report(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The check's JSON report, with ``pages`` keyed by file name."""
    reason = _missing_tools()
    if reason:
        pytest.skip(reason)
    reuse = os.environ.get(REUSE_ENV)
    work = tmp_path_factory.mktemp("browser")
    year_dir = Path(reuse).resolve() if reuse else _build_report(work)
    out = work / "report.json"
    proc = subprocess.run(
        ["node", str(CHECK_SCRIPT), str(year_dir), "--out", str(out),
         "--check-dir", str(year_dir / "_check")],
        cwd=BROWSER_DIR, capture_output=True, text=True, timeout=300,
        env={**os.environ, "CHROMIUM_PATH": str(CHROMIUM)},
    )
    if proc.returncode != 0 or not out.is_file():
        pytest.fail(f"check.mjs failed (exit {proc.returncode}):\n{_tail(proc.stderr)}", pytrace=False)
    report = json.loads(out.read_text(encoding="utf-8"))
    report["pages"] = {result["page"]: result for result in report["results"]}
    for result in report["results"]:
        pdf = result.get("pdf")
        result["pdfinfo_sizes"] = _pdf_sizes(Path(pdf["path"]), pdf["pages"]) if pdf else None
    return report


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
    assert result is not None, f"{page} was not built into {browser_report['pages_dir']}"
    problems = CHECKS[check](result)
    if problems:
        pytest.fail(
            f"{page} fails {check} (screenshots and PDF in {browser_report['check_dir']}):\n  "
            + "\n  ".join(problems),
            pytrace=False,
        )


@pytest.mark.e2e
def test_every_built_page_is_checked(browser_report: dict[str, Any]) -> None:
    """A page the build adds must be added to PAGES, or it would go unchecked."""
    assert sorted(browser_report["pages"]) == sorted(PAGES)


def test_known_failures_name_real_cases() -> None:
    """A typo in KNOWN_FAILURES would silently expect nothing."""
    unknown = [key for key in KNOWN_FAILURES if key[0] not in PAGES or key[1] not in CHECKS]
    assert not unknown, f"KNOWN_FAILURES entries that match no test case: {unknown}"
