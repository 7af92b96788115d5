"""Paths and partnership configuration.

Everything that differs between partnerships (name, LA codes, benchmark areas, disclosure
thresholds) lives in one file, ``config/partnership.toml``, so the code never hard-codes
Camden. Paths are resolved from the repository root so notebooks, tests and the build
runner agree wherever they are started from.
"""

from __future__ import annotations

import os
import re
import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

REPO_ROOT = Path(os.environ.get("LSCP_ROOT", Path(__file__).resolve().parents[2]))
CONFIG_FILE = REPO_ROOT / "config" / "partnership.toml"
RAW_DIR = REPO_ROOT / "data" / "raw"
PROCESSED_DIR = REPO_ROOT / "data" / "processed"
REPORTS_DIR = REPO_ROOT / "reports"
NOTEBOOKS_DIR = REPO_ROOT / "notebooks"
RESOURCES_DIR = Path(__file__).resolve().parent / "resources"

_YEAR = re.compile(r"^(\d{4})-(\d{2})$")


@dataclass(frozen=True)
class Disclosure:
    """Thresholds for statistical disclosure control (see data notes)."""

    count_threshold: int = 5
    min_denominator: int = 10


@dataclass(frozen=True)
class Partnership:
    """The partnership a report is about."""

    name: str
    short_name: str
    local_authority: str
    la_code: str
    new_la_code: str
    region: str
    benchmark_areas: tuple[str, ...]
    latest_year: str
    disclosure: Disclosure = field(default_factory=Disclosure)


def load_partnership(path: Path = CONFIG_FILE) -> Partnership:
    """Read the partnership file; a missing key fails loudly rather than defaulting."""
    with path.open("rb") as fh:
        raw = tomllib.load(fh)
    required = [f for f in Partnership.__dataclass_fields__ if f != "disclosure"]
    missing = [key for key in required if key not in raw]
    if missing:
        raise ValueError(f"{path}: missing setting(s) {', '.join(missing)}")
    disclosure = Disclosure(**raw.pop("disclosure", {}))
    raw.pop("subgroups", None)  # read by helpers.build.outputs.subgroups
    raw["benchmark_areas"] = tuple(raw["benchmark_areas"])
    return Partnership(**raw, disclosure=disclosure)


@lru_cache(maxsize=1)
def partnership() -> Partnership:
    """The configured partnership, read once per process."""
    return load_partnership()


@dataclass(frozen=True, order=True)
class Year:
    """A financial reporting year such as 2024-25 (1 April 2024 to 31 March 2025)."""

    start: int

    @classmethod
    def parse(cls, text: str) -> Year:
        """Parse '2024-25'; reject anything else, including '2024/25' and '2024-26'."""
        match = _YEAR.match(str(text).strip())
        if not match or (int(match[1]) + 1) % 100 != int(match[2]):
            raise ValueError(f"{text!r} is not a reporting year; expected the form 2024-25")
        return cls(int(match[1]))

    @property
    def label(self) -> str:
        return f"{self.start}-{(self.start + 1) % 100:02d}"

    @property
    def first_day(self) -> str:
        return f"{self.start}-04-01"

    @property
    def last_day(self) -> str:
        return f"{self.start + 1}-03-31"

    def shift(self, years: int) -> Year:
        return Year(self.start + years)

    def __str__(self) -> str:
        return self.label


def previous_year(year: str | Year) -> str:
    """The reporting year before ``year`` ('2024-25' -> '2023-24')."""
    return Year.parse(str(year)).shift(-1).label


def trend_years(year: str | Year, length: int = 5) -> list[str]:
    """The ``length`` reporting years ending with ``year``, oldest first."""
    end = Year.parse(str(year))
    return [end.shift(-i).label for i in range(length - 1, -1, -1)]


def available_years(raw_dir: Path = RAW_DIR) -> list[str]:
    """Reporting years that have a raw data folder, oldest first."""
    years = []
    for child in raw_dir.iterdir() if raw_dir.exists() else []:
        try:
            years.append(Year.parse(child.name))
        except ValueError:
            continue
    return [y.label for y in sorted(years)]


#: The year of the reference report (Camden's 2024-25 annual report) whose published figures
#: the demo data reproduce; only a demo build of this year is compared with them.
REFERENCE_REPORT_YEAR = "2024-25"
