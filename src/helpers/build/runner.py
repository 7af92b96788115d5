"""Build the annual report: validate a year's data, run the chapter notebooks, publish HTML.

Usage::

    python -m helpers.build --year 2024-25 [--chapters 06,07] [--workers 2] [--force]
    python -m helpers.build --year all
    python -m helpers.build --year 2023-24,2024-25

This module is the command line, the planning and the running; the other parts are
:mod:`helpers.build.cache` (fingerprints, manifest, up-to-date checks),
:mod:`helpers.build.kernel_pool` (warm kernels) and :mod:`helpers.build.publishing`
(staging and atomic publishing). Design choices, each for a reason measured (see the
engineering notes):

* Nothing heavy is imported until something has to run: planning and every up-to-date
  check use the standard library, so a rebuild where nothing changed takes well under a
  second instead of the 2.5-3.6 s that importing pandas and papermill cost.
* Two worker processes by default: on the 2-core machines this runs on, more gains
  nothing. Each worker keeps one warm kernel with the chapters' imports done and runs
  chapter after chapter on it in a fresh namespace, instead of a cold kernel each.
* Chapters whose inputs have not changed are not run again (``build-manifest.json``).
* A year whose raw data fails validation is skipped as a whole and its published report is
  left exactly as it was: a partly refreshed report mixing two extracts would be worse
  than an old one.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import shutil
import sys
import traceback
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from pathlib import Path
from typing import Any

from helpers import config
from helpers.build import cache, publishing
from helpers.build.catalogue import Chapter, discover
from helpers.build.plan import BuildPaths, ChapterJob, ChapterResult, YearOutcome, YearPlan

__all__ = ["BuildPaths", "ChapterJob", "ChapterResult", "YearOutcome", "YearPlan", "main"]

ProcessStep = Callable[[str, Path, Path], None]
MetaReader = Callable[[Path], Mapping[str, Any]]
#: Modules that make the year's shared files (figures table, dictionary, index).
SHARED_FILE_MODULES = ("helpers.build.publishing", "helpers.report.index_pages",
                       "helpers.data.dictionary")


# --------------------------------------------------------------------------- arguments


def parse_years(text: str | None, raw_dir: Path) -> list[str]:
    """``2024-25``, ``2023-24,2024-25`` or ``all`` -> reporting years, oldest first.

    Oldest first because a year's chapters read the four years before it: processing them
    in order means trend data is ready before it is needed.
    """
    if text is None:
        return [config.partnership().latest_year]
    if text.strip().lower() == "all":
        years = config.available_years(raw_dir)
        if not years:
            raise ValueError(f"no year folders (such as 2024-25) in {raw_dir}")
        return years
    parsed = {config.Year.parse(part) for part in text.split(",") if part.strip()}
    if not parsed:
        raise ValueError("no year given")
    return [y.label for y in sorted(parsed)]


def context_years(years: Sequence[str], raw_dir: Path) -> list[str]:
    """The selected years plus the earlier years their five-year trends read, oldest first.

    A chapter for 2024-25 charts 2020-21 onwards, so those years must be validated and
    processed too, or a clean checkout would draw one-point trends.
    """
    present = set(config.available_years(raw_dir))
    wanted = {y for year in years for y in config.trend_years(year) if y in present}
    return sorted(wanted | set(years))


def first_error(year: str, errors: Mapping[str, str | None]) -> str | None:
    """Why ``year`` cannot be built: its own data failed, or a year its trends read did.

    An earlier year that fails validation is not silently left out or read stale from an
    old processed copy: the year that depends on it is not built.
    """
    if errors.get(year):
        return errors[year]
    for earlier in config.trend_years(year)[:-1]:
        if errors.get(earlier):
            return f"{earlier} (read for trends) {errors[earlier]}"
    return None


def parse_chapters(text: str | None) -> set[int] | None:
    """``06,7`` -> {6, 7}; ``None`` means every chapter."""
    if text is None:
        return None
    numbers = set()
    for part in text.split(","):
        part = part.strip()
        if not part:
            continue
        if not part.isdigit():
            raise ValueError(f"{part!r} is not a chapter number (use e.g. 06,07)")
        numbers.add(int(part))
    return numbers


# --------------------------------------------------------------------------- data step


def default_process_year(year: str, raw_dir: Path, processed_dir: Path) -> None:
    """The real processing step, imported only if the processed data is out of date.

    The check is the processing step's own stamp, recomputed with the standard library
    (:func:`helpers.build.cache.processed_is_current`), so an unchanged year costs a few
    file hashes instead of importing pandas.
    """
    if cache.processed_is_current(year, raw_dir, processed_dir):
        return
    from helpers.data.processing import process_year

    process_year(year, raw_dir, processed_dir)


def default_read_meta(raw_year_dir: Path) -> Mapping[str, Any]:
    """The year's ``dataset.json``, read after processing has validated it.

    Processing refuses a year whose description is missing or malformed, so by the time
    this runs the plain JSON reader is enough and pandas need not be imported.
    """
    return json.loads((Path(raw_year_dir) / cache.META_FILE).read_text(encoding="utf-8-sig"))


def _raw_data_errors() -> tuple[type[BaseException], ...]:
    """The exception meaning "this year's input is bad", if that module exists yet."""
    try:
        from helpers.data.validation import RawDataError
    except ImportError:
        return ()
    return (RawDataError,)


def prepare_data(year: str, paths: BuildPaths, process: ProcessStep) -> str | None:
    """Run the processing step for ``year``; return an error message if it failed.

    Bad input (``RawDataError``) is reported with its own readable message. Anything else
    is a bug in the processing code, so its traceback is shown too. Either way the year is
    skipped and nothing under ``reports/<year>/`` is touched.
    """
    try:
        process(year, paths.raw_dir, paths.processed_dir)
    except _raw_data_errors() as exc:
        message = str(exc)
        print(
            f"\n{year}: the raw data did not pass validation; no chapters were built "
            f"for this year and its published report was left as it was.\n{message}\n",
            file=sys.stderr,
        )
        problems = getattr(exc, "problems", [])
        first = f"; first: {problems[0]}" if problems else ""
        return f"raw data did not pass validation ({_first_line(message).rstrip(':')}{first})"
    except Exception as exc:
        traceback.print_exc(file=sys.stderr)
        print(f"\n{year}: processing the data failed; year skipped.\n", file=sys.stderr)
        return f"processing failed: {type(exc).__name__}: {_first_line(str(exc))}"
    return None


def _read_meta(year: str, paths: BuildPaths, read_meta: MetaReader) -> Mapping[str, Any]:
    """Dataset description for the index page; a missing one is reported, not fatal."""
    try:
        return dict(read_meta(paths.raw_dir / year))
    except Exception as exc:
        print(
            f"{year}: could not read the dataset description ({type(exc).__name__}: {exc}); "
            "the index will not show the extract date.",
            file=sys.stderr,
        )
        return {}


# --------------------------------------------------------------------------- planning


def select_chapters(chapters: Sequence[Chapter], wanted: set[int] | None) -> list[Chapter]:
    """Filter by ``--chapters``; asking for a chapter with no notebook is an error."""
    if wanted is None:
        return list(chapters)
    missing = wanted - {c.number for c in chapters}
    if missing:
        listed = ", ".join(f"{n:02d}" for n in sorted(missing))
        raise ValueError(f"no notebook for chapter(s) {listed}")
    return [c for c in chapters if c.number in wanted]


def year_fingerprint(fingerprints: Mapping[str, str], extract: Mapping[str, Any],
                     extra: Mapping[str, str]) -> str:
    """Hash of what the year's shared files are made from (see :class:`YearPlan`)."""
    body = {
        "chapters": dict(sorted(fingerprints.items())),
        "extract": dict(extract),
        "extra": dict(sorted(extra.items())),
        "code": cache.digest_files(cache.code_dependencies(SHARED_FILE_MODULES)),
    }
    return hashlib.sha256(json.dumps(body, sort_keys=True, default=str).encode()).hexdigest()


