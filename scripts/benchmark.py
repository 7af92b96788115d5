"""Benchmark the build against the naive notebook loop and the performance goals.

Speed is measured here, never in a timed test. Everything runs in a temporary folder
(processed data, notebooks, reports), so the repository is untouched. Measured side by
side in one run:

* the naive loop: ``papermill`` CLI then ``jupyter nbconvert --to html`` CLI per
  notebook, one at a time and two at a time;
* the pack: ``python -m helpers.build --force`` for one year with processed data present,
  a rebuild where nothing changed, a rebuild after one notebook changed (against that
  chapter's own run: a kernel, papermill and its page, timed inside one process), a
  five-year batch against one year, and the HTML export per chapter. These make the
  chapter pages, like the naive loop, with the whole-report PDFs off (``LSCP_PDF=0``);
  ``--force`` and one notebook changed are also timed with the PDFs. The five-year batch
  is held against one year as the performance issue measured them, cold (from the raw
  files, nothing processed or built yet; the two taken in turn, ``--repeat`` times each),
  and also shown with both ``--force``;
* with ``--scale N``: validation + processing of a generated year of N contacts.

* with ``--compare-all``: the "How we compare" page for every LA in DfE's files.

"A full year" is the report's own chapter notebooks (``notebooks/NN_*.ipynb``, all 14 by
default, or the first ``--chapters``), copied into a temp folder so that "one chapter
changed" can edit one without touching the repository.

Usage: python scripts/benchmark.py [--year 2024-25] [--chapters 14] [--repeat 3]
                                   [--scale 1000000] [--skip-naive] [--compare-all]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "src"
BIN = Path(sys.executable).parent
NOTEBOOKS = ROOT / "notebooks"
GOALS = {  # what each measurement is held against (the performance issue)
    "force_vs_naive": 0.15,
    "no_change_s": 1.0,
    "one_changed_extra_s": 1.0,
    "five_vs_one": 2.2,
    "scaled_s": 15.0,
    "scaled_gb": 1.0,
    "html_s": 0.3,
    "compare_all_s": 180.0,
}


#: The pack's runs are compared with the naive loop on the same work, chapter pages: the
#: whole-report PDFs (which the naive loop does not make) are off, and measured on their own.
PDF_OFF = {"LSCP_PDF": "0"}


def env(extra: dict[str, str] | None = None) -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(SRC), **(extra or {})}


def timed(fn: Callable[[], object]) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def run(cmd: list[str], check: bool = True,
        extra: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(cmd, check=check, capture_output=True, text=True, env=env(extra))


def median(fn: Callable[[], object], repeat: int) -> float:
    return statistics.median(timed(fn) for _ in range(repeat))


def interleaved_medians(first: Callable[[], object], second: Callable[[], object],
                        repeat: int) -> tuple[float, float]:
    """Medians of ``first`` and ``second`` run in turn, ``repeat`` times each.

    For two long runs held against each other (the cold five-year batch against one
    year): on a shared machine whose speed drifts over minutes, runs taken in turn are
    slowed alike, where one run of each, minutes apart, gave ratios 15% apart.
    """
    times: tuple[list[float], list[float]] = ([], [])
    for _ in range(repeat):
        times[0].append(timed(first))
        times[1].append(timed(second))
    return statistics.median(times[0]), statistics.median(times[1])


# --------------------------------------------------------------------------- set-up


def make_notebooks(folder: Path, count: int) -> list[Path]:
    """The first ``count`` chapter notebooks of the report, copied into ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for source in sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))[:count]:
        path = folder / source.name
        shutil.copy(source, path)
        paths.append(path)
    return paths


def compare_all(year: str, reports: Path) -> float:
    """``--compare --la all``: every LA's page from DfE's files, with the default workers."""
    return timed(lambda: run([sys.executable, "-m", "helpers.build", "--compare", "--la", "all",
                              "--year", year, "--reports-dir", str(reports)]))


def process_all(raw: Path, processed: Path) -> None:
    run([sys.executable, "-c",
         "import sys; from helpers.config import available_years; "
         "from helpers.data.processing import process_year\n"
         f"for y in available_years(__import__('pathlib').Path({str(raw)!r})):\n"
         f"    process_year(y, {str(raw)!r}, {str(processed)!r})"])


def build_cmd(year: str, notebooks: Path, processed: Path, reports: Path,
              *extra: str) -> list[str]:
    return [sys.executable, "-m", "helpers.build", "--year", year, "--notebooks-dir",
            str(notebooks), "--processed-dir", str(processed), "--reports-dir", str(reports),
            *extra]


