"""Benchmark the build: a cold build, then a warm one where nothing changed.

Speed is measured here, never in a timed test. Both runs use temporary processed and
report folders, so the repository is untouched.

Usage: .venv/bin/python scripts/benchmark.py [--year 2024-25] [--workers 2] [--repeat 1]
       .venv/bin/python scripts/benchmark.py --contacts 1000000   (validate + process only, on
       a scaled demo year written to a temporary folder; reports wall time and peak memory)
"""

from __future__ import annotations

import argparse
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def timed_build(year: str, workers: int, processed: Path, reports: Path) -> float:
    """Wall time of one ``python -m helpers.build`` run, as an analyst would start it."""
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "helpers.build", "--year", year, "--workers", str(workers),
         "--processed-dir", str(processed), "--reports-dir", str(reports)],
        check=True, capture_output=True,
    )
    return time.perf_counter() - start


def timed_processing(contacts: int, year: str = "2024-25") -> tuple[float, float]:
    """(seconds, peak MiB) to validate and process a demo year scaled to ``contacts``.

    The scaled year is written to a temporary folder first (not timed); processing runs in
    a fresh interpreter so its peak resident memory is measured alone.
    """
    from helpers.demo.scaled import write_scaled_year

    with tempfile.TemporaryDirectory() as tmp:
        write_scaled_year(Path(tmp, "raw"), contacts, year)
        code = ("import sys; from pathlib import Path; from helpers.data.processing import "
                f"process_year; process_year({year!r}, Path(sys.argv[1]) / 'raw', "
                "Path(sys.argv[1]) / 'processed', force=True)")
        start = time.perf_counter()
        subprocess.run([sys.executable, "-c", code, tmp], check=True)
        seconds = time.perf_counter() - start
    peak_mib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return seconds, peak_mib


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--year", default="2024-25")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--contacts", type=int, default=0,
                        help="time validation and processing of a year with this many contacts")
    args = parser.parse_args(argv)
    if args.contacts:
        seconds, peak = timed_processing(args.contacts, args.year)
        print(f"validate + process {args.contacts:,} contacts: {seconds:6.1f} s, "
              f"peak {peak:,.0f} MiB")
        return 0
    cold, warm = [], []
    for _ in range(args.repeat):
        with tempfile.TemporaryDirectory() as tmp:
            processed, reports = Path(tmp, "processed"), Path(tmp, "reports")
            cold.append(timed_build(args.year, args.workers, processed, reports))
            warm.append(timed_build(args.year, args.workers, processed, reports))
    print(f"year {args.year}, {args.workers} workers, {args.repeat} run(s)")
    print(f"cold build (validate, process, run every chapter): {statistics.median(cold):6.1f} s")
    print(f"warm build (nothing changed, all skipped):         {statistics.median(warm):6.1f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
