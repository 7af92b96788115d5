"""The raw data contract: one schema per table in ``data/raw/<year>/``.

Each table is described once, as data (columns, types, code lists, keys). The same
description drives validation (``helpers.validation``), the processed parquet types and the
data dictionary, so the documentation can never drift from what the code enforces.

Record-level tables hold one row per event with the child identified only by a
pseudonymous id; aggregate tables hold figures partners already count.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

from helpers import codes

Kind = Literal["id", "text", "code", "codes", "date", "month", "int", "float"]

KIND_EXPECTED: Mapping[str, str] = {
    "id": "a non-empty identifier",
    "text": "text",
    "code": "one of the listed codes",
    "codes": "codes separated by ';' (may be empty)",
    "date": "a date as YYYY-MM-DD (or DD/MM/YYYY)",
    "month": "a month as YYYY-MM",
    "int": "a whole number",
    "float": "a number",
}


@dataclass(frozen=True)
class Column:
    """One column of a raw table and the rules its values must follow."""

    name: str
    kind: Kind
    description: str
    required: bool = True
    codes: Mapping[str, str] | None = None
    code_list: str = ""
    unique: bool = False
    in_year: bool = False
    minimum: float | None = None
    maximum: float | None = None
    references: tuple[str, str] | None = None

    def expected(self) -> str:
        """Plain-English statement of what a valid value looks like, for error messages."""
        text = KIND_EXPECTED[self.kind]
        if self.codes is not None:
            shown = ", ".join(list(self.codes)[:12])
            more = ", ..." if len(self.codes) > 12 else ""
            text = f"{text} from {self.code_list or 'the code list'} ({shown}{more})"
        if self.in_year:
            text += " within the reporting year"
        if self.minimum is not None:
            text += f", at least {self.minimum:g}"
        if self.maximum is not None:
            text += f", at most {self.maximum:g}"
        return text


@dataclass(frozen=True)
class Table:
    """A raw table: the file ``data/raw/<year>/<name>.csv``."""

    name: str
    level: Literal["record", "aggregate"]
    description: str
    columns: tuple[Column, ...]
    key: tuple[str, ...] = field(default_factory=tuple)

    @property
    def filename(self) -> str:
        return f"{self.name}.csv"

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]

    def column(self, name: str) -> Column:
        for col in self.columns:
            if col.name == name:
                return col
        raise KeyError(f"{self.name} has no column {name!r}")


CHILD_ID = "pseudonymous child id from the case system (never a name or NHS number)"

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
               code_list="CIN census assessment factors"),
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
               codes=codes.ASSESSMENT_FACTOR, code_list="CIN census assessment factors"),
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

BENCHMARK_INDICATORS: Mapping[str, str] = {
    "re_referral_rate": "re-referrals within 12 months as % of referrals",
    "referral_rate_per_10k": "referrals per 10,000 children aged 0-17",
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

TABLES: Mapping[str, Table] = {
    t.name: t for t in (CHILDREN, CONTACTS, REFERRALS, ASSESSMENTS, POPULATION, BENCHMARKS)
}


def table(name: str) -> Table:
    """The schema for a raw table, by file stem."""
    try:
        return TABLES[name]
    except KeyError:
        raise KeyError(f"no schema for raw table {name!r}; known: {', '.join(TABLES)}") from None