def plan_year(
    year: str,
    paths: BuildPaths,
    chapters: Sequence[Chapter],
    meta: Mapping[str, Any],
    force: bool = False,
    extra: Mapping[str, str] | None = None,
) -> YearPlan:
    """Decide which chapters of ``year`` to run and which are already up to date.

    Only creates the staging folder (inside the reports folder, so the final moves stay on
    one file system) when something will actually run. ``extra`` are further inputs of
    the year's shared files (the calibration fingerprint for demo data).
    """
    year_dir = paths.reports_dir / year
    manifest = cache.load_manifest(year_dir)
    shared = cache.shared_fingerprint(year, paths.processed_dir)
    extract = {"extract_date": meta.get("extract_date"),
               "data_fingerprint": cache.data_fingerprint(year, paths.processed_dir)}
    plan = YearPlan(year, year_dir, meta, list(chapters), [], [], manifest, extract=extract)
    pending = []
    fingerprints = {}
    for chapter in chapters:
        fingerprint = cache.chapter_fingerprint(chapter, year, shared)
        fingerprints[chapter.name] = fingerprint
        entry = manifest["chapters"].get(chapter.name)
        if not force and cache.is_up_to_date(entry, fingerprint, year_dir):
            plan.skipped.append(ChapterResult(year, chapter, "unchanged"))
        else:
            pending.append((chapter, fingerprint))
    plan.year_fingerprint = year_fingerprint(fingerprints, extract, extra or {})
    if pending:
        plan.staging_dir = publishing.new_staging_dir(paths.reports_dir, year)
        for chapter, fingerprint in pending:
            last = manifest["chapters"].get(chapter.name) or {}
            plan.jobs.append(ChapterJob(year, chapter, plan.staging_dir, paths.processed_dir,
                                        paths.notebooks_dir, fingerprint,
                                        float(last.get("seconds") or 0.0)))
    return plan


