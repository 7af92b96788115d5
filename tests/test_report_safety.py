"""Safe to circulate: a script typed into any text that reaches the report runs nowhere.

Every kind of string the report layer is given (narrative markdown, dataset metadata,
the partnership's name, chapter titles, chart titles, alt text, sources, axis labels,
category and area names, table captions, headers and cells, key figure labels) gets the
same attacks; the exported page must contain no ``<script`` (beyond the template's own
print helper), no ``on*=`` handler and no ``javascript:`` URL, and the attack must still be
visible to the reader as text.
"""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pandas as pd
import pytest
from bs4 import BeautifulSoup
from nbformat.v4 import new_code_cell, new_notebook, new_output

from helpers.report import charts, page_furniture
from helpers.report.html_export import allowed_scripts, export_html
from helpers.report.index_pages import write_index
from helpers.report.key_figures import key_figures_html
from helpers.report.navigation import chapter_context
from helpers.report.safety import executable_markup, markdown_html
from helpers.report.tables import html_table

ATTACKS = [
    "<script>alert('s')</script>",
    '<img src=x onerror="alert(1)">',
    "<svg onload=alert(2)>",
    '<a href="javascript:alert(3)">click</a>',
    "[link](javascript:alert(4))",
    '"><script>alert(5)</script>',
    "<iframe src=//evil.example></iframe>",
]
EVIL = " ".join(ATTACKS)
# What a reader must still see: the attack as text.
VISIBLE = "&lt;script&gt;alert("


def output(html: str) -> nbformat.NotebookNode:
    return new_output("display_data", data={"text/html": html, "text/plain": "x"})


def report_layer_outputs() -> list[nbformat.NotebookNode]:
    """One output of every kind the report layer makes, each fed the attacks."""
    meta = {"synthetic": True, "extract_date": EVIL, "source": EVIL}
    real = {"synthetic": False, "extract_date": EVIL, "source": EVIL}
    frame = pd.DataFrame({"period": ["2023-24", "2024-25"] * 2,
                          "area": [EVIL, EVIL, "England", "England"],
                          "rate": [20.0, 21.0, 22.0, 23.0], "count": [200, 210, 220, 230]})
    common = {"title": EVIL, "alt": EVIL, "source": EVIL, "xlabel": f"{EVIL} (x)",
              "ylabel": f"{EVIL} (y)"}
    line = charts.line_chart(frame, "period", "rate", "area", percent=True, **common)
    bars = charts.bar_chart(frame, "area", "count", "period", horizontal=True, **common)
    table = html_table(pd.DataFrame({EVIL: [EVIL, "Total"], "n": [12, 12]}), EVIL, ["n"])
    box = key_figures_html([{"label": EVIL, "display": EVIL, "period": EVIL,
                             "change": EVIL, "direction": EVIL}], heading=EVIL)
    return [
        output(page_furniture.page_header(6, "2024-25", meta).data),
        output(page_furniture.prose(f"## {EVIL}\n\n{EVIL}\n\n> {EVIL}").data),
        output(line.html), output(bars.html), output(table), output(box),
        output(page_furniture.page_footer(meta).data),
        output(page_furniture.page_footer(real).data),
        new_output("display_data", data={"text/markdown": EVIL}),
    ]


def test_every_report_string_is_shown_as_text_never_run() -> None:
    nb = new_notebook(cells=[new_code_cell("x", outputs=report_layer_outputs())])
    context = chapter_context("2024-25", 6, [(5, "05_x.html", EVIL), (6, "06_y.html", EVIL),
                                             (7, "07_z.html", EVIL)], partnership=EVIL)
    page = export_html(nb, EVIL, context)
    assert executable_markup(page, allowed_scripts()) == []
    # An independent parse (BeautifulSoup) of what a browser would build from the page.
    soup = BeautifulSoup(page, "html.parser")
    assert len(soup.find_all("script")) == 1  # the template's print helper, nothing else
    assert not soup.find_all(["iframe", "object", "embed"])
    for tag in soup.find_all(True):
        assert not [a for a in tag.attrs if a.lower().startswith("on")], tag.name
        for name in ("href", "src", "xlink:href"):
            assert not str(tag.get(name, "")).strip().lower().startswith("javascript:")
    assert page.count(VISIBLE) > 20  # shown to the reader in every place it was put


