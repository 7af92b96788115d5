"""matplotlib's SVG backend with one memory of text sizes for the whole process.

matplotlib remembers how big each label is per renderer, and ``savefig`` makes a new
renderer for every chart: a build lays out ~66 charts a year, each measured once to fit
its margins (:func:`helpers.report.charts.fit_margins`, on one shared renderer) and again,
label by label, when it is drawn. The renderer here looks each plain label up in one
process-wide table instead, so "England" or "2023-24" is laid out by FreeType once per
kernel, not once per chart and pass. The drawing is the same SVG, byte for byte.
"""

from __future__ import annotations

import codecs
import functools
from typing import Any

import matplotlib as mpl
from matplotlib import cbook
from matplotlib.backends.backend_mixed import MixedModeRenderer
from matplotlib.backends.backend_svg import FigureCanvasSVG, RendererSVG
from matplotlib.font_manager import FontProperties, fontManager, get_font
from matplotlib.textpath import TextToPath

#: Labels remembered: a year's charts hold a few thousand distinct ones.
TEXT_SIZES_KEPT = 16384

#: One text-to-path converter for every lookup: it holds no state a measure depends on
#: (each renderer makes its own only because matplotlib's base class does).
_TEXT_TO_PATH = TextToPath()


#: The rcParams a font lookup depends on besides the FontProperties (matplotlib's own
#: ``findfont`` cache keys on the same): part of every key here, so that a change of font
#: settings is never answered from a table.
_FONT_LISTS = ("font.serif", "font.sans-serif", "font.cursive", "font.fantasy",
               "font.monospace")
#: Where matplotlib's ``Text`` reads a font's line gap, ascent and descent: the OS/2
#: table, else hhea (table, then the three keys).
_HEIGHT_TABLES = (("OS/2", "sTypoLineGap", "sTypoAscender", "sTypoDescender"),
                  ("hhea", "lineGap", "ascent", "descent"))
#: The SVG backend lays text out at 72 dpi (``print_svg`` sets the figure to it, and so
#: does the measuring of :func:`helpers.report.charts.fit_margins`).
SVG_DPI = 72


def _font_settings() -> tuple[tuple[str, ...], ...]:
    return tuple(tuple(mpl.rcParams[key]) for key in _FONT_LISTS)


@functools.lru_cache(maxsize=TEXT_SIZES_KEPT)
def _plain_text_size(text: str, prop: FontProperties, _settings: tuple
                     ) -> tuple[float, float, float]:
    """Width, height and descent (points) of ``text`` set in ``prop`` (a copy: its hash
    follows its mutable state), as the SVG backend measures it."""
    return _TEXT_TO_PATH.get_text_width_height_descent(text, prop, False)


@functools.lru_cache(maxsize=256)
def _height_metrics(prop: FontProperties, _settings: tuple
                    ) -> tuple[float | None, float | None, float | None]:
    """The ascent, descent and line gap matplotlib's ``Text`` works out for ``prop`` at
    :data:`SVG_DPI` from the font's tables (the same arithmetic, so the same floats), or
    Nones when the font has neither table (matplotlib then measures "lp")."""
    font = get_font(fontManager._find_fonts_by_props(prop))
    for table_name, gap_key, ascent_key, descent_key in _HEIGHT_TABLES:
        table = font.get_sfnt_table(table_name)
        if table is None:
            continue
        fontsize = prop.get_size_in_points()
        units_per_em = font.get_sfnt_table("head")["unitsPerEm"]
        scale = 1 / units_per_em * fontsize * SVG_DPI / 72
        return table[ascent_key] * scale, -table[descent_key] * scale, table[gap_key] * scale
    return None, None, None


class HouseRendererSVG(RendererSVG):
    """:class:`RendererSVG` whose text sizes come from the process-wide tables.

    Mathtext and TeX (``ismath`` true) are measured as matplotlib does: their size
    depends on more settings than the font, and the house charts do not use them.
    ``_get_font_height_metrics`` is the hook matplotlib's ``Text`` asks a renderer for
    (private: were it dropped, ``Text`` would work the same numbers out itself, every
    time, as it does for any other renderer).
    """

    def get_text_width_height_descent(self, s: str, prop: FontProperties,
                                      ismath: Any) -> tuple[float, float, float]:
        if ismath:
            return super().get_text_width_height_descent(s, prop, ismath)
        return _plain_text_size(s, prop.copy(), _font_settings())

    def _get_font_height_metrics(self, prop: FontProperties
                                 ) -> tuple[float | None, float | None, float | None]:
        return _height_metrics(prop.copy(), _font_settings())


class HouseCanvasSVG(FigureCanvasSVG):
    """The SVG canvas, drawing with :class:`HouseRendererSVG`.

    ``print_svg`` is matplotlib's own (3.11) with the renderer's class changed; set
    ``HouseCanvasSVG(figure)`` before ``figure.savefig(..., format="svg")``.
    """

    def print_svg(self, filename: Any, *, bbox_inches_restore: Any = None,
                  metadata: dict[str, Any] | None = None, **_settled: Any) -> None:
        # ``_settled``: dpi, facecolor, edgecolor, orientation, which savefig has already
        # applied to the figure (matplotlib drops them for its own print_svg by signature)
        with cbook.open_file_cm(filename, "w", encoding="utf-8") as fh:
            if not cbook.file_requires_unicode(fh):
                fh = codecs.getwriter("utf-8")(fh)
            dpi = self.figure.dpi
            self.figure.dpi = SVG_DPI
            width, height = self.figure.get_size_inches()
            w, h = width * SVG_DPI, height * SVG_DPI
            renderer = MixedModeRenderer(
                self.figure, width, height, dpi,
                HouseRendererSVG(w, h, fh, image_dpi=dpi, metadata=metadata),
                bbox_inches_restore=bbox_inches_restore)
            self.figure.draw(renderer)
            renderer.finalize()