# --------------------------------------------------------------------------- running


def _first_line(text: str, limit: int = 300) -> str:
    line = next((ln.strip() for ln in str(text).splitlines() if ln.strip()), "")
    return line if len(line) <= limit else line[: limit - 1] + "…"


def _crashed(job: ChapterJob, exc: BaseException) -> ChapterResult:
    """Result for a job whose worker died (e.g. killed for memory) before returning."""
    executed = job.staging_dir / f"{job.chapter.name}.ipynb"
    return ChapterResult(
        job.year,
        job.chapter,
        "failed",
        error=_first_line(f"{type(exc).__name__}: {exc}"),
        notebook=executed if executed.exists() else None,
    )


class Alongside:
    """Work run in a thread of the main process while the chapters run in the workers.

    The main process only waits while chapters run; what it must do anyway and that does
    not need the chapters (checking the subgroup config, staging the data pages, reading
    the pages kept) is done then. An exception is kept and raised by :meth:`join`;
    :attr:`failed` lets the waiting loop stop early on a config error.
    """

    def __init__(self, work: Callable[[], None] | None) -> None:
        import threading

        self.error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, args=(work,), daemon=True,
                                        name="lscp-alongside")

    def _run(self, work: Callable[[], None] | None) -> None:
        try:
            if work is not None:
                work()
        except BaseException as exc:  # raised again in join(), in the main thread
            self.error = exc

    def start(self) -> None:
        self._thread.start()

    @property
    def failed(self) -> bool:
        return self.error is not None

    @property
    def succeeded(self) -> bool:
        """Finished without an error (a year may be published from then on)."""
        return not self._thread.is_alive() and self.error is None

    def join(self) -> None:
        self._thread.join()
        if self.error is not None:
            raise self.error


