"""``python -m helpers.importers cin-census FILE.xml --year 2024-25`` and
``python -m helpers.importers ssda903 DIR --year 2024-25``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from helpers.config import RAW_DIR
from helpers.importers.cin_census import import_cin_census
from helpers.importers.common import ImportFailed
from helpers.importers.ssda903 import import_ssda903


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m helpers.importers",
                                     description="Import a statutory return into data/raw/<year>/.")
    sub = parser.add_subparsers(dest="command", required=True)
    cin = sub.add_parser("cin-census", help="children in need census XML file")
    cin.add_argument("file", type=Path)
    s903 = sub.add_parser("ssda903", help="folder of SSDA903 CSV files")
    s903.add_argument("folder", type=Path)
    s903.add_argument("--postcodes", type=Path, default=None,
                      help="CSV with postcode,lat,lon; without it placement distance is left empty")
    for p in (cin, s903):
        p.add_argument("--year", required=True, help="reporting year, e.g. 2024-25")
        p.add_argument("--out", type=Path, default=RAW_DIR, help="raw data folder (default data/raw)")
        p.add_argument("--replace", action="store_true", help="replace tables that already exist")
    args = parser.parse_args(argv)
    try:
        if args.command == "cin-census":
            report = import_cin_census(args.file, args.year, args.out, replace=args.replace)
        else:
            report = import_ssda903(args.folder, args.year, args.out, replace=args.replace,
                                    postcodes=args.postcodes)
    except ImportFailed as err:
        print(err, file=sys.stderr)
        return 2
    except ValueError as err:  # a malformed --year
        print(err, file=sys.stderr)
        return 2
    print(report.text())
    return 0


if __name__ == "__main__":
    sys.exit(main())
