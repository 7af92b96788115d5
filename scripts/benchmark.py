"""Benchmark the build: a cold build, then a warm one where nothing changed.

Speed is measured here, never in a timed test. Both runs use temporary processed and
report folders, so the repository is untouched.

Usage: .venv/bin/python scripts/benchmark.py [--year 2024-25] [--workers 2] [--repeat 1]
"""

from __future__ import annotations

import argparse
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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--year", default="2024-25")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--repeat", type=int, default=1)
    args = parser.parse_args(argv)
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
