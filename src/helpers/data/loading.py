"""Reading processed tables and dataset metadata.

Notebooks and indicator code read only ``data/processed/``: typed parquet tables written by
``helpers.data.processing`` after validation. A trend needs several years, so ``load_trend``
stacks the same table across the years that exist and labels each row with its period.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from helpers.config import PROCESSED_DIR, trend_years
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


class ReportData:
    """Lazy, cached access to every processed table a report year reads.

    ``table(name)`` stacks up to five years ending at ``year`` (with ``period``), so trend
    charts and year-on-year comparisons need no extra loading; ``current(name)`` is the
    report year only. Tables are read once per object.
    """

    def __init__(self, year: str, data_dir: Path | str = PROCESSED_DIR, length: int = 5):
        self.year = year
        self.data_dir = Path(data_dir)
        self.length = length
        self._cache: dict[str, pd.DataFrame] = {}

    def table(self, name: str) -> pd.DataFrame:
        if name not in self._cache:
            self._cache[name] = load_trend(name, self.year, self.data_dir, self.length)
        return self._cache[name]

    def current(self, name: str) -> pd.DataFrame:
        frame = self.table(name)
        return frame[frame["period"] == self.year].reset_index(drop=True)

    def has_year(self, year: str) -> bool:
        return (self.data_dir / year).is_dir()

    def for_year(self, year: str) -> ReportData:
        """The same data folder seen from another report year (e.g. last year's report)."""
        return ReportData(year, self.data_dir, self.length)

    @property
    def meta(self) -> dict:
        return load_meta(self.year, self.data_dir)
