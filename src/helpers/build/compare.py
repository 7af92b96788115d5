"""Build the "How we compare" page for one LA, or for all 153, from DfE's files only.

    python -m helpers.build --compare --la 202 --year 2024-25
    python -m helpers.build --compare --la all --year 2024-25 [--workers 2]

Writes ``reports/compare/<la code>/<year>/how_we_compare.html`` and its ``figures.csv``,
and ``reports/compare/<year>/index.html`` listing the pages. Why it is built this way:

* The national table (every indicator for every LA, region and England) is built once
  per run from the DfE folder, then shared with the workers (forked), so no LA re-reads
  a file.
* No kernel per LA: the page is the chapter module's outputs put into a notebook node in
  this process and exported with the same template as every chapter. The notebook
  ``notebooks/compare/how_we_compare.ipynb`` runs the same ``page_outputs`` for a reader
  exploring one LA, so the two are the same chapter; a kernel per LA would cost more
  than rendering it.
* Each file is written to a temporary name and moved into place, so a reader never
  opens a half-written page.
"""

from __future__ import annotations

import argparse
import gc
import html
import multiprocessing
import os
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from functools import cached_property
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from helpers import config
from helpers.benchmarks import national
from helpers.benchmarks.sections import Place, every_la
from helpers.chapters import compare as chapter
from helpers.report.figure_register import FigureRegister

PAGE = "how_we_compare"
#: The comparison page is not a numbered chapter of the annual report.
CHAPTER_NUMBER = "0"


def default_dfe_dir() -> Path:
    """Where DfE's downloads are looked for: $LSCP_DFE_DIR, data/dfe, ../shared/data/dfe."""
    if os.environ.get("LSCP_DFE_DIR"):
        return Path(os.environ["LSCP_DFE_DIR"])
    for candidate in (config.REPO_ROOT / "data" / "dfe",
                      config.REPO_ROOT.parent / "shared" / "data" / "dfe"):
        if candidate.is_dir():
            return candidate
    return config.REPO_ROOT / "data" / "dfe"


@dataclass(frozen=True)
class National:
    """The national table and statistical neighbours, read once from a DfE folder."""

    table: pd.DataFrame
    neighbours: dict[str, list[str]]
    files: tuple[str, ...]

    @cached_property
    def everyone(self) -> dict[tuple[str, str], np.ndarray]:
        """Every LA's value by indicator and year, split once per run (not per page)."""
        return every_la(self.table)

    @classmethod
    def read(cls, folder: Path | str) -> National:
        downloads = national.Downloads.find(folder)
        return cls(national.build(folder), national.neighbours(folder),
                   tuple(sorted(p.name for p in downloads.files)))

    def local_authorities(self, year: str) -> list[str]:
        """Codes of the LAs with any published figure in ``year`` (153 for 2024-25)."""
        rows = self.table[(self.table["level"] == "Local authority")
                          & (self.table["period"] == year) & self.table["value"].notna()]
        return sorted(set(rows["code"]), key=lambda c: (len(c), c))


def page_outputs(data: National, la: str, year: str) -> tuple[Place, list[Any], FigureRegister]:
    """Everything the page shows, in order, and the register holding its figures."""
    reg = FigureRegister(CHAPTER_NUMBER, year, refs={})
    place = Place.of(data.table, data.neighbours, la, year, reg, data.everyone)
    return place, chapter.CHAPTER.render(place), reg


def header_html(place: Place, files: Sequence[str]) -> str:
    return (f'<header class="lscp-header"><p>DfE published statistics</p>'
            f"<h1>{html.escape(chapter.TITLE)}: {html.escape(place.name)}, {place.year}</h1>"
            f"<p>{html.escape(place.name)} (LA {place.code}) against "
            f"{html.escape(place.region)}, its statistical neighbours and England. "
            f"Page built {date.today().isoformat()}.</p></header>")


def header_html_object(place: Place) -> Any:
    """The header as a displayable object, for the notebook."""
    from IPython.display import HTML

    return HTML(header_html(place, ()))


