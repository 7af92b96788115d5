"""Print a self-contained report page to PDF with headless Chromium.

Chromium is what the browser check already uses, prints the house CSS's ``@page`` rules
(A4, running head, page numbers in margin boxes) and needs no network. It is optional:
:func:`chromium` returns None when it is not installed and the build notes that the PDF was
skipped. Contents page numbers are read back from the PDF: its text, page by page
(``pdftotext -layout``), says where each heading landed. The page is first printed with the
numbers of the last build (they still hold unless something before a heading changed
length); if the PDF shows other numbers it is printed again with those, until the contents
agree with the headings (:func:`print_with_page_numbers`).

Printing is most of the cost of a build's whole-report step, so a PDF is printed only when
what it would be printed from changed: each PDF's :class:`Printed` record (the hash of the
HTML it was printed from, the contents' page numbers in it, the hash of the PDF) is kept in
:data:`SOURCES` next to the PDFs, and a PDF whose HTML is the same as last time is copied
from the published one (:func:`reuse`).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import tempfile
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Protocol

__all__ = ["CHROMIUM", "SOURCES", "ChromiumRuns", "Printed", "Printer", "chromium",
           "heading_pages", "print_pdf", "print_with_page_numbers", "read_sources", "reuse",
           "sources_text"]

CHROMIUM = "/usr/bin/chromium"
TIMEOUT_S = 180


#: What each PDF was printed from, published next to them (names relative to the year folder).
SOURCES = "pdf-sources.json"
#: How a PDF is printed: part of its record, so a change of printing settings reprints it.
SETTINGS = "A4 from the page CSS, backgrounds printed, no browser header or footer"

#: Set to "0" to build without PDFs (the test suite does, except where it checks them):
#: a first build prints each PDF once or twice (a cold Chromium each time).
PDF_SWITCH = "LSCP_PDF"


def why_no_pdf() -> str:
    """Why :func:`chromium` gave no binary, in words for the build's notes."""
    if os.environ.get(PDF_SWITCH) == "0":
        return f"PDFs are switched off ({PDF_SWITCH}=0)"
    return "chromium is not installed"


def chromium() -> str | None:
    """The Chromium binary, or None if this machine has none (or PDFs are switched off)."""
    if os.environ.get(PDF_SWITCH) == "0":
        return None
    if Path(CHROMIUM).is_file():
        return CHROMIUM
    return shutil.which("chromium") or shutil.which("chromium-browser")


def print_pdf(page: Path, target: Path, binary: str | None = None) -> Path:
    """Print ``page`` (an HTML file) to ``target`` with headless Chromium."""
    binary = binary or chromium()
    if binary is None:
        raise FileNotFoundError("chromium is not installed")
    with tempfile.TemporaryDirectory(prefix="lscp-chromium-") as profile:
        command = [binary, "--headless=new", "--no-sandbox", "--disable-gpu",
                   "--disable-background-networking", "--disable-component-update",
                   "--disable-sync", "--no-first-run", f"--user-data-dir={profile}",
                   f"--print-to-pdf={target}", "--no-pdf-header-footer",
                   Path(page).resolve().as_uri()]
        subprocess.run(command, check=True, capture_output=True, timeout=TIMEOUT_S)
    if not Path(target).is_file() or Path(target).stat().st_size == 0:
        raise RuntimeError(f"chromium wrote no PDF for {page}")
    return Path(target)


@dataclass(frozen=True)
class Printed:
    """What one PDF was printed from: the sha256 of the HTML printed (contents page numbers
    included), those page numbers, the sha256 of the PDF written, the settings, and whether
    the numbers were read back from the PDF and agree with where the headings are."""

    html_sha256: str
    page_numbers: Mapping[str, int] = field(default_factory=dict)
    pdf_sha256: str = ""
    settings: str = SETTINGS
    checked: bool = False


def sha256_text(text: str) -> str:
    """The sha256 of ``text`` as it is written (UTF-8)."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def sha256_file(path: Path) -> str:
    """The sha256 of a file's bytes."""
    with Path(path).open("rb") as fh:
        return hashlib.file_digest(fh, "sha256").hexdigest()


def read_sources(folder: Path) -> dict[str, Printed]:
    """The :class:`Printed` records published in ``folder`` (PDF name -> record).

    A missing or unreadable file gives none: every PDF is then printed, which costs time
    but is never wrong.
    """
    try:
        raw = json.loads((Path(folder) / SOURCES).read_text(encoding="utf-8"))
        return {str(name): Printed(str(r["html_sha256"]),
                                   {str(k): int(v) for k, v in r["page_numbers"].items()},
                                   str(r["pdf_sha256"]), str(r["settings"]), r["checked"] is True)
                for name, r in raw["pdfs"].items()}
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return {}


