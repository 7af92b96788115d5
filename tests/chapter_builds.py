"""Setup shared by the end-to-end chapter tests: one build of chapters from the demo data,
the published facts to check it against, and the register it wrote."""

from __future__ import annotations

import csv
from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pandas as pd

from helpers.build import runner as build
from helpers.config import NOTEBOOKS_DIR, RAW_DIR
from helpers.report.figure_register import FACTS_FILE

#: The first year (no history) and the reference year: every chapter test builds both.
YEARS = ("2020-21", "2024-25")


def build_chapters(root: Path, chapters: Iterable[str], years: Iterable[str] = YEARS) -> Path:
    """Build ``chapters`` ("06", ...) for ``years`` from the demo data under ``root``;
    returns the reports folder."""
    status = build.main([
        "--year", ",".join(years), "--chapters", ",".join(chapters), "--workers", "2",
        "--raw-dir", str(RAW_DIR), "--processed-dir", str(root / "processed"),
        "--reports-dir", str(root / "reports"), "--notebooks-dir", str(NOTEBOOKS_DIR),
    ])
    assert status == 0
    return root / "reports"


def facts(*chapters: str) -> list[dict[str, str]]:
    """The published figures of the chapters ("6", ...), as the facts file lists them."""
    with FACTS_FILE.open(encoding="utf-8", newline="") as fh:
        return [r for r in csv.DictReader(fh) if r["chapter"] in chapters]


def rounded_like(computed: float | str, published: str) -> Decimal:
    """``computed`` rounded to as many decimals as the report printed."""
    places = len(published.split(".")[1]) if "." in published else 0
    return Decimal(str(computed)).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def register(reports: Path, year: str = "2024-25") -> pd.DataFrame:
    """The figure register a build wrote for ``year``, every cell as text."""
    return pd.read_csv(reports / year / "figures.csv", dtype=str, keep_default_na=False)
