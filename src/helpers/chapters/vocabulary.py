"""The report's words for trends, changes and comparisons, read from ``vocabulary.toml``.

Sections never spell these words themselves: a direction, a change or a comparison is
turned into words here, so "risen every year" or "in line with" reads the same in every
chapter and a partnership can restyle them in one file.
"""

from __future__ import annotations

import tomllib
from functools import lru_cache
from typing import Any

from helpers.report.wording import VOCABULARY_FILE, describe_change

#: A trend claim ("risen every year") needs at least this many years.
MIN_TREND_YEARS = 3


@lru_cache(maxsize=1)
def words() -> dict[str, dict[str, str]]:
    with VOCABULARY_FILE.open("rb") as fh:
        data: dict[str, Any] = tomllib.load(fh)
    return data


def direction(shape: str) -> str:
    """'risen every year' for 'increasing', and so on."""
    return words()["direction"][shape]


def direction_title(shape: str) -> str:
    return words()["direction_title"][shape]


def comparison(word: str) -> str:
    """'in line with' for 'in line'; 'below'/'above' as they are."""
    return words()["comparison"][word]


def history(key: str, **values: str) -> str:
    return words()["history"][key].format(**values)


def change(value: float, unit: str, decimals: int = 0) -> str:
    """'up 5%', 'down 1 percentage point', 'no change': a change as a reader says it
    (one implementation for the text, the key figures and the register:
    :func:`helpers.report.wording.describe_change`)."""
    return describe_change(value, unit, decimals)
