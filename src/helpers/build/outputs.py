"""The whole-report outputs of a year, staged with the rest of the build.

Writes into the staging folder (so :mod:`helpers.build.publishing` moves them into place
with everything else, and a failure publishes nothing):

* ``summary.html``: the report on a page (:func:`helpers.report.whole_report.render_summary`);
* ``annual-report.html`` and ``annual-report.pdf``: every chapter in one file, and printed;
* ``subgroups/<slug>.html`` (and ``.pdf``): the chapters and sections each subgroup of the
  partnership receives, as named in ``config/partnership.toml`` (``[[subgroups]]``): a
  section is cut from its chapter's page at the section headings.

Only chapters whose page was built from the current extract are used: a page kept from
an earlier extract would put two extracts' figures side by side in one document. Every
file is checked before it is staged: nothing executable, no child identifier.

With the PDFs goes ``pdf-sources.json`` (:data:`helpers.report.pdf.SOURCES`): what each was
printed from. A PDF whose HTML is byte-identical to what the published one was printed from
is copied from the year folder instead of printed again, so a bundle whose chapters did not
change costs nothing.
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import re
import tomllib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from helpers.chapters.declarations import Renumbered
from helpers.config import CONFIG_FILE, REPO_ROOT
from helpers.report import pdf, whole_report
from helpers.report.index_pages import SYNTHETIC_BANNER
from helpers.report.safety import executable_markup

SUMMARY = "summary.html"
ONE_FILE = "annual-report.html"
ONE_PDF = "annual-report.pdf"
SUBGROUP_DIR = "subgroups"
#: A child's identifier as the data carry it (``CH-000195``): must never reach a page.
CHILD_ID = re.compile(r"\bCH-\d{4,}\b")


class UnsafeOutputError(ValueError):
    """An output would carry executable markup or a child identifier; none is written."""


@dataclass(frozen=True)
class Subgroup:
    """A subgroup of the partnership and what it receives: whole chapters in the order
    given, then single sections (``"7.7"``) in the order given."""

    slug: str
    name: str
    chapters: tuple[int, ...]
    sections: tuple[str, ...] = ()


class SubgroupConfigError(ValueError):
    """A ``[[subgroups]]`` entry of the partnership config that cannot be followed."""


def _shown(path: Path) -> str:
    """The config file as a person finds it: relative to the repository where it is in it."""
    try:
        return Path(path).resolve().relative_to(REPO_ROOT.resolve()).as_posix()
    except ValueError:
        return str(path)


def _sections(entries: Sequence[object], chapters: tuple[int, ...], where: str,
              known: Mapping[str, tuple[int, str]]) -> tuple[str, ...]:
    """A subgroup's ``sections``, each one a numbered section some chapter declares."""
    out: list[str] = []
    for entry in entries:
        if not isinstance(entry, str):
            raise SubgroupConfigError(f"{where}: section {entry!r}: write section numbers in "
                                      f'quotes ("{entry}"): as a number, 7.10 would read as 7.1')
        if entry not in known:
            numbered = ", ".join(known) or "none"
            raise SubgroupConfigError(f"{where}: section {entry!r} is not a section of the "
                                      f"report (its numbered sections: {numbered})")
        chapter = known[entry][0]
        if chapter in chapters:
            raise SubgroupConfigError(f"{where}: section {entry!r} is in chapter {chapter}, "
                                      "which the subgroup already receives whole")
        if entry in out:
            raise SubgroupConfigError(f"{where}: section {entry!r} is listed twice")
        out.append(entry)
    return tuple(out)


def declared_sections() -> dict[str, tuple[int, str]]:
    """Every numbered section the chapter modules declare: number -> (chapter, title)."""
    return dict(_declarations()[0])


def declared_renumbering() -> list[Renumbered]:
    """The renumbering the chapter modules declare (for the data-quality page)."""
    return list(_declarations()[1])


@functools.lru_cache(maxsize=1)
def _declarations() -> tuple[dict[str, tuple[int, str]], tuple[Renumbered, ...]]:
    """What the chapter modules declare, kept between builds (and worked out once a
    process: a build asks for it to check the subgroups, for the data-quality page and
    again for the bundles).

    Reading it means importing all fourteen chapter modules (pandas, matplotlib and every
    indicator): over a second of a build that runs one chapter, spent by the main process
    while it checks the config's subgroups and writes the data-quality page meanwhile.
    So the answer is stored under the fingerprint of the chapters' code
    (:func:`helpers.build.cache.chapters_fingerprint`) and read again while that holds.
    """
    from helpers.build import cache

    key = cache.chapters_fingerprint()
    stored = cache.StoredAnswer("chapter-declarations.json")
    answer = stored.get(key)
    with contextlib.suppress(TypeError, ValueError, KeyError, AttributeError):
        sections = {str(n): (int(c), str(t)) for n, (c, t) in answer["sections"].items()}
        return sections, tuple(Renumbered(*r) for r in answer["renumbered"])
    from helpers.chapters import declarations

    sections, renumbered = declarations.declared_sections(), declarations.renumbered_sections()
    stored.put(key, {"sections": {n: [c, t] for n, (c, t) in sections.items()},
                     "renumbered": [list(dataclasses.astuple(r)) for r in renumbered]})
    return sections, tuple(renumbered)


