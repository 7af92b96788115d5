"""Reading processed tables and dataset metadata.

Notebooks and indicator code read only ``data/processed/``: typed parquet tables written by
``helpers.data.processing`` after validation. A trend needs several years, so ``load_trend``
stacks the same table across the years that exist and labels each row with its period.
"""

from __future__ import annotations

import copy
import json
import os
from collections.abc import Callable, Hashable
from pathlib import Path
from typing import Any

import pandas as pd

from helpers.config import PROCESSED_DIR, Year, partnership, previous_year, trend_years
from helpers.data import rules
from helpers.data.validation import Problem, RawDataError, decode

META_FILE = "dataset.json"
META_FIELDS = {"synthetic": bool, "extract_date": str, "source": str}


def read_dataset_meta(year_dir: Path) -> dict:
    """The year's ``dataset.json``: whether the data are synthetic, their date and source.

    Every page a dataset feeds shows this, so a synthetic demo can never pass for real data.
    It is decoded like a CSV (UTF-8, UTF-8 with BOM or cp1252; a mix or UTF-16 is refused).
    """
    path = Path(year_dir) / META_FILE
    label = f"{Path(year_dir).name}/{META_FILE}"
    if not path.exists():
        raise RawDataError([Problem(label, "a dataset.json with synthetic, extract_date and source",
                                    rule=rules.META_PRESENT)])
    try:
        meta = json.loads(decode(path.read_bytes(), label))
    except json.JSONDecodeError as exc:
        raise RawDataError([Problem(label, f"valid JSON ({exc})", rule=rules.META_JSON)]) from exc
    if not isinstance(meta, dict):
        raise RawDataError([Problem(label, "a JSON object with synthetic, extract_date and source",
                                    rule=rules.META_JSON)])
    problems = [
        Problem(label, f"a key '{key}' holding {kind.__name__}", column=key,
                value=None if key not in meta else repr(meta[key]), rule=rules.META_FIELD)
        for key, kind in META_FIELDS.items()
        if not isinstance(meta.get(key), kind)
    ]
    if problems:
        raise RawDataError(problems)
    return meta


def processed_path(name: str, year: str, data_dir: Path | str = PROCESSED_DIR) -> Path:
    return Path(data_dir) / year / f"{name}.parquet"


def load_table(name: str, year: str, data_dir: Path | str = PROCESSED_DIR) -> pd.DataFrame:
    """One processed table for one year."""
    path = processed_path(name, year, data_dir)
    if not path.exists():
        raise FileNotFoundError(
            f"{path} not found: build the year first (python -m helpers.build --year {year})")
    return pd.read_parquet(path)


def load_trend(name: str, year: str, data_dir: Path | str = PROCESSED_DIR,
               length: int = 5) -> pd.DataFrame:
    """The table for up to ``length`` years ending at ``year``, with a ``period`` column.

    Years without processed data are left out rather than failing, so a partnership in its
    first year of using the pack still gets its chapters (with shorter trends).
    """
    frames = [
        load_table(name, y, data_dir).assign(period=y)
        for y in trend_years(year, length)
        if processed_path(name, y, data_dir).exists()
    ]
    if not frames:
        raise FileNotFoundError(f"no processed {name} table for {year} in {data_dir}")
    return pd.concat(frames, ignore_index=True)


def load_meta(year: str, data_dir: Path | str = PROCESSED_DIR) -> dict:
    """The dataset metadata carried into the processed folder for ``year``."""
    return json.loads((Path(data_dir) / year / META_FILE).read_text(encoding="utf-8"))


def _is_year(name: str) -> bool:
    try:
        Year.parse(name)
    except ValueError:
        return False
    return True


def _not_after(name: str, year: str) -> bool:
    """Whether folder ``name`` is a reporting year no later than ``year``."""
    return _is_year(name) and Year.parse(name) <= Year.parse(year)


#: Tables already read by this process: (folder, table, year) -> (the file's stamp, the
#: frame with its ``period``). A build kernel runs chapter after chapter, and in a batch
#: year after year, over the same processed files; each is read from disk once per process
#: and re-read only if it changes (its size or modification time). Frames are handed out
#: as shallow copies: with pandas' copy-on-write a chapter that changes its copy changes
#: nothing another chapter sees.
_READ: dict[tuple[str, str, str], tuple[tuple[int, int], pd.DataFrame]] = {}
#: The last stack made of each table: (folder, table) -> (the stamps of the years stacked,
#: the frame). The years of a batch stack different years (each report year reads up to
#: itself); a new stack is made from the frames above, without reading a file again.
_STACKED: dict[tuple[str, str], tuple[tuple[tuple[str, int, int], ...], pd.DataFrame]] = {}


