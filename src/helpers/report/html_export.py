"""Turn an executed chapter notebook into a self-contained HTML page.

Why in-process and not ``jupyter nbconvert``: starting the CLI costs ~2 s per notebook
(engineering notes), more than converting does, so the build runner calls
:func:`export_html` in the worker that executed the notebook.

Why a custom template: nbconvert's ``lab`` page fetches require.js, MathJax and Mermaid
from a CDN and carries 260 KB of JupyterLab CSS. A report has to open offline, must not
leak readers to a third party and should read as a publication, so the ``lscp`` template
(``resources/nbconvert/lscp``) keeps only lab's cell markup and wraps it in the pack's own
page: house stylesheet (``lscp.css``, screen and print), masthead, previous/next links.
The page shows results only: code, prompts, the parameters cells and Python warnings are
left out, because readers of a partnership report are not programmers.

Why a check at the end: the page is emailed round, so it must never run code that came
from data. Markdown goes through the pack's renderer with raw HTML off
(:mod:`helpers.report.safety`), every other string is escaped where it is made, and
:func:`export_html` refuses to return a page in which anything executable slipped through.
"""

from __future__ import annotations

import copy
import re
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from helpers.config import RESOURCES_DIR
from helpers.report import navigation
from helpers.report.navigation import PageContext
from helpers.report.safety import executable_markup, markdown_html

if TYPE_CHECKING:
    from nbconvert import HTMLExporter
    from nbformat import NotebookNode

TEMPLATE_BASEDIR = RESOURCES_DIR / "nbconvert"
TEMPLATE_NAME = "lscp"
TEMPLATE_DIR = TEMPLATE_BASEDIR / TEMPLATE_NAME
#: The house stylesheet, shared by chapter pages, contents pages and the data dictionary.
HOUSE_CSS_FILE = TEMPLATE_DIR / "lscp.css"
#: The only script a page may carry: it opens closed <details> for printing.
PRINT_SCRIPT_FILE = TEMPLATE_DIR / "print.js"


class UnsafePageError(ValueError):
    """A page would contain markup a browser runs; it is never written."""


def house_css() -> str:
    """The house stylesheet's text."""
    return HOUSE_CSS_FILE.read_text(encoding="utf-8")


def allowed_scripts() -> frozenset[str]:
    """Inline scripts the template itself puts on every page."""
    return frozenset({PRINT_SCRIPT_FILE.read_text(encoding="utf-8").strip()})

#: Cells with these tags are dropped from the page entirely. ``parameters`` and
#: ``injected-parameters`` only set up the run; ``remove-cell`` lets an author hide a
#: helper cell without deleting it.
REMOVED_CELL_TAGS = frozenset({"parameters", "injected-parameters", "remove-cell"})
#: Cells with these tags keep their input hidden but also lose their outputs.
REMOVED_OUTPUT_TAGS = frozenset({"remove-output"})


#: SVG elements that never have content. nbconvert re-serialises the page with an HTML
#: parser, which writes ``<path .../>`` as ``<path ...></path>``; inside ``<svg>`` the
#: short form means the same to a browser, and a page of charts is the lighter for it.
_EMPTY_SVG_ELEMENT = re.compile(
    r"<(path|use|rect|circle|ellipse|line|polyline|polygon|image|stop)\b([^<>]*)></\1>"
)
_SVG_ELEMENT = re.compile(r"<svg\b.*?</svg>", re.DOTALL)


def _short_empty_svg_elements(body: str) -> str:
    return _SVG_ELEMENT.sub(lambda m: _EMPTY_SVG_ELEMENT.sub(r"<\1\2/>", m[0]), body)


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


#: An ``<img>`` without ``alt``: nbconvert gives those a placeholder text; so does the pack.
_IMG_WITHOUT_ALT = re.compile(r"<img\b(?![^<>]*\balt=)", re.IGNORECASE)
MISSING_ALT = "No description has been provided for this image"


def _add_missing_alt(body: str) -> str:
    return _IMG_WITHOUT_ALT.sub(f'<img alt="{MISSING_ALT}"', body)


