"""Refresh the facts-only copy of the reference report's published figures.

The pack needs the ids of the report's figures (the ``ref`` column of the figure register)
and, for the calibration check, their values. It must not carry the report's sentences, so
this keeps only the factual columns of ``published_figures.csv``.

Usage: python scripts/refresh_published_facts.py [path/to/published_figures.csv]
"""

from __future__ import annotations

import csv
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_SOURCE = ROOT.parent / "shared" / "spec" / "published_figures.csv"
TARGET = ROOT / "src" / "helpers" / "resources" / "published_facts.csv"
# Long text values that are not demo targets are phrases from the report, not facts the pack
# computes: they are left out so no sentence of the report is carried.
MAX_TEXT_WORDS = 9
KEEP = ["id", "chapter", "section", "indicator", "period", "value", "unit", "comparator",
        "comparator_value", "demo_target"]


def _is_long_text(value: str) -> bool:
    try:
        float(value)
    except ValueError:
        return len(re.findall(r"[A-Za-z0-9]+", value)) > MAX_TEXT_WORDS
    return False


def main(argv: list[str]) -> int:
    source = Path(argv[0]) if argv else DEFAULT_SOURCE
    with source.open(encoding="utf-8", newline="") as fh:
        rows = [{k: row[k] for k in KEEP} for row in csv.DictReader(fh)]
    for row in rows:
        if row["demo_target"] != "yes" and _is_long_text(row["value"]):
            row["value"] = ""
    with TARGET.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=KEEP, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    print(f"wrote {len(rows)} facts to {TARGET.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