def footer_markdown(files: Sequence[str]) -> str:
    return ("---\n\n**Symbols.** A figure DfE did not publish (suppressed to protect "
            "children's privacy, or not collected) is said to be not published; it is never "
            "shown as zero.\n\n**Data source.** Department for Education, children in need "
            "and children looked after statistics (Explore Education Statistics), the Local "
            "Authority Interactive Tool and the statistical neighbour model; ONS mid-year "
            f"population estimates. Files read: {', '.join(files)}.")


def _output(item: Any) -> Any:
    """One displayed item as a notebook output (Markdown text, or an object's HTML).

    Made as a plain node: nbformat's constructors validate each output against the
    schema, and the cell validates them all again, which cost more than exporting the
    page; these two shapes of output are fixed.
    """
    from nbformat import from_dict

    if isinstance(item, str):
        data = {"text/markdown": item, "text/plain": item}
    else:
        data = {"text/html": item._repr_html_(), "text/plain": repr(item)}
    return from_dict({"output_type": "display_data", "data": data, "metadata": {}})


class _HTML:
    """Markup shown as it is (the page header, a chart's place on the page)."""

    def __init__(self, text: str, plain: str = "HTML") -> None:
        self.text, self.plain = text, plain

    def _repr_html_(self) -> str:
        return self.text

    def __repr__(self) -> str:
        return self.plain


def notebook(place: Place, outputs: Sequence[Any], files: Sequence[str]) -> Any:
    """The page as an executed notebook: one code cell whose outputs are the chapter's."""
    from nbformat.v4 import new_code_cell, new_notebook

    shown = [_HTML(header_html(place, files)), *outputs, footer_markdown(files)]
    cell = new_code_cell("")
    cell.outputs = [_output(item) for item in shown]
    nb = new_notebook(cells=[cell])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                 "language": "python"}
    return nb


def _atomic_write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile("w", encoding="utf-8", dir=path.parent, delete=False,
                                     prefix=f".{path.name}.", newline="") as fh:
        fh.write(text)
    os.replace(fh.name, path)


def export_page(place: Place, outputs: Sequence[Any], files: Sequence[str]) -> str:
    """The page's HTML, exported like every chapter (and checked by the exporter for
    anything a browser would run)."""
    from helpers.report.html_export import export_html

    return export_html(notebook(place, outputs, files),
                       f"{chapter.TITLE}: {place.name}, {place.year}")


def build_page(data: National, la: str, year: str, reports_dir: Path) -> Path:
    """Render and write one LA's page and figures; returns the page's path."""
    place, outputs, reg = page_outputs(data, la, year)
    folder = Path(reports_dir) / "compare" / place.code / year
    page = export_page(place, outputs, data.files)
    _atomic_write(folder / "figures.csv", reg.frame().to_csv(index=False, lineterminator="\n"))
    _atomic_write(folder / f"{PAGE}.html", page)
    return folder / f"{PAGE}.html"


# --------------------------------------------------------------------------- many LAs

_SHARED: National | None = None


@contextmanager
def _collector_paused() -> Iterator[None]:
    """No cyclic garbage collection while a page is built; one collection after it.

    A page makes some hundred thousand objects (matplotlib artists, pandas frames) that
    all live until it is written, so collections during the page find nothing to free
    and only traverse them again and again; the page's figures, which are reference
    cycles, are freed together once it is done.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
        gc.collect()


def _prepare_workers(data: National) -> None:
    """Work every page needs done once in the parent, so forked workers share it: the
    split of the national table, nbconvert's exporter and the chart measuring renderer.
    Then the parent's objects are frozen out of the collector, so no worker traverses
    them (nor copies their memory pages by touching them); :func:`build_all` unfreezes
    them when the pages are done."""
    from helpers.report import charts, html_export

    _ = data.everyone
    html_export._exporter()
    charts._measuring_renderer()
    gc.collect()
    gc.freeze()


def _build_shared(args: tuple[str, str, str]) -> tuple[str, str | None]:
    la, year, reports_dir = args
    try:
        with _collector_paused():
            build_page(_SHARED, la, year, Path(reports_dir))  # type: ignore[arg-type]
    except Exception as exc:  # one LA's failure is reported, the others still built
        return la, f"{type(exc).__name__}: {exc}"
    return la, None


def build_all(data: National, las: Sequence[str], year: str, reports_dir: Path,
              workers: int = 2) -> dict[str, str | None]:
    """Build many LAs' pages on ``workers`` forked processes, with a progress bar."""
    from tqdm import tqdm

    global _SHARED
    _SHARED = data
    _prepare_workers(data)
    try:
        jobs = [(la, year, str(reports_dir)) for la in las]
        results: dict[str, str | None] = {}
        with tqdm(total=len(jobs), desc="LAs", unit="LA", file=sys.stderr) as bar:
            if workers <= 1:
                for job in jobs:
                    la, error = _build_shared(job)
                    results[la] = error
                    bar.update()
            else:
                with multiprocessing.get_context("fork").Pool(workers) as pool:
                    for la, error in pool.imap_unordered(_build_shared, jobs, chunksize=2):
                        results[la] = error
                        bar.set_postfix_str(f"{la} {'FAILED' if error else 'ok'}", refresh=False)
                        bar.update()
    finally:
        gc.unfreeze()  # the caller's objects are collectable again
    return results


