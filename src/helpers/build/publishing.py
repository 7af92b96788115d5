"""Publishing a year: staged files into ``reports/<year>/``, all from one build.

Rules, each because a reader must never see a report that contradicts itself:

* Nothing a reader can open is ever half-written. Every file is first written into the
  build's staging folder ``reports/.staging-<year>-<random>/``, including the year's shared
  files (``figures.csv``, ``calibration.csv``, the data dictionary); anything that can fail
  (combining registers, calibration) happens there, before the first file is moved. Then
  each file goes into place with ``os.replace`` (atomic per file): chapter registers and
  notebooks before their pages, the shared files, the index, and the manifest last, so a
  crash part-way leaves a manifest that claims nothing it does not have.
* A chapter that fails keeps its previous page, notebook and figure register; its partly
  executed notebook goes to ``failed/`` so the error can be read in context.
* **One rule for mixed extracts**: ``figures.csv`` always matches the pages shown. It is
  combined from the published chapter registers, each of which moves together with its
  page, so a chapter kept from an earlier extract keeps its earlier rows, and every row
  says which extract its page came from (``page_extract_date``) and whether that is the
  folder's current extract (``page_current_extract`` yes/no). ``calibration.csv`` and the
  data-quality notes are about the data, not the pages: they always describe the current
  extract. The manifest records the current extract, and per page the extract and build
  date it came from (:func:`helpers.build.cache.page_provenance` reads it back).
"""

from __future__ import annotations

import csv
import io
import json
import os
import tempfile
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from helpers.build import cache, output_scan
from helpers.build.catalogue import Chapter
from helpers.build.plan import ChapterResult, YearOutcome, YearPlan
from helpers.report.index_pages import atomic_write_text, write_index

#: Columns added to ``figures.csv``: which extract each row's page was computed from.
PROVENANCE_COLUMNS = ("page_extract_date", "page_current_extract")

#: Writes calibration.csv at the given path for a year; returns the summary notes.
Calibrate = Callable[[str, Path], list[str]]
#: Writes the data dictionary page into the given folder.
WriteDictionary = Callable[[Path], Path]
#: Stages the whole-report outputs (summary, one file, bundles; :mod:`helpers.build.outputs`)
#: from (staging, year folder, chapters built now, chapters from the current extract);
#: returns (files relative to staging, notes).
WriteOutputs = Callable[[Path, Path, list[str], list[str]], tuple[list[str], list[str]]]


#: Written by ``helpers.report.data_quality`` (its ``PAGE``) into the staging folder.
DATA_QUALITY_PAGE = "data-quality.html"


def now_stamp() -> str:
    return datetime.now().astimezone().isoformat(timespec="seconds")


