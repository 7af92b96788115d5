"""Children's social care beyond the front door: children in need, child protection,
children looked after (SSDA903 codes), care leavers, missing episodes, exploitation risk
assessments, and the LADO, training and other record-level tables.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

import pandas as pd

from helpers.schema_types import Table
from helpers.validation import Problem

TABLES: tuple[Table, ...] = ()

# Indicators this domain adds to the comparator (benchmarks) table: code -> meaning.
BENCHMARK_INDICATORS: dict[str, str] = {}


def cross_checks(frames: Mapping[str, pd.DataFrame]) -> list[Problem]:
    """Rules between tables of this domain (for example: a plan starts after its ICPC)."""
    return []


CROSS_CHECKS: tuple[Callable[[Mapping[str, pd.DataFrame]], list[Problem]], ...] = (cross_checks,)