def cold_build(year: str, notebooks: Path, folder: Path) -> None:
    """A build from the raw files alone: no processed data, no report, no caches (the
    build's module-imports cache too, as on a machine that never built the report)."""
    shutil.rmtree(folder, ignore_errors=True)
    run(build_cmd(year, notebooks, folder / "processed", folder / "reports"),
        extra={**PDF_OFF, "LSCP_CACHE_DIR": str(folder / "cache")})


# --------------------------------------------------------------------------- naive loop


def naive_one(notebook: Path, out_dir: Path, year: str, processed: Path) -> None:
    executed = out_dir / notebook.name
    run([str(BIN / "papermill"), str(notebook), str(executed), "-r", "year", year,
         "-r", "data_dir", str(processed), "-r", "output_dir", str(out_dir),
         "--cwd", str(notebook.parent), "-k", "python3", "--no-progress-bar"])
    run([str(BIN / "jupyter"), "nbconvert", "--to", "html", str(executed)])


def naive_loop(notebooks: list[Path], out_dir: Path, year: str, processed: Path,
               parallel: int) -> float:
    shutil.rmtree(out_dir, ignore_errors=True)
    out_dir.mkdir(parents=True)
    start = time.perf_counter()
    with ThreadPoolExecutor(parallel) as pool:
        list(pool.map(lambda nb: naive_one(nb, out_dir, year, processed), notebooks))
    return time.perf_counter() - start


# --------------------------------------------------------------------------- one chapter


def own_run(notebook: Path, year: str, processed: Path, out_dir: Path, repeat: int) -> float:
    """One chapter's own run: start a kernel, execute the notebook with papermill, export
    its page, timed inside one Python process (its start and imports not counted). What a
    rebuild of that one chapter cannot do without; the rest is the build's overhead."""
    out_dir.mkdir(parents=True, exist_ok=True)
    code = f"""
import statistics, time
import papermill
from helpers.build import kernel_pool
kernel_pool.warm_exporter()
from helpers.report.html_export import export_html
times = []
for _ in range({repeat}):
    start = time.perf_counter()
    nb = papermill.execute_notebook({str(notebook)!r}, {str(out_dir / notebook.name)!r},
        parameters=dict(year={year!r}, data_dir={str(processed)!r}, output_dir={str(out_dir)!r}),
        kernel_name="python3", cwd={str(notebook.parent)!r}, progress_bar=False)
    export_html(nb, "Chapter")
    times.append(time.perf_counter() - start)
print(statistics.median(times))
"""
    return float(run([sys.executable, "-c", code]).stdout.split()[-1])


# --------------------------------------------------------------------------- HTML


def html_per_chapter(executed: list[Path], repeat: int) -> dict[str, float]:
    """Export time per chapter with a warm exporter, as a build worker has it.

    Each chapter is exported ``repeat`` times; its median is its time. Returned: the
    median over chapters and the slowest chapter (the goal holds for every chapter).
    """
    code = f"""
import json, statistics, time
from helpers.build import kernel_pool
kernel_pool.warm_exporter()
import nbformat
from helpers.report.html_export import export_html
per_chapter = []
for path in {[str(p) for p in executed]!r}:
    nb = nbformat.read(path, as_version=4)
    times = []
    for _ in range({repeat}):
        start = time.perf_counter(); export_html(nb, "Chapter"); times.append(time.perf_counter() - start)
    per_chapter.append(statistics.median(times))
print(json.dumps([statistics.median(per_chapter), max(per_chapter)]))
"""
    middle, slowest = json.loads(run([sys.executable, "-c", code]).stdout.splitlines()[-1])
    return {"median": middle, "slowest": slowest}


# --------------------------------------------------------------------------- scaled year


