"""The whole report: summary (headlines, movers), one-file report, bundles, their checks."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pandas as pd
import pytest

from helpers.build import outputs
from helpers.build import runner as build
from helpers.config import NOTEBOOKS_DIR, RAW_DIR
from helpers.report import page_parts, pdf, whole_report
from helpers.report.key_figures import KeyFigure, key_figures_html
from helpers.report.safety import executable_markup

YEAR, LAST = "2024-25", "2023-24"
COLUMNS = ["chapter", "section", "indicator", "label", "period", "value", "display", "unit",
           "suppressed", "ref"]


def row(indicator: str, period: str, value: float | str, unit: str = "count",
        suppressed: bool = False, ref: str = "", chapter: str = "6", section: str = "6.1",
        display: str | None = None) -> dict[str, str]:
    shown = display if display is not None else (f"{value}%" if unit == "percent" else str(value))
    return dict(zip(COLUMNS, [chapter, section, indicator, indicator.replace("_", " "), period,
                              str(value), shown, unit, str(suppressed), ref], strict=True))


def frame(rows: list[dict[str, str]]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=COLUMNS)


def page(number: int, name: str, body: str) -> whole_report.ChapterPage:
    text = f'<html><body><main id="content"><h1>{number}. Title</h1>{body}</main></body></html>'
    return whole_report.ChapterPage(number, name, "Title", text)


FIGURES = frame([
    row("contacts", LAST, 100), row("contacts", YEAR, 150, ref="F1"),           # +50%
    row("tiny", LAST, 4), row("tiny", YEAR, 9),                                  # below 10
    row("hidden", LAST, 40, suppressed=True), row("hidden", YEAR, 400),          # suppressed
    row("share", LAST, 20.0, "percent"), row("share", YEAR, 32.0, "percent", ref="F2"),  # +12pp
    row("rate", LAST, 50.0, "percent"), row("rate", YEAR, 47.0, "percent"),      # -3pp
    row("flat", LAST, 30, ref="F3"), row("flat", YEAR, 30, ref="F4"),            # no change
    row("only_now", YEAR, 12, ref="F5"),
    row("referrals", LAST, 200, chapter="10", section="10.1"),
    row("referrals", YEAR, 180, chapter="10", section="10.1"),                   # -10%
])


def test_movers_rank_points_and_relative_change_and_skip_unusable_values() -> None:
    found = whole_report.movers(FIGURES, YEAR)
    assert [m.indicator for m in found] == ["share", "contacts", "rate", "referrals"]
    assert found[0].words == "up 12 percentage points"
    assert found[1].words == "up 50%" and found[3].words == "down 10%"
    assert {"tiny", "hidden", "flat", "only_now"}.isdisjoint(m.indicator for m in found)


def test_movers_stop_at_the_limit_and_fill_from_the_longer_kind() -> None:
    rows = []
    for i in range(12):
        rows += [row(f"c{i}", LAST, 100), row(f"c{i}", YEAR, 110 + i)]
    rows += [row("p", LAST, 10.0, "percent"), row("p", YEAR, 11.0, "percent")]
    found = whole_report.movers(frame(rows), YEAR, limit=10)
    assert len(found) == 10
    assert found[0].indicator == "p" and found[1].indicator == "c11"
    assert [m.indicator for m in found[2:4]] == ["c10", "c9"]


def test_headlines_come_from_the_key_figures_box_with_its_ref_and_section() -> None:
    box = key_figures_html([KeyFigure("contacts", "150", YEAR, f"up 50% on {LAST}", "up")])
    headed = '<h2 id="s61">6.1 The front door</h2>'
    found = whole_report.headlines([page(6, "06_front_door", box + headed)], FIGURES, YEAR)[6]
    assert len(found) == 1
    first = found[0]
    assert (first.value, first.change, first.direction) == ("150", f"up 50% on {LAST}", "up")
    assert (first.section, first.ref) == ("6.1", "F1")
    assert first.href == "06_front_door.html#s61"


def test_a_declared_heading_carries_the_id_the_summary_links_to() -> None:
    from helpers.chapters.sections import Heading

    [shown] = Heading("7.12", "Attendance & exclusions").render(None)  # type: ignore[arg-type]
    assert '<h2 id="s7-12">7.12 Attendance &amp; exclusions</h2>' in shown.data
    assert whole_report.section_anchor(page(7, "07_assurance", shown.data), "7.12") == (
        "07_assurance.html#s7-12")


def test_headlines_without_a_box_use_first_figures_with_refs_and_their_change() -> None:
    found = whole_report.headlines([page(6, "06_front_door", "<p>text</p>")], FIGURES, YEAR,
                                   fallback=3)[6]
    assert [h.ref for h in found] == ["F1", "F2", "F4"]
    assert found[0].change == f"up 50% on {LAST}" and found[0].direction == "up"
    assert found[1].change == f"up 12 percentage points on {LAST}"
    assert found[2].direction == "no change"
    assert found[0].href == "06_front_door.html"  # no heading ids: the page itself


def test_summary_groups_by_chapter_links_pages_and_lists_movers() -> None:
    pages = [page(6, "06_front_door", ""), page(10, "10_lado", "")]
    text = whole_report.render_summary(pages, FIGURES, YEAR, "Partnership", synthetic=True,
                                       banner="Synthetic demo data")
    assert text.index('href="06_front_door.html"') < text.index('href="10_lado.html"')
    assert "What changed since last year" in text and "up 12 percentage points" in text
    assert "lscp-banner" in text and "hidden" not in text.split("What changed")[1]
    assert executable_markup(text) == []


def test_document_has_contents_ids_and_internal_links() -> None:
    pages = [page(6, "06_front_door", '<h2>6.1 First</h2><a href="10_lado.html">see</a>'),
             page(10, "10_lado", "<h2>10.1 Second</h2>")]
    text, entries = whole_report.render_document([whole_report.Part(p) for p in pages], YEAR,
                                                 "P", "Annual report", page_numbers={"ch10": 7})
    assert [e.anchor for e in entries] == ["ch06", "ch06-s2", "ch10", "ch10-s2"]
    assert '<h2 id="ch06-s2">6.1 First</h2>' in text and 'href="#ch10"' in text
    assert '<span class="pg">7</span>' in text
    assert text.index('id="ch06"') < text.index('id="ch10"')


def test_heading_pages_skip_the_contents_and_search_forward() -> None:
    pages = ["Contents\n6. Title ... \n6.1 First\n10. Other", "6. Title\nbody", "more 6.1 Fi-\nrst",
             "10. Other"]
    headings = [("a", "6. Title"), ("b", "6.1 First"), ("x", "Not printed"), ("c", "10. Other")]
    # Line breaks and hyphens do not matter; a heading not found gets no number.
    assert pdf.heading_pages(pages, headings) == {"a": 2, "b": 3, "c": 4}


KNOWN = {"7.7": (7, "Abuse"), "7.8": (7, "Domestic abuse"), "7.10": (7, "Schools"),
         "6.3": (6, "The hub")}


def test_subgroups_are_read_from_the_config(tmp_path: Path) -> None:
    config = tmp_path / "p.toml"
    config.write_text('[[subgroups]]\nslug = "la-d"\nname = "L and D"\nchapters = [12, 11]\n'
                      'sections = ["7.10", "6.3"]\n')
    assert outputs.subgroups(config, KNOWN) == [
        outputs.Subgroup("la-d", "L and D", (12, 11), ("7.10", "6.3"))]
    config.write_text('[[subgroups]]\nslug = "../x"\nname = "x"\nchapters = [1]\n')
    with pytest.raises(ValueError, match="slug"):
        outputs.subgroups(config)
    found = {g.slug: (g.chapters, g.sections) for g in outputs.subgroups()}
    assert found["quality-assurance-and-learning-reviews"] == ((7, 9, 10), ("6.3",))
    assert found["learning-and-development"] == ((12, 11), ())
    assert found["vulnerable-adolescents"] == ((8,), ("7.7", "7.12", "7.15"))


def test_declared_sections_are_kept_between_builds_under_the_chapters_code(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from helpers.build import cache
    from helpers.chapters import declarations

    monkeypatch.setenv(cache.CACHE_DIR_ENV, str(tmp_path))
    outputs._declarations.cache_clear()  # worked out once a process: start afresh
    read = declarations.declared_sections()
    renumbered = declarations.renumbered_sections()
    assert read["7.12"][0] == 7 and renumbered
    assert outputs.declared_sections() == read  # worked out, then stored

    def no_import() -> dict[str, tuple[int, str]]:
        raise AssertionError("the chapter modules were read again")

    monkeypatch.setattr(declarations, "declared_sections", no_import)
    monkeypatch.setattr(declarations, "renumbered_sections", no_import)
    outputs._declarations.cache_clear()  # as a new build process would
    assert outputs.declared_sections() == read  # the stored answers
    assert outputs.declared_renumbering() == renumbered
    outputs._declarations.cache_clear()
    monkeypatch.setattr(cache, "chapters_fingerprint", lambda: "other code")
    with pytest.raises(AssertionError, match="read again"):
        outputs.declared_sections()
    outputs._declarations.cache_clear()  # no stand-in answer for later tests


@pytest.mark.parametrize(("sections", "message"), [
    ('["7.99"]', "section '7.99' is not a section of the report"),
    ("[7.10]", "write section numbers in quotes"),
    ('["7.7", "7.7"]', "listed twice"),
    ('["9.1"]', "chapter 9, which the subgroup already receives whole"),
])
def test_a_section_the_config_cannot_mean_is_an_error_naming_file_and_entry(
        tmp_path: Path, sections: str, message: str) -> None:
    config = tmp_path / "partnership.toml"
    config.write_text('[[subgroups]]\nslug = "qa"\nname = "QA"\nchapters = [9]\n'
                      f"sections = {sections}\n")
    with pytest.raises(outputs.SubgroupConfigError) as caught:
        outputs.subgroups(config)  # checked against the sections the chapters declare
    assert str(config) in str(caught.value) and "[[subgroups]] 'qa'" in str(caught.value)
    assert message in str(caught.value)


def test_a_bad_subgroup_config_stops_a_build_before_any_chapter_runs(
        monkeypatch: pytest.MonkeyPatch) -> None:
    assert build.subgroup_config_problem() is None  # Camden's config is sound

    def broken() -> list[outputs.Subgroup]:
        raise outputs.SubgroupConfigError("partnership.toml, [[subgroups]] 'qa': section '7.99'")

    monkeypatch.setattr(outputs, "subgroups", broken)
    assert "'7.99'" in (build.subgroup_config_problem() or "")


SECTIONED = (
    '<header class="lscp-header"><h1>7. Assurance</h1></header>'
    '<section class="key-figures"><h2>Key figures</h2><p>KEYFIG</p></section>'
    '<div class="cell"><div class="out"><div class="prose"><h2>7.7 Abuse</h2></div></div>'
    '<div class="out"><p>ABUSE TEXT</p><a href="08_adolescents.html">see 8</a></div>'
    '<div class="out"><div class="prose"><h3>7.7.1 Online</h3><p>ONLINE TEXT</p></div></div>'
    '<div class="out"><div class="prose"><h2>7.8 Domestic abuse</h2></div></div>'
    '<div class="out"><p>DOMESTIC TEXT</p><svg><clipPath id="c1"></clipPath></svg></div></div>'
    '<div class="cell"><div class="out"><h2>7.10 Schools</h2><p>SCHOOL &amp; TEXT</p></div>'
    '<footer class="lscp-footer"><p>SYMBOLS KEY</p></footer></div>')


def test_a_page_parses_back_to_exactly_its_markup() -> None:
    text = page(7, "07_assurance", SECTIONED).text + "<!-- note --><br>&nbsp;<p>open"
    assert page_parts.parse(text).markup() == text


def test_a_cut_holds_exactly_the_sections_named_with_their_subsections() -> None:
    nodes = page_parts.main_content(page(7, "07_assurance", SECTIONED).text)
    kept = page_parts.markup(page_parts.cut(nodes, ("7.7", "7.10")))
    for shown in ("ABUSE TEXT", "7.7.1 Online", "ONLINE TEXT", "SCHOOL &amp; TEXT",
                  "SYMBOLS KEY"):
        assert shown in kept
    for left in ("7.8", "DOMESTIC TEXT", "clipPath", "KEYFIG", "7. Assurance"):
        assert left not in kept
    assert kept.count('<div class="cell">') == 2  # each piece stays in its wrappers
    assert [n for n, _ in page_parts.section_headings(page_parts.parse(kept).children)] == [
        "7.7", "7.7.1", "7.10"]


def test_a_bundle_holds_its_chapters_then_its_sections_and_links_back_to_the_report() -> None:
    pages = [page(7, "07_assurance", SECTIONED), page(8, "08_adolescents", "<h2>8.1 CE</h2>")]
    group = outputs.Subgroup("va", "VA", (8,), ("7.7",))
    parts, missing = outputs.bundle_parts(group, pages)
    assert [(p.page.number, p.sections) for p in parts] == [(8, ()), (7, ("7.7",))]
    assert missing == []
    text, entries = whole_report.render_document(parts, YEAR, "P", "Bundle", base="../")
    assert [e.text for e in entries] == ["8. Title", "8.1 CE", "7. Title", "7.7 Abuse"]
    assert "ABUSE TEXT" in text and "DOMESTIC TEXT" not in text and "7.10" not in text
    assert 'href="#ch08"' in text  # chapter 8 is in the bundle: the link stays inside it
    assert 'href="../07_assurance.html"' in text and "section 7.7 only" in text
    assert 'href="../index.html"' in text and 'href="#contents-h"' in text
    assert executable_markup(text) == []
    _, missing = outputs.bundle_parts(outputs.Subgroup("x", "X", (9,), ("6.3",)), pages)
    assert missing == ["chapter 9", "section 6.3"]


def test_outputs_refuse_scripts_and_child_ids() -> None:
    with pytest.raises(outputs.UnsafeOutputError, match="run code"):
        outputs.check("<p><script>alert(1)</script></p>", "x.html")
    with pytest.raises(outputs.UnsafeOutputError, match="child"):
        outputs.check("<p>CH-000195</p>", "x.html")
    assert outputs.check("<p>CH-5 is not an id</p>", "x.html")


# --------------------------------------------------------------------------- end to end

_EXTERNAL = re.compile(r"""(?:src|href|action)\s*=\s*["']?\s*(?:https?:)?//|url\(\s*["']?(?:https?:)?//""",
                       re.IGNORECASE)


