"""The house chart style: seaborn and matplotlib charts that carry their own title, alt
text and data.

A chart in the report is more than a picture. Its title states the finding in words, so
the point survives a screen reader, a black-and-white printout or a quick skim; its alt
text describes what the picture shows; its source note says where the numbers came
from; and the numbers themselves sit underneath in a collapsible table, with small
counts hidden exactly as in every other table (:mod:`helpers.report.disclosure`).

Colours come from the Okabe-Ito palette, which stays distinguishable for the common
kinds of colour blindness, and each category keeps its colour in every chart (the
partnership's area is always the same blue), so readers never have to re-learn a key.

Figures are drawn on matplotlib's Agg canvas, without pyplot's figure manager, and
rendered once into SVG embedded in the page: vector shapes with the labels kept as text
(``svg.fonttype = 'none'``), so a chart stays sharp on a phone, at 200% zoom and on paper,
its words can be found and read aloud, and it weighs a fraction of a PNG. Nothing is
fetched when the page is opened, and the notebook's inline backend never shows a second,
unlabelled copy of the figure. Every string from the data reaches the SVG through
matplotlib's XML writer, which escapes it.
"""

from __future__ import annotations

import contextlib
import functools
import io
import math
import re
import zlib
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from html import escape
from typing import Any

import matplotlib as mpl
import numpy as np
import pandas as pd
import seaborn as sns
from matplotlib import pyplot as plt
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.backends.backend_svg import RendererSVG
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, MaxNLocator, PercentFormatter
from matplotlib.transforms import Bbox

from helpers.config import partnership
from helpers.report.disclosure import (
    COUNT_THRESHOLD,
    HIDDEN,
    format_count,
    format_percent,
    is_missing,
    is_suppressed_count,
    small_symbol,
)
from helpers.report.navigation import nowrap_years
from helpers.report.svg_canvas import SVG_DPI, HouseCanvasSVG, HouseRendererSVG
from helpers.report.tables import hidden_mask, html_table

__all__ = [
    "DPI",
    "PALETTE",
    "STYLE",
    "Chart",
    "bar_chart",
    "colour_map",
    "fit_margins",
    "line_chart",
    "register_colours",
    "svg_document",
    "tight_box",
]

# Okabe & Ito (2008), ordered so the first colours have the most contrast on white;
# yellow is last because thin yellow lines are hard to see.
BLUE, ORANGE, GREEN, PURPLE = "#0072B2", "#E69F00", "#009E73", "#CC79A7"
SKY, VERMILLION, BLACK, YELLOW = "#56B4E9", "#D55E00", "#000000", "#F0E442"
PALETTE: list[str] = [BLUE, ORANGE, GREEN, PURPLE, SKY, VERMILLION, BLACK, YELLOW]

DPI = 110
_SEGMENT = "__line_segment__"
# 7 inches wide: printed across an A4 column (170 mm) the text stays at its point size,
# and on screen the chart is shown no wider than this, so 11-12 pt labels stay legible.
FIGSIZE = (7.0, 4.2)
#: The page's own fonts for the SVG text (layout was measured with DejaVu Sans, which is
#: wider than these, so labels never overrun).
FONT_STACK = "arial, 'Helvetica Neue', Helvetica, 'Liberation Sans', 'DejaVu Sans', sans-serif"
#: Headroom above the highest value, as a share of it: a line or bar label never touches
#: the top of the plot.
HEADROOM = 0.12

STYLE: dict[str, Any] = {
    "font.family": "DejaVu Sans",
    "font.size": 12,
    "axes.labelsize": 12,
    "axes.titlesize": 12,
    "xtick.labelsize": 11,
    "ytick.labelsize": 11,
    "legend.fontsize": 11,
    "legend.title_fontsize": 11,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.edgecolor": "#444444",
    "axes.grid": False,
    "grid.color": "#DDDDDD",
    "grid.linewidth": 0.8,
    "axes.axisbelow": True,
    "lines.linewidth": 2.2,
    "lines.markersize": 6,
    "savefig.dpi": DPI,
    "svg.fonttype": "none",
    "svg.hashsalt": "lscp-report-pack",  # the same ids in every build: byte-identical pages
}

# Colours fixed for good: areas the report compares, whatever the partnership.
_FIXED: dict[str, str] = {
    "England": GREEN,
    "Inner London": ORANGE,
    "Outer London": PURPLE,
    "London": SKY,
    "Statistical neighbours": PURPLE,
}
_registered: dict[str, str] = {}


def _area_colours() -> dict[str, str]:
    """Fixed colours, with the configured partnership's area in blue and its region orange."""
    colours = dict(_FIXED)
    try:
        config = partnership()
    except (OSError, KeyError, TypeError, ValueError):  # no usable config: fixed names only
        return colours
    colours[config.region] = ORANGE
    colours[config.local_authority] = BLUE
    return colours


def register_colours(colours: Mapping[str, str]) -> None:
    """Fix the colour of categories for the rest of the process (e.g. a chapter's own)."""
    _registered.update({str(k): v for k, v in colours.items()})


