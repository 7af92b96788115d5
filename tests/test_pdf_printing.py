"""Printing the whole report's PDFs: what is printed again, what is copied, and the records.

Most tests use a stand-in printer: its "PDF" is the printed HTML itself, and its pages are
read back by cutting that HTML at the headings (one heading a page, the contents first),
so no browser is needed to check which documents a build prints and from what.
"""

from __future__ import annotations

import hashlib
import html
import os
import re
from collections.abc import Sequence
from pathlib import Path

import pandas as pd
import pytest

from helpers.build import outputs
from helpers.report import pdf, whole_report

YEAR = "2024-25"
#: The figure register's columns (the summary page reads them); no figures are needed here.
FIGURES = pd.DataFrame(columns=["chapter", "section", "indicator", "label", "period", "value",
                                "display", "unit", "suppressed", "ref"])
FAKE = b"%PDF-stand-in\n"
_HEADING = re.compile(r"<h[12] id=")
_TAG = re.compile(r"<[^>]+>")


class StandIn:
    """A printer whose PDF is the HTML it printed; it remembers what it printed."""

    def __init__(self) -> None:
        self.printed: list[str] = []

    def print_pdf(self, page: Path, target: Path) -> Path:
        Path(target).write_bytes(FAKE + Path(page).read_bytes())
        self.printed.append(Path(target).name)
        return Path(target)


def stand_in_pages(target: Path) -> list[str]:
    """The stand-in PDF's pages: the contents, then one page from each heading on."""
    text = Path(target).read_bytes()[len(FAKE):].decode("utf-8")
    after = text.index("</nav>", text.index('id="contents-h"'))
    starts = [m.start() for m in _HEADING.finditer(text, after)]
    chunks = [text[a:b] for a, b in zip([0, *starts], [*starts, len(text)], strict=True)]
    return [html.unescape(_TAG.sub(" ", chunk)) for chunk in chunks]


def page(number: int, name: str, body: str) -> whole_report.ChapterPage:
    text = f'<html><body><main id="content"><h1>{number}. Title</h1>{body}</main></body></html>'
    return whole_report.ChapterPage(number, name, "Title", text)


PAGES = [page(6, "06_front_door", "<h2>6.1 Hub</h2><p>hub</p><h2>6.2 Referrals</h2>"),
         page(9, "09_reviews", "<h2>9.1 Reviews</h2><p>reviews</p>"),
         page(10, "10_lado", "<p>allegations</p>")]
GROUPS = [outputs.Subgroup("reviews", "Reviews", (9,)), outputs.Subgroup("lado", "LADO", (10,))]
BUNDLES = ("reviews.pdf", "lado.pdf")


def build(staging: Path, pages: Sequence[whole_report.ChapterPage], printer: pdf.Printer,
          published: Path | None) -> list[str]:
    """Stage the whole-report outputs of ``pages`` as a build would."""
    staging.mkdir(parents=True)
    written, _ = outputs.write_outputs(staging, pages, FIGURES, YEAR, "P",
                                       {"synthetic": True}, GROUPS, printer, published=published)
    return written


def publish(staging: Path, written: Sequence[str], year_dir: Path) -> Path:
    """Move the staged files into the year folder, as publishing does."""
    for name in written:
        (year_dir / name).parent.mkdir(parents=True, exist_ok=True)
        os.replace(staging / name, year_dir / name)
    return year_dir


@pytest.fixture
def stand_in(monkeypatch: pytest.MonkeyPatch) -> StandIn:
    monkeypatch.setattr(pdf, "pdf_pages", stand_in_pages)
    monkeypatch.setattr(pdf, "reads_pages", lambda: True)
    return StandIn()


def first_build(tmp_path: Path, printer: StandIn) -> Path:
    written = build(tmp_path / "s1", PAGES, printer, None)
    return publish(tmp_path / "s1", written, tmp_path / YEAR)


