"""The national table: every indicator for every LA, region and England, every year held.

Built once from a folder of DfE downloads (``build``) and kept as one long frame, so the
benchmark rows of one partnership and the comparison pages of all 153 LAs read the same
numbers and nothing is recomputed per LA. Columns: ``indicator``, ``period`` (2024-25),
``level``, ``code`` (202; a region's name; England), ``area``, ``region`` (an LA's
region), ``value`` (NaN when DfE did not publish it), ``status`` ('' or DfE's marker),
``source`` (the file) and ``rank``/``of`` (the LA's place among LAs with a value,
1 = highest).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd

from helpers.benchmarks import ees
from helpers.benchmarks.indicators import INDICATORS, POPULATION, Indicator

COLUMNS = ["indicator", "period", "level", "code", "area", "region", "value", "status",
           "source", "rank", "of"]
POPULATION_FILE = "ons_mid-year_population_estimates"
NEIGHBOURS_FILE = "sn_model_2025_wide"
LAIT_FILE = "bds_long"
#: How DfE files are told apart from other files in a download folder.
PATTERNS = ("*.csv", "*.parquet")


@dataclass(frozen=True)
class Downloads:
    """The DfE files found in a folder (searched recursively), by name prefix."""

    files: tuple[Path, ...]

    @classmethod
    def find(cls, folder: Path | str) -> Downloads:
        folder = Path(folder)
        if not folder.is_dir():
            raise FileNotFoundError(f"{folder}: not a folder of DfE downloads")
        found = sorted(p for pattern in PATTERNS for p in folder.rglob(pattern))
        return cls(tuple(found))

    def latest(self, prefix: str) -> Path | None:
        """The file starting with ``prefix`` covering the latest years (name order)."""
        matches = [p for p in self.files if p.name.startswith(prefix)]
        return max(matches, key=lambda p: p.name) if matches else None


def file_date(path: Path) -> str:
    """The date a download was saved (its modification date), for the source note."""
    return date.fromtimestamp(path.stat().st_mtime).isoformat()


def _region_key(frame: pd.DataFrame) -> pd.DataFrame:
    """Regions are keyed by name, compared without case (LAIT writes 'the Humber')."""
    regional = frame["level"].eq("Regional")
    frame.loc[regional, "code"] = frame.loc[regional, "code"].str.casefold()
    return frame


def population(path: Path) -> pd.DataFrame:
    """ONS 0-17 estimates keyed by ``level``, ``code`` and the DfE year they divide.

    DfE's rates for the year ending March T use the mid-year T-1 estimate, so the mid-2024
    row is stored under ``time_period`` 2025.
    """
    raw = ees.read_ees_csv(path)
    out = ees.areas(raw)
    out["time_period"] = (raw["time_period"].astype(int) + 1).astype(str)
    out["population"], _ = ees.parse_values(raw["population_estimate"])
    return _region_key(out)[["level", "code", "time_period", "population"]].drop_duplicates(
        ["level", "code", "time_period"])


def _filtered(raw: pd.DataFrame, spec: Indicator) -> pd.DataFrame:
    picked = raw
    for column, value in spec.where:
        picked = picked[picked[column].str.strip() == value]
    return picked


def from_ees(raw: pd.DataFrame, spec: Indicator, source: str,
             pop: pd.DataFrame | None) -> pd.DataFrame:
    """One indicator's rows from an EES frame: count, published value, % or rate."""
    picked = _filtered(raw, spec)
    out = ees.areas(picked)
    out["time_period"] = picked["time_period"].astype(str).str.strip()
    value, status = ees.parse_values(picked[spec.column])
    if spec.per == POPULATION:
        if pop is None:
            raise FileNotFoundError(f"{spec.code} needs {POPULATION_FILE}*.csv for its rate")
        out = _region_key(out)
        merged = out.merge(pop, on=["level", "code", "time_period"], how="left")
        base = merged["population"].to_numpy()
        value = pd.Series(np.round(value.to_numpy() / base * 10000, 6), index=out.index)
        status = status.where(~(value.isna() & status.eq("")), "no population")
    elif spec.per:
        base, base_status = ees.parse_values(picked[spec.per])
        value = (value / base.where(base > 0) * 100).round(6)
        status = status.where(status.ne(""), base_status)
    out["value"], out["status"], out["source"] = value.to_numpy(), status.to_numpy(), source
    out["indicator"] = spec.code
    return _region_key(out)