def scaled_processing(raw: Path, year: str, contacts: int, tmp: Path) -> dict[str, float]:
    # The demo generator's scaled year (helpers.demo.scaled): the front door grown to exactly
    # ``contacts`` contacts with fresh ids, in a temporary folder, never under data/raw.
    from helpers.demo.scaled import write_scaled_year

    scaled_raw = tmp / "scaled-raw"
    write_scaled_year(scaled_raw, contacts, year, raw)
    made = contacts
    code = f"""
import resource, time
from helpers.data.processing import process_year
start = time.perf_counter()
process_year({year!r}, {str(scaled_raw)!r}, {str(tmp / 'scaled-processed')!r})
print(time.perf_counter() - start, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""
    seconds, rss_kb = run([sys.executable, "-c", code]).stdout.split()[-2:]
    return {"contacts": made, "seconds": float(seconds), "peak_gb": int(rss_kb) / 1024**2}


# --------------------------------------------------------------------------- main


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--year", default="2024-25")
    parser.add_argument("--chapters", type=int, default=14)
    parser.add_argument("--repeat", type=int, default=3, help="runs per fast measurement")
    parser.add_argument("--scale", type=int, default=0, help="contacts in a generated year")
    parser.add_argument("--skip-naive", action="store_true")
    parser.add_argument("--compare-all", action="store_true",
                        help="also time --compare --la all (needs DfE's files)")
    parser.add_argument("--out", type=Path, default=ROOT / "reports" / "benchmark.json")
    parser.add_argument("--markdown", type=Path, metavar="JSON",
                        help="only print the table of an earlier run's JSON as Markdown")
    args = parser.parse_args(argv)
    if args.markdown:
        print(markdown_table(json.loads(args.markdown.read_text())["results"]))
        return 0

    results: dict[str, object] = {"chapters": args.chapters, "year": args.year,
                                  "notebooks": f"the report's first {args.chapters} chapters",
                                  "cpus": os.cpu_count(), "load": os.getloadavg()[0]}
    with tempfile.TemporaryDirectory(prefix="lscp-bench-") as tmp_name:
        tmp = Path(tmp_name)
        raw, processed = ROOT / "data" / "raw", tmp / "processed"
        process_all(raw, processed)
        notebooks = make_notebooks(tmp / "notebooks", args.chapters)
        results["chapters"] = len(notebooks)
        reports = tmp / "reports"

        if not args.skip_naive:
            results["naive_sequential_s"] = naive_loop(notebooks, tmp / "naive", args.year,
                                                       processed, 1)
            results["naive_two_at_a_time_s"] = naive_loop(notebooks, tmp / "naive2",
                                                          args.year, processed, 2)
        force = build_cmd(args.year, tmp / "notebooks", processed, reports, "--force")
        run(build_cmd(args.year, tmp / "notebooks", processed, reports),
            extra=PDF_OFF)  # calibration once, and each chapter's time for the order
        results["force_s"] = median(lambda: run(force, extra=PDF_OFF), args.repeat)
        results["force_with_pdf_s"] = median(lambda: run(force), 1)
        results["no_change_s"] = median(
            lambda: run(build_cmd(args.year, tmp / "notebooks", processed, reports)), args.repeat)

        def one_changed(extra: dict[str, str] | None) -> Callable[[], None]:
            def change() -> None:
                with notebooks[0].open("a") as fh:
                    fh.write(" ")  # a content change (a touch alone changes no fingerprint)
                run(build_cmd(args.year, tmp / "notebooks", processed, reports), extra=extra)
            return change

        results["one_changed_s"] = median(one_changed(PDF_OFF), args.repeat)
        results["one_changed_with_pdf_s"] = median(one_changed(None), 1)
        results["one_changed_name"] = notebooks[0].stem
        results["own_run_s"] = own_run(notebooks[0], args.year, processed, tmp / "own",
                                       args.repeat)
        # Five years against one, every chapter, as the issue measured them: cold, from
        # the raw files with no processed data and no report (the shared work of a batch,
        # processing the trend years, kernels, imports, tables read and figures computed,
        # is done once). Also both --force with processed data present, where only the
        # kernels, imports and figures are shared and each year's own charts are not.
        halves = max(1, args.repeat // 2)
        results["one_year_cold_s"], results["five_years_cold_s"] = interleaved_medians(
            lambda: cold_build(args.year, tmp / "notebooks", tmp / "cold"),
            lambda: cold_build("all", tmp / "notebooks", tmp / "cold"), args.repeat)
        five_years = build_cmd("all", tmp / "notebooks", processed, reports, "--force")
        results["one_year_s"] = results["force_s"]
        results["five_years_s"] = median(lambda: run(five_years, extra=PDF_OFF), halves)
        executed = [reports / args.year / "notebooks" / f"{nb.stem}.ipynb" for nb in notebooks]
        results["html_per_chapter_s"] = html_per_chapter(executed, max(5, args.repeat))
        if args.scale:
            results["scaled"] = scaled_processing(raw, args.year, args.scale, tmp)
        if args.compare_all:
            results["compare_all_s"] = compare_all(args.year, tmp / "compare")

    print_table(results)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps({"results": results, "goals": GOALS}, indent=2) + "\n")
    print(f"\nwritten to {args.out}")
    return 0


def verdict(ok: bool) -> str:
    return "yes" if ok else "no"


def print_table(r: dict) -> None:
    print(f"\n{r['notebooks']}, year {r['year']}, "
          f"{r['cpus']} cores, load {r['load']:.1f} at start; medians\n")
    rows = table_rows(r)
    width = max(len(row[0]) for row in rows)
    print(f"{'measurement':<{width}}  {'time':>14}  {'ratio':>26}  {'goal':<30}  met")
    for name, value, ratio, goal_text, met in rows:
        print(f"{name:<{width}}  {value:>14}  {ratio:>26}  {goal_text:<30}  {met}")


def markdown_table(r: dict) -> str:
    """The table as Markdown, for the README (``--markdown FILE`` reads a benchmark.json)."""
    lines = ["| measurement | time | ratio | goal | met |", "|---|---|---|---|---|"]
    lines += [f"| {' | '.join(c.strip() for c in row)} |" for row in table_rows(r)]
    return "\n".join(lines)


def table_rows(r: dict) -> list[tuple[str, str, str, str, str]]:
    """One row per measurement: name, time, ratio, goal, whether it is met."""
    n = r["chapters"]
    rows: list[tuple[str, str, str, str, str]] = []
    naive = r.get("naive_sequential_s")
    if naive:
        rows.append(("naive loop, one at a time", f"{naive:.1f} s", "1.00", "", ""))
        two = r["naive_two_at_a_time_s"]
        rows.append(("naive loop, two at a time", f"{two:.1f} s", f"{two / naive:.2f}", "", ""))
    force = r["force_s"]
    goal = GOALS["force_vs_naive"]
    rows.append((f"pack --force, {n} chapters (pages)", f"{force:.1f} s",
                 f"{force / naive:.2f}" if naive else "-", f"<= {goal}x naive",
                 verdict(force / naive <= goal) if naive else "-"))
    floor = 2.8 * n / 2
    rows.append(("  cold-kernel floor (2.8 s x n / 2 cores)", f"{floor:.1f} s", "", "below",
                 verdict(force < floor)))
    rows.append(("pack --force with the whole-report PDFs", f"{r['force_with_pdf_s']:.1f} s",
                 f"{r['force_with_pdf_s'] / naive:.2f}" if naive else "-", "", ""))
    rows.append(("no-change rebuild", f"{r['no_change_s']:.2f} s", "",
                 f"<= {GOALS['no_change_s']} s", verdict(r["no_change_s"] <= GOALS["no_change_s"])))
    own, limit = r["own_run_s"], GOALS["one_changed_extra_s"]
    for label, key in (("one notebook changed (pages)", "one_changed_s"),
                       ("one notebook changed, with PDFs", "one_changed_with_pdf_s")):
        extra = r[key] - own
        rows.append((label, f"{r[key]:.1f} s", f"{extra:+.2f} s over its own run",
                     f"its own run ({own:.1f} s) + {limit} s", verdict(extra <= limit)))
    if "five_years_cold_s" in r:
        five, one = r["five_years_cold_s"], r["one_year_cold_s"]
        rows.append(("five-year batch vs one year, cold", f"{five:.1f} / {one:.1f} s",
                     f"{five / one:.2f}x", f"<= {GOALS['five_vs_one']}x",
                     verdict(five / one <= GOALS["five_vs_one"])))
    five, one = r["five_years_s"], r["one_year_s"]
    rows.append(("  the same, both --force (processed data present)", f"{five:.1f} / {one:.1f} s",
                 f"{five / one:.2f}x", "", ""))
    html_s = r["html_per_chapter_s"]
    rows.append(("HTML export per chapter (median / slowest)",
                 f"{html_s['median']:.2f} / {html_s['slowest']:.2f} s", "",
                 f"<= {GOALS['html_s']} s", verdict(html_s["slowest"] <= GOALS["html_s"])))
    if "scaled" in r:
        s = r["scaled"]
        rows.append((f"validate + process {s['contacts']:,} contacts",
                     f"{s['seconds']:.1f} s, {s['peak_gb']:.2f} GB", "",
                     f"<= {GOALS['scaled_s']} s, {GOALS['scaled_gb']} GB",
                     verdict(s["seconds"] <= GOALS["scaled_s"]
                             and s["peak_gb"] <= GOALS["scaled_gb"])))
    if "compare_all_s" in r:
        rows.append(("--compare --la all", f"{r['compare_all_s']:.0f} s", "",
                     f"<= {GOALS['compare_all_s']:.0f} s",
                     verdict(r["compare_all_s"] <= GOALS["compare_all_s"])))
    return rows


if __name__ == "__main__":
    raise SystemExit(main())
