"""The house SVG canvas draws what matplotlib's own does, from remembered text sizes."""

from __future__ import annotations

import io

import matplotlib as mpl
import pandas as pd
import pytest
from matplotlib.backends.backend_svg import FigureCanvasSVG, RendererSVG
from matplotlib.font_manager import FontProperties

from helpers.report import charts, svg_canvas
from helpers.report.svg_canvas import HouseCanvasSVG, HouseRendererSVG


def _chart() -> charts.Chart:
    data = pd.DataFrame({"area": ["Camden", "Inner London", "England (all areas)"],
                         "rate": [23.5, 22.5, 26.0]})
    return charts.bar_chart(data, "area", "rate", horizontal=True, title="Camden is lowest",
                            alt="Bars of three rates.", xlabel="Area", ylabel="Rate",
                            source="Source: test")


def _svg(figure, canvas_class) -> str:
    buffer = io.StringIO()
    canvas_class(figure)
    with mpl.rc_context(charts.STYLE):
        figure.savefig(buffer, format="svg", bbox_inches="tight", facecolor="white",
                       metadata=charts.SVG_METADATA)
    return buffer.getvalue()


def test_the_house_canvas_draws_matplotlibs_svg_byte_for_byte() -> None:
    figure = _chart().figure
    ours = _svg(figure, HouseCanvasSVG)
    theirs = _svg(figure, FigureCanvasSVG)
    assert "<svg" in ours and ours == theirs
    assert _svg(figure, HouseCanvasSVG) == ours  # and again, from the remembered sizes


@pytest.mark.parametrize("text", ["England", "2023-24", "Children in need per 10,000", " x "])
def test_text_sizes_are_the_svg_backends(text: str) -> None:
    prop = FontProperties(family="DejaVu Sans", size=9)
    house = HouseRendererSVG(100, 100, io.StringIO())
    plain = RendererSVG(100, 100, io.StringIO())
    assert house.get_text_width_height_descent(text, prop, False) == \
        plain.get_text_width_height_descent(text, prop, False)


def test_a_change_of_font_settings_is_not_answered_from_memory() -> None:
    house = HouseRendererSVG(100, 100, io.StringIO())
    prop = FontProperties(family="sans-serif", size=9)
    with mpl.rc_context({"font.sans-serif": ["DejaVu Sans"]}):
        dejavu = house.get_text_width_height_descent("Wide words here", prop, False)
    with mpl.rc_context({"font.sans-serif": ["DejaVu Sans Mono"]}):
        mono = house.get_text_width_height_descent("Wide words here", prop, False)
        plain = RendererSVG(100, 100, io.StringIO())
        assert mono == plain.get_text_width_height_descent("Wide words here", prop, False)
    assert mono != dejavu


@pytest.mark.parametrize("text", ["One line", "Two\nlines", "Three\nlines\nof text"])
def test_text_is_laid_out_exactly_as_with_matplotlibs_renderer(text: str) -> None:
    """The line heights (the font's ascent, descent and line gap, from the hook) and the
    widths give the same box, to the last bit, at the SVG backend's 72 dpi."""
    figure = mpl.figure.Figure(dpi=svg_canvas.SVG_DPI)
    label = figure.text(0.1, 0.1, text, fontsize=9)
    theirs = label.get_window_extent(RendererSVG(100, 100, io.StringIO())).bounds
    ours = label.get_window_extent(HouseRendererSVG(100, 100, io.StringIO())).bounds
    assert ours == theirs


def test_a_changed_font_property_is_a_new_key() -> None:
    house = HouseRendererSVG(100, 100, io.StringIO())
    prop = FontProperties(family="DejaVu Sans", size=9)
    small = house.get_text_width_height_descent("England", prop, False)
    prop.set_size(18)  # the same object, mutated: its remembered size must not come back
    assert house.get_text_width_height_descent("England", prop, False)[0] == \
        pytest.approx(2 * small[0], rel=0.05)