def _stamps(name: str, years: list[str], data_dir: Path) -> tuple[tuple[str, int, int], ...]:
    """(year, mtime_ns, size) of each year's file of table ``name`` that exists."""
    out = []
    for year in years:
        try:
            info = processed_path(name, year, data_dir).stat()
        except FileNotFoundError:
            continue
        out.append((year, info.st_mtime_ns, info.st_size))
    return tuple(out)


def _year_frame(name: str, year: str, data_dir: Path, stamp: tuple[int, int]) -> pd.DataFrame:
    key = (str(Path(data_dir).resolve()), name, year)
    held = _READ.get(key)
    if held is None or held[0] != stamp:
        held = (stamp, load_table(name, year, data_dir).assign(period=year))
        _READ[key] = held
    return held[1]


def read_stacked(name: str, years: list[str], data_dir: Path) -> pd.DataFrame:
    """Table ``name`` of every year in ``years`` that has it, stacked, with ``period``."""
    stamps = _stamps(name, years, data_dir)
    if not stamps:
        raise FileNotFoundError(f"no processed {name} table in {data_dir}")
    key = (str(Path(data_dir).resolve()), name)
    held = _STACKED.get(key)
    if held is None or held[0] != stamps:
        held = (stamps, pd.concat([_year_frame(name, year, data_dir, (mtime, size))
                                   for year, mtime, size in stamps], ignore_index=True))
        _STACKED[key] = held
    return held[1].copy(deep=False)


#: Results computed from processed data (measure values, shared intermediate tables), when
#: readers in this process share them: (folder, trend length, the stamps of the files of
#: the report year and the years before it) -> (report year, key) -> result. Only build
#: kernels turn sharing on (:func:`share_results`): there chapter after chapter, and year
#: after year in a batch, reads the same unchanged files, so a figure one chapter (or last
#: year's trend) computed is not computed again. Elsewhere (JupyterLab, tests) each
#: ReportData keeps its own.
_SHARED_RESULTS: dict[tuple[str, int, tuple[tuple[str, int, int], ...]], dict[Any, Any]] = {}
_SHARING = {"on": False}


def share_results(on: bool = True) -> None:
    """Let every ReportData over the same unchanged files share computed results."""
    _SHARING["on"] = on
    if not on:
        _SHARED_RESULTS.clear()


def folder_stamps(data_dir: Path, up_to: str) -> tuple[tuple[str, int, int], ...]:
    """(relative path, mtime_ns, size) of every processed file of the years up to
    ``up_to`` under ``data_dir``: what a result for that report year depends on (a file
    changed, added or removed gives another stamp). Later years, and the folders
    processing writes a year into before renaming it, are not looked at: a batch
    processes its later years while its first year's chapters run."""
    out = []
    for year_dir in sorted(Path(data_dir).iterdir()) if Path(data_dir).is_dir() else []:
        if not (year_dir.is_dir() and _not_after(year_dir.name, up_to)):
            continue
        for entry in sorted(os.scandir(year_dir), key=lambda e: e.name):
            if entry.is_file():
                info = entry.stat()
                out.append((f"{year_dir.name}/{entry.name}", info.st_mtime_ns, info.st_size))
    return tuple(out)


def rows_of_year(frame: pd.DataFrame, year: str) -> pd.DataFrame:
    """The rows of a stacked table (``period`` column) for one report year."""
    return frame[frame["period"] == year].reset_index(drop=True)


class _Failed:
    """A computation that raised, remembered so that asking again raises again."""

    def __init__(self, error: Exception) -> None:
        self.error = error