def _preference(name: str) -> list[str]:
    """Colours to try, in turn, for a category with no fixed colour.

    The starting point is a crc32 hash of the name, which (unlike ``hash``) is the same
    in every process, so a category gets the same first choice in every chapter. The
    colours that stand for areas come after the spare ones, so that (say) two years are
    not drawn in England's green; black and yellow come last: black bars are heavy and
    thin yellow lines hard to see.
    """
    spare, areas = [SKY, VERMILLION, PURPLE], [BLUE, ORANGE, GREEN]
    start = zlib.crc32(name.encode("utf-8")) % 3
    return spare[start:] + spare[:start] + areas[start:] + areas[:start] + [BLACK, YELLOW]


def _levels(values: pd.Series, order: Sequence[Any] | None = None) -> list[Any]:
    """Category order: the explicit order, else categorical order, sorted numbers, or first
    appearance (with any value missing from ``order`` appended, so nothing is dropped)."""
    present = list(pd.unique(values.dropna()))
    if order is not None:
        extra = [v for v in present if v not in list(order)]
        return [*order, *extra]
    if isinstance(values.dtype, pd.CategoricalDtype):
        return [c for c in values.cat.categories if c in set(present)]
    if pd.api.types.is_numeric_dtype(values) and not pd.api.types.is_bool_dtype(values):
        return sorted(present)
    return present


def colour_map(
    categories: Iterable[Any], order: Sequence[Any] | None = None
) -> dict[Any, str]:
    """A colour for each category, the same one in every chart.

    Known areas have fixed colours (the partnership's area blue, its region orange,
    England green); categories given to :func:`register_colours` keep theirs; any other
    category gets a colour chosen from its name, moving along the palette only when that
    colour is already taken in this chart (telling categories apart within a chart
    matters more than keeping a colour across charts). The result does not depend on
    the order the categories are listed in, only on which categories are in the chart.
    Keys are returned in ``order`` (or the order given). More than eight categories must share
    colours: group the small ones into "Other".
    """
    names = list(dict.fromkeys(order if order is not None else categories))
    names += [c for c in dict.fromkeys(categories) if c not in names]
    known = {**_area_colours(), **_registered}
    result: dict[Any, str] = {}
    used: set[str] = set()
    for name in names:
        colour = known.get(str(name))
        if colour is not None and colour not in used:
            result[name] = colour
            used.add(colour)
    for name in sorted((n for n in names if n not in result), key=str):
        choices = [c for c in _preference(str(name)) if c not in used]
        colour = choices[0] if choices else _preference(str(name))[0]
        result[name] = colour
        used.add(colour)
    return {name: result[name] for name in names}


def _sentence(text: str) -> str:
    """``text`` with its first letter upper case."""
    return text[:1].upper() + text[1:]


@dataclass
class Chart:
    """A rendered chart plus everything a reader needs without seeing it.

    ``data`` is the table shown under the chart (one row per category on the x axis);
    ``count_columns`` / ``percent_columns`` say how to format and protect it, and
    ``hide`` marks any further cells the drawing hid (see :func:`tables.html_table`). Displaying
    the chart in a notebook renders the figure once and closes it.
    """

    figure: Figure
    title: str
    alt: str
    source: str
    data: pd.DataFrame
    count_columns: tuple[Any, ...] = ()
    percent_columns: tuple[Any, ...] = ()
    table_caption: str | None = None
    threshold: int = COUNT_THRESHOLD
    decimals: int = 1
    hide: pd.DataFrame | None = None
    _png: bytes | None = field(default=None, init=False, repr=False)
    _svg: str | None = field(default=None, init=False, repr=False)

    def __post_init__(self) -> None:
        if not isinstance(self.alt, str) or not self.alt.strip():
            raise ValueError("a chart needs alt text describing what it shows")
        if not isinstance(self.title, str) or not self.title.strip():
            raise ValueError("a chart needs a title stating its finding")
        # The title is a sentence, whatever it opens with: a category from the data is
        # lower case for use mid-sentence ("neglect was the largest share ...").
        self.title = _sentence(self.title)
        if self.table_caption is not None:
            self.table_caption = _sentence(self.table_caption)
        self.count_columns = tuple(self.count_columns)
        self.percent_columns = tuple(self.percent_columns)

    def __repr__(self) -> str:
        # Short and free of memory addresses: it is the text/plain output saved in notebooks.
        return f"Chart({self.title!r})"

    def png(self) -> bytes:
        """The figure as PNG bytes (rendered once, then the figure is closed)."""
        if self._png is None:
            buffer = io.BytesIO()
            if self.figure.get_layout_engine() is None:
                fit_margins(self.figure)  # laid out as the SVG is (see _svg_document)
            FigureCanvasAgg(self.figure)  # draw with Agg, whatever the notebook backend
            with mpl.rc_context(STYLE):
                self.figure.savefig(
                    buffer, format="png", dpi=DPI, bbox_inches="tight",
                    facecolor="white", metadata={"Software": None},
                )
            plt.close(self.figure)
            self._png = buffer.getvalue()
        return self._png

    def _id(self) -> str:
        """A prefix for the SVG's ids, unique to this chart, the same in every build."""
        return f"c{zlib.crc32((self.title + chr(0) + self.alt).encode('utf-8')):08x}"

    def svg(self) -> str:
        """The figure as inline SVG markup, text kept as text (rendered once)."""
        if self._svg is None:
            self._svg = inline_svg(self._svg_document(), self._id(), self.alt)
            plt.close(self.figure)
        return self._svg

    def _svg_document(self) -> str:
        """matplotlib's SVG file of the figure, cropped to its tight bounding box.

        A figure without a layout engine (the house line and bar charts) has its margins
        fitted to its labels by :func:`fit_margins`, measured without drawing, and is
        drawn once into the box that gives. A figure with one (a chart with a colour bar)
        goes through ``bbox_inches="tight"``, which lays it out once to measure it and
        again to draw it.
        """
        if self.figure.get_layout_engine() is None:
            return svg_document(self.figure, fit_margins(self.figure))
        return svg_document(self.figure, "tight")

    def table_html(self) -> str:
        """The chart's data as a disclosure-controlled HTML table."""
        return html_table(
            self.data, self.table_caption or self.title, self.count_columns,
            self.percent_columns, False, self.threshold, decimals=self.decimals,
            hide=self.hide,
        )

    @property
    def html(self) -> str:
        return self._repr_html_()

    def _repr_html_(self) -> str:
        return "\n".join([
            '<figure class="chart">',
            '<div class="chart-graphic">',
            "<figcaption>",
            f'<p class="chart-title">{nowrap_years(escape(self.title))}</p>',
            f'<p class="chart-source">{nowrap_years(escape(self.source))}</p>',
            "</figcaption>",
            f'<div class="chart-box">{self.svg()}</div>',
            "</div>",
            "<details><summary>Chart data (table)</summary>",
            self.table_html(),
            "</details>",
            "</figure>",
        ])