def subgroups(path: Path = CONFIG_FILE,
              known: Mapping[str, tuple[int, str]] | None = None) -> list[Subgroup]:
    """The ``[[subgroups]]`` of the partnership config (none if it names none).

    ``known`` is every numbered section of the report (number -> (chapter, title)); by
    default the sections the chapter modules declare, read only when a subgroup lists
    sections. An entry that cannot be followed is an error naming the file and the entry.
    """
    with Path(path).open("rb") as fh:
        raw = tomllib.load(fh)
    out = []
    for item in raw.get("subgroups", []):
        slug = str(item["slug"])
        if not re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", slug):
            raise SubgroupConfigError(f"{_shown(path)}: subgroup slug {slug!r}: use "
                                      "lower-case letters, digits and '-'")
        chapters = tuple(int(c) for c in item.get("chapters", []))
        listed = item.get("sections", [])
        if listed and known is None:
            known = declared_sections()
        sections = _sections(listed, chapters, f"{_shown(path)}, [[subgroups]] {slug!r}",
                             known or {})
        out.append(Subgroup(slug, str(item["name"]), chapters, sections))
    return out


def check(text: str, name: str) -> str:
    """``text`` if it is safe to publish, else :class:`UnsafeOutputError`."""
    problems = executable_markup(text)
    if problems:
        raise UnsafeOutputError(f"{name} would run code: {'; '.join(problems[:5])}")
    if CHILD_ID.search(text):
        raise UnsafeOutputError(f"{name} would show a child identifier")
    return text


def _write(folder: Path, name: str, text: str) -> str:
    return _stage(folder, name, check(text, name))


def _stage(folder: Path, name: str, checked: str) -> str:
    """Write text that :func:`check` passed."""
    target = folder / name
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(checked, encoding="utf-8")
    return name


@dataclass
class PdfStep:
    """The PDFs of one build: what prints them, what the published ones were printed from
    (``published``: the year folder, whose PDFs and :data:`~helpers.report.pdf.SOURCES` the
    build replaces) and what this build's are."""

    printer: pdf.Printer
    published: Path | None = None
    previous: Mapping[str, pdf.Printed] = field(default_factory=dict)
    records: dict[str, pdf.Printed] = field(default_factory=dict)

    @classmethod
    def for_year(cls, printer: pdf.Printer, published: Path | None) -> PdfStep:
        """The step for a build replacing ``published`` (None: nothing to reuse)."""
        return cls(printer, published, pdf.read_sources(published) if published else {})

    def make(self, render: pdf.Render, folder: Path, pdf_name: str) -> None:
        """Stage ``pdf_name`` in ``folder``: the published PDF if it was printed from what
        ``render`` gives now, else a new print."""
        target = folder / pdf_name
        before = self.previous.get(pdf_name)
        # A PDF printed without its numbers checked is printed again once they can be.
        settled = before is not None and (before.checked or not pdf.reads_pages())
        if before is not None and settled and self.published is not None and pdf.reuse(
                before, render(before.page_numbers)[0], self.published / pdf_name, target):
            self.records[pdf_name] = before
            return
        printable = target.parent / f".print-{Path(pdf_name).stem}.html"
        try:
            self.records[pdf_name] = pdf.print_with_page_numbers(
                render, printable, target, self.printer, before.page_numbers if before else None)
        finally:
            printable.unlink(missing_ok=True)

    def notes(self) -> list[str]:
        """What a reader of the build summary should know about the PDFs' contents pages."""
        unchecked = [name for name, r in self.records.items() if not r.checked]
        if not unchecked:
            return []
        why = ("pdftotext is not installed, so they have none" if not pdf.reads_pages()
               else f"they still moved after {pdf.MAX_PRINTS} prints")
        return [f"PDF contents page numbers not checked in {', '.join(unchecked)}: {why}"]

    def stage_sources(self, folder: Path) -> list[str]:
        """Stage the record of this build's PDFs (none if it printed none)."""
        if not self.records:
            return []
        (folder / pdf.SOURCES).write_text(pdf.sources_text(self.records), encoding="utf-8")
        return [pdf.SOURCES]


