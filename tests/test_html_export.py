"""The chapter page exporter: self-contained, code-free, titled, printable.

These tests build executed notebooks in memory (outputs included), so no kernel starts
and they run in well under a second each after nbconvert is imported.
"""

from __future__ import annotations

import base64
import json
import re
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from helpers.config import partnership
from helpers.report.html_export import (
    TEMPLATE_DIR,
    UnsafePageError,
    allowed_scripts,
    export_html,
    house_css,
)
from helpers.report.navigation import chapter_context
from helpers.report.safety import executable_markup

# A 1x1 transparent PNG: enough for nbconvert to embed an image output.
PNG = base64.b64encode(
    bytes.fromhex(
        "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
        "1f15c4890000000d49444154789c63000100000500010d0a2db40000000049454e44ae426082"
    )
).decode()

# A <script> or <link> tag that loads something from another host (incl. //host/...).
REMOTE_TAG = re.compile(
    r"<(?:script|link)\b[^>]*\b(?:src|href)\s*=\s*[\"']?\s*(?:https?:)?//",
    re.IGNORECASE,
)

TITLE = "Children & Families <Contact> Service"


@pytest.fixture
def executed_nb() -> nbformat.NotebookNode:
    """A notebook as papermill leaves it: parameters, injected parameters, outputs."""
    return new_notebook(
        metadata={"language_info": {"name": "python"}},
        cells=[
            new_code_cell('year = "2024-25"', metadata={"tags": ["parameters"]}),
            new_code_cell(
                'year = "2023-24"\nprint("PARAMS_OUTPUT")',
                metadata={"tags": ["injected-parameters"]},
                outputs=[new_output("stream", name="stdout", text="PARAMS_OUTPUT\n")],
            ),
            new_markdown_cell("## 6.1 The front door\n\nContacts rose this year."),
            new_code_cell(
                "SECRET_INPUT_MARKER = 1\nprint('Contacts: 4,210')",
                execution_count=3,
                outputs=[
                    new_output("stream", name="stdout", text="Contacts: 4,210\n"),
                    new_output("stream", name="stderr", text="FutureWarning: STDERR_MARKER\n"),
                    new_output(
                        "execute_result", data={"text/plain": "'RESULT_TEXT'"}, execution_count=3
                    ),
                ],
            ),
            new_code_cell(
                "plot_contacts()",
                execution_count=4,
                outputs=[
                    new_output(
                        "display_data",
                        data={"image/png": PNG, "text/plain": "<Figure>"},
                    )
                ],
            ),
        ],
    )


def test_page_fetches_nothing_from_the_network(executed_nb: nbformat.NotebookNode) -> None:
    html = export_html(executed_nb, TITLE)
    assert not REMOTE_TAG.search(html), REMOTE_TAG.search(html)
    assert not re.search(r"@import\s+(?:url\()?\s*[\"']?https?:", html)
    # The blanked blocks really are gone, not just pointed elsewhere.
    assert "require.min.js" not in html
    assert "MathJax" not in html
    assert "mermaid.esm" not in html


def test_page_has_language_and_escaped_title(executed_nb: nbformat.NotebookNode) -> None:
    html = export_html(executed_nb, TITLE)
    assert '<html lang="en">' in html
    assert "<title>Children &amp; Families &lt;Contact&gt; Service</title>" in html


def test_page_shows_results_but_no_code(executed_nb: nbformat.NotebookNode) -> None:
    html = export_html(executed_nb, TITLE)
    assert "Contacts: 4,210" in html
    assert "RESULT_TEXT" in html
    assert "The front door" in html
    assert "data:image/png;base64," in html
    assert "SECRET_INPUT_MARKER" not in html
    assert "plot_contacts" not in html
    assert "PARAMS_OUTPUT" not in html  # injected-parameters cell dropped entirely
    assert "STDERR_MARKER" not in html  # warnings never reach a published page
    body = html.split("<body", 1)[1]
    assert "In&nbsp;[" not in body and "Out[" not in body  # no prompts


def test_page_prints_cleanly(executed_nb: nbformat.NotebookNode) -> None:
    html = export_html(executed_nb, TITLE)
    assert "@media print" in html
    assert "break-inside: avoid" in html
    assert "details" in html  # closed <details> are opened for printing


def test_export_from_path_and_caller_notebook_untouched(
    executed_nb: nbformat.NotebookNode, tmp_path
) -> None:
    before = json.dumps(executed_nb, sort_keys=True)
    path = tmp_path / "06_front_door.ipynb"
    nbformat.write(executed_nb, path)
    from_path = export_html(path, "Front door")
    export_html(executed_nb, "Front door")
    assert "<title>Front door</title>" in from_path
    assert "Contacts: 4,210" in from_path
    assert json.dumps(executed_nb, sort_keys=True) == before


def test_page_uses_the_house_sheet_not_jupyterlab_css(executed_nb: nbformat.NotebookNode) -> None:
    html = export_html(executed_nb, TITLE)
    assert house_css() in html
    assert "--jp-" not in html  # none of JupyterLab's 260 KB of theme variables
    assert len(html.encode()) < 40_000
    assert re.search(r'<meta (?=[^>]*name="viewport")(?=[^>]*content="width=device-width, '
                     r'initial-scale=1")', html)
    conf = json.loads((TEMPLATE_DIR / "conf.json").read_text())
    assert conf["base_template"] == "lab"  # lab's cell markup, the pack's own page