def test_each_pdf_is_recorded_with_the_html_it_was_printed_from(tmp_path: Path,
                                                                stand_in: StandIn) -> None:
    written = build(tmp_path / "s", PAGES, stand_in, None)
    assert pdf.SOURCES in written and "annual-report.pdf" in written
    records = pdf.read_sources(tmp_path / "s")
    assert set(records) == {"annual-report.pdf", *(f"subgroups/{b}" for b in BUNDLES)}
    for name, record in records.items():
        printed = (tmp_path / "s" / name).read_bytes()
        assert record.pdf_sha256 == hashlib.sha256(printed).hexdigest()
        assert record.html_sha256 == hashlib.sha256(printed[len(FAKE):]).hexdigest()
        for anchor, number in record.page_numbers.items():  # the numbers are in what was printed
            assert f'href="#{anchor}">' in printed.decode() and f'<span class="pg">{number}<' in (
                printed.decode())
    assert records["annual-report.pdf"].page_numbers["ch09"] == 5  # contents, 6, 6.1, 6.2, 9


def test_a_pdf_whose_html_did_not_change_is_copied_from_the_published_one(
        tmp_path: Path, stand_in: StandIn) -> None:
    year_dir = first_build(tmp_path, stand_in)
    before = {b: (year_dir / "subgroups" / b).read_bytes() for b in BUNDLES}
    changed = [*PAGES[:2], page(10, "10_lado", "<p>allegations, revised</p>")]
    again = StandIn()
    written = build(tmp_path / "s2", changed, again, year_dir)
    # Chapter 10 changed: the report and the LADO bundle are printed, the reviews bundle is not.
    assert "reviews.pdf" not in again.printed
    assert {"annual-report.pdf", "lado.pdf"} <= set(again.printed)
    assert (tmp_path / "s2" / "subgroups" / "reviews.pdf").read_bytes() == before["reviews.pdf"]
    assert "subgroups/reviews.pdf" in written and pdf.SOURCES in written
    assert pdf.read_sources(tmp_path / "s2")["subgroups/reviews.pdf"] == (
        pdf.read_sources(year_dir)["subgroups/reviews.pdf"])
    assert not list((tmp_path / "s2").rglob(".print-*"))


def test_nothing_changed_prints_nothing(tmp_path: Path, stand_in: StandIn) -> None:
    year_dir = first_build(tmp_path, stand_in)
    again = StandIn()
    build(tmp_path / "s2", PAGES, again, year_dir)
    assert again.printed == []
    assert (tmp_path / "s2" / pdf.SOURCES).read_text() == (year_dir / pdf.SOURCES).read_text()


def test_a_published_pdf_that_is_not_the_one_recorded_is_printed_again(
        tmp_path: Path, stand_in: StandIn) -> None:
    year_dir = first_build(tmp_path, stand_in)
    (year_dir / "subgroups" / "lado.pdf").write_bytes(b"%PDF- edited by hand")
    (year_dir / "annual-report.pdf").unlink()
    again = StandIn()
    build(tmp_path / "s2", PAGES, again, year_dir)
    assert sorted(set(again.printed)) == ["annual-report.pdf", "lado.pdf"]


def test_without_a_readable_record_every_pdf_is_printed(tmp_path: Path, stand_in: StandIn) -> None:
    year_dir = first_build(tmp_path, stand_in)
    (year_dir / pdf.SOURCES).write_text('{"pdfs": {"annual-report.pdf": {"html_sha256": 1}}}')
    assert pdf.read_sources(year_dir) == {}
    again = StandIn()
    build(tmp_path / "s2", PAGES, again, year_dir)
    assert set(again.printed) == {"annual-report.pdf", *BUNDLES}


def test_no_printer_writes_the_html_and_no_record(tmp_path: Path) -> None:
    (tmp_path / "s").mkdir()
    written, notes = outputs.write_outputs(tmp_path / "s", PAGES, FIGURES, YEAR, "P", {},
                                           GROUPS, None, published=tmp_path)
    assert "annual-report.html" in written and pdf.SOURCES not in written
    assert not list((tmp_path / "s").rglob("*.pdf"))
    assert any(n.startswith("PDF skipped") for n in notes)