def start_order(jobs: Sequence[ChapterJob]) -> list[int]:
    """Indexes of ``jobs``: year by year (in the order given), the longest chapter (by
    its last build) first within a year.

    With chapters of 0.3 to 12 s on two workers, the longest started last would leave one
    worker idle while it runs; longest first keeps both busy to the end. Year by year,
    each year is complete as early as it can be and is published while the next one's
    chapters run (:class:`YearsDone`); only the last year's end needs the balancing.
    Chapters never built keep their order, after none of the known ones (their time is
    unknown).
    """
    rank = {year: n for n, year in enumerate(dict.fromkeys(job.year for job in jobs))}
    return sorted(range(len(jobs)), key=lambda i: (rank[jobs[i].year], -jobs[i].expected_seconds))


YearDone = Callable[[str, list[ChapterResult]], None]


class YearsDone:
    """Hands each year's results to ``year_done`` as soon as all its chapters are back.

    Called from the waiting loop, so a year is published in the main process while the
    workers run the next year's chapters, not all at the end. Never before the work
    alongside has finished without error: it checks the subgroup config, and a mistake
    there must still stop the build before anything is published.
    """

    def __init__(self, jobs: Sequence[ChapterJob], year_done: YearDone | None,
                 side: Alongside) -> None:
        self.jobs = jobs
        self.year_done = year_done
        self.side = side
        self.waiting = {year: sum(job.year == year for job in jobs)
                        for year in dict.fromkeys(job.year for job in jobs)}
        self.ready: list[str] = []

    def record(self, i: int) -> None:
        year = self.jobs[i].year
        self.waiting[year] -= 1
        if self.waiting[year] == 0:
            self.ready.append(year)

    def hand_over(self, results: Mapping[int, ChapterResult]) -> None:
        if self.year_done is None or not self.side.succeeded:
            return
        while self.ready:
            year = self.ready.pop(0)
            self.year_done(year, [results[i] for i in range(len(self.jobs))
                                  if self.jobs[i].year == year])


def run_jobs(jobs: Sequence[ChapterJob], workers: int = 2,
             alongside: Callable[[], None] | None = None,
             year_done: YearDone | None = None) -> list[ChapterResult]:
    """Run chapter jobs on ``workers`` processes, each with one warm kernel.

    ``workers=1`` runs in this process (one warm kernel), which keeps tracebacks and
    profilers simple. Results come back in job order whatever order chapters finish in.
    ``alongside`` runs in a thread meanwhile (see :class:`Alongside`); if it raises, the
    chapters not yet started are cancelled and its exception is raised. ``year_done``
    gets each year's results (in job order) once they are all in (see :class:`YearsDone`).
    """
    return run_batches([jobs], workers, alongside, year_done)


