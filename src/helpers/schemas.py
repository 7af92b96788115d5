"""The raw data contract: one schema per table in ``data/raw/<year>/``.

Each table is described once, as data (columns, types, code lists, keys). The same
description drives validation (``helpers.validation``), the processed parquet types and the
data dictionary, so the documentation can never drift from what the code enforces.

Record-level tables hold one row per event with the child identified only by a
pseudonymous id; aggregate tables hold figures partners already count.
"""

from __future__ import annotations

from collections.abc import Mapping

from helpers import codes
from helpers.schema_types import (  # noqa: F401 - re-exported for callers
    AGGREGATE_COLUMNS,
    CHILD_ID,
    KIND_EXPECTED,
    Column,
    Kind,
    Table,
    aggregate_table,
)

CHILDREN = Table(
    name="children",
    level="record",
    description="Every child who appears in the year's extract, once.",
    key=("child_id",),
    columns=(
        Column("child_id", "id", CHILD_ID, unique=True),
        Column("birth_month", "month", "month of birth (the day is never held)"),
        Column("sex", "code", "sex as recorded", codes=codes.SEX,
               code_list="CIN census GenderCurrent"),
        Column("ethnicity", "code", "ethnicity", codes=codes.ETHNICITY,
               code_list="DfE ethnicity codes"),
    ),
)

CONTACTS = Table(
    name="contacts",
    level="record",
    description="Contacts to the children's front door received in the year.",
    key=("contact_id",),
    columns=(
        Column("contact_id", "id", "contact id", unique=True),
        Column("child_id", "id", CHILD_ID, references=("children", "child_id")),
        Column("contact_date", "date", "date the contact was received", in_year=True),
        Column("source", "code", "who made the contact", codes=codes.REFERRAL_SOURCE,
               code_list="CIN census referral sources"),
        Column("presenting_factors", "codes", "factors presented at contact",
               required=False, codes=codes.ASSESSMENT_FACTOR,
               code_list="CIN census assessment factors", long_table="contact_factors"),
        Column("outcome", "code", "decision on the contact", codes=codes.CONTACT_OUTCOME,
               code_list="the pack's contact outcomes"),
    ),
)

REFERRALS = Table(
    name="referrals",
    level="record",
    description="Referrals to children's social care accepted in the year (CIN census).",
    key=("referral_id",),
    columns=(
        Column("referral_id", "id", "referral id", unique=True),
        Column("contact_id", "id", "the contact that led to the referral", unique=True,
               references=("contacts", "contact_id")),
        Column("child_id", "id", CHILD_ID, references=("children", "child_id")),
        Column("referral_date", "date", "CINreferralDate", in_year=True),
        Column("source", "code", "ReferralSource", codes=codes.REFERRAL_SOURCE,
               code_list="CIN census referral sources"),
        Column("previous_referral_date", "date",
               "date of the child's latest earlier referral, blank if none", required=False),
    ),
)

ASSESSMENTS = Table(
    name="assessments",
    level="record",
    description="Child and family assessments authorised (completed) in the year.",
    key=("assessment_id",),
    columns=(
        Column("assessment_id", "id", "assessment id", unique=True),
        Column("child_id", "id", CHILD_ID, references=("children", "child_id")),
        Column("referral_id", "id", "the referral the assessment followed"),
        Column("start_date", "date", "AssessmentActualStartDate"),
        Column("authorised_date", "date", "AssessmentAuthorisationDate", in_year=True),
        Column("factors", "codes", "factors identified at the end of assessment",
               codes=codes.ASSESSMENT_FACTOR, code_list="CIN census assessment factors",
               long_table="assessment_factors"),
    ),
)

POPULATION = Table(
    name="population",
    level="aggregate",
    description="Children aged 0-17 living in the area (ONS mid-year estimate).",
    key=("age_band", "ethnic_group"),
    columns=(
        Column("age_band", "code", "age band", codes={
            "0-4": "0 to 4", "5-9": "5 to 9", "10-15": "10 to 15", "16-17": "16 to 17"},
            code_list="age bands"),
        Column("ethnic_group", "code", "major ethnic group",
               codes={g: g for g in codes.MAJOR_ETHNIC_GROUPS}, code_list="major ethnic groups"),
        Column("population", "int", "number of children", minimum=0),
    ),
)

# Domain modules add their tables here; they import the building blocks from
# helpers.schema_types, so importing them at this point cannot form a cycle.
from helpers import schemas_lado_training, schemas_partners, schemas_social_care  # noqa: E402

BENCHMARK_INDICATORS: Mapping[str, str] = {
    "re_referral_rate": "re-referrals within 12 months as % of referrals",
    "referral_rate_per_10k": "referrals per 10,000 children aged 0-17",
    **schemas_social_care.BENCHMARK_INDICATORS,
    **schemas_lado_training.BENCHMARK_INDICATORS,
    **schemas_partners.BENCHMARK_INDICATORS,
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

FRONT_DOOR_TABLES = (CHILDREN, CONTACTS, REFERRALS, ASSESSMENTS, POPULATION, BENCHMARKS)
DOMAINS = (schemas_social_care, schemas_lado_training, schemas_partners)

TABLES: Mapping[str, Table] = {
    t.name: t for t in (*FRONT_DOOR_TABLES, *(t for d in DOMAINS for t in d.TABLES))
}


def table(name: str) -> Table:
    """The schema for a raw table, by file stem."""
    try:
        return TABLES[name]
    except KeyError:
        raise KeyError(f"no schema for raw table {name!r}; known: {', '.join(TABLES)}") from None
