"""The raw data contract: one schema per table in ``data/raw/<year>/``.

Each table is described once, as data (columns, types, code lists, keys). The same
description drives validation (``helpers.data.validation``), the processed parquet types and the
data dictionary, so the documentation can never drift from what the code enforces.

Record-level tables hold one row per event with the child identified only by a
pseudonymous id; aggregate tables hold figures partners already count.
"""


from __future__ import annotations

from collections.abc import Mapping

from helpers.data import schema_front_door, schema_lado_training, schema_partners, schema_social_care
from helpers.data.schema_blocks import (  # noqa: F401 - re-exported for callers
    AGGREGATE_COLUMNS,
    CHILD_ID,
    KIND_EXPECTED,
    Column,
    Kind,
    Table,
    aggregate_table,
)
from helpers.data.schema_front_door import ASSESSMENTS, CHILDREN, CONTACTS, POPULATION, REFERRALS  # noqa: F401

BENCHMARK_INDICATORS: Mapping[str, str] = {
    "re_referral_rate": "re-referrals within 12 months as % of referrals",
    "referral_rate_per_10k": "referrals per 10,000 children aged 0-17",
    **schema_social_care.BENCHMARK_INDICATORS,
    **schema_lado_training.BENCHMARK_INDICATORS,
    **schema_partners.BENCHMARK_INDICATORS,
}

BENCHMARKS = Table(
    name="benchmarks",
    level="aggregate",
    description="Comparator areas' published values (DfE statistics or the demo's stand-ins).",
    key=("area", "indicator", "period"),
    columns=(
        Column("area", "text", "comparator area as DfE names it (Inner London, England)"),
        Column("indicator", "code", "indicator", codes=BENCHMARK_INDICATORS,
               code_list="benchmark indicators"),
        Column("period", "text", "reporting year, e.g. 2024-25"),
        Column("value", "float", "value", minimum=0),
    ),
)

DOMAINS = (schema_social_care, schema_lado_training, schema_partners)
FRONT_DOOR_TABLES = (*schema_front_door.TABLES, BENCHMARKS)
#: Rules between a year's rows and the year of its folder (the other rules see rows only).
YEAR_CHECKS = schema_partners.YEAR_CHECKS

TABLES: Mapping[str, Table] = {
    t.name: t for t in (*FRONT_DOOR_TABLES, *(t for d in DOMAINS for t in d.TABLES))
}


def table(name: str) -> Table:
    """The schema for a raw table, by file stem."""
    try:
        return TABLES[name]
    except KeyError:
        raise KeyError(f"no schema for raw table {name!r}; known: {', '.join(TABLES)}") from None
