"""Validate a year's raw data and write tidy typed tables to ``data/processed/<year>/``.

This is the only step that reads ``data/raw``; it never writes there. Output is written to a
temporary folder and swapped in only when every table has been written, so a failure leaves
the previous processed data in place. A fingerprint of the raw files and of the code that
reads them lets an unchanged year skip the work.
"""

from __future__ import annotations

import json
import shutil
import tempfile
from pathlib import Path

import pandas as pd
import pyarrow as pa

from helpers.config import PROCESSED_DIR, RAW_DIR, Year
from helpers.data import identifiers, narrative, rules, schema_front_door, schemas
from helpers.data.loading import META_FILE, read_dataset_meta
from helpers.data.schema_blocks import Table
from helpers.data.stamps import code_files, fingerprint  # noqa: F401 - part of this module's API
from helpers.data.validation import (
    Problem,
    RawDataError,
    check_date_order,
    check_references,
    is_os_litter,
    read_raw_table,
    spreadsheet_row,
)

FINGERPRINT_FILE = "_fingerprint"

def litter_notes(year_dir: Path) -> list[str]:
    """A note for each piece of OS litter in the year folder or its narrative folder."""
    notes = []
    for folder in (year_dir, year_dir / narrative.FOLDER):
        if folder.is_dir():
            notes += [f"{path.relative_to(year_dir).as_posix()}: ignored (operating-system or "
                      "Office file, not data)" for path in sorted(folder.iterdir())
                      if path.is_file() and is_os_litter(path)]
    return notes


def identifier_problems(frames: dict[str, pd.DataFrame],
                        known: pa.Array = identifiers.NO_IDS) -> list[Problem]:
    """Text cells of any table that carry a record id or one of the year's child ids.

    Every text cell of the year is checked in one batch, so the year's child ids are
    scanned once however many tables and columns there are.
    """
    cells: list[tuple[Table, str, int, str]] = []
    for name, frame in frames.items():
        table = schemas.TABLES[name]
        for col in (c for c in table.columns if c.kind == "text"):
            values = frame[col.name].dropna()
            values = values[values != ""]
            cells += [(table, col.name, idx, str(v)) for idx, v in values.items()]
    found = identifiers.find_ids([c[3] for c in cells], known)
    return [Problem(table.filename, "text without case-record identifiers (ids stay in id "
                    "columns and never reach a report)", spreadsheet_row(idx), column, value,
                    rule=rules.SAFE_RECORD_ID if identifiers.RECORD_ID.search(value)
                    else rules.SAFE_CHILD_ID)
            for (table, column, idx, _), value in zip(cells, found, strict=True) if value]


def validate_year(year: str, raw_dir: Path = RAW_DIR,
                  notes: list[str] | None = None) -> dict[str, pd.DataFrame]:
    """Read and check every raw table (and the narrative) for ``year``.

    All problems are collected before failing, so one run lists everything to fix. Things
    that are ignored rather than rejected (OS litter, an absent optional table) are appended
    to ``notes`` when a list is given.
    """
    parsed_year = Year.parse(year)
    year_dir = Path(raw_dir) / year
    if not year_dir.is_dir():
        raise RawDataError([Problem(str(year_dir), f"a folder of raw data for {year}",
                                    rule=rules.FOLDER_EXISTS)])
    notes = [] if notes is None else notes
    notes.extend(litter_notes(year_dir))
    frames: dict[str, pd.DataFrame] = {}
    problems: list[Problem] = []
    for name, table in schemas.TABLES.items():
        try:
            frames[name] = read_raw_table(year_dir / table.filename, table, parsed_year)
        except RawDataError as exc:
            problems.extend(exc.problems)
            continue
        if table.optional and frames[name].empty:
            notes.append(f"{table.filename}: absent or empty; it is optional, so it is read "
                         "as an empty table")
    known = identifiers.known_ids(frames["children"]["child_id"]) if "children" in frames \
        else identifiers.NO_IDS
    try:
        narrative_blocks = narrative.read_year(year_dir, known)
    except RawDataError as exc:
        problems.extend(exc.problems)
    if problems:
        raise RawDataError(problems)
    problems.extend(identifier_problems(frames, known))
    problems.extend(check_references(frames, schemas.TABLES))
    problems.extend(check_date_order(frames["assessments"], schemas.ASSESSMENTS,
                                     "start_date", "authorised_date",
                                     rule=schema_front_door.ASSESSMENT_ORDER))
    problems.extend(check_date_order(frames["referrals"], schemas.REFERRALS,
                                     "previous_referral_date", "referral_date", strict=True,
                                     rule=schema_front_door.PREVIOUS_REFERRAL))
    for check in (c for domain in schemas.DOMAINS for c in domain.CROSS_CHECKS):
        problems.extend(check(frames))
    for year_check in schemas.YEAR_CHECKS:
        problems.extend(year_check(frames, parsed_year))
    if problems:
        raise RawDataError(problems)
    return {**frames, narrative.FOLDER: narrative_blocks}