def test_narrative_markdown_keeps_formatting_but_not_html() -> None:
    html = markdown_html(f"**Bold** and a [link](https://example.org).\n\n{EVIL}")
    assert "<strong>Bold</strong>" in html and '<a href="https://example.org">link</a>' in html
    assert executable_markup(html) == []
    assert 'href="javascript' not in html


@pytest.mark.parametrize("page", [
    "<script>x()</script>", "<p onclick='x()'>", '<a href=" javascript:x()">',
    "<svg><a xlink:href='javascript:x()'></a></svg>", "<iframe src=a></iframe>",
    '<meta http-equiv="refresh" content="0;url=x">', "<script src=//a></script>",
    "<object data=x></object>", "<script>unclosed",
])
def test_the_check_finds_executable_markup(page: str) -> None:
    assert executable_markup(page) != []


def test_the_check_passes_plain_markup_and_the_allowed_script() -> None:
    script = "window.x = 1;"
    plain = (f'<p class="a" title="javascript: in a title is text">Hi</p><a href="#codes-x">c</a>'
             f"<script>\n{script}\n</script><style>@page {{ margin: 1cm }}</style>")
    assert executable_markup(plain, frozenset({script})) == []
    assert executable_markup(plain) != []  # the same script, not allowed


def test_index_pages_escape_metadata(tmp_path: Path) -> None:
    year_dir = tmp_path / "2024-25"
    year_dir.mkdir()
    (year_dir / "06_front_door.html").write_text("page")
    index = write_index(year_dir, "2024-25", EVIL, {"synthetic": False, "source": EVIL,
                                                    "extract_date": EVIL}, {}).read_text()
    everything = index + (tmp_path / "index.html").read_text()
    assert executable_markup(everything) == []
    assert VISIBLE in index


@pytest.mark.e2e
def test_built_report_runs_no_script_from_narrative_or_dataset(tmp_path: Path) -> None:
    """Chapter 6 built from raw data whose narrative and dataset.json carry the attacks."""
    import json
    import shutil

    from helpers.build import runner as build
    from helpers.config import NOTEBOOKS_DIR, RAW_DIR

    raw = tmp_path / "raw"
    shutil.copytree(RAW_DIR / "2020-21", raw / "2020-21")  # the first year stands alone: quick
    year = raw / "2020-21"
    meta = json.loads((year / "dataset.json").read_text(encoding="utf-8"))
    (year / "dataset.json").write_text(json.dumps({**meta, "synthetic": False, "source": EVIL}),
                                       encoding="utf-8")
    narrative = year / "narrative" / "06.md"
    text = narrative.read_text(encoding="utf-8")
    narrative.write_text(re.sub(r"(## [a-z_]+\n)", lambda m: f"{m[1]}{EVIL}\n\n", text),
                         encoding="utf-8")
    assert text.count("## ") == narrative.read_text(encoding="utf-8").count(ATTACKS[0])
    reports = tmp_path / "reports"
    status = build.main([
        "--year", "2020-21", "--chapters", "06", "--workers", "1", "--raw-dir", str(raw),
        "--processed-dir", str(tmp_path / "processed"), "--reports-dir", str(reports),
        "--notebooks-dir", str(NOTEBOOKS_DIR),
    ])
    assert status == 0
    pages = {p.relative_to(reports).as_posix(): p.read_text(encoding="utf-8")
             for p in reports.rglob("*.html")}
    assert {"index.html", "2020-21/index.html", "2020-21/06_front_door.html"} <= set(pages)
    for name, page in pages.items():
        allowed = allowed_scripts() if name.endswith("06_front_door.html") else frozenset()
        assert executable_markup(page, allowed) == [], name
    chapter = pages["2020-21/06_front_door.html"]
    assert chapter.count(VISIBLE) >= 4  # three narrative blocks and the footer's source