class ReportData:
    """Lazy, cached access to every processed table a report year reads: the one data object
    every chapter, measure and the calibration use.

    ``table(name)`` stacks up to five years ending at ``year`` (with ``period``), so trend
    charts and year-on-year comparisons need no extra loading; ``current(name)`` is the
    report year only. ``for_year`` gives the same data seen from an earlier report year and
    shares the tables already read (and the views made), so a five-year trend of a measure
    reads each file once and filters each year's rows once. Nothing later than ``year`` is
    read: a report is made from its year and the years before it, so a batch can process
    its later years while the chapters of its first year run.
    """

    def __init__(self, year: str, data_dir: Path | str = PROCESSED_DIR, length: int = 5,
                 _store: dict[str, pd.DataFrame] | None = None,
                 _views: dict[str, ReportData] | None = None,
                 _results: dict[Any, Any] | None = None,
                 _held: list[str] | None = None):
        self.year = year
        self.data_dir = Path(data_dir)
        self.length = length
        # name -> the table stacked over every year held, shared by for_year() views.
        self._store: dict[str, pd.DataFrame] = {} if _store is None else _store
        # report year -> its view of the same data, shared by every view (for_year).
        self._views: dict[str, ReportData] = {year: self} if _views is None else _views
        self._cache: dict[str, pd.DataFrame] = {}
        self._current: dict[str, pd.DataFrame] = {}
        # The years the shared tables stack: the first reader's (views keep to it), which
        # are those up to the first reader's year.
        self._held: list[str] | None = _held
        self._reader_year = year if _views is None else next(iter(_views))
        if _results is None:
            _results = {}
            if _SHARING["on"]:
                key = (str(self.data_dir.resolve()), length, folder_stamps(self.data_dir, year))
                _results = _SHARED_RESULTS.setdefault(key, {})
        # (report year, key) -> result: this year's results, kept for every reader of
        # these files while sharing is on (see remember()), else for this one's views.
        self._results: dict[Any, Any] = _results

    def remember(self, key: Hashable, compute: Callable[[], Any]) -> Any:
        """``compute()`` for this report year, computed once per ``key``.

        Measures and the intermediate tables several measures share are functions of the
        processed data and the report year only, so their results are kept: a chapter asks
        for a figure's availability, its value and its trend, and several measures read the
        same journey or factor table. A computation that raises raises again, without
        being repeated. Tables and series are handed out as shallow copies (copy-on-write:
        a caller changing its copy changes nothing another caller sees).
        """
        full = (self.year, key)
        if full not in self._results:
            try:
                self._results[full] = compute()
            except Exception as exc:
                self._results[full] = _Failed(exc)
        value = self._results[full]
        if isinstance(value, _Failed):
            # A copy without the first traceback: raising one object again and again
            # would grow its traceback each time.
            raise copy.copy(value.error).with_traceback(None)
        if isinstance(value, pd.DataFrame | pd.Series):
            return value.copy(deep=False)
        return value

    def _all_years(self, name: str) -> pd.DataFrame:
        if name not in self._store:
            self._store[name] = read_stacked(name, self.years_held(), self.data_dir)
        return self._store[name]

    def years_held(self) -> list[str]:
        """Every year up to the report year with a processed folder, oldest first (read
        once; a view of an earlier year keeps its reader's, whose tables it shares)."""
        if self._held is None:
            if not self.data_dir.is_dir():
                return []
            self._held = sorted(p.name for p in self.data_dir.iterdir()
                                if p.is_dir() and _not_after(p.name, self.year))
        return list(self._held)

    def table(self, name: str) -> pd.DataFrame:
        if name not in self._cache:
            window = set(trend_years(self.year, self.length))
            frame = self._all_years(name)
            rows = frame[frame["period"].isin(window)]
            # A table that exists but has no rows in the window (an optional return left
            # empty, a sparse year) is an empty frame with its columns, not a missing file:
            # measures then say "not available" instead of the chapter failing.
            self._cache[name] = rows.reset_index(drop=True)
        return self._cache[name]

    def current(self, name: str) -> pd.DataFrame:
        """The report year's rows of ``name``, filtered once (handed out as a shallow copy,
        so a caller that changes it changes no other caller's frame)."""
        if name not in self._current:
            self._current[name] = rows_of_year(self.table(name), self.year)
        return self._current[name].copy(deep=False)

    def has_year(self, year: str) -> bool:
        return (self.data_dir / year).is_dir()

    def for_year(self, year: str) -> ReportData:
        """The same data folder seen from another report year (e.g. last year's report),
        made once and shared, so its filtered tables are not filtered again."""
        if year not in self._views:
            if Year.parse(year) > Year.parse(self._reader_year):
                # Later than the shared tables go: a reader of its own, holding its years.
                self._views[year] = ReportData(year, self.data_dir, self.length)
                return self._views[year]
            # While results are shared, each year's are kept under its own files (those up
            # to that year), so last year's chapters and this year's trend share them.
            self._views[year] = ReportData(
                year, self.data_dir, self.length, _store=self._store, _views=self._views,
                _results=None if _SHARING["on"] else self._results, _held=self.years_held())
        return self._views[year]

    @property
    def periods(self) -> list[str]:
        """The years of the trend window that have data, oldest first."""
        window = trend_years(self.year, self.length)
        return [y for y in window if (self.data_dir / y).is_dir()]

    @property
    def previous(self) -> str:
        return previous_year(self.year)

    @property
    def has_previous(self) -> bool:
        return self.previous in self.periods

    @property
    def meta(self) -> dict:
        return load_meta(self.year, self.data_dir)

    @property
    def source(self) -> str:
        """The source line under a chart of the LA's own records."""
        note = f"Source: {partnership().local_authority} children's social care records"
        return note + (" (synthetic demo data)." if self.meta.get("synthetic") else ".")