#: Metadata matplotlib would stamp into each SVG (a date, its version): left out, so the
#: same chart gives the same bytes in every build.
SVG_METADATA: dict[str, Any] = {"Date": None, "Creator": None, "Format": None, "Type": None}


def svg_document(figure: Figure, bbox: Bbox | str) -> str:
    """The figure as matplotlib's SVG file in the house style, cropped to ``bbox``
    (inches, or ``"tight"``), on a white ground."""
    buffer = io.StringIO()
    # draw with the house SVG canvas, whatever the notebook backend: it shares the sizes of
    # labels with the measuring renderer and every other chart of the process
    HouseCanvasSVG(figure)
    with mpl.rc_context(STYLE):
        figure.savefig(buffer, format="svg", bbox_inches=bbox, facecolor="white",
                       metadata=SVG_METADATA)
    return buffer.getvalue()


@functools.cache
def _measuring_renderer() -> RendererSVG:
    """The SVG renderer :func:`tight_box` measures with, one per process.

    matplotlib keeps the size of each label it has measured per renderer: with one
    renderer, "2019-20" or "England" is measured once for all the charts of a build.
    Measuring reads only the renderer's text metrics, never its canvas size, so one
    renderer serves figures of any size; nothing is drawn with it.
    """
    return HouseRendererSVG(FIGSIZE[0] * SVG_DPI, FIGSIZE[1] * SVG_DPI, io.StringIO())


def tight_box(figure: Figure) -> Bbox:
    """The box ``savefig(bbox_inches="tight")`` crops an SVG to, measured in one pass.

    For a figure without a layout engine (its margins fixed when it was made) nothing
    moves between measuring and drawing, so the first of savefig's two passes is not
    needed: the figure is measured as the SVG backend draws it (72 dpi, the backend's
    text metrics) and drawn once, into this box, by :func:`svg_document`.
    """
    if figure.get_layout_engine() is not None:
        raise ValueError("a figure with a layout engine is laid out by drawing it: use 'tight'")
    with _measuring(figure) as renderer:
        return figure.get_tightbbox(renderer).padded(mpl.rcParams["savefig.pad_inches"])


@contextlib.contextmanager
def _measuring(figure: Figure) -> Iterator[RendererSVG]:
    """The shared measuring renderer, with ``figure`` at the SVG backend's 72 dpi and the
    house style in force (the figure's own dpi is restored afterwards)."""
    dpi = figure.dpi
    with mpl.rc_context(STYLE):
        figure.set_dpi(SVG_DPI)
        try:
            yield _measuring_renderer()
        finally:
            figure.set_dpi(dpi)


#: Fitting stops when no edge of the drawing is further than this from where it should be
#: (inches: half a point, under a screen pixel).
FIT_TOLERANCE = 0.5 / 72
FIT_ROUNDS = 4


def _edges_off(box: Bbox, size: Sequence[float], pad: tuple[float, float]) -> list[float]:
    """How far (inches) each edge of ``box`` is inside (+) or outside (-) where it should
    be: ``pad`` in from the figure's edges. Order: left, bottom, right, top."""
    width, height = size
    w_pad, h_pad = pad
    return [box.x0 - w_pad, box.y0 - h_pad, (width - w_pad) - box.x1, (height - h_pad) - box.y1]