def test_print_rules_a4_page_numbers_and_open_details(executed_nb: nbformat.NotebookNode) -> None:
    html = export_html(executed_nb, TITLE)
    page_rule = re.search(r"@page \{ size: A4;.*?\} \}", html, re.S).group(0)
    assert 'counter(page) " of " counter(pages)' in page_rule
    assert "details::details-content { display: block" in html
    printed = html[html.index("@media print"):]
    assert re.search(r"font-size: ([89]|1\d)(\.\d)?pt", printed)
    assert not re.search(r"font-size: [1-7](\.\d)?pt", printed)  # never below 8 pt on paper
    assert ".chart-graphic { break-inside: avoid;" in html


def papermill_run(nb: nbformat.NotebookNode, notebooks: Path, year: str) -> nbformat.NotebookNode:
    """The metadata papermill leaves: the parameters and the notebook it ran."""
    nb.metadata["papermill"] = {"parameters": {"year": year},
                                "input_path": str(notebooks / "06_front_door.ipynb")}
    return nb


def test_papermill_metadata_gives_title_masthead_and_neighbours(
    executed_nb: nbformat.NotebookNode, tmp_path: Path
) -> None:
    for name in ("05_priorities.ipynb", "06_front_door.ipynb", "09_reviews.ipynb",
                 "scratch.ipynb"):
        (tmp_path / name).write_text("{}")
    html = export_html(papermill_run(executed_nb, tmp_path, "2020-21"), "Front door")
    name = partnership().name
    assert f"<title>6. Front door – {name} annual report 2020-21</title>" in html
    masthead = html[html.index('<header class="masthead">'):html.index('<main id="content">')]
    assert name in masthead and "2020-21" in masthead
    assert 'href="index.html"' in masthead and 'href="../index.html"' in masthead
    assert 'href="05_priorities.html" rel="prev"' in masthead
    assert "5. Progress against the safeguarding priorities" in masthead
    assert 'href="09_reviews.html" rel="next"' in masthead
    pager = html[html.index('class="pager"'):]
    assert 'rel="prev"' in pager and 'rel="next"' in pager
    assert "@top-left { content: " in html  # running head on every printed page


def test_explicit_context_wins(executed_nb: nbformat.NotebookNode) -> None:
    context = chapter_context("2024-25", 6, [(6, "06_front_door.html", "Front door"),
                                             (7, "07_x.html", "Seven <b>")], partnership="P & Q")
    html = export_html(executed_nb, "Front door", context)
    assert "<title>6. Front door – P &amp; Q annual report 2024-25</title>" in html
    assert "7. Seven &lt;b&gt;" in html and "rel=\"prev\"" not in html


def test_markdown_cells_and_outputs_show_raw_html_as_text(
    executed_nb: nbformat.NotebookNode
) -> None:
    attack = "<script>alert(1)</script>\n\n<img src=x onerror=alert(2)>\n\n[x](javascript:alert(3))"
    executed_nb.cells.append(new_markdown_cell("**Cell.** " + attack))
    executed_nb.cells.append(new_code_cell("show()", outputs=[
        new_output("display_data", data={"text/markdown": "**Output.** " + attack}),
        new_output("display_data", data={"application/javascript": "alert(4)"}),
    ]))
    html = export_html(executed_nb, TITLE)
    assert executable_markup(html, allowed_scripts()) == []
    assert html.count("&lt;script&gt;alert(1)&lt;/script&gt;") == 2
    assert "<strong>Cell.</strong>" in html and "<strong>Output.</strong>" in html
    assert "alert(4)" not in html


def test_executable_html_output_is_refused(executed_nb: nbformat.NotebookNode) -> None:
    executed_nb.cells.append(new_code_cell("x", outputs=[
        new_output("display_data", data={"text/html": '<p onclick="steal()">hi</p>'})]))
    with pytest.raises(UnsafePageError, match="onclick"):
        export_html(executed_nb, TITLE)


def test_an_image_without_alt_gets_nbconvert_placeholder_and_no_tab_stops_are_added(
        executed_nb: nbformat.NotebookNode) -> None:
    # The pack skips nbconvert's BeautifulSoup pass (see html_export._house_exporter_class):
    # its one effect that matters, a placeholder alt on images without one, is kept.
    page = export_html(executed_nb, TITLE)
    images = re.findall(r"<img\b[^>]*>", page)
    assert images, "the PNG output should be an <img>"
    assert all('alt="No description has been provided for this image"' in img for img in images)
    assert "tabindex" not in page  # this page has no wide table, so no focusable region


def test_an_image_with_alt_keeps_its_own() -> None:
    from helpers.report.html_export import _add_missing_alt

    text = '<img src="a.png" alt="Contacts rose"><IMG src="b.png">'
    assert _add_missing_alt(text) == ('<img src="a.png" alt="Contacts rose">'
                                      '<img alt="No description has been provided for this image"'
                                      ' src="b.png">')
