"""The chapter page exporter: self-contained, code-free, titled, printable.

These tests build executed notebooks in memory (outputs included), so no kernel starts
and they run in well under a second each after nbconvert is imported.
"""

from __future__ import annotations

import base64
import json
import re

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from helpers.report.html_export import TEMPLATE_DIR, export_html

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


def test_template_extends_lab_and_blanks_cdn_blocks() -> None:
    conf = json.loads((TEMPLATE_DIR / "conf.json").read_text())
    assert conf["base_template"] == "lab"
    template = (TEMPLATE_DIR / "index.html.j2").read_text()
    for block in ("html_head_js", "html_head_js_mathjax", "html_head_js_mermaidjs"):
        assert re.search(rf"block {block} -%}}\{{%- endblock {block}", template), block
