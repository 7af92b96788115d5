"""Build the annual report: validate a year's data, run the chapter notebooks, publish HTML.

Usage::

    python -m helpers.build --year 2024-25 [--chapters 06,07] [--workers 2] [--force]
    python -m helpers.build --year all
    python -m helpers.build --year 2023-24,2024-25

Design choices, each for a reason measured or met in practice (see the engineering notes):

* Notebooks run with ``papermill.execute_notebook`` and are exported with nbconvert's
  ``HTMLExporter`` in the same worker process. Calling the two CLIs per notebook spends
  more time starting programs than running chapters.
* Two worker processes by default: on the 2-core machines this runs on, more gains
  nothing. Each worker pays a kernel start (~1.6 s), so chapters whose inputs have not
  changed are not run again (``build-manifest.json`` records a hash of every input).
* Nothing a reader can open is ever half-written. Each run writes into
  ``reports/.staging-<year>-<random>/`` and then moves finished files into
  ``reports/<year>/`` with ``os.replace``, which is atomic per file. A chapter that fails
  leaves its last good page in place; its partly executed notebook goes to
  ``reports/<year>/failed/`` so the error can be read in context.
* A year whose raw data fails validation is skipped as a whole and its published report is
  left exactly as it was: a partly refreshed report mixing two extracts would be worse
  than an old one.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import io
import json
import os
import shutil
import sys
import tempfile
import time
import traceback
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from helpers import config
from helpers.build.catalogue import Chapter, discover
from helpers.report.figure_register import COLUMNS as FIGURE_COLUMNS
from helpers.report.index_pages import atomic_write_text, write_index

PACKAGE_DIR = Path(__file__).resolve().parent
KERNEL_NAME = "python3"
MANIFEST_NAME = "build-manifest.json"
MANIFEST_VERSION = 1
#: A chapter shows trends over this many years, so their data is part of its inputs.
TREND_LENGTH = 5

ProcessStep = Callable[[str, Path, Path], None]
MetaReader = Callable[[Path], Mapping[str, Any]]


# --------------------------------------------------------------------------- data types


@dataclass(frozen=True)
class BuildPaths:
    """Where the build reads and writes; all overridable so tests run in a temp folder."""

    raw_dir: Path = config.RAW_DIR
    processed_dir: Path = config.PROCESSED_DIR
    reports_dir: Path = config.REPORTS_DIR
    notebooks_dir: Path = config.NOTEBOOKS_DIR

    def resolved(self) -> BuildPaths:
        """Absolute paths: notebooks run with another working directory."""
        return BuildPaths(*(Path(p).resolve() for p in self.__dict__.values()))


@dataclass(frozen=True)
class ChapterJob:
    """Everything a worker process needs to run one chapter (picklable on purpose)."""

    year: str
    chapter: Chapter
    staging_dir: Path
    processed_dir: Path
    notebooks_dir: Path
    fingerprint: str

    @property
    def parameters(self) -> dict[str, str]:
        """Values injected into the notebook's ``parameters`` cell (strings, as declared)."""
        return {
            "year": self.year,
            "data_dir": str(self.processed_dir),
            "output_dir": str(self.staging_dir),
        }


@dataclass
class ChapterResult:
    """What happened to one chapter in this run.

    ``status`` is ``built``, ``unchanged`` (skipped: inputs identical to the published
    version) or ``failed``. ``notebook`` is the executed notebook: in the staging folder
    while the run is going on, at its published place after :func:`publish`.
    """

    year: str
    chapter: Chapter
    status: str
    error: str | None = None
    notebook: Path | None = None
    seconds: float = 0.0

    @property
    def name(self) -> str:
        return self.chapter.name


@dataclass
class YearPlan:
    """A year whose data passed validation, with the chapters to run and to skip."""

    year: str
    year_dir: Path
    meta: Mapping[str, Any]
    chapters: list[Chapter]
    jobs: list[ChapterJob]
    skipped: list[ChapterResult]
    manifest: dict[str, Any]
    staging_dir: Path | None = None


@dataclass
class YearOutcome:
    """The end state of one year, for the summary and the exit status."""

    year: str
    error: str | None = None
    results: list[ChapterResult] = field(default_factory=list)
    index: Path | None = None
    notes: list[str] = field(default_factory=list)

    @property
    def failed(self) -> bool:
        return self.error is not None or any(r.status == "failed" for r in self.results)


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
    """The real processing step; imported late so tests can run without it."""
    from helpers.data.processing import process_year

    process_year(year, raw_dir, processed_dir)


