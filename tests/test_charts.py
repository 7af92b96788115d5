"""House charts: accessible HTML, embedded images, protected data, stable colours."""

from __future__ import annotations

import re

import matplotlib.pyplot as plt
import pandas as pd
import pytest
from matplotlib.colors import to_hex

from helpers.report import charts
from helpers.report.charts import PALETTE, Chart, bar_chart, colour_map, line_chart
from helpers.report.safety import executable_markup

YEARS = ["2020-21", "2021-22", "2022-23", "2023-24", "2024-25"]
COMMON = {"source": "Source: case-management extract (synthetic demo data)"}


@pytest.fixture
def trend() -> pd.DataFrame:
    return pd.DataFrame({"period": YEARS, "contacts": [6900, 7400, 7800, 8170, 8583]})


@pytest.fixture
def areas() -> pd.DataFrame:
    rates = {"Camden": [20.0, 21.5, 22.0, 22.4, 23.5], "Inner London": [25, 24, 23, 22, 22.5],
             "England": [28, 27.5, 27, 26.8, 26]}
    return pd.DataFrame(
        [{"period": y, "area": a, "rate": r[i]}
         for a, r in rates.items() for i, y in enumerate(YEARS)]
    )


@pytest.fixture
def sources() -> pd.DataFrame:
    return pd.DataFrame({"source": ["Police", "Schools", "Faith groups", "Health"],
                         "referrals": [700, 500, 3, 400]})


def contacts_chart(trend: pd.DataFrame) -> Chart:
    return bar_chart(trend, "period", "contacts",
                     title="Contacts have risen every year since 2020-21",
                     alt="Bar chart of contacts per year, rising from 6,900 to 8,583.",
                     xlabel="Year", ylabel="Contacts", **COMMON)


def details_table(html: str) -> str:
    match = re.search(r"<details><summary>Chart data \(table\)</summary>(.*?)</details>", html,
                      re.S)
    assert match, "data table should sit inside <details>"
    return match.group(1)


def test_html_structure(trend):
    html = contacts_chart(trend)._repr_html_()
    assert html.startswith('<figure class="chart">') and html.endswith("</figure>")
    svg = re.search(r"<svg\b[^>]*>", html).group(0)
    assert 'role="img"' in svg
    label = re.search(r'aria-labelledby="([^"]+)"', svg).group(1)
    assert f'<title id="{label}">Bar chart of contacts per year, rising from 6,900 to 8,583.</title>' in html
    assert "<figcaption>" in html
    caption = html.split("<svg")[0]
    assert 'Contacts have risen every year since <span class="yr">2020-21</span>' in caption
    assert "Source: case-management extract (synthetic demo data)" in html
    table = details_table(html)
    assert "<table" in table and "<caption>" in table and "8,583" in table


def test_a_title_opening_with_a_lower_case_category_reads_as_a_sentence(sources):
    chart = bar_chart(sources.assign(source=lambda d: d["source"].str.lower()), "source",
                      "referrals", title="police made the most referrals", alt="Bars.",
                      xlabel="Source", ylabel="Referrals", **COMMON)
    assert chart.title == "Police made the most referrals"
    assert '<p class="chart-title">Police made the most referrals</p>' in chart.html
    assert "<caption>Police made the most referrals</caption>" in chart.html


def test_image_is_inline_svg_with_text_as_text(trend):
    html = contacts_chart(trend).html
    assert "<img" not in html and "base64" not in html  # vector, in the page, no PNG
    svg = html[html.index("<svg"):html.index("</svg>")]
    assert "<?xml" not in html and "<!DOCTYPE" not in html
    # Labels are SVG text, so they stay sharp when zoomed and can be found and read aloud.
    texts = re.findall(r"<text[^>]*>([^<]*)</text>", svg)
    assert "2024-25" in texts and "8,583" in texts
    head = re.search(r"<svg\b[^>]*>", svg).group(0)
    # The page's fonts, set once on the chart rather than on every label.
    assert f"font-family:{charts.FONT_STACK}" in head and "font-family" not in svg[len(head):]
    assert "viewBox=" in head and " width=" not in head and " height=" not in head
    # On a phone it scrolls rather than shrinking below 70%; on paper it fills the column.
    assert re.search(r'style="[^"]*;min-width:\d+px;--print-width:180mm"', head)
    assert "://" not in html.replace("http://www.w3.org/", "")  # nothing fetched