def tidy(frames: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """Split multi-code cells into long tables (one row per record and code).

    A column holding several codes (``3B;4B``) becomes its own table keyed by the record's
    first column, named by the column's ``long_table`` (for example ``assessment_factors``),
    so indicators can count codes with an ordinary group-by.
    """
    out = {name: frame.copy() for name, frame in frames.items()}
    for name, frame in frames.items():
        if name not in schemas.TABLES:
            continue
        if "period" in frame.columns:
            # The figure's own period (a partner's academic or calendar year); ``period``
            # is kept for the report year that loading adds (helpers.data.loading.load_trend).
            out[name] = out[name].rename(columns={"period": "figure_period"})
        table = schemas.TABLES[name]
        key = table.columns[0].name
        for col in table.columns:
            if col.kind != "codes":
                continue
            long = (frame[[key, col.name]].explode(col.name).dropna()
                    .rename(columns={col.name: "code"}).reset_index(drop=True))
            long["code"] = long["code"].astype(str)
            out[col.long_table or f"{name}_{col.name}"] = long
            out[name] = out[name].drop(columns=col.name)
    return out


def process_year(year: str, raw_dir: Path = RAW_DIR, processed_dir: Path = PROCESSED_DIR,
                 force: bool = False, notes: list[str] | None = None) -> Path:
    """Validate ``year`` and (re)write its processed tables; return the processed folder.

    Every table is written, an empty optional one as an empty typed parquet, so chapters can
    load it and find no rows. Notes from validation go to ``notes`` when given.
    """
    raw_year = Path(raw_dir) / year
    out = Path(processed_dir) / year
    meta = read_dataset_meta(raw_year)
    stamp = fingerprint(raw_year)
    if not force and (out / FINGERPRINT_FILE).exists() \
            and (out / FINGERPRINT_FILE).read_text() == stamp:
        return out
    tables = tidy(validate_year(year, raw_dir, notes))
    Path(processed_dir).mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".tmp-{year}-", dir=processed_dir))
    try:
        for name, frame in tables.items():
            frame.to_parquet(staging / f"{name}.parquet", index=False)
        (staging / META_FILE).write_text(json.dumps(meta, indent=2, sort_keys=True) + "\n",
                                         encoding="utf-8")
        (staging / FINGERPRINT_FILE).write_text(stamp)
        old = None
        if out.exists():
            old = out.with_name(f".old-{year}-{staging.name}")
            out.rename(old)
        staging.rename(out)
        if old is not None:
            shutil.rmtree(old)
    finally:
        if staging.exists():
            shutil.rmtree(staging)
    return out


def main(argv: list[str] | None = None) -> int:
    """``python -m helpers.processing [--year 2024-25|all]``: validate and process years."""
    import argparse

    from helpers.config import available_years

    parser = argparse.ArgumentParser(description=main.__doc__)
    parser.add_argument("--year", default="all")
    parser.add_argument("--force", action="store_true", help="reprocess even if unchanged")
    args = parser.parse_args(argv)
    years = available_years() if args.year == "all" else [args.year]
    failed = 0
    for year in years:
        try:
            notes: list[str] = []
            process_year(year, force=args.force, notes=notes)
            print(f"{year}: ok")
            for note in notes:
                print(f"  note: {note}")
        except RawDataError as exc:
            failed += 1
            print(f"{year}: {exc}")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
