"""A sparse first year: every chapter notebook must still build.

The fixture year is made by :func:`make_sparse_year` from the demo 2024-25 raw data into a
temporary folder: most record rows dropped (every kept row's references still resolve),
the optional tables ``exploitation_assessments`` and ``youth_early_help`` header-only, and
no earlier year beside it, so every trend has a single point. A real partnership's first
year with the pack, or a small one, looks like this; a chapter that only works on the rich
demo data would fail for them.

The whole build runs the real notebooks, so the test is marked ``e2e``.
"""

from __future__ import annotations

import csv
import os
import random
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterable
from pathlib import Path

import pytest

from helpers import config

YEAR = "2024-25"
#: Share of the demo children kept; everything about the others goes.
CHILD_SHARE = 0.03
#: Optional tables left with their header only.
EMPTY_TABLES = ("exploitation_assessments", "youth_early_help")
#: Record tables of other subjects: only their first few rows are kept.
FEW_ROWS = {"lado_consultations": 6, "lado_referrals": 4, "lado_workshops": 2,
            "training_events": 3}
SEED = 2025


def _read(path: Path) -> tuple[list[str], list[list[str]]]:
    with path.open(newline="", encoding="utf-8-sig") as fh:
        rows = list(csv.reader(fh))
    return rows[0], rows[1:]


def _write(path: Path, header: list[str], rows: Iterable[list[str]]) -> None:
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)


def _keep(header: list[str], rows: list[list[str]],
          rule: Callable[[dict[str, str]], bool]) -> list[list[str]]:
    return [row for row in rows if rule(dict(zip(header, row, strict=True)))]


def _kept_ids(folder: Path, table: str, column: str) -> set[str]:
    header, rows = _read(folder / f"{table}.csv")
    at = header.index(column)
    return {row[at] for row in rows}


def make_sparse_year(source: Path, target: Path, seed: int = SEED) -> Path:
    """Copy ``source`` (a raw year folder) to ``target`` with most records dropped.

    Tables are cut in reference order (children, then what points at them, then what points
    at those), so a kept row never names a dropped one. Aggregate tables are copied as
    they are: they are already one row per published figure.
    """
    shutil.copytree(source, target)
    header, rows = _read(source / "children.csv")
    chosen = random.Random(seed).sample(rows, max(1, round(len(rows) * CHILD_SHARE)))
    _write(target / "children.csv", header, sorted(chosen))
    children = _kept_ids(target, "children", "child_id")
    for table, count in FEW_ROWS.items():
        header, rows = _read(source / f"{table}.csv")
        _write(target / f"{table}.csv", header, rows[:count])
    for table in EMPTY_TABLES:
        header, _rows = _read(source / f"{table}.csv")
        _write(target / f"{table}.csv", header, [])
    events = _kept_ids(target, "training_events", "event_id")
    for path in sorted(source.glob("*.csv")):
        table = path.stem
        if table == "children" or table in FEW_ROWS or table in EMPTY_TABLES:
            continue
        header, rows = _read(path)
        if "child_id" in header:
            rows = _keep(header, rows, lambda r: r["child_id"] in children)
        if "event_id" in header:
            rows = _keep(header, rows, lambda r: r["event_id"] in events)
        _write(target / path.name, header, rows)
    # Second-level references: referrals name contacts, plans name section 47 enquiries.
    for table, column, parent in (("referrals", "contact_id", ("contacts", "contact_id")),
                                  ("cp_plans", "s47_id", ("section47", "s47_id"))):
        parents = _kept_ids(target, *parent)
        header, rows = _read(target / f"{table}.csv")
        _write(target / f"{table}.csv", header,
               _keep(header, rows, lambda r, c=column, p=parents: r[c] in p or not r[c]))
    return target


def build_sparse(root: Path) -> tuple[subprocess.CompletedProcess[str], Path]:
    """Make the sparse year under ``root`` and build every chapter of it, as a user would."""
    raw = root / "raw"
    make_sparse_year(config.RAW_DIR / YEAR, raw / YEAR)
    reports = root / "reports"
    src = Path(__file__).resolve().parents[1] / "src"
    run = subprocess.run(
        [sys.executable, "-m", "helpers.build", "--year", YEAR, "--raw-dir", str(raw),
         "--processed-dir", str(root / "processed"), "--reports-dir", str(reports),
         "--notebooks-dir", str(config.NOTEBOOKS_DIR), "--workers", "2"],
        capture_output=True, text=True, env={**os.environ, "PYTHONPATH": str(src)},
        timeout=1800,
    )
    return run, reports / YEAR


def test_sparse_year_keeps_references(tmp_path: Path) -> None:
    year = make_sparse_year(config.RAW_DIR / YEAR, tmp_path / YEAR)
    children = _kept_ids(year, "children", "child_id")
    assert 0 < len(children) < len(_kept_ids(config.RAW_DIR / YEAR, "children", "child_id")) / 10
    for table in ("contacts", "referrals", "assessments", "cp_plans", "cla_episodes"):
        assert _kept_ids(year, table, "child_id") <= children, table
    assert _kept_ids(year, "referrals", "contact_id") - {""} <= _kept_ids(
        year, "contacts", "contact_id")
    for table in EMPTY_TABLES:
        assert _read(year / f"{table}.csv")[1] == []


@pytest.mark.e2e
def test_every_chapter_builds_for_a_sparse_first_year(tmp_path: Path) -> None:
    run, year_dir = build_sparse(tmp_path)
    failed = [line.strip() for line in run.stdout.splitlines() if "FAILED" in line]
    assert "NOT BUILT" not in run.stdout, run.stdout + run.stderr[-3000:]
    assert failed == [], "\n".join(failed)
    assert run.returncode == 0, run.stdout + run.stderr[-3000:]
    chapters = sorted(p.stem for p in config.NOTEBOOKS_DIR.glob("[0-9][0-9]_*.ipynb"))
    assert sorted(p.stem for p in year_dir.glob("[0-9][0-9]_*.html")) == chapters
