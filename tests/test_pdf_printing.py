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
from collections.abc import Callable, Sequence
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


def layout(spill: Callable[[str], int] = lambda text: 0) -> Callable[[Path], list[str]]:
    """The pages of a stand-in PDF: the contents, ``spill(html)`` more pages of contents,
    then one page from each heading on."""

    def pages(target: Path) -> list[str]:
        text = Path(target).read_bytes()[len(FAKE):].decode("utf-8")
        after = text.index("</nav>", text.index('id="contents-h"'))
        starts = [m.start() for m in _HEADING.finditer(text, after)]
        chunks = [text[a:b] for a, b in zip([0, *starts], [*starts, len(text)], strict=True)]
        shown = [html.unescape(_TAG.sub(" ", chunk)) for chunk in chunks]
        return [shown[0], *([""] * spill(text)), *shown[1:]]

    return pages


stand_in_pages = layout()


def page(number: int, name: str, body: str) -> whole_report.ChapterPage:
    text = f'<html><body><main id="content"><h1>{number}. Title</h1>{body}</main></body></html>'
    return whole_report.ChapterPage(number, name, "Title", text)


PAGES = [page(6, "06_front_door", "<h2>6.1 Hub</h2><p>hub</p><h2>6.2 Referrals</h2>"),
         page(9, "09_reviews", "<h2>9.1 Reviews</h2><p>reviews</p>"),
         page(10, "10_lado", "<p>allegations</p>")]
GROUPS = [outputs.Subgroup("reviews", "Reviews", (9,)), outputs.Subgroup("lado", "LADO", (10,))]
BUNDLES = ("reviews.pdf", "lado.pdf")


def build(staging: Path, pages: Sequence[whole_report.ChapterPage], printer: pdf.Printer,
          published: Path | None, groups: Sequence[outputs.Subgroup] = GROUPS) -> list[str]:
    """Stage the whole-report outputs of ``pages`` as a build would; returns the files."""
    return build_noting(staging, pages, printer, published, groups)[0]


def build_noting(staging: Path, pages: Sequence[whole_report.ChapterPage], printer: pdf.Printer,
                 published: Path | None, groups: Sequence[outputs.Subgroup] = GROUPS,
                 ) -> tuple[list[str], list[str]]:
    """Stage the whole-report outputs of ``pages``; returns the files and the notes."""
    staging.mkdir(parents=True)
    return outputs.write_outputs(staging, pages, FIGURES, YEAR, "P", {"synthetic": True}, groups,
                                 printer, published=published)


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


def where_headings_are(target: Path, spill: Callable[[str], int] = lambda text: 0,
                       ) -> dict[str, int]:
    """Heading id -> the page the stand-in PDF shows it on, read from its markup."""
    pages = layout(spill)(target)
    return {m[1]: next(i for i, p in enumerate(pages) if i and m[2] in p) + 1
            for m in re.finditer(r'<h[12] id="(ch[^"]+)">([^<]+)<', target.read_text(errors="replace"))}


def printed_numbers(target: Path) -> dict[str, int]:
    """Heading id -> the page the stand-in PDF's contents give for it."""
    return {a: int(n) for a, n in re.findall(r'href="#([^"]+)">[^<]*</a><span class="pg">(\d+)<',
                                             target.read_text(errors="replace"))}


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


def test_numbers_that_move_the_headings_are_printed_again_until_they_agree(
        tmp_path: Path, stand_in: StandIn, monkeypatch: pytest.MonkeyPatch) -> None:
    def spill(text: str) -> int:  # with page numbers the contents takes two pages
        return 1 if 'class="pg"' in text else 0

    monkeypatch.setattr(pdf, "pdf_pages", layout(spill))
    _, notes = build_noting(tmp_path / "s", PAGES, stand_in, None, ())
    target = tmp_path / "s" / "annual-report.pdf"
    assert stand_in.printed == ["annual-report.pdf"] * 3  # none, found, found again: agreed
    assert printed_numbers(target) == where_headings_are(target, spill)
    assert printed_numbers(target)["ch09"] == 6
    record = pdf.read_sources(tmp_path / "s")["annual-report.pdf"]
    assert record.checked and record.page_numbers == printed_numbers(target)
    assert not [n for n in notes if "not checked" in n]


