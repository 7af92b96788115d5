"""Print a self-contained report page to PDF with headless Chromium.

Chromium is what the browser check already uses, prints the house CSS's ``@page`` rules
(A4, running head, page numbers in margin boxes) and needs no network. It is optional:
:func:`chromium` returns None when it is not installed and the build notes that the PDF was
skipped. Contents page numbers come from a second pass: the first PDF's text, page by
page (``pdftotext -layout``), says where each heading landed, and the page is printed again
with those numbers; the contents list takes the same room either way, so they hold.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import unicodedata
from collections.abc import Callable, Sequence
from pathlib import Path

__all__ = ["CHROMIUM", "chromium", "heading_pages", "print_pdf", "print_with_page_numbers"]

CHROMIUM = "/usr/bin/chromium"
TIMEOUT_S = 180


#: Set to "0" to build without PDFs (the test suite does, except where it checks them):
#: each PDF is two Chromium print runs.
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


def _compact(text: str) -> str:
    """Text reduced to letters and digits, lower case: PDF text wraps and spaces freely."""
    return "".join(ch for ch in unicodedata.normalize("NFKC", text).lower() if ch.isalnum())


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


def print_with_page_numbers(render: Callable[[dict[str, int] | None], tuple[str, list[tuple[str, str]]]],
                            html_path: Path, target: Path, binary: str | None = None) -> Path:
    """Print the page ``render`` makes, then again with its contents' page numbers.

    ``render(numbers)`` returns the page text and its headings (id, text). ``html_path``
    is where the page is written for printing (the final text without numbers is for the
    screen, so the caller writes that afterwards). Without ``pdftotext`` one pass is made.
    """
    text, headings = render(None)
    Path(html_path).write_text(text, encoding="utf-8")
    print_pdf(html_path, target, binary)
    if shutil.which("pdftotext") is None:
        return Path(target)
    numbers = heading_pages(pdf_pages(target), headings)
    text, _ = render(numbers)
    Path(html_path).write_text(text, encoding="utf-8")
    return print_pdf(html_path, target, binary)