def from_lait(lait: pd.DataFrame, spec: Indicator, source: str) -> pd.DataFrame:
    """One indicator's rows from LAIT's long table (same statistics, from 2016)."""
    picked = lait[lait["measure"] == spec.lait]
    out = picked[["level", "code", "area", "region", "time_period"]].copy()
    out["value"], out["status"] = ees.parse_values(picked["text"])
    out["source"], out["indicator"] = source, spec.code
    return _region_key(out)


def add_ranks(table: pd.DataFrame) -> pd.DataFrame:
    """Each LA's place among LAs with a value that year (1 = highest), and how many."""
    las = table["level"].eq("Local authority") & table["value"].notna()
    groups = table[las].groupby(["indicator", "period"])["value"]
    table["rank"] = groups.rank(ascending=False, method="min").reindex(table.index)
    table["of"] = groups.transform("count").reindex(table.index)
    return table


def build(folder: Path | str, indicators: Iterable[Indicator] = INDICATORS) -> pd.DataFrame:
    """Every indicator the folder's files hold, for every area and year, ranked.

    EES files come first; LAIT fills the (area, year) cells the EES files lack, so a
    series runs from the first year either publishes. Files absent from the folder just
    leave their indicators out.
    """
    downloads = Downloads.find(folder)
    pop_path = downloads.latest(POPULATION_FILE)
    pop = population(pop_path) if pop_path else None
    lait_path = downloads.latest(LAIT_FILE)
    lait = ees.read_lait(lait_path) if lait_path else None
    frames, cache = [], {}
    for spec in indicators:
        path = downloads.latest(spec.file) if spec.file else None
        parts = []
        if path is not None:
            if path not in cache:
                cache[path] = ees.read_ees_csv(path).drop_duplicates()
            parts.append(from_ees(cache[path], spec, path.name, pop))
        if spec.lait and lait is not None:
            parts.append(from_lait(lait, spec, lait_path.name))
        if not parts:
            continue
        rows = pd.concat(parts, ignore_index=True)
        # A published value beats a gap; the EES file beats LAIT for the same cell.
        rows["_order"] = rows["value"].isna().astype(int) * 2 + (
            rows["source"] != parts[0]["source"].iloc[0] if len(parts[0]) else 0)
        rows = rows.sort_values("_order", kind="stable").drop_duplicates(
            ["level", "code", "time_period"]).drop(columns="_order")
        frames.append(rows)
    if not frames:
        raise FileNotFoundError(f"{folder}: no DfE file this pack reads (c1_*.csv, b1_*.csv, ...)")
    table = pd.concat(frames, ignore_index=True)
    table = table[table["level"].notna() & table["time_period"].str.fullmatch(r"\d{4}")]
    table["period"] = table["time_period"].map(ees.reporting_year)
    table = _names(table)
    table = add_ranks(table.reset_index(drop=True))
    return table[COLUMNS].sort_values(["indicator", "level", "code", "period"],
                                      ignore_index=True)


def _names(table: pd.DataFrame) -> pd.DataFrame:
    """One name and region per LA code (the EES spelling, latest year) across sources."""
    las = table[table["level"].eq("Local authority") & table["area"].ne("")]
    las = las.sort_values(["source", "time_period"])
    ees_rows = las[~las["source"].str.endswith(".parquet")]
    best = pd.concat([las, ees_rows]).drop_duplicates("code", keep="last").set_index("code")
    is_la = table["level"].eq("Local authority")
    table.loc[is_la, "area"] = table.loc[is_la, "code"].map(best["area"])
    table.loc[is_la, "region"] = table.loc[is_la, "code"].map(best["region"])
    regions = table[table["level"].eq("Regional")]
    spelled = regions[~regions["source"].str.endswith(".parquet")].drop_duplicates("code")
    names = dict(zip(spelled["code"], spelled["area"], strict=True))
    table.loc[table["level"].eq("Regional"), "area"] = regions["code"].map(
        lambda c: names.get(c, c))
    return table


def neighbours(folder: Path | str) -> dict[str, list[str]]:
    """DfE's statistical neighbours (2025 model): LA code -> its ten neighbours' codes,
    closest first."""
    path = Downloads.find(folder).latest(NEIGHBOURS_FILE)
    if path is None:
        return {}
    raw = ees.read_ees_csv(path)
    columns = [c for c in raw.columns if c.startswith("SN_") and c[3:].isdigit()]
    columns.sort(key=lambda c: int(c[3:]))
    return {row["old_la_code"].strip(): [row[c].strip() for c in columns if row[c].strip()]
            for _, row in raw.iterrows()}
