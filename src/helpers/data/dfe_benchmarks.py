"""Comparator figures from DfE's own published files (Explore Education Statistics CSVs).

The demo's benchmark rows are synthetic. A partnership points this module at the CSV it
downloaded from EES and gets the real Inner London, England (and any other area) figures
in the pack's ``benchmarks.csv`` shape, so no number is copied by hand.

    python -m helpers.data.dfe_benchmarks --c1 c1_children_in_need_referrals_and_rereferrals.csv \\
        --areas "Inner London" England --out benchmarks.csv
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from pathlib import Path

import pandas as pd

# How DfE marks figures it does not publish: confidential, not available, not applicable...
SUPPRESSED = ("c", "x", "z", "low", "-", "u", ":")
ENGLAND = "England"


def read_ees_csv(path: Path | str) -> pd.DataFrame:
    """An EES CSV with every cell as text (codes such as 202 keep their leading form)."""
    return pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")


def reporting_year(time_period: str) -> str:
    """DfE's ``time_period`` 2025 (year ending 31 March 2025) -> the pack's '2024-25'.

    Six-digit academic/financial forms (202425) are converted too.
    """
    text = str(time_period).strip()
    if len(text) == 6 and text.isdigit():
        return f"{text[:4]}-{text[4:]}"
    end = int(text)
    return f"{end - 1}-{end % 100:02d}"


def area_rows(frame: pd.DataFrame, area: str) -> pd.DataFrame:
    """Rows for an area named as DfE names it: England, a region, or a local authority."""
    if area == ENGLAND:
        return frame[frame["geographic_level"] == "National"]
    regional = frame[(frame["geographic_level"] == "Regional") & (frame["region_name"] == area)]
    if not regional.empty:
        return regional
    return frame[(frame["geographic_level"] == "Local authority") & (frame["la_name"] == area)]


def extract(frame: pd.DataFrame, column: str, indicator: str, areas: Sequence[str]) -> pd.DataFrame:
    """One published column as benchmark rows (area, indicator, period, value).

    Suppressed cells are left out rather than read as zero. Duplicate rows (the same area
    and year listed twice, as some EES files do) are collapsed.
    """
    rows = []
    for area in areas:
        picked = area_rows(frame, area)
        for record in picked[["time_period", column]].drop_duplicates().itertuples(index=False):
            value = str(record[1]).strip()
            if value.lower() in SUPPRESSED or not value:
                continue
            rows.append({"area": area, "indicator": indicator,
                         "period": reporting_year(record[0]), "value": float(value)})
    out = pd.DataFrame(rows, columns=["area", "indicator", "period", "value"])
    return out.sort_values(["area", "period"], ignore_index=True)


def re_referral_rates(c1_path: Path | str, areas: Sequence[str]) -> pd.DataFrame:
    """Re-referrals within 12 months as % of referrals (DfE table C1, ``rereferral_percent``)."""
    return extract(read_ees_csv(c1_path), "rereferral_percent", "re_referral_rate", areas)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Benchmark rows from DfE EES downloads.")
    parser.add_argument("--c1", type=Path, required=True, help="DfE children in need table C1 CSV")
    parser.add_argument("--areas", nargs="+", default=["Inner London", ENGLAND])
    parser.add_argument("--year", help="keep only this reporting year, e.g. 2024-25")
    parser.add_argument("--out", type=Path, help="CSV to write (default: print)")
    args = parser.parse_args(argv)
    rows = re_referral_rates(args.c1, args.areas)
    if args.year:
        rows = rows[rows["period"] == args.year]
    text = rows.to_csv(index=False, lineterminator="\n")
    if args.out:
        args.out.write_text(text, encoding="utf-8")
    else:
        print(text, end="")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