def default_read_meta(raw_year_dir: Path) -> Mapping[str, Any]:
    """The real dataset description reader; imported late for the same reason."""
    from helpers.data.loading import read_dataset_meta

    return read_dataset_meta(raw_year_dir)


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


# --------------------------------------------------------------------------- fingerprints


def _feed(digest: Any, label: str, data: bytes) -> None:
    """Add a labelled, length-prefixed item so different inputs can never collide."""
    name = label.encode()
    digest.update(len(name).to_bytes(8, "big") + name)
    digest.update(len(data).to_bytes(8, "big") + data)


def _files_under(root: Path) -> list[Path]:
    """Regular files below ``root``, sorted; caches and hidden temp files are not inputs."""
    if not root.is_dir():
        return []
    files = []
    for path in root.rglob("*"):
        rel = path.relative_to(root)
        if any(part.startswith(".") or part == "__pycache__" for part in rel.parts):
            continue
        if path.suffix == ".pyc" or not path.is_file():
            continue
        files.append(path)
    return sorted(files)


def code_files() -> list[Path]:
    """Helper code and templates: a change to any can change every chapter's output."""
    return _files_under(PACKAGE_DIR)


def shared_fingerprint(year: str, processed_dir: Path) -> str:
    """Hash of the inputs every chapter of ``year`` shares.

    That is the helpers package (code, templates, styles), the partnership settings, and
    the processed data for the year and the four before it, since chapters draw trends.
    """
    digest = hashlib.sha256()
    for path in code_files():
        _feed(digest, f"code/{path.relative_to(PACKAGE_DIR).as_posix()}", path.read_bytes())
    if config.CONFIG_FILE.is_file():
        _feed(digest, "config/partnership.toml", config.CONFIG_FILE.read_bytes())
    for trend_year in config.trend_years(year, TREND_LENGTH):
        year_dir = processed_dir / trend_year
        for path in _files_under(year_dir):
            label = f"data/{trend_year}/{path.relative_to(year_dir).as_posix()}"
            _feed(digest, label, path.read_bytes())
    return digest.hexdigest()


def chapter_fingerprint(chapter: Chapter, year: str, shared: str) -> str:
    """Hash of everything that determines one chapter's output for one year.

    The injected paths are left out on purpose: the output folder is a fresh random
    staging folder every run, and the data itself is already hashed.
    """
    digest = hashlib.sha256()
    _feed(digest, "shared", shared.encode())
    _feed(digest, f"notebook/{chapter.path.name}", chapter.path.read_bytes())
    parameters = {"year": year, "kernel_name": KERNEL_NAME}
    _feed(digest, "parameters", json.dumps(parameters, sort_keys=True).encode())
    return digest.hexdigest()


# --------------------------------------------------------------------------- manifest