@pytest.mark.e2e
def test_build_writes_and_links_the_whole_report(tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(pdf.PDF_SWITCH, "1")  # the suite builds without PDFs; this test checks them
    status = build.main([
        "--year", YEAR, "--chapters", "06,10", "--workers", "2", "--raw-dir", str(RAW_DIR),
        "--processed-dir", str(tmp_path / "processed"), "--reports-dir", str(tmp_path / "reports"),
        "--notebooks-dir", str(NOTEBOOKS_DIR),
    ])
    assert status == 0
    year_dir = tmp_path / "reports" / YEAR
    bundle = "subgroups/quality-assurance-and-learning-reviews.html"
    files = ["summary.html", "annual-report.html", bundle]
    index = (year_dir / "index.html").read_text(encoding="utf-8")
    for name in files:
        text = (year_dir / name).read_text(encoding="utf-8")
        assert f'href="{name}"' in index
        assert executable_markup(text) == [], name
        assert not _EXTERNAL.search(text), name
        assert not outputs.CHILD_ID.search(text)
    whole = (year_dir / "annual-report.html").read_text(encoding="utf-8")
    assert whole.index('id="ch06"') < whole.index('id="ch10"')
    summary = (year_dir / "summary.html").read_text(encoding="utf-8")
    assert 'href="06_front_door.html#s6-' in summary  # headline figures link to their section
    bundled = (year_dir / bundle).read_text(encoding="utf-8")
    headings = [n for n, _ in page_parts.section_headings(page_parts.main_content(bundled))]
    assert headings == ["6.3"]  # chapter 10 has no numbered sections; 6.1 and 6.2 are left out
    assert bundled.index('id="ch10"') < bundled.index('id="ch06"')
    assert not list(year_dir.glob(".print-*")) and not list(year_dir.parent.glob(".staging-*"))
    if pdf.chromium() is None or shutil.which("pdfinfo") is None:
        pytest.skip("chromium or pdfinfo not installed: PDFs are not made")
    assert 'href="annual-report.pdf"' in index
    info = subprocess.run(["pdfinfo", str(year_dir / "annual-report.pdf")], check=True,
                          capture_output=True, text=True).stdout
    assert "(A4)" in info
    first = subprocess.run(["pdftotext", "-layout", "-l", "1", str(year_dir / "annual-report.pdf"),
                            "-"], check=True, capture_output=True, text=True).stdout
    assert re.search(r"Children and Families Contact Service\s+\d+", first)


def test_a_build_without_pdfs_says_why(monkeypatch: pytest.MonkeyPatch) -> None:
    from helpers.report import pdf

    monkeypatch.setenv(pdf.PDF_SWITCH, "0")
    assert pdf.chromium() is None
    assert pdf.why_no_pdf() == "PDFs are switched off (LSCP_PDF=0)"