def _move(source: Path, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    os.replace(source, target)


def new_staging_dir(reports_dir: Path, year: str) -> Path:
    """A fresh staging folder inside the reports folder (same file system as the targets)."""
    reports_dir.mkdir(parents=True, exist_ok=True)
    return Path(tempfile.mkdtemp(prefix=f".staging-{year}-", dir=reports_dir))


# --------------------------------------------------------------------------- chapters


def publish(plan: YearPlan, results: Iterable[ChapterResult]) -> list[ChapterResult]:
    """Move finished chapter files from staging into ``reports/<year>/``, one move each.

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


def update_manifest(plan: YearPlan, results: Iterable[ChapterResult],
                    built_at: str | None = None) -> dict[str, Any]:
    """New manifest entries: built chapters recorded with their extract, failed ones flagged.

    A failed chapter keeps the record of the page still shown (its extract and build
    date) but loses its fingerprint, so the next run tries it again even if nothing
    changed, which is what someone fixing an environment problem expects.
    """
    entries = {k: dict(v) for k, v in plan.manifest.get("chapters", {}).items()}
    fingerprints = {job.chapter.name: job.fingerprint for job in plan.jobs}
    built_at = built_at or now_stamp()
    for result in results:
        if result.status == "built":
            staged = plan.staging_dir / "figures" / f"{result.chapter.code}.csv" \
                if plan.staging_dir is not None else None
            has_figures = staged is not None and staged.is_file()
            entries[result.name] = {
                "fingerprint": fingerprints[result.name],
                "outputs": cache.chapter_outputs(result.chapter, has_figures),
                "built_at": built_at,
                "extract": dict(plan.extract),
                "seconds": round(result.seconds, 2),
            }
        elif result.status == "failed":
            old = entries.get(result.name)
            if old is None or not (plan.year_dir / f"{result.name}.html").is_file():
                entries.pop(result.name, None)
                continue
            old.pop("fingerprint", None)
            old["failed"] = True
            old["failed_at"] = built_at
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
        entry = manifest_entries.get(chapter.name)
        failed_notebook = year_dir / "failed" / f"{chapter.name}.ipynb"
        if (entry or {}).get("failed") or (failed_notebook.exists() and entry is None):
            statuses[chapter.name] = "failed"
        elif (year_dir / f"{chapter.name}.html").exists():
            statuses[chapter.name] = "published"
        else:
            statuses[chapter.name] = "not built"
    return statuses


# --------------------------------------------------------------------------- figures


def _figure_file_order(path: Path) -> tuple[int, str]:
    return (int(path.stem), path.name) if path.stem.isdigit() else (10**6, path.name)


def _figure_columns() -> list[str]:
    """The register's standard columns (imported late: that module needs pandas)."""
    from helpers.report.figure_register import COLUMNS

    return list(COLUMNS)


def render_figures(registers: Iterable[Path],
                   provenance: Mapping[str, tuple[str, str]] | None = None) -> str:
    """One table from chapter registers, in chapter order (see :func:`combine_figures`)."""
    fieldnames = _figure_columns()
    rows: list[dict[str, str]] = []
    for path in sorted(registers, key=_figure_file_order):
        with path.open(newline="", encoding="utf-8-sig") as fh:
            reader = csv.DictReader(fh)
            for column in reader.fieldnames or []:
                if column not in fieldnames:
                    fieldnames.append(column)
            for row in reader:
                if provenance is not None:
                    date, current = provenance.get(path.stem, ("", ""))
                    row.update(zip(PROVENANCE_COLUMNS, (date, current), strict=True))
                rows.append(row)
    if provenance is not None:
        fieldnames += [c for c in PROVENANCE_COLUMNS if c not in fieldnames]
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=fieldnames, restval="", lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()


def combine_figures(year_dir: Path,
                    provenance: Mapping[str, tuple[str, str]] | None = None) -> Path:
    """Rebuild ``figures.csv`` from every published chapter register, in chapter order.

    Rebuilt from the published per-chapter files rather than from this run's results, so
    chapters skipped or failed this time keep their rows. Columns are the standard
    register columns, then any extra ones in order of first appearance, then (given
    ``provenance``: chapter code -> (extract date, yes/no)) the extract of each row's page.
    """
    registers = list((Path(year_dir) / "figures").glob("*.csv"))
    target = Path(year_dir) / "figures.csv"
    atomic_write_text(target, render_figures(registers, provenance))
    return target


def _registers_after(plan: YearPlan, results: Sequence[ChapterResult]) -> list[Path]:
    """The chapter registers the folder will hold once this build's files are moved in."""
    built = {r.chapter.code for r in results if r.status == "built"}
    registers = {p.stem: p for p in (plan.year_dir / "figures").glob("*.csv")
                 if p.stem not in built}
    if plan.staging_dir is not None:
        for code in built:
            staged = plan.staging_dir / "figures" / f"{code}.csv"
            if staged.is_file():
                registers[code] = staged
    return list(registers.values())


def _provenance(entries: Mapping[str, Any], chapters: Iterable[Chapter],
                extract: Mapping[str, Any]) -> dict[str, tuple[str, str]]:
    """Chapter code -> (extract date of its page, whether that is the current extract)."""
    out = {}
    for chapter in chapters:
        entry = entries.get(chapter.name)
        if not entry or "extract" not in entry:
            continue
        page = entry["extract"]
        current = page.get("data_fingerprint") == extract.get("data_fingerprint")
        out[chapter.code] = (str(page.get("extract_date") or ""), "yes" if current else "no")
    return out


# --------------------------------------------------------------------------- the year


def write_manifest(year_dir: Path, body: Mapping[str, Any]) -> Path:
    """Write the manifest atomically, so a crash never leaves one that lies."""
    target = Path(year_dir) / cache.MANIFEST_NAME
    data = {"version": cache.MANIFEST_VERSION, **body}
    data["chapters"] = dict(sorted(dict(body.get("chapters", {})).items()))
    atomic_write_text(target, json.dumps(data, indent=2) + "\n")
    return target


def _calibration(plan: YearPlan, calibrate: Calibrate | None, fingerprint: str,
                 built_at: str) -> tuple[dict[str, Any] | None, list[str]]:
    """The year's calibration record and notes: reused from the manifest when its
    ``fingerprint`` matches and its file is there, else computed into staging."""
    calibration = plan.manifest.get("calibration")
    if calibrate is None:
        return calibration, []
    if cache.calibration_is_current(plan.manifest, fingerprint, plan.year_dir):
        return calibration, list(calibration.get("notes", []))
    assert plan.staging_dir is not None
    notes = calibrate(plan.year, plan.staging_dir / "calibration.csv")
    return ({"fingerprint": fingerprint, "outputs": ["calibration.csv"], "notes": notes,
             "extract": dict(plan.extract), "built_at": built_at}, notes)


def prepare_year(plan: YearPlan, *, calibrate: Calibrate | None = None,
                 calibration_fingerprint: str = "",
                 write_dictionary: WriteDictionary | None = None) -> None:
    """Stage the year's files that do not depend on its chapters, while the chapters run.

    The id search (the year's known ids), the data dictionary, the data-quality page and
    the calibration read only the processed data. Done here, on the build's otherwise idle
    main process, they are off the critical path: a rebuild of one chapter then waits for
    that chapter and little else. Each result is recorded in ``plan.prepared``, and a step
    already recorded is not done again: :func:`finish_year` calls this too, so whatever a
    failure here left undone is done (and reported) there.
    """
    if plan.staging_dir is None:
        return
    prepared = plan.prepared
    if "id_scan" not in prepared:
        prepared["id_scan"] = output_scan.IdScan(output_scan.known_for(plan))
    if write_dictionary is not None and "dictionary" not in prepared:
        write_dictionary(plan.staging_dir)
        prepared["dictionary"] = True
    if plan.jobs and "data_quality" not in prepared:
        # with nothing rebuilt, the published page still describes the same data
        from helpers.build import outputs  # pandas: only when chapters are built
        from helpers.report import data_quality

        data_quality.write_page(plan.staging_dir, plan.year, plan.jobs[0].processed_dir,
                                dict(plan.meta), outputs.declared_renumbering())
        prepared["data_quality"] = True
    if "calibration" not in prepared:
        prepared["calibration"] = _calibration(plan, calibrate, calibration_fingerprint,
                                               now_stamp())


def finish_year(
    plan: YearPlan,
    results: Sequence[ChapterResult],
    all_chapters: Sequence[Chapter],
    partnership: Any,
    *,
    calibrate: Calibrate | None = None,
    calibration_fingerprint: str = "",
    write_dictionary: WriteDictionary | None = None,
    write_outputs: WriteOutputs | None = None,
) -> YearOutcome:
    """Stage the year's shared files, then move everything of this build into place.

    ``calibrate`` (demo data only) is skipped when the manifest's calibration has the same
    ``calibration_fingerprint`` and its file is there: its notes are reused. What
    :func:`prepare_year` already staged is not done again.
    """
    if plan.staging_dir is None:
        plan.staging_dir = new_staging_dir(plan.year_dir.parent, plan.year)
    staging = plan.staging_dir
    prepared = plan.prepared
    prepare_year(plan, calibrate=calibrate, calibration_fingerprint=calibration_fingerprint,
                 write_dictionary=write_dictionary)
    # No record id may leave staging: a chapter holding one fails here (output_scan).
    known = prepared["id_scan"]
    results = output_scan.screen_chapters(plan, results, known)
    built_at = now_stamp()
    entries = update_manifest(plan, results, built_at)
    figures_text = render_figures(_registers_after(plan, results),
                                  _provenance(entries, all_chapters, plan.extract))
    (staging / "figures.csv").write_text(figures_text, encoding="utf-8")

    calibration, notes = prepared["calibration"]
    notes = list(notes)
    outputs: list[str] = []
    if write_outputs is not None:
        built = [r.name for r in results if r.status == "built"]
        provenance = _provenance(entries, all_chapters, plan.extract)
        current = [c.name for c in all_chapters if provenance.get(c.code, ("", ""))[1] == "yes"]
        outputs, output_notes = write_outputs(staging, plan.year_dir, built, current)
        notes = [*notes, *output_notes]
    output_scan.check_shared(staging, known, outputs)

    # Everything that could fail has run; from here on, only moves and small writes.
    plan.year_dir.mkdir(parents=True, exist_ok=True)
    publish(plan, results)
    for name in ("figures.csv", "calibration.csv", "data-dictionary.html", DATA_QUALITY_PAGE):
        if (staging / name).is_file():
            _move(staging / name, plan.year_dir / name)
    for name in outputs:
        _move(staging / name, plan.year_dir / name)
    statuses = chapter_statuses(plan.year_dir, all_chapters, results, entries)
    index = write_index(plan.year_dir, plan.year, partnership, plan.meta, statuses,
                        provenance=cache.provenance_of(entries, plan.extract))
    body: dict[str, Any] = {"year": plan.year, "built_at": built_at, "extract": plan.extract,
                            "year_fingerprint": plan.year_fingerprint, "chapters": entries}
    if calibration:
        body["calibration"] = calibration
    write_manifest(plan.year_dir, body)
    ordered = sorted([*plan.skipped, *results], key=lambda r: r.chapter)
    return YearOutcome(plan.year, results=ordered, index=index, notes=notes)


def unchanged_year(plan: YearPlan) -> YearOutcome:
    """A year with nothing to do: its published files stay exactly as they are."""
    notes = list((plan.manifest.get("calibration") or {}).get("notes", []))
    ordered = sorted(plan.skipped, key=lambda r: r.chapter)
    index = plan.year_dir / "index.html"
    return YearOutcome(plan.year, results=ordered, index=index, notes=notes)


def year_is_complete(plan: YearPlan) -> bool:
    """True if no chapter runs and the year's shared files were made from the same inputs."""
    outputs = ["index.html", "figures.csv",
               *(plan.manifest.get("calibration") or {}).get("outputs", [])]
    return (not plan.jobs and bool(plan.year_fingerprint)
            and plan.manifest.get("year_fingerprint") == plan.year_fingerprint
            and all((plan.year_dir / name).is_file() for name in outputs))