def _document(folder: Path, name: str, parts: Sequence[whole_report.Part],
              meta: Mapping[str, Any], context: tuple[str, str], title: str, note: str,
              pdfs: PdfStep | None) -> list[str]:
    """Write ``name`` (HTML) and, with Chromium, its PDF; returns the files written."""
    year, partnership = context
    synthetic = bool(meta.get("synthetic"))
    base = "../" * name.count("/")

    made: dict[tuple[tuple[str, int], ...], tuple[str, list[tuple[str, str]]]] = {}

    def render(numbers: Mapping[str, int] | None) -> tuple[str, list[tuple[str, str]]]:
        """The document with ``numbers`` in its contents, checked; each variant made and
        checked once (the check is most of the cost of a large document)."""
        key = tuple(sorted((numbers or {}).items()))
        if key not in made:
            text, entries = whole_report.render_document(
                parts, year, partnership, title, synthetic=synthetic, banner=SYNTHETIC_BANNER,
                note=note, page_numbers=numbers, base=base)
            made[key] = check(text, name), [(e.anchor, e.text) for e in entries]
        return made[key]

    written = [_stage(folder, name, render(None)[0])]
    if pdfs is not None:
        pdf_name = name[:-len(".html")] + ".pdf"
        pdfs.make(render, folder, pdf_name)
        written.append(pdf_name)
    return written


def bundle_parts(group: Subgroup, pages: Sequence[whole_report.ChapterPage],
                 ) -> tuple[list[whole_report.Part], list[str]]:
    """What a subgroup's bundle holds, from the pages built: its whole chapters (in its
    order), then its sections grouped by chapter (in its order); and what is missing."""
    by_number = {p.number: p for p in pages}
    parts = [whole_report.Part(by_number[n]) for n in group.chapters if n in by_number]
    missing = [f"chapter {n}" for n in group.chapters if n not in by_number]
    grouped: dict[int, list[str]] = {}
    for section in group.sections:
        grouped.setdefault(int(section.split(".")[0]), []).append(section)
    for number, sections in grouped.items():
        if number in by_number:
            parts.append(whole_report.Part(by_number[number], tuple(sections)))
        else:
            missing += [f"section {s}" for s in sections]
    return parts, missing


def write_outputs(staging: Path, pages: Sequence[whole_report.ChapterPage], figures: pd.DataFrame,
                  year: str, partnership: str, meta: Mapping[str, Any],
                  groups: Iterable[Subgroup] = (), printer: pdf.Printer | None = None,
                  published: Path | None = None) -> tuple[list[str], list[str]]:
    """Stage every whole-report output; returns (files relative to staging, notes).

    ``printer`` prints the PDFs (None: no PDFs). ``published`` is the year folder this
    build replaces: a PDF printed there from the same HTML is copied rather than printed.
    """
    notes: list[str] = []
    if not pages:
        return [], ["whole report: no chapter built from this extract, nothing written"]
    synthetic = bool(meta.get("synthetic"))
    written = [_write(staging, SUMMARY, whole_report.render_summary(
        pages, figures, year, partnership, synthetic=synthetic, banner=SYNTHETIC_BANNER))]
    context = (year, partnership)
    pdfs = PdfStep.for_year(printer, published) if printer is not None else None
    written += _document(staging, ONE_FILE, [whole_report.Part(p) for p in pages], meta,
                         context, "Annual report", "", pdfs)
    for group in groups:
        parts, missing = bundle_parts(group, pages)
        note = f"For the {group.name} subgroup."
        if missing:
            note += f" Not in this build: {', '.join(missing)}."
            notes.append(f"subgroup {group.slug}: {', '.join(missing)} not built from this "
                         "extract, left out")
        if not parts:
            continue
        written += _document(staging, f"{SUBGROUP_DIR}/{group.slug}.html", parts, meta,
                             context, f"Annual report: {group.name}", note, pdfs)
    if pdfs is not None:
        written += pdfs.stage_sources(staging)
        notes += pdfs.notes()
    else:
        notes.append(f"PDF skipped: {pdf.why_no_pdf()} (the HTML files were written)")
    return written, notes


def stage_whole_report(staging: Path, year_dir: Path, built: Iterable[str],
                       current: Iterable[str], year: str, partnership: str,
                       meta: Mapping[str, Any], config_file: Path = CONFIG_FILE,
                       binary: str | bool | None = True) -> tuple[list[str], list[str]]:
    """Stage the outputs from the pages this build leaves: built now (in ``staging``) or
    kept (in ``year_dir``), restricted to chapter names in ``current`` (pages from the
    current extract). ``binary`` True looks for Chromium, False/None prints no PDF."""
    built, current = set(built), set(current)
    pages = []
    for name in sorted(current):
        folder = staging if name in built else year_dir
        pages += whole_report.chapter_pages(folder, [name])
    figures_file = staging / "figures.csv"
    figures = whole_report.read_figures(figures_file)
    if "page_current_extract" in figures.columns:
        figures = figures[figures["page_current_extract"] != "no"]
    found = pdf.chromium() if binary is True else (binary or None)
    printer = pdf.ChromiumRuns(found) if found else None
    return write_outputs(staging, pages, figures, year, partnership, meta,
                         subgroups(config_file), printer, published=year_dir)
