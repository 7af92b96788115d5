"""Validate a year's raw data and write tidy typed tables to ``data/processed/<year>/``.

This is the only step that reads ``data/raw``; it never writes there. Output is written to a
temporary folder and swapped in only when every table has been written, so a failure leaves
the previous processed data in place. A fingerprint of the raw files and of the code that
reads them lets an unchanged year skip the work.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import tempfile
from pathlib import Path

import pandas as pd

from helpers.config import CONFIG_FILE, PROCESSED_DIR, RAW_DIR, Year
from helpers.data import narrative, schemas
from helpers.data.loading import META_FILE, read_dataset_meta
from helpers.data.validation import (
    Problem,
    RawDataError,
    check_date_order,
    check_references,
    read_raw_table,
)

FINGERPRINT_FILE = "_fingerprint"


def validate_year(year: str, raw_dir: Path = RAW_DIR) -> dict[str, pd.DataFrame]:
    """Read and check every raw table (and the narrative) for ``year``.

    All problems are collected before failing, so one run lists everything to fix.
    """
    parsed_year = Year.parse(year)
    year_dir = Path(raw_dir) / year
    if not year_dir.is_dir():
        raise RawDataError([Problem(str(year_dir), f"a folder of raw data for {year}")])
    frames: dict[str, pd.DataFrame] = {}
    problems: list[Problem] = []
    for name, table in schemas.TABLES.items():
        try:
            frames[name] = read_raw_table(year_dir / table.filename, table, parsed_year)
        except RawDataError as exc:
            problems.extend(exc.problems)
    try:
        narrative_blocks = narrative.read_year(year_dir)
    except RawDataError as exc:
        problems.extend(exc.problems)
    if problems:
        raise RawDataError(problems)
    problems.extend(check_references(frames, schemas.TABLES))
    problems.extend(check_date_order(frames["assessments"], schemas.ASSESSMENTS,
                                     "start_date", "authorised_date"))
    problems.extend(check_date_order(frames["referrals"], schemas.REFERRALS,
                                     "previous_referral_date", "referral_date", strict=True))
    for check in (c for domain in schemas.DOMAINS for c in domain.CROSS_CHECKS):
        problems.extend(check(frames))
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
            out[col.long_table or f"{name}_{col.name}"] = long
            out[name] = out[name].drop(columns=col.name)
    return out


def code_files() -> list[tuple[str, Path]]:
    """Every module of the data stage, ``config.py`` and the partnership file, labelled.

    Derived from the package, not listed by hand, so a new module is never left out. The
    build recomputes the same list without pandas (``helpers.build.cache``).
    """
    here = Path(__file__).resolve().parent
    modules = sorted(p for p in here.rglob("*.py") if "__pycache__" not in p.parts)
    files = [(f"code/{p.relative_to(here.parent).as_posix()}", p) for p in modules]
    return [*files, ("code/config.py", here.parent / "config.py"),
            ("config/partnership.toml", CONFIG_FILE)]


def fingerprint(year_dir: Path) -> str:
    """Hash of the raw files and of the code that validates them."""
    digest = hashlib.sha256()
    raw = [(p.relative_to(year_dir).as_posix(), p) for p in sorted(year_dir.rglob("*")) if p.is_file()]
    for label, path in raw + code_files():
        if path.is_file():
            digest.update(label.encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def process_year(year: str, raw_dir: Path = RAW_DIR, processed_dir: Path = PROCESSED_DIR,
                 force: bool = False) -> Path:
    """Validate ``year`` and (re)write its processed tables; return the processed folder."""
    raw_year = Path(raw_dir) / year
    out = Path(processed_dir) / year
    meta = read_dataset_meta(raw_year)
    stamp = fingerprint(raw_year)
    if not force and (out / FINGERPRINT_FILE).exists() \
            and (out / FINGERPRINT_FILE).read_text() == stamp:
        return out
    tables = tidy(validate_year(year, raw_dir))
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
            process_year(year, force=args.force)
            print(f"{year}: ok")
        except RawDataError as exc:
            failed += 1
            print(f"{year}: {exc}")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