def test_last_builds_numbers_are_tried_first(tmp_path: Path, stand_in: StandIn) -> None:
    year_dir = first_build(tmp_path, stand_in)
    assert stand_in.printed.count("annual-report.pdf") == 2  # first build: none, then found
    same_pages = [*PAGES[:2], page(10, "10_lado", "<p>allegations, revised</p>")]
    again = StandIn()
    build(tmp_path / "s2", same_pages, again, year_dir)
    assert again.printed.count("annual-report.pdf") == 1  # nothing moved: one print
    moved = [page(6, "06_front_door", "<h2>6.1 Hub</h2><h2>6.2 New</h2><h2>6.3 Referrals</h2>"),
             *PAGES[1:]]
    third = StandIn()
    build(tmp_path / "s3", moved, third, year_dir)
    target = tmp_path / "s3" / "annual-report.pdf"
    assert third.printed.count("annual-report.pdf") == 2  # chapter 9 moved a page on
    assert printed_numbers(target) == where_headings_are(target)
    assert printed_numbers(target)["ch09"] == 6


def test_numbers_that_never_settle_are_noted(tmp_path: Path, stand_in: StandIn,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    def spill(text: str) -> int:  # a contents saying chapter 6 is on page 2 takes two pages
        return 1 if 'href="#ch06">6. Title</a><span class="pg">2<' in text else 0

    monkeypatch.setattr(pdf, "pdf_pages", layout(spill))
    _, notes = build_noting(tmp_path / "s", PAGES[:1], stand_in, None, ())
    assert stand_in.printed == ["annual-report.pdf"] * pdf.MAX_PRINTS
    assert not pdf.read_sources(tmp_path / "s")["annual-report.pdf"].checked
    assert any("not checked in annual-report.pdf" in n and "moved" in n for n in notes)


def test_without_pdftotext_one_print_without_numbers(tmp_path: Path, stand_in: StandIn,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    year_dir = first_build(tmp_path, stand_in)
    monkeypatch.setattr(pdf, "reads_pages", lambda: False)
    again = StandIn()
    build(tmp_path / "s2", PAGES, again, year_dir, ())
    assert again.printed == []  # its numbers were checked when it was printed: still good
    changed = [*PAGES[:2], page(10, "10_lado", "<p>allegations, revised</p>")]
    _, notes = build_noting(tmp_path / "s3", changed, again, year_dir, ())
    assert again.printed == ["annual-report.pdf"]
    assert printed_numbers(tmp_path / "s3" / "annual-report.pdf") == {}  # none it could check
    assert any("pdftotext is not installed" in n for n in notes)


# --------------------------------------------------------------------------- real Chromium

LONG = "".join(f"<p>{'A paragraph long enough to fill lines. ' * 12}{i}</p>" for i in range(40))
REAL_PAGES = [page(6, "06_front_door", f"<h2>6.1 Hub</h2>{LONG}<h2>6.2 Referrals</h2>{LONG}"),
              page(9, "09_reviews", f"<h2>9.1 Reviews</h2>{LONG}"),
              page(10, "10_lado", "<p>allegations</p>")]


def chromium_or_skip(monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv(pdf.PDF_SWITCH, "1")  # the suite builds without PDFs; this test prints
    binary = pdf.chromium()
    if binary is None or not pdf.reads_pages():
        pytest.skip("chromium or pdftotext not installed: PDFs are not made")
    return binary


def test_printed_contents_numbers_are_the_pages_the_headings_are_on(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    printer = pdf.ChromiumRuns(chromium_or_skip(monkeypatch))
    _, notes = build_noting(tmp_path / "s", REAL_PAGES, printer, None, ())
    target = tmp_path / "s" / "annual-report.pdf"
    record = pdf.read_sources(tmp_path / "s")["annual-report.pdf"]
    assert record.checked and not [n for n in notes if "not checked" in n]
    pages = pdf.pdf_pages(target)
    contents = pages[0]
    headings = {"ch06": "6. Title", "ch06-s2": "6.1 Hub", "ch06-s3": "6.2 Referrals",
                "ch09": "9. Title", "ch09-s2": "9.1 Reviews", "ch10": "10. Title"}
    assert set(record.page_numbers) == set(headings)
    for anchor, text in headings.items():
        number = record.page_numbers[anchor]
        # The contents line of the heading ends in its number; the heading starts a line there.
        assert re.search(rf"{re.escape(text)}\s*\.*\s*{number}\s*$", contents, re.MULTILINE)
        lines = [line.strip() for line in pages[number - 1].splitlines()]
        assert text in lines and f"Page {number} of {len(pages)}" in pages[number - 1], anchor
    assert record.page_numbers["ch09"] > record.page_numbers["ch06-s3"] > 2