def fit_margins(figure: Figure) -> Bbox:
    """Move the figure's axes so its labels, ticks and key just fit inside it; return the
    box to crop the SVG to (inches), as :func:`tight_box` would.

    What constrained layout did for these charts, for a fraction of its cost: the figure
    is measured as the SVG backend draws it (one renderer for the whole build, so each
    label's size is worked out once), every axes is moved by what overhangs its edges,
    and it is measured again, until nothing moves more than :data:`FIT_TOLERANCE`
    (twice, unless moving changed the ticks). The margin kept is constrained layout's
    (``figure.constrained_layout.w_pad``/``h_pad``), so every chart has the figure's
    full width, the same as before. Nothing is drawn: the one real draw is the SVG.
    """
    size = tuple(figure.get_size_inches())
    with _measuring(figure) as renderer:
        pad = (mpl.rcParams["figure.constrained_layout.w_pad"],
               mpl.rcParams["figure.constrained_layout.h_pad"])
        for rounds in range(1, FIT_ROUNDS + 1):
            box = figure.get_tightbbox(renderer)
            off = _edges_off(box, size, pad)
            if rounds == FIT_ROUNDS or all(abs(v) < FIT_TOLERANCE for v in off):
                break
            left, bottom, right, top = off
            for axes in figure.axes:
                at = axes.get_position()
                axes.set_position(Bbox.from_extents(
                    at.x0 - left / size[0], at.y0 - bottom / size[1],
                    at.x1 + right / size[0], at.y1 + top / size[1]))
        return box.padded(mpl.rcParams["savefig.pad_inches"])


_XML_PROLOGUE = re.compile(r"^.*?(?=<svg\b)", re.DOTALL)
_METADATA = re.compile(r"\s*<metadata>.*?</metadata>", re.DOTALL)
_SIZE = re.compile(r'\s(?:width|height)="[^"]*"')
_ID = re.compile(r'\bid="([^"]+)"')
_REF = re.compile(r'(url\(#|xlink:href="#|href="#)([^)"]+)')
_VIEWBOX = re.compile(r'viewBox="[-\d.]+ [-\d.]+ ([\d.]+) ([\d.]+)"')
#: The A4 text column (210 mm less 15 mm margins) and the height a chart may take on a
#: page (297 mm less margins, running head and its title).
PRINT_WIDTH_MM, PRINT_HEIGHT_MM = 180, 235
MIN_SCALE = 0.7

# matplotlib writes a chart as a pretty-printed SVG file: every group has an id, every
# coordinate six decimals, every label the font again. Inline in a page that is most of
# its weight (a chapter with 20 charts passed 400 KB), so :func:`compact_svg` writes the
# same drawing in fewer bytes.
#: Decimals kept in coordinates: the viewBox is in points, so 0.1 pt is a seventh of a
#: screen pixel at natural size, below what a reader can see even at 200% zoom.
COORD_DECIMALS = 1
#: Attributes holding coordinates (``viewBox`` is kept exact: the print width is read from it).
_GEOMETRY = frozenset({"d", "x", "y", "x1", "y1", "x2", "y2", "cx", "cy", "r", "width",
                       "height", "points", "transform"})
_TAG = re.compile(r"<[^<>]+>")
_ATTRIBUTE = re.compile(r'\s+([\w:.-]+)="([^"]*)"')
_DECIMAL = re.compile(r"-?\d+\.\d+")
_PATH_COMMAND = re.compile(r"\s*([A-Za-z])\s*")
_NO_ROTATION = re.compile(r"^rotate\(-?0(?:\.0+)? [-\d.]+ [-\d.]+\)$")
#: matplotlib's page-wide rule (in a ``<style>`` it would apply to the whole HTML page),
#: written instead as inherited attributes of the chart's root element.
_GLOBAL_STYLE = re.compile(
    r"\s*<defs>\s*<style type=\"text/css\">\*\{stroke-linejoin: round; "
    r"stroke-linecap: butt\}</style>\s*</defs>"
)
_ROOT_PRESENTATION = ' stroke-linejoin="round" stroke-linecap="butt"'
_OWN_FONT = frozenset({"font-family:'DejaVu Sans'", "font-family:DejaVu Sans"})


def _round(match: re.Match[str]) -> str:
    text = f"{float(match[0]):.{COORD_DECIMALS}f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def _compact_style(style: str) -> str:
    """CSS declarations without spaces, and without the label font (set once on the root)."""
    declarations = [re.sub(r"\s*:\s*", ":", d.strip(), count=1) for d in style.split(";")]
    return ";".join(d for d in declarations if d and d not in _OWN_FONT)


def _compact_attributes(tag: str, keep_ids: set[str]) -> str:
    def attribute(match: re.Match[str]) -> str:
        name, value = match[1], match[2]
        if name == "id" and value not in keep_ids:
            return ""
        if name in _GEOMETRY:
            value = _DECIMAL.sub(_round, value)
            if name == "d":
                value = _PATH_COMMAND.sub(r"\1", " ".join(value.split()))
            elif name == "transform" and _NO_ROTATION.match(value):
                return ""
        elif name == "style":
            value = _compact_style(value)
            if not value:
                return ""
        return f' {name}="{value}"'

    return re.sub(r"\s+(/?>)$", r"\1", _ATTRIBUTE.sub(attribute, tag))