def run_batches(batches: Iterable[Sequence[ChapterJob]], workers: int = 2,
                alongside: Callable[[], None] | None = None,
                year_done: YearDone | None = None) -> list[ChapterResult]:
    """:func:`run_jobs` for jobs that come a year at a time, as each year can be planned.

    The workers start with the first batch that has chapters to run, and the next batch
    is asked for only once those chapters are queued: in a batch of years, the later
    years are processed (by whatever makes ``batches``) while the workers start their
    kernels and run the first year's chapters, instead of before. The kernels import what
    the first batch's chapters import (a later chapter imports anything else itself).
    ``alongside`` starts once every batch is in. Results are in the order of the jobs,
    batch after batch.
    """
    pending_batches = iter(batches)
    jobs: list[ChapterJob] = []
    for batch in pending_batches:
        jobs.extend(batch)
        if jobs:
            break
    side = Alongside(alongside)
    if not jobs:  # before the imports: a rebuild with nothing to run stays light
        side.start()
        side.join()
        return []
    from tqdm import tqdm

    from helpers.build import kernel_pool

    preload = kernel_pool.preload_modules(sorted({job.chapter.path for job in jobs}))
    cwd = str(jobs[0].notebooks_dir)
    results: dict[int, ChapterResult] = {}

    def queue_all(submit: Callable[[int], None]) -> YearsDone:
        """Each batch's jobs in start order (``submit(index)``), then every later batch;
        returns what waits for each year's chapters, now that all are known."""
        for i in start_order(jobs):
            submit(i)
        for batch in pending_batches:
            first = len(jobs)
            jobs.extend(batch)
            for i in start_order(batch):
                submit(first + i)
        return YearsDone(jobs, year_done, side)

    def bar() -> Any:
        return tqdm(total=len(jobs), desc="Chapters", unit="chapter", file=sys.stderr)

    if workers <= 1:
        kernel = kernel_pool.WarmKernel(preload, Path(cwd))
        order: list[int] = []
        try:
            kernel.start()
            years = queue_all(order.append)
            side.start()
            kernel_pool.warm_exporter()
            kernel.ready()
            with bar() as progress:
                for i in order:
                    job = jobs[i]
                    if side.failed:
                        break
                    results[i] = kernel_pool.run_chapter_on(kernel, job)
                    progress.set_postfix_str(f"{job.year} {job.chapter.name}", refresh=False)
                    progress.update()
                    years.record(i)
                    years.hand_over(results)
        finally:
            kernel.shutdown()
        side.join()
        years.hand_over(results)
        return [results[i] for i in range(len(jobs))]

    pool = ProcessPoolExecutor(max_workers=min(workers, len(jobs)),
                               initializer=kernel_pool.init_worker, initargs=(preload, cwd))
    futures: dict[Future[ChapterResult], int] = {}
    try:
        # Submit before the bar exists: worker processes fork at the first submission,
        # and should not inherit the bar's monitor thread.
        years = queue_all(lambda i: futures.update(
            {pool.submit(kernel_pool.run_in_worker, jobs[i]): i}))
        side.start()
        pending = set(futures)
        with bar() as progress:
            while pending and not side.failed:
                done, pending = wait(pending, timeout=0.5, return_when=FIRST_COMPLETED)
                for future in done:
                    i = futures[future]
                    try:
                        results[i] = future.result()
                    except Exception as exc:
                        results[i] = _crashed(jobs[i], exc)
                    status = "ok" if results[i].status == "built" else "FAILED"
                    progress.set_postfix_str(f"{jobs[i].year} {jobs[i].chapter.name} {status}")
                    progress.update()
                    years.record(i)
                if not pending:
                    # Every chapter is in: let the workers stop their kernels while the
                    # last year is published, rather than after it.
                    pool.shutdown(wait=False)
                years.hand_over(results)
        if side.failed:
            pool.shutdown(wait=False, cancel_futures=True)
        side.join()
        years.hand_over(results)
    except BaseException:
        pool.shutdown(wait=False, cancel_futures=True)
        raise
    pool.shutdown(wait=True)
    return [results[i] for i in range(len(jobs))]


# --------------------------------------------------------------------------- finishing


#: At most this many mismatch lines in the summary; the rest are counted and in the file.
MAX_LISTED = 20


def listed(lines: Sequence[str], where: str, limit: int = MAX_LISTED) -> list[str]:
    """``lines`` cut to ``limit``, saying how many more there are and where to find them."""
    if len(lines) <= limit:
        return list(lines)
    return [*lines[:limit], f"... and {len(lines) - limit} more (see {where})"]


def calibration_notes(year: str, processed_dir: Path, target: Path,
                      chapters: set[int] | None = None) -> list[str]:
    """For demo data of the reference year: check the build's figures against the report's.

    Writes ``calibration.csv`` at ``target`` and returns the notes for the summary: the
    count reproduced, the data-quality notes of the chapters built (``chapters``; all when
    None), where the reference report contradicts itself, and any mismatch. Other years are
    not compared (the caller does not ask): their figures are not meant to equal the
    reference report's.
    """
    from helpers.build import calibration

    try:
        checks = calibration.run(year, processed_dir)
    except Exception as exc:  # a note, never a reason to lose a finished build
        return [f"calibration could not run: {type(exc).__name__}: {exc}"]
    calibration.write_file(checks, target)
    published = target.parent.parent / year / target.name
    matched = sum(c.status == "match" for c in checks)
    notes = [f"calibration: {matched} of {len(checks)} published figures reproduced "
             f"({_display(published)})"]
    notes += [f"data quality: {c.ref} {c.indicator}: {c.note}" for c in checks
              if c.status == "source inconsistent"
              and (chapters is None or int(c.chapter) in chapters)]
    notes += listed([f"calibration {c.status}: {c.ref} {c.indicator} (published {c.published}, "
                     f"computed {c.computed or '-'})" for c in checks if not c.ok],
                    _display(published))
    return notes


