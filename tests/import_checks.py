"""Reading what an importer wrote, shared by the importer tests."""

from __future__ import annotations

import csv
from pathlib import Path


def read(path: Path) -> list[dict[str, str]]:
    """The rows of a CSV file the importer wrote."""
    with path.open(newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def header_of(path: Path) -> list[str]:
    """A CSV file's header (a byte-order mark, as a spreadsheet may save, is dropped)."""
    with path.open(newline="", encoding="utf-8-sig") as fh:
        return next(csv.reader(fh))