def _unwrap_bare_groups(svg: str) -> str:
    """Drop ``<g>`` elements without attributes (left once their ids are gone), keeping
    their content: they group nothing a browser draws differently."""
    out: list[str] = []
    kept: list[bool] = []
    position = 0
    for match in re.finditer(r"<g\b[^>]*(?<!/)>|</g>", svg):
        out.append(svg[position:match.start()])
        position = match.end()
        if match[0] == "</g>":
            if kept.pop():
                out.append(match[0])
        else:
            kept.append(match[0] != "<g>")
            if kept[-1]:
                out.append(match[0])
    out.append(svg[position:])
    return "".join(out)


def compact_svg(svg: str) -> str:
    """matplotlib's SVG markup, drawing the same picture in about 40% fewer bytes.

    Removes ids nothing refers to and the bare groups they leave, rounds coordinates to
    :data:`COORD_DECIMALS`, writes path data without spaces, drops no-op rotations and the
    label font repeated on every label, and the line breaks between elements. Text and
    anything outside a tag is left exactly as it was. Works on matplotlib's own output
    only (it relies on ``<`` and ``>`` being escaped in text and attribute values).
    """
    svg = _GLOBAL_STYLE.sub("", svg, count=1)
    keep_ids = {ref for _, ref in _REF.findall(svg)}
    svg = _TAG.sub(lambda m: _compact_attributes(m[0], keep_ids), svg)
    svg = _unwrap_bare_groups(svg)
    # Only the pretty-printing: a space inside a label's line is the label's own.
    return re.sub(r">\s*\n\s*<", "><", svg).strip()


def inline_svg(document: str, prefix: str, label: str) -> str:
    """matplotlib's SVG file as an element to place in a page.

    Drops the XML prologue and metadata; compacts the markup (:func:`compact_svg`);
    replaces the fixed size by CSS scaling (the viewBox keeps the proportions); prefixes
    every id so two charts on one page never share one; labels the image for screen
    readers (``role="img"``, a ``<title>``) and sets the text in the page's fonts.
    """
    svg = _XML_PROLOGUE.sub("", document, count=1)
    svg = _METADATA.sub("", svg, count=1)
    head, _, rest = svg.partition(">")
    head = _SIZE.sub("", head)
    svg = compact_svg(head + ">" + rest)
    svg = _ID.sub(lambda m: f'id="{prefix}-{m[1]}"', svg)
    svg = _REF.sub(lambda m: f"{m[1]}{prefix}-{m[2]}", svg)
    title_id = f"{prefix}-title"
    head, _, rest = svg.partition(">")
    box = _VIEWBOX.search(head)
    style = f"font-family:{FONT_STACK}"
    if box:
        width, height = float(box[1]), float(box[2])
        # Never drawn below MIN_SCALE of its natural size: on a phone the chart scrolls
        # sideways instead, so its labels stay readable. On paper it is as wide as the
        # column, or narrower when that would make it taller than a page (so it is never
        # split across pages).
        printed = math.floor(min(PRINT_WIDTH_MM, PRINT_HEIGHT_MM * width / height)) if height else 0
        style += f";min-width:{round(width * 4 / 3 * MIN_SCALE)}px;--print-width:{printed}mm"
    return (f'{head} style="{style}"{_ROOT_PRESENTATION} role="img" '
            f'aria-labelledby="{title_id}" focusable="false">'
            f'<title id="{title_id}">{escape(label)}</title>{rest}').strip()


def _new_axes(figsize: tuple[float, float] = FIGSIZE,
              layout: str | None = None) -> tuple[Figure, Axes]:
    """A figure outside pyplot's registry, so the inline backend never displays it.

    Its margins are fitted to long category names and the key inside the figure's width
    (:func:`fit_margins`) rather than widening it, so every chart has the same natural
    width (printed across the A4 column at its point sizes) and the same text size on
    screen. A figure with more than a plain axes (a colour bar) asks for
    ``layout="constrained"``, which does the same by drawing.
    """
    with mpl.rc_context(STYLE):
        figure = Figure(figsize=figsize, dpi=DPI, layout=layout)
        FigureCanvasAgg(figure)
        axes = figure.add_subplot()
    return figure, axes


def _chart_table(
    data: pd.DataFrame, x: str, y: str, hue: str | None, x_levels: list[Any],
    hue_levels: list[Any], xlabel: str, ylabel: str,
) -> pd.DataFrame:
    """The data table under a chart: one row per x value, one column per hue level."""
    if hue is None:
        if data[x].duplicated().any():
            raise ValueError(f"one row per {x!r} expected: aggregate the data before charting")
        table = data.set_index(x)[y].reindex(x_levels)
        return pd.DataFrame({xlabel: [str(v) for v in x_levels], ylabel: table.to_numpy()})
    if data.duplicated([x, hue]).any():
        raise ValueError(f"one row per {x!r} and {hue!r} expected: aggregate before charting")
    wide = data.pivot(index=x, columns=hue, values=y).reindex(index=x_levels, columns=hue_levels)
    wide.columns = [str(c) for c in wide.columns]
    wide.insert(0, xlabel, [str(v) for v in x_levels])
    return wide.reset_index(drop=True)