def load_manifest(year_dir: Path) -> dict[str, Any]:
    """The manifest of the published report; an unreadable one just means "rebuild all"."""
    try:
        data = json.loads((year_dir / MANIFEST_NAME).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {"version": MANIFEST_VERSION, "chapters": {}}
    if data.get("version") != MANIFEST_VERSION or not isinstance(data.get("chapters"), dict):
        return {"version": MANIFEST_VERSION, "chapters": {}}
    return data


def write_manifest(year_dir: Path, year: str, chapters: Mapping[str, Any]) -> Path:
    """Write the manifest atomically, so a crash never leaves one that lies."""
    target = year_dir / MANIFEST_NAME
    body = {"version": MANIFEST_VERSION, "year": year, "chapters": dict(sorted(chapters.items()))}
    atomic_write_text(target, json.dumps(body, indent=2) + "\n")
    return target


def chapter_outputs(chapter: Chapter, with_figures: bool) -> list[str]:
    """Published files of a chapter, relative to ``reports/<year>/``."""
    outputs = [f"{chapter.name}.html", f"notebooks/{chapter.name}.ipynb"]
    if with_figures:
        outputs.append(f"figures/{chapter.code}.csv")
    return outputs


def is_up_to_date(entry: Mapping[str, Any] | None, fingerprint: str, year_dir: Path) -> bool:
    """True if the published chapter was built from identical inputs and is all there."""
    if not entry or entry.get("fingerprint") != fingerprint:
        return False
    return all((year_dir / rel).is_file() for rel in entry.get("outputs", []))


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


def plan_year(
    year: str,
    paths: BuildPaths,
    chapters: Sequence[Chapter],
    meta: Mapping[str, Any],
    force: bool = False,
) -> YearPlan:
    """Decide which chapters of ``year`` to run and which are already up to date.

    Only creates the staging folder (inside the reports folder, so the final moves stay on
    one file system) when something will actually run.
    """
    year_dir = paths.reports_dir / year
    manifest = load_manifest(year_dir)
    shared = shared_fingerprint(year, paths.processed_dir)
    plan = YearPlan(year, year_dir, meta, list(chapters), [], [], manifest)
    pending = []
    for chapter in chapters:
        fingerprint = chapter_fingerprint(chapter, year, shared)
        entry = manifest["chapters"].get(chapter.name)
        if not force and is_up_to_date(entry, fingerprint, year_dir):
            plan.skipped.append(ChapterResult(year, chapter, "unchanged"))
        else:
            pending.append((chapter, fingerprint))
    if pending:
        paths.reports_dir.mkdir(parents=True, exist_ok=True)
        plan.staging_dir = Path(tempfile.mkdtemp(prefix=f".staging-{year}-", dir=paths.reports_dir))
        for chapter, fingerprint in pending:
            plan.jobs.append(
                ChapterJob(
                    year,
                    chapter,
                    plan.staging_dir,
                    paths.processed_dir,
                    paths.notebooks_dir,
                    fingerprint,
                )
            )
    return plan


# --------------------------------------------------------------------------- running


def _first_line(text: str, limit: int = 300) -> str:
    line = next((ln.strip() for ln in str(text).splitlines() if ln.strip()), "")
    return line if len(line) <= limit else line[: limit - 1] + "…"


# Unix socket paths must stay under ~104 bytes (macOS) / 108 (Linux).
_MAX_SOCKET_PREFIX = 90


def _kernel_config(socket_dir: Path) -> Any:
    """Talk to the kernel over local IPC sockets in ``socket_dir`` rather than TCP ports.

    Nothing listens on the network, and ipykernel does not print its "running over TCP
    without encryption" warning for every chapter. Each kernel needs its own socket
    folder: with a shared one, two parallel kernels pick the same socket names and receive
    each other's messages. If the temp folder's path is too long for a socket, TCP it is.
    """
    from traitlets.config import Config

    kernel_config = Config()
    prefix = str(socket_dir / "k")
    if len(prefix.encode()) <= _MAX_SOCKET_PREFIX:
        kernel_config.KernelManager.transport = "ipc"
        kernel_config.KernelManager.ip = prefix
    return kernel_config


def run_chapter(job: ChapterJob) -> ChapterResult:
    """Execute one chapter notebook and export its page, all inside this process.

    Runs in a worker process. Never raises: a failure is returned as a result, so one
    broken chapter cannot stop the others. The error is reduced to the line a reader needs
    first (``ename: evalue``); the full traceback is in the executed notebook.
    """
    from papermill.exceptions import PapermillExecutionError

    started = time.monotonic()
    chapter = job.chapter
    executed = job.staging_dir / f"{chapter.name}.ipynb"
    error: str | None = None
    try:
        import papermill

        from helpers.report.html_export import write_html

        (job.staging_dir / "figures").mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(prefix="lscp-") as socket_dir:
            papermill.execute_notebook(
                str(chapter.path),
                str(executed),
                parameters=job.parameters,
                kernel_name=KERNEL_NAME,
                cwd=str(job.notebooks_dir),
                progress_bar=False,
                log_output=False,
                config=_kernel_config(Path(socket_dir)),
            )
        write_html(executed, chapter.title, job.staging_dir / f"{chapter.name}.html")
    except PapermillExecutionError as exc:
        error = _first_line(f"{exc.ename}: {exc.evalue}")
    except Exception as exc:
        error = _first_line(f"{type(exc).__name__}: {exc}")
    return ChapterResult(
        job.year,
        chapter,
        "failed" if error else "built",
        error=error,
        notebook=executed if executed.exists() else None,
        seconds=time.monotonic() - started,
    )


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


def run_jobs(jobs: Sequence[ChapterJob], workers: int = 2) -> list[ChapterResult]:
    """Run chapter jobs on ``workers`` processes with a progress bar on stderr.

    ``workers=1`` runs in this process, which keeps tracebacks and debuggers simple.
    Results come back in job order whatever order the chapters finish in.
    """
    from tqdm import tqdm

    if not jobs:
        return []
    results: dict[int, ChapterResult] = {}

    def bar() -> Any:
        return tqdm(total=len(jobs), desc="Chapters", unit="chapter", file=sys.stderr)

    if workers <= 1:
        with bar() as progress:
            for i, job in enumerate(jobs):
                results[i] = run_chapter(job)
                progress.set_postfix_str(f"{job.year} {job.chapter.name}", refresh=False)
                progress.update()
        return [results[i] for i in range(len(jobs))]

    pool = ProcessPoolExecutor(max_workers=min(workers, len(jobs)))
    try:
        # Submit before the bar exists: worker processes fork at submission, and should
        # not inherit the bar's monitor thread.
        futures: dict[Future[ChapterResult], int] = {
            pool.submit(run_chapter, job): i for i, job in enumerate(jobs)
        }
        with bar() as progress:
            for future in as_completed(futures):
                i = futures[future]
                try:
                    results[i] = future.result()
                except Exception as exc:
                    results[i] = _crashed(jobs[i], exc)
                status = "ok" if results[i].status == "built" else "FAILED"
                progress.set_postfix_str(f"{jobs[i].year} {jobs[i].chapter.name} {status}")
                progress.update()
    except BaseException:
        pool.shutdown(wait=False, cancel_futures=True)
        raise
    pool.shutdown(wait=True)
    return [results[i] for i in range(len(jobs))]


# --------------------------------------------------------------------------- publishing


def _move(source: Path, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    os.replace(source, target)


def publish(plan: YearPlan, results: Iterable[ChapterResult]) -> list[ChapterResult]:
    """Move finished files from staging into ``reports/<year>/``, one atomic move each.

    A built chapter's figure register and notebook are moved before its page, so the page
    never points at data older than itself. A failed chapter's published files are left
    alone; only its executed notebook is kept, under ``failed/``, for diagnosis.
    """
    year_dir = plan.year_dir
    published = []
    for result in results:
        chapter = result.chapter
        if result.status == "built" and plan.staging_dir is not None:
            staged = plan.staging_dir
            figures = staged / "figures" / f"{chapter.code}.csv"
            if figures.is_file():
                _move(figures, year_dir / "figures" / f"{chapter.code}.csv")
            else:
                # The chapter no longer writes figures: drop the stale register.
                (year_dir / "figures" / f"{chapter.code}.csv").unlink(missing_ok=True)
            notebook = year_dir / "notebooks" / f"{chapter.name}.ipynb"
            _move(staged / f"{chapter.name}.ipynb", notebook)
            _move(staged / f"{chapter.name}.html", year_dir / f"{chapter.name}.html")
            (year_dir / "failed" / f"{chapter.name}.ipynb").unlink(missing_ok=True)
            result.notebook = notebook
        elif result.status == "failed":
            if result.notebook is not None and result.notebook.exists():
                target = year_dir / "failed" / f"{chapter.name}.ipynb"
                _move(result.notebook, target)
                result.notebook = target
            else:
                result.notebook = None
        published.append(result)
    failed_dir = year_dir / "failed"
    if failed_dir.is_dir() and not any(failed_dir.iterdir()):
        failed_dir.rmdir()
    return published


def _figure_file_order(path: Path) -> tuple[int, str]:
    return (int(path.stem), path.name) if path.stem.isdigit() else (10**6, path.name)


def combine_figures(year_dir: Path) -> Path:
    """Rebuild ``figures.csv`` from every chapter's register, in chapter order.

    It is rebuilt from the published per-chapter files rather than from this run's
    results, so chapters skipped or failed this time keep their rows. Columns are the
    standard register columns, then any extra ones in order of first appearance.
    """
    fieldnames = list(FIGURE_COLUMNS)
    rows: list[dict[str, str]] = []
    for path in sorted((year_dir / "figures").glob("*.csv"), key=_figure_file_order):
        with path.open(newline="", encoding="utf-8-sig") as fh:
            reader = csv.DictReader(fh)
            for column in reader.fieldnames or []:
                if column not in fieldnames:
                    fieldnames.append(column)
            rows.extend(reader)
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=fieldnames, restval="", lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    target = year_dir / "figures.csv"
    atomic_write_text(target, buffer.getvalue())
    return target


def update_manifest(plan: YearPlan, results: Iterable[ChapterResult]) -> dict[str, Any]:
    """New manifest entries: built chapters recorded, failed ones forgotten.

    Forgetting a failed chapter makes the next run try it again even if nothing changed,
    which is what someone fixing an environment problem expects.
    """
    entries = dict(plan.manifest.get("chapters", {}))
    fingerprints = {job.chapter.name: job.fingerprint for job in plan.jobs}
    now = datetime.now().astimezone().isoformat(timespec="seconds")
    for result in results:
        if result.status == "built":
            has_figures = (plan.year_dir / "figures" / f"{result.chapter.code}.csv").is_file()
            entries[result.name] = {
                "fingerprint": fingerprints[result.name],
                "outputs": chapter_outputs(result.chapter, has_figures),
                "built_at": now,
            }
        elif result.status == "failed":
            entries.pop(result.name, None)
    return entries


def chapter_statuses(
    year_dir: Path,
    chapters: Iterable[Chapter],
    results: Iterable[ChapterResult],
    manifest_entries: Mapping[str, Any],
) -> dict[str, str]:
    """Status of every chapter for the index, including ones not selected this run."""
    statuses = {r.name: r.status for r in results}
    for chapter in chapters:
        if chapter.name in statuses:
            continue
        failed_notebook = year_dir / "failed" / f"{chapter.name}.ipynb"
        if failed_notebook.exists() and chapter.name not in manifest_entries:
            statuses[chapter.name] = "failed"
        elif (year_dir / f"{chapter.name}.html").exists():
            statuses[chapter.name] = "published"
        else:
            statuses[chapter.name] = "not built"
    return statuses


def finish_year(
    plan: YearPlan,
    results: Sequence[ChapterResult],
    all_chapters: Sequence[Chapter],
    partnership: Any,
    paths: BuildPaths | None = None,
) -> YearOutcome:
    """Publish a year's results, then rebuild its figures table, manifest and index.

    With ``paths`` (real data steps) the data dictionary page is written beside the report
    and, for synthetic demo data, the calibration against the reference report.
    """
    plan.year_dir.mkdir(parents=True, exist_ok=True)
    publish(plan, results)
    combine_figures(plan.year_dir)
    entries = update_manifest(plan, results)
    write_manifest(plan.year_dir, plan.year, entries)
    notes: list[str] = []
    if paths is not None:
        from helpers.data.dictionary import write_page

        write_page(plan.year_dir)
        if plan.meta.get("synthetic"):
            notes = calibration_notes(plan.year, paths)
    statuses = chapter_statuses(plan.year_dir, all_chapters, results, entries)
    index = write_index(plan.year_dir, plan.year, partnership, plan.meta, statuses)
    ordered = sorted([*plan.skipped, *results], key=lambda r: r.chapter)
    return YearOutcome(plan.year, results=ordered, index=index, notes=notes)


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


def calibration_notes(year: str, paths: BuildPaths) -> list[str]:
    """For demo data: check the build's figures against the reference report's.

    Writes ``calibration.csv`` beside the report and returns the data-quality notes for the
    summary, including figures where the reference report contradicts itself.
    """
    from helpers.build import calibration

    try:
        checks = calibration.run(year, paths.processed_dir)
    except Exception as exc:  # a note, never a reason to lose a finished build
        return [f"calibration could not run: {type(exc).__name__}: {exc}"]
    path = calibration.write(checks, paths.reports_dir, year)
    matched = sum(c.status == "match" for c in checks)
    notes = [f"calibration: {matched} of {len(checks)} published figures reproduced "
             f"({_display(path)})"]
    notes += [f"data quality: {c.ref} {c.indicator}: {c.note}" for c in checks
              if c.status == "source inconsistent"]
    notes += [f"calibration {c.status}: {c.ref} {c.indicator} (published {c.published}, "
              f"computed {c.computed or '-'})" for c in checks if not c.ok][:20]
    return notes


# --------------------------------------------------------------------------- main


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
    try:
        errors = {
            year: prepare_data(year, paths, process)
            for year in context_years(years, paths.raw_dir)
        }
        for year in years:
            error = first_error(year, errors)
            if error is not None:
                outcomes[year] = YearOutcome(year, error=error)
                continue
            meta = _read_meta(year, paths, read_meta)
            plans.append(plan_year(year, paths, chapters, meta, force=args.force))

        jobs = [job for plan in plans for job in plan.jobs]
        results = run_jobs(jobs, args.workers)
        partnership = config.partnership()
        for plan in plans:
            mine = [r for r in results if r.year == plan.year]
            real_data = process is default_process_year
            outcomes[plan.year] = finish_year(plan, mine, all_chapters, partnership,
                                              paths if real_data else None)
    finally:
        for plan in plans:
            if plan.staging_dir is not None:
                shutil.rmtree(plan.staging_dir, ignore_errors=True)

    ordered = [outcomes[year] for year in years if year in outcomes]
    print(summarise(ordered))
    return 1 if any(outcome.failed for outcome in ordered) else 0


if __name__ == "__main__":
    raise SystemExit(main())