MATPLOTLIB_SVG = """<svg xmlns:xlink="http://www.w3.org/1999/xlink" viewBox="0 0 100.123456 50.5" \
xmlns="http://www.w3.org/2000/svg" version="1.1">
 <defs>
  <style type="text/css">*{stroke-linejoin: round; stroke-linecap: butt}</style>
 </defs>
 <g id="figure_1">
  <g id="axes_1">
   <g id="line2d_1">
    <defs>
     <path id="m1" d="M 0 0 \nL 0 3.5 \n" style="stroke: #000000; stroke-width: 0.8"/>
    </defs>
    <g>
     <use xlink:href="#m1" x="12.345678" y="-0.012" style="stroke: #000000; stroke-width: 0.8"/>
    </g>
   </g>
   <g clip-path="url(#p1)">
    <text style="font-size: 11px; font-family: 'DejaVu Sans'; text-anchor: middle" \
x="1.25" y="2.5" transform="rotate(-0 1.25 2.5)">Up  2.345678 x="1"</text>
    <text style="font-family: 'DejaVu Sans'" transform="translate(3.14159 2) rotate(-90)">R</text>
   </g>
  </g>
 </g>
 <defs><clipPath id="p1"><rect x="0.5" y="0.5" width="99.123456" height="49"/></clipPath></defs>
</svg>"""


def test_compact_svg_draws_the_same_in_fewer_bytes():
    svg = charts.compact_svg(MATPLOTLIB_SVG)
    assert len(svg) < 0.7 * len(MATPLOTLIB_SVG)
    # Ids something refers to stay, the others go, and so do the groups left bare.
    assert set(re.findall(r'\bid="([^"]+)"', svg)) == {"m1", "p1"}
    assert "<g>" not in svg and svg.count("<g ") == svg.count("</g>") == 1
    assert '<path id="m1" d="M0 0L0 3.5" style="stroke:#000000;stroke-width:0.8"/>' in svg
    assert 'x="12.3" y="0"' in svg and 'width="99.1"' in svg
    assert 'viewBox="0 0 100.123456 50.5"' in svg  # exact: the print width is read from it
    # A rotation by 0 is dropped, a real one kept; labels keep their text, spaces included.
    assert "rotate(-0" not in svg and 'transform="translate(3.1 2) rotate(-90)"' in svg
    assert '>Up  2.345678 x="1"</text>' in svg
    # Neither the label font on every label nor a <style> that would restyle the whole page.
    assert "font-family" not in svg and "<style" not in svg
    assert "\n" not in svg


def test_a_tall_chart_is_printed_narrower_so_it_fits_one_page():
    labels = [f"Category number {i}" for i in range(40)]
    data = pd.DataFrame({"c": labels, "n": range(100, 140)})
    chart = bar_chart(data, "c", "n", horizontal=True, title="Tall", alt="A tall chart.",
                      xlabel="C", ylabel="N", **COMMON)
    printed = int(re.search(r"--print-width:(\d+)mm", chart.svg())[1])
    width, height = map(float, re.search(r'viewBox="0 0 ([\d.]+) ([\d.]+)"', chart.svg()).groups())
    assert printed < 180
    assert printed * height / width <= charts.PRINT_HEIGHT_MM + 1


def test_svg_ids_are_unique_per_chart(trend, areas):
    one = contacts_chart(trend).html
    two = line_chart(areas, "period", "rate", "area", percent=True, title="Rates",
                     alt="Line chart of rates.", xlabel="Year", ylabel="Rate", **COMMON).html
    ids_one = set(re.findall(r'\bid="([^"]+)"', one))
    ids_two = set(re.findall(r'\bid="([^"]+)"', two))
    assert ids_one and ids_two and not ids_one & ids_two
    for html, ids in ((one, ids_one), (two, ids_two)):
        refs = re.findall(r'(?:url\(#|href="#)([^)"]+)', html)
        assert refs and set(refs) <= ids  # every clip path and marker resolves in its own chart


def test_value_axis_leaves_headroom_above_the_highest_line(areas):
    chart = line_chart(areas, "period", "rate", "area", percent=True, title="Rates",
                       alt="Line chart of rates.", xlabel="Year", ylabel="Rate", **COMMON)
    bottom, top = chart.figure.axes[0].get_ylim()
    highest = areas["rate"].max()
    assert bottom == 0
    assert top >= highest * (1 + charts.HEADROOM) - 1e-9


def test_data_strings_are_escaped_in_chart_markup():
    evil = "<script>alert(1)</script><img src=x onerror=alert(2)>"
    data = pd.DataFrame({"source": [evil, "Schools"], "referrals": [700, 500]})
    chart = bar_chart(data, "source", "referrals", title=f"Title {evil}", alt=f"Alt {evil}",
                      source=f"Source {evil}", xlabel=f"X {evil}", ylabel=f"Y {evil}")
    html = chart.html
    assert executable_markup(html) == []
    assert "<script" not in html and "<img" not in html
    assert "&lt;script&gt;" in html  # shown as text in titles, alt text, table and SVG


def test_figure_is_closed_and_rendered_once(trend):
    before = set(plt.get_fignums())
    chart = contacts_chart(trend)
    assert set(plt.get_fignums()) == before  # never registered with pyplot: no second copy
    first = chart._repr_html_()
    assert chart._repr_html_() == first
    assert set(plt.get_fignums()) == before