def _states(
    table: pd.DataFrame, value_columns: list[str], counts: bool, threshold: int,
    total_shown: bool = False,
) -> pd.DataFrame:
    """For each table cell: '' shown, '<5' small count, 'x' hidden to protect another.

    With ``total_shown`` (each column's total is published elsewhere, e.g. in the
    headline) a total row is added while working out what to hide, then dropped.
    """
    states = pd.DataFrame("", index=table.index, columns=value_columns)
    if not counts:
        return states
    label = table.columns[0]
    has_total = table[label].map(lambda v: str(v).strip().casefold() == "total").any()
    if total_shown and not has_total:
        sums = table[value_columns].apply(pd.to_numeric, errors="coerce").sum()
        extra = pd.DataFrame([{label: "Total", **sums.to_dict()}], index=["__total__"])
        mask = hidden_mask(pd.concat([table, extra]), value_columns, threshold)
        mask = mask.drop(index="__total__")
    else:
        mask = hidden_mask(table, value_columns, threshold)
    for column in value_columns:
        for row in table.index:
            if mask.at[row, column]:
                value = table.at[row, column]
                small = is_suppressed_count(value, threshold)
                states.at[row, column] = small_symbol(threshold) if small else HIDDEN
    return states


def _plot_data(
    data: pd.DataFrame, x: str, y: str, hue: str | None, table: pd.DataFrame,
    states: pd.DataFrame, hidden_value: float,
) -> pd.DataFrame:
    """The long data with hidden values replaced, so the drawing reveals nothing either."""
    plot = data.copy()
    x_text = plot[x].map(str)
    columns = [str(v) for v in plot[hue]] if hue is not None else [states.columns[0]] * len(plot)
    rows = {label: i for i, label in enumerate(table.iloc[:, 0])}
    hidden = [
        states.at[states.index[rows[xv]], col] != ""
        for xv, col in zip(x_text, columns, strict=True)
    ]
    plot[y] = pd.to_numeric(plot[y], errors="coerce").astype(float)
    plot.loc[np.asarray(hidden, dtype=bool), y] = hidden_value
    return plot


def _value_axis(
    axes: Axes, which: str, percent: bool, counts: bool, values: pd.Series,
    headroom: float = HEADROOM,
) -> None:
    """Format the value axis; start it at 0 (unless values go negative) and leave
    ``headroom`` above the highest value, so no line, marker or label is clipped."""
    axis = axes.yaxis if which == "y" else axes.xaxis
    if percent:
        axis.set_major_formatter(PercentFormatter(xmax=100, decimals=0))
    elif counts:
        axis.set_major_locator(MaxNLocator(integer=True))
        axis.set_major_formatter(FuncFormatter(lambda v, _pos: f"{v:,.0f}"))
    finite = pd.to_numeric(values, errors="coerce").dropna()
    if not finite.lt(0).any():
        top = float(finite.max()) if len(finite) else 0.0
        upper = top * (1 + headroom) if top > 0 else None
        (axes.set_ylim if which == "y" else axes.set_xlim)(0, upper)
    axes.grid(True, axis=which)


def _legend(axes: Axes) -> None:
    """The key above the plot, left-aligned, in rows: it costs no width on a phone.

    The key the plot drew is replaced by one in that place, made from its own handles and
    labels, as ``seaborn.move_legend`` does, without reading every property of the old key
    first (which measured it: two thirds of the cost of a small chart's key).
    """
    legend = axes.get_legend()
    if legend is None:
        return
    handles = list(legend.legend_handles)
    texts = [t.get_text() for t in legend.get_texts()]
    longest = max((len(t) for t in texts), default=0)
    columns = 3 if longest <= 16 else 2 if longest <= 32 else 1
    alignment = legend.get_alignment()
    legend.remove()
    axes.legend(
        handles, texts, loc="lower left", bbox_to_anchor=(0, 1.02), frameon=False,
        alignment=alignment, ncol=min(len(texts), columns), borderaxespad=0,
        handletextpad=0.4, columnspacing=1.2,
    )


def _finish(
    figure: Figure, table: pd.DataFrame, value_columns: list[str], states: pd.DataFrame,
    *, title: str, alt: str, source: str, percent: bool, counts: bool, ylabel: str,
    hue: str | None, threshold: int, decimals: int,
) -> Chart:
    return Chart(
        figure=figure, title=title, alt=alt, source=source, data=table,
        count_columns=tuple(value_columns) if counts and not percent else (),
        percent_columns=tuple(value_columns) if percent else (),
        table_caption=f"{title} ({ylabel})" if hue is not None else title,
        threshold=threshold, decimals=decimals, hide=states.ne(""),
    )


def _prepare(
    data: pd.DataFrame, x: str, y: str, hue: str | None, order: Sequence[Any] | None,
    hue_order: Sequence[Any] | None, xlabel: str, ylabel: str, counts: bool, threshold: int,
    total_shown: bool = False, numerator: str | None = None,
) -> tuple[list[Any], list[Any], pd.DataFrame, list[str], pd.DataFrame]:
    for column in (x, y, hue, numerator):
        if column is not None and column not in data.columns:
            raise KeyError(f"column {column!r} not in the chart data")
    x_levels = _levels(data[x], order)
    hue_levels = _levels(data[hue], hue_order) if hue is not None else []
    table = _chart_table(data, x, y, hue, x_levels, hue_levels, xlabel, ylabel)
    value_columns = [str(c) for c in table.columns[1:]]
    states = _states(table, value_columns, counts, threshold, total_shown)
    if numerator is not None:
        # A percentage of a small count would give the count back: hide it as well.
        counts_table = _chart_table(data, x, numerator, hue, x_levels, hue_levels, xlabel, ylabel)
        small = counts_table[value_columns].map(lambda v: is_suppressed_count(v, threshold))
        states = states.mask(small.to_numpy() & states.eq("").to_numpy(), HIDDEN)
    return x_levels, hue_levels, table, value_columns, states