def _write_dictionary(folder: Path) -> Path:
    from helpers.data.dictionary import write_page

    return write_page(folder)


def _whole_report(plan: YearPlan) -> publishing.WriteOutputs:
    """The step staging the summary, the one-file report and bundles (with PDFs)."""
    from helpers.build import outputs

    def write(staging: Path, year_dir: Path, built: list[str],
              current: list[str]) -> tuple[list[str], list[str]]:
        return outputs.stage_whole_report(staging, year_dir, built, current, plan.year,
                                          config.partnership().name, plan.meta)

    return write


def subgroup_config_problem() -> str | None:
    """What is wrong with the partnership config's subgroup bundles; None when nothing is.

    Checked while the chapters run (:func:`while_chapters_run`), first thing: a mistake
    found only when the bundles are written would lose the build, so it stops the build
    before anything is published. Only a build that runs chapters pays for reading the
    chapters' declared sections."""
    from helpers.build import outputs

    try:
        outputs.subgroups()
    except outputs.SubgroupConfigError as exc:
        return str(exc)
    return None


def _calibrate_step(plan: YearPlan, all_chapters: Sequence[Chapter], paths: BuildPaths,
                    real_data: bool) -> publishing.Calibrate | None:
    """The calibration step for a demo build of the reference year; None otherwise."""
    if not (real_data and plan.meta.get("synthetic")
            and plan.year == config.REFERENCE_REPORT_YEAR):
        return None

    def calibrate(year: str, target: Path) -> list[str]:
        return calibration_notes(year, paths.processed_dir, target,
                                 {c.number for c in all_chapters})

    return calibrate


class ConfigProblem(ValueError):
    """The partnership config cannot be followed: the build stops, nothing is published."""


def while_chapters_run(plans: Sequence[YearPlan], all_chapters: Sequence[Chapter],
                       paths: BuildPaths, real_data: bool,
                       calibration_keys: Mapping[str, str]) -> Callable[[], None]:
    """What the main process does while the chapters run (see :class:`Alongside`).

    First the subgroup config (a mistake stops the build before anything is published),
    then each year's chapter-independent files (:func:`helpers.build.publishing.prepare_year`)
    and the parsing of the pages the whole-report outputs will reuse.
    """
    def work() -> None:
        if not real_data or not any(plan.jobs for plan in plans):
            return
        problem = subgroup_config_problem()
        if problem is not None:
            raise ConfigProblem(problem)
        from helpers.report import whole_report

        for plan in plans:
            if not plan.jobs:
                continue
            try:
                publishing.prepare_year(
                    plan, calibrate=_calibrate_step(plan, all_chapters, paths, real_data),
                    calibration_fingerprint=calibration_keys.get(plan.year, ""),
                    write_dictionary=_write_dictionary)
                rebuilt = {job.chapter.name for job in plan.jobs}
                kept = [c.name for c in all_chapters if c.name not in rebuilt]
                whole_report.read_ahead(plan.year_dir, kept)
                plan.prepared["id_scan"].read_ahead(plan.year_dir / f"{name}.html"
                                                    for name in kept)
            except Exception:  # finish_year does what is missing here, and reports it
                pass

    return work