def test_rendering_is_deterministic(trend):
    assert contacts_chart(trend).png() == contacts_chart(trend).png()


def test_alt_text_is_required(trend):
    for alt in ("", "   "):
        with pytest.raises(ValueError, match="alt"):
            bar_chart(trend, "period", "contacts", title="t", alt=alt, xlabel="x", ylabel="y",
                      **COMMON)
    with pytest.raises(ValueError, match="alt"):
        Chart(figure=plt.figure(), title="t", alt="", source="s", data=trend)
    plt.close("all")


def test_small_counts_hidden_in_table_and_bars(sources):
    chart = bar_chart(sources, "source", "referrals", title="Police referred most",
                      alt="Bar chart of referrals by source.", xlabel="Source",
                      ylabel="Referrals", horizontal=True, **COMMON)
    table = details_table(chart.html)
    assert "&lt;5" in table and ">3<" not in table
    axes = chart.figure.axes[0]
    bars = [p for container in axes.containers for p in container.patches]
    widths = {t.get_text(): p.get_width() for p, t in zip(bars, axes.texts, strict=True)}
    assert widths["<5"] == 0  # the bar's length must not give the count away
    assert {"700", "500", "400", "<5"} == set(widths)


def test_every_bar_label_is_drawn_whatever_the_axis_limits(sources):
    # A label is drawn without asking whether its bar's end is inside the axes (the
    # value axis leaves room for every bar): even with the axis cut short by hand, no
    # value and no "<5" silently drops out of the drawing.
    chart = bar_chart(sources, "source", "referrals", title="t", alt="a", xlabel="Source",
                      ylabel="Referrals", **COMMON)
    chart.figure.axes[0].set_ylim(0, 450)
    drawn = re.findall(r"<text\b[^>]*>([^<]*)</text>", chart.svg())
    assert {"700", "500", "400", "&lt;5"} <= set(drawn)


def test_total_shown_elsewhere_protects_a_second_bar(sources):
    chart = bar_chart(sources, "source", "referrals", title="t", alt="a", xlabel="Source",
                      ylabel="Referrals", total_shown=True, **COMMON)
    labels = [t.get_text() for t in chart.figure.axes[0].texts]
    assert labels == ["700", "500", "<5", "x"]
    table = details_table(chart.html)
    assert "&lt;5" in table and ">x<" in table and ">400<" not in table


def test_grouped_bars_labelled_per_cell():
    data = pd.DataFrame({"period": ["2023-24", "2023-24", "2024-25", "2024-25"],
                         "area": ["Camden", "England", "Camden", "England"],
                         "n": [40, 2, 55, 60]})
    chart = bar_chart(data, "period", "n", "area", title="t", alt="a", xlabel="Year",
                      ylabel="Children", **COMMON)
    axes = chart.figure.axes[0]
    bars = [p for container in axes.containers for p in container.patches]
    labels: dict[str, list[str]] = {}
    for bar, text in zip(bars, axes.texts, strict=True):
        labels.setdefault(to_hex(bar.get_facecolor()).upper(), []).append(text.get_text())
    camden, england = colour_map(["Camden", "England"]).values()
    assert labels == {camden: ["40", "55"], england: ["<5", "60"]}
    header = re.findall(r'<th scope="col"[^>]*>(.*?)</th>', details_table(chart.html))
    assert header == ["Year", "Camden", "England"]


def test_percent_line_chart(areas):
    chart = line_chart(areas, "period", "rate", "area", percent=True,
                       title="Camden's conversion rate rose to 23.5%",
                       alt="Line chart of the conversion rate for three areas.", xlabel="Year",
                       ylabel="Contacts becoming referrals", **COMMON)
    table = details_table(chart.html)
    assert "23.5%" in table and "22.5%" in table
    axes = chart.figure.axes[0]
    assert axes.get_ylim()[0] == 0
    assert axes.yaxis.get_major_formatter()(20, 0) == "20%"
    assert [t.get_text() for t in axes.get_xticklabels()] == YEARS


def line_colours(chart: Chart) -> dict[str, str]:
    legend = chart.figure.axes[0].get_legend()
    return {t.get_text(): to_hex(h.get_color()).upper()
            for t, h in zip(legend.get_texts(), legend.legend_handles, strict=True)}


def test_same_category_same_colour_in_every_chart(areas):
    a = line_chart(areas, "period", "rate", "area", title="t", alt="a", xlabel="x", ylabel="y",
                   counts=False, **COMMON)
    two = areas[areas["area"] != "Inner London"]
    b = line_chart(two, "period", "rate", "area", title="t", alt="a", xlabel="x", ylabel="y",
                   counts=False, order=["England", "Camden"], **COMMON)
    ca, cb = line_colours(a), line_colours(b)
    assert ca["Camden"] == cb["Camden"] and ca["England"] == cb["England"]
    assert len(set(ca.values())) == 3