def line_chart(
    data: pd.DataFrame,
    x: str,
    y: str,
    hue: str | None = None,
    *,
    title: str,
    alt: str,
    source: str,
    xlabel: str,
    ylabel: str,
    percent: bool = False,
    order: Sequence[Any] | None = None,
    counts: bool | None = None,
    threshold: int = COUNT_THRESHOLD,
    decimals: int = 1,
    numerator: str | None = None,
) -> Chart:
    """A trend line per ``hue`` category (``order`` = legend order), one row per point.

    Each line also gets its own marker shape so lines can be told apart without colour.
    ``y`` is a count unless ``percent`` (0-100) or ``counts=False`` (e.g. a rate per
    10,000); a hidden count leaves a gap in its line and shows as ``<5``/``x`` in the
    table. The value axis starts at 0 when no value is negative, so changes are not
    exaggerated. ``numerator`` names the count behind each percentage; a percentage of a
    small count is hidden (``x``).
    """
    counts = (not percent) if counts is None else counts and not percent
    x_levels, hue_levels, table, value_columns, states = _prepare(
        data, x, y, hue, None, order, xlabel, ylabel, counts, threshold, numerator=numerator
    )
    plot = _plot_data(data, x, y, hue, table, states, np.nan)
    plot[x] = pd.Categorical(plot[x], categories=x_levels, ordered=True).codes
    plot = plot.sort_values([hue, x] if hue is not None else [x], kind="stable")
    # A hidden value breaks the line: joining its neighbours would imply a value there.
    gaps = plot[y].isna()
    plot[_SEGMENT] = gaps.groupby(plot[hue]).cumsum() if hue is not None else gaps.cumsum()
    figure, axes = _new_axes()
    common: dict[str, Any] = {"units": _SEGMENT, "estimator": None, "ax": axes}
    with mpl.rc_context(STYLE):
        # Labelled first: seaborn labels an unlabelled axes itself, and to decide whether
        # to show its label it lays out tick labels for the axes' default range, a third
        # of this chart's cost for ticks that are replaced below.
        axes.set_xlabel(xlabel)
        axes.set_ylabel(ylabel)
        if hue is None:
            sns.lineplot(data=plot, x=x, y=y, color=PALETTE[0], marker="o", **common)
        else:
            sns.lineplot(
                data=plot, x=x, y=y, hue=hue, hue_order=hue_levels, style=hue,
                style_order=hue_levels, palette=colour_map(hue_levels, hue_levels),
                markers=True, dashes=False, **common,
            )
        axes.set_xticks(range(len(x_levels)), [str(v) for v in x_levels])
        axes.set_xlim(-0.3, len(x_levels) - 0.7)
        axes.set_xlabel(xlabel)
        axes.set_ylabel(ylabel)
        _value_axis(axes, "y", percent, counts, plot[y])
        _legend(axes)
    return _finish(
        figure, table, value_columns, states, title=title, alt=alt, source=source,
        percent=percent, counts=counts, ylabel=ylabel, hue=hue, threshold=threshold,
        decimals=decimals,
    )


def bar_chart(
    data: pd.DataFrame,
    x: str,
    y: str,
    hue: str | None = None,
    *,
    title: str,
    alt: str,
    source: str,
    xlabel: str,
    ylabel: str,
    horizontal: bool = False,
    percent: bool = False,
    order: Sequence[Any] | None = None,
    hue_order: Sequence[Any] | None = None,
    counts: bool | None = None,
    labels: bool = True,
    total_shown: bool = False,
    threshold: int = COUNT_THRESHOLD,
    decimals: int = 1,
    numerator: str | None = None,
) -> Chart:
    """Bars of ``y`` for each ``x`` category (grouped by ``hue``), one row per bar.

    ``x`` is always the category column and ``y`` the value, and ``xlabel``/``ylabel``
    describe them, whichever way round ``horizontal`` draws the bars (horizontal bars
    suit long category names). With ``labels`` each bar is labelled with its value,
    formatted as in the tables; a hidden count is drawn as an empty bar labelled
    ``<5`` or ``x``, so its height cannot be read off the axis. Set ``total_shown`` when
    the total of the bars is published elsewhere (a breakdown of a headline figure), so
    a lone hidden bar is protected from subtraction too. Pass ``hue=x`` to colour each
    category in its own fixed colour (no legend is drawn then).
    """
    counts = (not percent) if counts is None else counts and not percent
    grouped = hue if hue != x else None  # hue=x only colours the bars
    x_levels, hue_levels, table, value_columns, states = _prepare(
        data, x, y, grouped, order, hue_order, xlabel, ylabel, counts, threshold, total_shown,
        numerator,
    )
    plot = _plot_data(data, x, y, grouped, table, states, 0.0)
    colour_levels = hue_levels if grouped is not None else x_levels
    size = FIGSIZE
    if horizontal:
        size = (FIGSIZE[0], max(2.5, 0.4 * len(x_levels) * max(1, len(hue_levels) / 2) + 1.2))
    figure, axes = _new_axes(size)
    palette = colour_map(colour_levels, colour_levels) if hue is not None else {}
    with mpl.rc_context(STYLE):
        _draw_bars(axes, plot, x, y, hue, x_levels, colour_levels, palette,
                   dodge=grouped is not None, horizontal=horizontal)
        if labels:
            columns = [str(h) for h in hue_levels] or value_columns * len(axes.containers)
            _label_bars(axes, columns, table, states, percent=percent, counts=counts,
                        horizontal=horizontal, threshold=threshold, decimals=decimals)
        axes.set_xlabel(ylabel if horizontal else xlabel)
        axes.set_ylabel(xlabel if horizontal else ylabel)
        room = (0.22 if horizontal else 0.15) if labels else HEADROOM  # room for the labels
        _value_axis(axes, "x" if horizontal else "y", percent, counts, plot[y], room)
        _legend(axes)
    return _finish(
        figure, table, value_columns, states, title=title, alt=alt, source=source,
        percent=percent, counts=counts, ylabel=ylabel, hue=grouped, threshold=threshold,
        decimals=decimals,
    )