def finish(plan: YearPlan, results: Sequence[ChapterResult], all_chapters: Sequence[Chapter],
           paths: BuildPaths, real_data: bool, calibration_key: str) -> YearOutcome:
    """Publish one year, or leave it alone if it is already complete.

    With real data steps, the data dictionary page is written beside the report and, for
    synthetic demo data, the calibration against the reference report (cached by
    ``calibration_key``). A failure while staging the shared files publishes nothing.
    """
    if not results and publishing.year_is_complete(plan):
        return publishing.unchanged_year(plan)
    calibrate = _calibrate_step(plan, all_chapters, paths, real_data)
    try:
        return publishing.finish_year(
            plan, results, all_chapters, config.partnership(),
            calibrate=calibrate, calibration_fingerprint=calibration_key,
            write_dictionary=_write_dictionary if real_data else None,
            write_outputs=_whole_report(plan) if real_data else None,
        )
    except Exception as exc:
        traceback.print_exc(file=sys.stderr)
        return YearOutcome(plan.year, error=f"publishing failed, nothing was published: "
                                            f"{type(exc).__name__}: {_first_line(str(exc))}")


# --------------------------------------------------------------------------- summary


def _display(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def summarise(outcomes: Sequence[YearOutcome]) -> str:
    """A plain-text account of the run: what was built, skipped, and what went wrong."""
    lines = ["", "Build summary"]
    for outcome in outcomes:
        if outcome.error is not None:
            lines.append(f"{outcome.year}: NOT BUILT ({outcome.error})")
            lines.append("  The published report for this year was left unchanged.")
            continue
        by_status: dict[str, list[ChapterResult]] = {"built": [], "unchanged": [], "failed": []}
        for result in outcome.results:
            by_status.setdefault(result.status, []).append(result)
        built, unchanged, failed = by_status["built"], by_status["unchanged"], by_status["failed"]
        lines.append(
            f"{outcome.year}: {len(built)} built, {len(unchanged)} unchanged, {len(failed)} failed"
        )
        lines.append("  built: " + (", ".join(r.name for r in built) or "none"))
        lines.append("  unchanged (skipped): " + (", ".join(r.name for r in unchanged) or "none"))
        for result in failed:
            lines.append(f"  FAILED {result.name}: {result.error}")
            where = _display(result.notebook) if result.notebook else "no notebook was written"
            lines.append(f"    executed notebook: {where}")
        if outcome.index is not None:
            lines.append(f"  report: {_display(outcome.index)}")
        lines.extend(f"  {note}" for note in outcome.notes)
    return "\n".join(lines)


# --------------------------------------------------------------------------- main


def year_batches(
    years: Sequence[str], paths: BuildPaths, chapters: Sequence[Chapter],
    process: ProcessStep, read_meta: MetaReader, *, force: bool, real_data: bool,
    outcomes: dict[str, YearOutcome], plans: list[YearPlan],
    calibration_keys: dict[str, str],
) -> Iterator[list[ChapterJob]]:
    """Each selected year's chapter jobs (oldest first), as soon as the year can be planned.

    A year can be planned once it and the earlier years its trends read are processed
    (:func:`context_years`, processed oldest first as before), so in a batch of years the
    first year's chapters start while the later years are still being processed
    (:func:`run_batches` asks for the next year only once the previous one's chapters are
    queued). A year never reads a later one, and each year's processed folder appears
    whole or not at all (``process_year`` writes it aside and renames it). A year that
    cannot be built gets its outcome here; every year planned is added to ``plans``.
    """
    errors: dict[str, str | None] = {}
    to_process = context_years(years, paths.raw_dir)
    with cache.one_snapshot():  # the chapters and years share most of their code
        for year in years:
            while year not in errors and to_process:  # up to and including this year
                earlier = to_process.pop(0)
                errors[earlier] = prepare_data(earlier, paths, process)
            error = first_error(year, errors)
            if error is not None:
                outcomes[year] = YearOutcome(year, error=error)
                continue
            meta = _read_meta(year, paths, read_meta)
            extra = {}
            if real_data and meta.get("synthetic"):
                key = cache.calibration_fingerprint(year, paths.processed_dir)
                calibration_keys[year] = extra["calibration"] = key
            plan = plan_year(year, paths, chapters, meta, force=force, extra=extra)
            plans.append(plan)
            yield plan.jobs


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m helpers.build",
        description="Build the LSCP annual report for one or more reporting years.",
    )
    parser.add_argument(
        "--year",
        help="2024-25, a comma-separated list, or 'all' (default: latest_year in config)",
    )
    parser.add_argument("--chapters", help="only these chapters, e.g. 06,07 (default: all)")
    parser.add_argument("--workers", type=int, default=2, help="worker processes (default 2)")
    parser.add_argument("--raw-dir", type=Path, default=config.RAW_DIR)
    parser.add_argument("--processed-dir", type=Path, default=config.PROCESSED_DIR)
    parser.add_argument("--reports-dir", type=Path, default=config.REPORTS_DIR)
    parser.add_argument("--notebooks-dir", type=Path, default=config.NOTEBOOKS_DIR)
    parser.add_argument(
        "--force", action="store_true", help="rebuild chapters even if their inputs are unchanged"
    )
    parser.add_argument("--compare", action="store_true",
                        help="build the 'How we compare' page from DfE's files (helpers.build.compare)")
    parser.add_argument("--la", help="with --compare: LA code or name, or 'all' (default: la_code)")
    return parser