def _house_exporter_class() -> type[HTMLExporter]:
    """nbconvert's HTML exporter without its last step, a BeautifulSoup round trip.

    After rendering the template, ``HTMLExporter.from_notebook_node`` parses the whole
    page with BeautifulSoup to give images without ``alt`` a placeholder and every input
    and output area ``tabindex="0"``, then writes the page out again: about 60% of a
    chapter's export time (0.3 of 0.5 s for the longest chapter). The pack's pages have no
    code inputs, its outputs are not interactive (a tab stop on each would only lengthen
    a keyboard user's way through the page; wide tables carry their own focusable
    region), and its charts are inline SVG with their own title and description, so
    only the placeholder ``alt`` is kept, added with a regular expression. What runs
    before the template (filters, resources) is nbconvert's own code, unchanged.
    """
    from nbconvert import HTMLExporter
    from nbconvert.exporters.templateexporter import TemplateExporter
    from nbconvert.filters.highlight import Highlight2HTML
    from nbconvert.filters.widgetsdatatypefilter import WidgetsDataTypeFilter

    class HouseHTMLExporter(HTMLExporter):
        def from_notebook_node(self, nb: NotebookNode, resources: dict[str, Any] | None = None,
                               **kw: Any) -> tuple[str, dict[str, Any]]:
            langinfo = nb.metadata.get("language_info", {})
            lexer = langinfo.get("pygments_lexer", langinfo.get("name", None))
            self.register_filter("highlight_code", self.filters.get(
                "highlight_code", Highlight2HTML(pygments_lexer=lexer, parent=self)))
            resources = self._init_resources(resources)
            self.register_filter("filter_data_type", WidgetsDataTypeFilter(
                notebook_metadata=self._nb_metadata, parent=self, resources=resources))
            body, resources = TemplateExporter.from_notebook_node(self, nb, resources, **kw)
            return _add_missing_alt(body), resources

    return HouseHTMLExporter


@lru_cache(maxsize=1)
def _exporter() -> HTMLExporter:
    """One configured exporter per process: loading the Jinja templates is the slow part."""
    from traitlets.config import Config

    config = Config()
    config.TagRemovePreprocessor.enabled = True
    config.TagRemovePreprocessor.remove_cell_tags = set(REMOVED_CELL_TAGS)
    config.TagRemovePreprocessor.remove_all_outputs_tags = set(REMOVED_OUTPUT_TAGS)
    exporter = _house_exporter_class()(
        config=config,
        extra_template_basedirs=[str(TEMPLATE_BASEDIR)],
        template_name=TEMPLATE_NAME,
    )
    exporter.exclude_input = True
    exporter.exclude_input_prompt = True
    exporter.exclude_output_prompt = True
    exporter.language_code = "en"
    # nbconvert checks the notebook against its schema after each of its twelve
    # preprocessors (most of them off here); once, after the last, catches the same faults
    # for a third of a chapter's export time.
    exporter.optimistic_validation = True
    exporter.register_filter("safe_markdown", lambda text: navigation.nowrap_years(markdown_html(text)))
    return exporter


def _load(notebook: str | Path | NotebookNode) -> NotebookNode:
    import nbformat

    if isinstance(notebook, str | Path):
        return nbformat.read(str(notebook), as_version=4)
    # Never mutate the caller's notebook: the build may still write it to disk.
    return copy.deepcopy(notebook)


def _page_resources(context: PageContext | None) -> dict[str, str]:
    if context is None:
        return {}
    return {"masthead": navigation.masthead_html(context), "pager": navigation.pager_html(context),
            "running_head": navigation.running_head_css(context)}


def export_html(
    notebook: str | Path | NotebookNode, title: str, context: PageContext | None = None
) -> str:
    """Render an executed notebook (a path or a node) as one self-contained HTML page.

    ``title`` is the chapter title. With a ``context`` (see
    :func:`helpers.report.navigation.chapter_context`), or when papermill's metadata in
    the notebook says which year and chapter it is, the page gets the masthead, the
    previous/next links, a printed running head and a ``<title>`` naming chapter,
    partnership and year (browsers show it in tabs and bookmarks, screen readers announce
    it, so every year's chapter must differ). Without either, ``title`` is used as it is.
    Raises :class:`UnsafePageError` if anything executable reached the page.
    """
    nb = _drop_stderr(_load(notebook))
    if context is None:
        context = navigation.context_from_notebook(nb.metadata, title)
    if context is not None:
        context = navigation.with_title(context, title)
        title = navigation.page_title(context.chapter_title, context.partnership, context.year,
                                      context.chapter)
    nb.metadata["title"] = title
    resources: dict[str, Any] = {"metadata": {"name": title}, "lscp": _page_resources(context)}
    body, _ = _exporter().from_notebook_node(nb, resources=resources)
    body = _short_empty_svg_elements(body)
    problems = executable_markup(body, allowed_scripts())
    if problems:
        raise UnsafePageError(f"page {title!r} would run code: {'; '.join(problems[:5])}")
    return body


def write_html(
    notebook: str | Path | NotebookNode, title: str, target: Path,
    context: PageContext | None = None,
) -> Path:
    """Export ``notebook`` and write it to ``target`` (UTF-8); returns ``target``."""
    target = Path(target)
    target.write_text(export_html(notebook, title, context), encoding="utf-8")
    return target
