"""Benchmark rows for one partnership from the national table, and writing them out.

The rows are in the pack's benchmarks table format (``area``, ``indicator``, ``period``,
``value``) plus ``source`` ("DfE published: <file>, saved <date>") and ``status`` (DfE's
suppression marker, blank for a published number). Areas: the partnership's LA, its
region, England, the mean of its statistical neighbours ("Statistical neighbours") and
each neighbour by name.

Written into a year's raw ``benchmarks.csv`` the rows replace that year's rows of the same
indicators (the demo's stand-ins) and keep the others; suppressed cells are left out
there, because the table holds published numbers only, and the year's ``dataset.json``
records under ``benchmark_sources`` which indicators are now DfE's, so the build can say
which comparisons are real.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from pathlib import Path

import pandas as pd

from helpers.benchmarks import indicators as specs

NEIGHBOURS_MEAN = "Statistical neighbours"
OUT_COLUMNS = ["area", "indicator", "period", "value", "source", "status"]
TABLE_COLUMNS = ["area", "indicator", "period", "value"]
SOURCE_KEY = "benchmark_sources"


def resolve_la(table: pd.DataFrame, la: str) -> tuple[str, str]:
    """An LA given by code (202) or name (Camden, any case) -> (code, name)."""
    las = table[table["level"] == "Local authority"][["code", "area"]].drop_duplicates("code")
    text = str(la).strip()
    hit = las[(las["code"] == text) | (las["area"].str.casefold() == text.casefold())]
    if hit.empty:
        raise KeyError(f"no local authority {la!r} in the DfE files (give its code, e.g. 202, "
                       "or its name as DfE spells it)")
    return str(hit["code"].iloc[0]), str(hit["area"].iloc[0])


def region_of(table: pd.DataFrame, code: str) -> str:
    """The LA's region as DfE files it (Inner London for Camden)."""
    regions = table[(table["code"] == code) & table["region"].fillna("").ne("")]["region"]
    return str(regions.mode().iloc[0]) if not regions.empty else ""


def neighbour_mean(table: pd.DataFrame, codes: Sequence[str]) -> pd.DataFrame:
    """The mean of the neighbours' published values, per indicator and year.

    A neighbour with no published value that year is left out of the mean (LAIT's
    convention), and ``status`` says how many neighbours it is the mean of.
    """
    rows = table[(table["level"] == "Local authority") & table["code"].isin(codes)]
    grouped = rows.groupby(["indicator", "period"])["value"]
    out = pd.DataFrame({"value": grouped.mean(), "n": grouped.count()}).reset_index()
    out["area"] = NEIGHBOURS_MEAN
    out["status"] = [("" if n else "no neighbour published") for n in out["n"]]
    sources = rows.groupby(["indicator", "period"])["source"].first().reset_index()
    return out.merge(sources, on=["indicator", "period"], how="left")


def benchmark_rows(table: pd.DataFrame, la: str, neighbours: Mapping[str, list[str]],
                   dated: Mapping[str, str] | None = None) -> pd.DataFrame:
    """Every indicator for the LA, its region, England, its neighbours and their mean."""
    code, _name = resolve_la(table, la)
    region = region_of(table, code)
    near = neighbours.get(code, [])
    picked = table[((table["level"] == "Local authority") & table["code"].isin([code, *near]))
                   | ((table["level"] == "Regional") & (table["area"] == region))
                   | (table["level"] == "National")]
    rows = pd.concat([picked[["area", "indicator", "period", "value", "status", "source"]],
                      neighbour_mean(table, near) if near else None], ignore_index=True)
    dated = dated or {}
    rows["source"] = [f"DfE published: {s}" + (f", saved {dated[s]}" if s in dated else "")
                      for s in rows["source"].fillna("")]
    rows["status"] = rows["status"].fillna("")
    order = {name: i for i, name in enumerate(
        [_name, region, "England", NEIGHBOURS_MEAN,
         *table[table["code"].isin(near)].drop_duplicates("code").set_index("code")
         .reindex(near)["area"].dropna()])}
    rows["_order"] = rows["area"].map(order).fillna(len(order))
    rows = rows.sort_values(["indicator", "_order", "period"], kind="stable")
    return rows.drop(columns="_order")[OUT_COLUMNS].reset_index(drop=True)


def for_table(rows: pd.DataFrame, known: Sequence[str] | None = None) -> pd.DataFrame:
    """The rows a raw benchmarks table can hold: published numbers of known indicators."""
    keep = rows["value"].notna() & rows["status"].eq("")
    if known is not None:
        keep &= rows["indicator"].isin(list(known))
    return rows[keep].reset_index(drop=True)


def merge_into(existing: pd.DataFrame, new: pd.DataFrame) -> pd.DataFrame:
    """The year's table with the new indicators' rows replaced (other indicators kept)."""
    replaced = set(new["indicator"])
    kept = existing[~existing["indicator"].isin(replaced)]
    columns = [c for c in OUT_COLUMNS if c in new.columns or c in existing.columns]
    merged = pd.concat([kept, new], ignore_index=True)
    for column in ("source", "status"):
        if column in merged.columns:
            merged[column] = merged[column].fillna("")
    return merged[columns]


def record_sources(dataset_json: Path, rows: pd.DataFrame) -> dict:
    """Note in the year's ``dataset.json`` which indicators' comparators are DfE's."""
    meta = json.loads(dataset_json.read_text(encoding="utf-8-sig"))
    sources = dict(meta.get(SOURCE_KEY, {}))
    for indicator, group in rows.groupby("indicator"):
        sources[indicator] = "; ".join(sorted(set(group["source"])))
    meta[SOURCE_KEY] = dict(sorted(sources.items()))
    dataset_json.write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")
    return meta


def write(rows: pd.DataFrame, out: Path, year: str | None = None,
          known: Sequence[str] | None = None) -> pd.DataFrame:
    """Write benchmark rows to ``out``; returns what was written.

    A file named ``benchmarks.csv`` beside a ``dataset.json`` is a year's raw table: only
    ``year`` (default: the folder's name), known indicators and published numbers go in,
    merged with the rows already there, and the provenance goes to ``dataset.json``. Any
    other file gets every row, suppressed ones included (value blank, status the marker).
    """
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    raw_table = out.name == "benchmarks.csv" and (out.parent / "dataset.json").is_file()
    if raw_table:
        year = year or out.parent.name
        rows = for_table(rows[rows["period"] == year], known)
        if out.is_file():
            existing = pd.read_csv(out, dtype={"period": str}, keep_default_na=False,
                                   na_values=[""])
            rows = merge_into(existing, rows)
        record_sources(out.parent / "dataset.json",
                       rows[rows.get("source", pd.Series("", index=rows.index))
                            .fillna("").str.startswith("DfE published")])
    elif year:
        rows = rows[rows["period"] == year]
    rows.to_csv(out, index=False, lineterminator="\n", float_format="%.6g")
    return rows


def known_indicators() -> list[str]:
    """Indicator codes the benchmarks schema accepts (the rest go to a separate file)."""
    from helpers.data.schemas import BENCHMARK_INDICATORS

    return [code for code in BENCHMARK_INDICATORS if code in specs.BY_CODE]
