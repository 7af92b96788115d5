"""Report pages around the chapters: all-years index, year contents, data dictionary,
and the template pack's authoring guidance."""

from __future__ import annotations

import json
import re
from datetime import datetime
from pathlib import Path

from helpers.data import dictionary, templates
from helpers.demo import synth_narrative
from helpers.report.index_pages import YEAR_FILE, built_years, write_index

BUILT = datetime(2025, 6, 1, 9, 30)


def build_year(reports: Path, year: str, extract: str, synthetic: bool = True) -> Path:
    folder = reports / year
    folder.mkdir(parents=True)
    (folder / "06_front_door.html").write_text("page")
    meta = {"synthetic": synthetic, "extract_date": extract, "source": "LA extract"}
    return write_index(folder, year, "Camden Safeguarding Children Partnership", meta, {},
                       built_at=BUILT)


def test_all_years_page_lists_every_year_with_its_data_date(tmp_path: Path) -> None:
    build_year(tmp_path, "2020-21", "2021-05-10")
    build_year(tmp_path, "2024-25", "2025-05-15")
    (tmp_path / ".staging-2024-25-x").mkdir()  # the build's scratch folder is not a year
    page = (tmp_path / "index.html").read_text(encoding="utf-8")
    assert page.index('href="2024-25/index.html"') < page.index('href="2020-21/index.html"')
    assert "Data extracted 2025-05-15" in page and "Data extracted 2021-05-10" in page
    assert [e["year"] for e in built_years(tmp_path)] == ["2024-25", "2020-21"]
    record = json.loads((tmp_path / "2024-25" / YEAR_FILE).read_text())
    assert record["extract_date"] == "2025-05-15" and record["synthetic"] is True


def test_each_contents_page_links_the_other_years_even_one_built_earlier(tmp_path: Path) -> None:
    build_year(tmp_path, "2020-21", "2021-05-10")
    build_year(tmp_path, "2024-25", "2025-05-15")  # built later: 2020-21 must learn of it
    older = (tmp_path / "2020-21" / "index.html").read_text(encoding="utf-8")
    newer = (tmp_path / "2024-25" / "index.html").read_text(encoding="utf-8")
    assert 'href="../2024-25/index.html"' in older and 'href="../2020-21/index.html"' in newer
    assert 'href="../2020-21/index.html"' not in older  # not a link to itself
    assert 'href="../index.html"' in older
    assert "<title>Contents – Camden Safeguarding Children Partnership annual report 2020-21" in older


def test_a_folder_not_named_as_a_year_writes_nothing_beside_it(tmp_path: Path) -> None:
    folder = tmp_path / "scratch"
    folder.mkdir()
    write_index(folder, "2024-25", "P", {"synthetic": False}, {})
    assert sorted(p.name for p in tmp_path.rglob("*")) == ["index.html", "scratch"]


def test_dictionary_page_links_land_and_reads_as_a_publication(tmp_path: Path) -> None:
    year_dir = tmp_path / "2024-25"
    year_dir.mkdir()
    page = dictionary.write_page(year_dir).read_text(encoding="utf-8")
    ids = re.findall(r'\bid="([^"]+)"', page)
    links = re.findall(r'href="#([^"]+)"', page)
    codes = [link for link in links if link.startswith("codes-")]
    assert len(ids) == len(set(ids))
    assert codes and set(links) <= set(ids)  # every "codes: ..." and contents link lands
    assert "&lt;a id=" not in page and "Do not edit by hand" not in page
    assert '<nav class="toc" aria-label="Contents">' in page
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in page
    assert "<title>Data dictionary – annual report 2024-25</title>" in page
    assert re.search(r'<div class="table-box" role="region" aria-label="Table: [^"]+" '
                     r'tabindex="0"><table>', page)
    assert "<script" not in page


def test_template_pack_guides_authors_and_demo_text_does_not() -> None:
    files = templates.planned_files("2025-26")
    front_door = files["narrative/06.md"]
    assert f"{templates.TODO} Explain how the front door is staffed" in front_door
    assert "Give one example from 2025-26" in front_door
    for chapter, blocks in synth_narrative.BLOCKS.items():
        assert set(blocks) == set(templates.GUIDANCE[chapter]), chapter
        for name, text in blocks.items():
            # Demo text is the partnership speaking, never instructions to an author.
            assert not re.match(r"(Explain|Give|Quote|Describe|Summarise|Say|Record|List|"
                                r"Note|Report|One paragraph|A short)\b", text), (chapter, name)
            assert not re.search(r"\d", text.replace("{year}", "")), (chapter, name)  # no typed numbers
            assert "goes here" not in text and "belong here" not in text
