"""``python -m helpers.benchmarks import DIR [--la 202] [--year 2024-25] [--out FILE]``.

Reads a folder of DfE downloads as DfE publishes them and writes benchmark rows for the
partnership's LA (``config/partnership.toml``; ``--la`` for another), its region, England
and its statistical neighbours. ``--out data/raw/2024-25/benchmarks.csv`` replaces that
year's rows of the same indicators; any other ``--out`` gets every row and year, with
suppressed cells marked; without ``--out`` the rows are printed.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from helpers.benchmarks import national, rows


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m helpers.benchmarks",
                                     description="Benchmark rows from DfE's published files.")
    commands = parser.add_subparsers(dest="command", required=True)
    run = commands.add_parser("import", help="read a folder of DfE downloads")
    run.add_argument("folder", type=Path, help="folder of EES CSVs, LAIT parquet, SN model")
    run.add_argument("--la", help="LA code or name (default: the partnership's la_code)")
    run.add_argument("--year", help="keep only this reporting year, e.g. 2024-25")
    run.add_argument("--out", type=Path, help="CSV to write (default: print)")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    from helpers.config import partnership

    la = args.la or partnership().la_code
    try:
        table = national.build(args.folder)
        downloads = national.Downloads.find(args.folder)
        dated = {p.name: national.file_date(p) for p in downloads.files}
        found = rows.benchmark_rows(table, la, national.neighbours(args.folder), dated)
    except (FileNotFoundError, KeyError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if args.out is None:
        shown = found[found["period"] == args.year] if args.year else found
        print(shown.to_csv(index=False, lineterminator="\n"), end="")
        return 0
    written = rows.write(found, args.out, args.year, rows.known_indicators())
    print(f"{len(written)} rows written to {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