def write_index(data: National, las: Sequence[str], year: str, reports_dir: Path,
                results: dict[str, str | None]) -> Path:
    """``reports/compare/<year>/index.html``: a link to every LA's page."""
    names = (data.table[data.table["level"] == "Local authority"]
             .drop_duplicates("code").set_index("code")["area"])
    items = "\n".join(
        f'<li><a href="../{la}/{year}/{PAGE}.html">{html.escape(str(names.get(la, la)))}</a>'
        f"{' (failed)' if results.get(la) else ''}</li>"
        for la in sorted(las, key=lambda c: str(names.get(c, c))))
    page = (f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>{chapter.TITLE}, {year}</title></head><body><main>"
            f"<h1>{chapter.TITLE}: every local authority, {year}</h1>"
            f"<p>DfE published statistics only.</p><ul>{items}</ul></main></body></html>\n")
    target = Path(reports_dir) / "compare" / year / "index.html"
    _atomic_write(target, page)
    return target


def run(la: str, year: str | None = None, workers: int = 2, reports_dir: Path | None = None,
        dfe_dir: Path | None = None) -> int:
    """``--compare``: build the page for ``la`` (code, name or 'all'); exit status."""
    year = year or config.partnership().latest_year
    config.Year.parse(year)
    reports_dir = Path(reports_dir or config.REPORTS_DIR)
    folder = Path(dfe_dir or default_dfe_dir())
    started = time.perf_counter()
    try:
        data = National.read(folder)
    except FileNotFoundError as exc:
        print(f"error: {exc}; download DfE's files there or pass --dfe-dir", file=sys.stderr)
        return 2
    if la.strip().lower() == "all":
        las = data.local_authorities(year)
        results = build_all(data, las, year, reports_dir, workers)
        index = write_index(data, las, year, reports_dir, results)
        failed = {k: v for k, v in results.items() if v}
        print(f"{len(las) - len(failed)} of {len(las)} LA pages built in "
              f"{time.perf_counter() - started:.0f} s; index: {index}", file=sys.stderr)
        for code, error in sorted(failed.items()):
            print(f"  FAILED {code}: {error}", file=sys.stderr)
        return 1 if failed else 0
    try:
        page = build_page(data, la, year, reports_dir)
    except KeyError as exc:
        print(f"error: {exc.args[0]}", file=sys.stderr)
        return 2
    print(f"{page} built in {time.perf_counter() - started:.0f} s", file=sys.stderr)
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Stand-alone entry point with the same options as ``helpers.build --compare``."""
    parser = argparse.ArgumentParser(prog="python -m helpers.build.compare",
                                     description="Build the 'How we compare' page(s).")
    parser.add_argument("--la", default=None, help="LA code or name, or 'all' "
                        "(default: the partnership's la_code)")
    parser.add_argument("--year", help="reporting year, e.g. 2024-25 (default: latest_year)")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--reports-dir", type=Path, default=config.REPORTS_DIR)
    parser.add_argument("--dfe-dir", type=Path, default=None)
    args = parser.parse_args(argv)
    return run(args.la or config.partnership().la_code, args.year, args.workers,
               args.reports_dir, args.dfe_dir)


if __name__ == "__main__":
    raise SystemExit(main())