#: The share of a category's slot its bars fill (seaborn's default ``width``).
BAR_WIDTH = 0.8


def _draw_bars(
    axes: Axes, plot: pd.DataFrame, x: str, y: str, hue: str | None, x_levels: list[Any],
    colour_levels: list[Any], palette: Mapping[Any, str], *, dodge: bool, horizontal: bool,
) -> None:
    """The bars seaborn's ``barplot`` draws for one row per bar (``errorbar=None``,
    ``saturation=1``), drawn with matplotlib directly.

    The same drawing: category ``i`` at position ``i`` (the first at the top of a
    horizontal chart), one bar container per colour level in ``colour_levels`` order,
    side by side within the slot when ``dodge``, and a key of the levels when there is
    a separate ``hue``. seaborn's general machinery (aggregation, unit conversion,
    semantic mapping) cost twice the drawing itself for these pre-aggregated tables.
    """
    position = {level: i for i, level in enumerate(x_levels)}
    places = plot[x].map(position)
    values = pd.to_numeric(plot[y], errors="coerce").astype(float)
    levels: list[Any] = colour_levels if hue is not None else [None]
    width = BAR_WIDTH / len(levels) if dodge else BAR_WIDTH
    draw = axes.barh if horizontal else axes.bar
    for k, level in enumerate(levels):
        mine = places.notna() if level is None else places.notna() & (plot[hue] == level)
        offset = (width * k + width / 2 - BAR_WIDTH / 2) if dodge else 0.0
        edges = places[mine].to_numpy(float) + offset - width / 2
        colour = PALETTE[0] if level is None else palette[level]
        size = {"width": values[mine].to_numpy(), "height": width} if horizontal else {
            "height": values[mine].to_numpy(), "width": width}
        draw(edges, **size, align="edge", color=colour, label=str(level) if dodge else None)
    if not x_levels:
        return
    labels = [str(level) for level in x_levels]
    n = len(x_levels)
    if horizontal:
        axes.set_yticks(range(n), labels)
        axes.yaxis.grid(False)
        axes.set_ylim(n - 0.5, -0.5)
    else:
        axes.set_xticks(range(n), labels)
        axes.xaxis.grid(False)
        axes.set_xlim(-0.5, n - 0.5)
    if dodge:
        axes.legend()


def _label_bars(
    axes: Axes, columns: list[str], table: pd.DataFrame, states: pd.DataFrame, *,
    percent: bool, counts: bool, horizontal: bool, threshold: int, decimals: int,
) -> None:
    """Write each bar's value on it, using the table's formatting and hiding.

    :func:`_draw_bars` draws one bar container per colour level (in order), and within
    it bars at positions 0, 1, ... for the x categories; a bar's centre therefore says which table
    cell it shows. ``columns`` names the table column of each container.
    """
    for container, column in zip(axes.containers, columns, strict=False):
        texts = []
        for patch in container.patches:
            centre = (patch.get_y() + patch.get_height() / 2) if horizontal else (
                patch.get_x() + patch.get_width() / 2
            )
            row = round(centre)
            inside = 0 <= row < len(table)
            state = states.at[states.index[row], column] if inside else ""
            value = table.at[table.index[row], column] if inside else None
            if state:
                texts.append(state)
            elif is_missing(value):
                texts.append("")
            elif percent:
                texts.append(format_percent(value, decimals=decimals))
            elif counts:
                texts.append(format_count(value, threshold))
            else:
                texts.append(f"{float(value):,.{decimals}f}")
        # annotation_clip=False: draw each label whatever the axes' limits. A label sits on
        # its bar, and the value axis leaves room above the highest, so matplotlib's check
        # (is the bar's end inside the axes? asked every time the chart is measured or
        # drawn) always said yes; it was a tenth of fitting the margins.
        axes.bar_label(container, labels=texts, padding=3, fontsize=11, annotation_clip=False)