def test_colour_map_is_stable_and_distinct():
    assert colour_map(["England", "Camden", "Inner London"]) == {
        "England": charts.GREEN, "Camden": charts.BLUE, "Inner London": charts.ORANGE}
    first = colour_map(["Police", "Schools", "Health"])
    again = colour_map(["Health", "Police", "Schools"])
    assert first == again  # listing order does not matter
    assert len(set(first.values())) == 3
    assert set(first.values()) <= set(PALETTE)
    assert list(colour_map(["b", "a"], order=["a", "b"])) == ["a", "b"]


def test_register_colours_fixes_a_category():
    charts.register_colours({"Police": charts.VERMILLION})
    try:
        assert colour_map(["Police", "Schools"])["Police"] == charts.VERMILLION
    finally:
        charts._registered.pop("Police")


def test_data_must_be_aggregated(trend):
    doubled = pd.concat([trend, trend])
    with pytest.raises(ValueError, match="one row per"):
        bar_chart(doubled, "period", "contacts", title="t", alt="a", xlabel="x", ylabel="y",
                  **COMMON)


def test_plain_text_repr_is_stable(trend):
    assert repr(contacts_chart(trend)) == "Chart('Contacts have risen every year since 2020-21')"


def test_hidden_count_breaks_the_line():
    data = pd.DataFrame({"period": YEARS, "children": [40, 30, 3, 20, 25]})
    chart = line_chart(data, "period", "children", title="t", alt="a", xlabel="Year",
                       ylabel="Children missing", **COMMON)
    lines = [ln for ln in chart.figure.axes[0].get_lines() if len(ln.get_xdata())]
    assert [list(ln.get_ydata()) for ln in lines] == [[40, 30], [20, 25]]
    assert "&lt;5" in details_table(chart.html)


def test_percentage_of_a_small_count_is_hidden_in_table_and_drawing() -> None:
    data = pd.DataFrame({
        "factor": ["Neglect", "Trafficking"],
        "pct": [40.0, 0.2],
        "count": [600, 3],
    })
    chart = charts.bar_chart(
        data, "factor", "pct", percent=True, numerator="count",
        title="Neglect is common; trafficking rare", alt="Bar chart of two factors",
        source="Source: test", xlabel="Factor", ylabel="Share",
    )
    table = chart.table_html()
    assert "40.0%" in table
    assert "0.2%" not in table
    assert ">x<" in table


@pytest.mark.parametrize("label", ["A", "A much longer category name than the others here"])
def test_margins_fit_the_labels_within_the_figure_width(label):
    """Long or short category names, the chart keeps the figure's width and the axes move
    to make room for them (fit_margins), with the labels inside the drawing."""
    data = pd.DataFrame({"c": [label, "B", "C"], "n": [120, 80, 40]})
    chart = bar_chart(data, "c", "n", horizontal=True, title="Fits", alt="A chart.",
                      xlabel="Category", ylabel="Count", **COMMON)
    before = chart.figure.axes[0].get_position().x0
    box = charts.fit_margins(chart.figure)
    width, keep = charts.FIGSIZE[0], plt.rcParams["figure.constrained_layout.w_pad"]
    crop = plt.rcParams["savefig.pad_inches"]
    # The drawing reaches ``keep`` from each side of the figure; the SVG adds ``crop``.
    assert box.x0 == pytest.approx(keep - crop, abs=1 / 72)
    assert box.x1 == pytest.approx(width - keep + crop, abs=1 / 72)
    after = chart.figure.axes[0].get_position().x0
    assert (after > before) == (len(label) > 20)  # room made on the left for a long name
    again = charts.fit_margins(chart.figure)  # fitted: nothing moves any more
    assert again.bounds == pytest.approx(box.bounds, abs=1 / 72)
    assert chart.figure.axes[0].get_position().x0 == pytest.approx(after, abs=1e-3)


def test_the_png_is_laid_out_as_the_svg():
    """Both renderings fit the margins first, so the PNG has the SVG's width (not the
    default margins' width around long labels)."""
    data = pd.DataFrame({"c": ["A much longer category name than the others here", "B"],
                         "n": [120, 80]})

    def chart() -> Chart:
        return bar_chart(data, "c", "n", horizontal=True, title="Fits", alt="A chart.",
                         xlabel="Category", ylabel="Count", **COMMON)

    svg_width = float(re.search(r'viewBox="0 0 ([\d.]+) ', chart().svg())[1])  # points
    png = chart().png()
    png_width = int.from_bytes(png[16:20], "big")  # IHDR width, pixels at charts.DPI
    assert png_width / charts.DPI * 72 == pytest.approx(svg_width, abs=2)
