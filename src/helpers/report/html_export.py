"""Turn an executed chapter notebook into a self-contained HTML page.

Why in-process and not ``jupyter nbconvert``: starting the CLI costs ~2 s per notebook
(engineering notes), more than converting does, so the build runner calls
:func:`export_html` in the worker that executed the notebook.

Why a custom template: nbconvert's ``lab`` template makes the page fetch require.js,
MathJax and Mermaid from a CDN. A report has to open offline and must not leak readers to
a third party, so the ``lscp`` template (``resources/nbconvert/lscp``) extends ``lab`` with
those blocks blanked and adds a print stylesheet. The page shows results only: code,
prompts, the parameters cells and Python warnings are left out, because readers of a
partnership report are not programmers.
"""

from __future__ import annotations

import copy
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from helpers.config import RESOURCES_DIR

if TYPE_CHECKING:
    from nbconvert import HTMLExporter
    from nbformat import NotebookNode

TEMPLATE_BASEDIR = RESOURCES_DIR / "nbconvert"
TEMPLATE_NAME = "lscp"
TEMPLATE_DIR = TEMPLATE_BASEDIR / TEMPLATE_NAME

#: Cells with these tags are dropped from the page entirely. ``parameters`` and
#: ``injected-parameters`` only set up the run; ``remove-cell`` lets an author hide a
#: helper cell without deleting it.
REMOVED_CELL_TAGS = frozenset({"parameters", "injected-parameters", "remove-cell"})
#: Cells with these tags keep their input hidden but also lose their outputs.
REMOVED_OUTPUT_TAGS = frozenset({"remove-output"})


def _drop_stderr(nb: NotebookNode) -> NotebookNode:
    """Remove stderr streams (warnings, logging) so they never reach a published page."""
    for cell in nb.cells:
        if cell.get("cell_type") == "code":
            cell["outputs"] = [
                out
                for out in cell.get("outputs", [])
                if not (out.get("output_type") == "stream" and out.get("name") == "stderr")
            ]
    return nb


@lru_cache(maxsize=1)
def _exporter() -> HTMLExporter:
    """One configured exporter per process: loading the Jinja templates is the slow part."""
    from nbconvert import HTMLExporter
    from traitlets.config import Config

    config = Config()
    config.TagRemovePreprocessor.enabled = True
    config.TagRemovePreprocessor.remove_cell_tags = set(REMOVED_CELL_TAGS)
    config.TagRemovePreprocessor.remove_all_outputs_tags = set(REMOVED_OUTPUT_TAGS)
    exporter = HTMLExporter(
        config=config,
        extra_template_basedirs=[str(TEMPLATE_BASEDIR)],
        template_name=TEMPLATE_NAME,
    )
    exporter.exclude_input = True
    exporter.exclude_input_prompt = True
    exporter.exclude_output_prompt = True
    exporter.language_code = "en"
    return exporter


def _load(notebook: str | Path | NotebookNode) -> NotebookNode:
    import nbformat

    if isinstance(notebook, str | Path):
        return nbformat.read(str(notebook), as_version=4)
    # Never mutate the caller's notebook: the build may still write it to disk.
    return copy.deepcopy(notebook)


def export_html(notebook: str | Path | NotebookNode, title: str) -> str:
    """Render an executed notebook (a path or a node) as one self-contained HTML page.

    ``title`` becomes the page's ``<title>``: browsers show it in tabs and bookmarks and
    screen readers announce it, so it is the chapter title rather than the file name.
    """
    nb = _drop_stderr(_load(notebook))
    nb.metadata["title"] = title
    resources: dict[str, Any] = {"metadata": {"name": title}}
    body, _ = _exporter().from_notebook_node(nb, resources=resources)
    return body


def write_html(notebook: str | Path | NotebookNode, title: str, target: Path) -> Path:
    """Export ``notebook`` and write it to ``target`` (UTF-8); returns ``target``."""
    target = Path(target)
    target.write_text(export_html(notebook, title), encoding="utf-8")
    return target