def main(
    argv: Sequence[str] | None = None,
    *,
    process: ProcessStep | None = None,
    read_meta: MetaReader | None = None,
) -> int:
    """Command-line entry point; returns the exit status (1 if any year or chapter failed).

    ``process`` and ``read_meta`` replace the data steps, so the runner can be tested
    without real data.
    """
    parser = _parser()
    args = parser.parse_args(argv)
    if args.workers < 1:
        parser.error("--workers must be at least 1")
    if args.compare:
        from helpers.build import compare

        return compare.run(args.la or config.partnership().la_code, args.year, args.workers,
                           args.reports_dir)
    paths = BuildPaths(
        args.raw_dir, args.processed_dir, args.reports_dir, args.notebooks_dir
    ).resolved()
    real_data = process is None
    process = process or default_process_year
    read_meta = read_meta or default_read_meta
    try:
        years = parse_years(args.year, paths.raw_dir)
        all_chapters = discover(paths.notebooks_dir)
        chapters = select_chapters(all_chapters, parse_chapters(args.chapters))
    except ValueError as exc:
        parser.error(str(exc))
    if not all_chapters:
        print(
            f"warning: no chapter notebooks (NN_slug.ipynb) in {paths.notebooks_dir}",
            file=sys.stderr,
        )

    outcomes: dict[str, YearOutcome] = {}
    plans: list[YearPlan] = []
    calibration_keys: dict[str, str] = {}
    batches = year_batches(years, paths, chapters, process, read_meta, force=args.force,
                           real_data=real_data, outcomes=outcomes, plans=plans,
                           calibration_keys=calibration_keys)
    try:
        def year_done(year: str, mine: list[ChapterResult]) -> None:
            plan = next(plan for plan in plans if plan.year == year)
            outcomes[year] = finish(plan, mine, all_chapters, paths, real_data,
                                    calibration_keys.get(year, ""))

        try:
            results = run_batches(batches, args.workers, while_chapters_run(
                plans, all_chapters, paths, real_data, calibration_keys), year_done)
        except ConfigProblem as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 2
        for plan in plans:  # the years with nothing to run
            if plan.year not in outcomes:
                year_done(plan.year, [r for r in results if r.year == plan.year])
    finally:
        batches.close()
        for plan in plans:
            if plan.staging_dir is not None:
                shutil.rmtree(plan.staging_dir, ignore_errors=True)

    ordered = [outcomes[year] for year in years if year in outcomes]
    print(summarise(ordered))
    return 1 if any(outcome.failed for outcome in ordered) else 0


if __name__ == "__main__":
    raise SystemExit(main())