def sources_text(records: Mapping[str, Printed]) -> str:
    """The :data:`SOURCES` file for ``records`` (stable order, so unchanged records give an
    unchanged file)."""
    body = {"pdfs": {name: asdict(records[name]) for name in sorted(records)}}
    return json.dumps(body, indent=1) + "\n"


def reuse(previous: Printed | None, text: str, published: Path, target: Path) -> bool:
    """Copy the ``published`` PDF to ``target`` if it was printed from exactly ``text`` with
    today's settings and is the file its record names; False (nothing copied) otherwise."""
    if previous is None or previous.settings != SETTINGS or not Path(published).is_file():
        return False
    if sha256_text(text) != previous.html_sha256 or sha256_file(published) != previous.pdf_sha256:
        return False
    Path(target).parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(published, target)
    return True


class Printer(Protocol):
    """Prints an HTML file to a PDF file."""

    def print_pdf(self, page: Path, target: Path) -> Path: ...


@dataclass(frozen=True)
class ChromiumRuns:
    """A :class:`Printer` starting Chromium afresh for every print."""

    binary: str

    def print_pdf(self, page: Path, target: Path) -> Path:
        return print_pdf(page, target, self.binary)


def _compact(text: str) -> str:
    """Text reduced to letters and digits, lower case: PDF text wraps and spaces freely."""
    return "".join(ch for ch in unicodedata.normalize("NFKC", text).lower() if ch.isalnum())


def reads_pages() -> bool:
    """Whether the text of a printed PDF can be read back (``pdftotext`` is installed)."""
    return shutil.which("pdftotext") is not None


def pdf_pages(pdf: Path) -> list[str]:
    """The text of each page of ``pdf`` (``pdftotext -layout``; pages split at form feeds)."""
    done = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True,
                          capture_output=True, text=True, timeout=TIMEOUT_S)
    pages = done.stdout.split("\f")
    return pages[:-1] if pages and not pages[-1].strip() else pages


def heading_pages(pages: Sequence[str], headings: Sequence[tuple[str, str]]) -> dict[str, int]:
    """Heading id -> the 1-based page it starts on, searching forward in document order.

    The contents list names every heading too, so the search starts after the page where
    the last contents entry appears; a heading not found (e.g. text drawn differently) is
    left without a number rather than given a wrong one.
    """
    compact = [_compact(p) for p in pages]
    if not headings:
        return {}
    keys = [(anchor, _compact(text)[:40]) for anchor, text in headings]
    start = next((i for i, p in enumerate(compact) if keys[-1][1] and keys[-1][1] in p), -1) + 1
    found: dict[str, int] = {}
    at = start
    for anchor, key in keys:
        if not key:
            continue
        hit = next((i for i in range(at, len(compact)) if key in compact[i]), None)
        if hit is not None:
            found[anchor] = hit + 1
            at = hit
    return found


Render = Callable[[Mapping[str, int] | None], tuple[str, list[tuple[str, str]]]]
#: Prints of one PDF at most while its contents' numbers and its headings disagree.
MAX_PRINTS = 3


def print_with_page_numbers(render: Render, html_path: Path, target: Path, printer: Printer,
                            first: Mapping[str, int] | None = None) -> Printed:
    """Print the page ``render`` makes with contents page numbers that match the PDF.

    ``render(numbers)`` returns the page text and its headings (id, text). ``html_path``
    is where the page is written for printing (the final text without numbers is for the
    screen, so the caller writes that afterwards). ``first`` are the numbers to try first
    (the last build's): when the PDF's headings are where they say, one print was enough.
    Otherwise the page is printed again with the numbers found, up to :data:`MAX_PRINTS`
    times. Without ``pdftotext`` one print is made, with no numbers (none could be checked).
    Returns what the PDF was printed from.
    """
    readable = reads_pages()
    numbers: dict[str, int] = dict(first or {}) if readable else {}
    for _ in range(MAX_PRINTS):
        used = numbers
        text, headings = render(used or None)
        Path(html_path).write_text(text, encoding="utf-8")
        printer.print_pdf(html_path, target)
        if not readable:
            break
        numbers = heading_pages(pdf_pages(target), headings)
        if numbers == used:
            return Printed(sha256_text(text), used, sha256_file(target), checked=True)
    return Printed(sha256_text(text), used, sha256_file(target), checked=False)
