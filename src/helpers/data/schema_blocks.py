"""Building blocks of the raw data contract: columns, tables and the aggregate shape.

Kept apart from ``helpers.data.schemas`` (which assembles every table) so that each domain's
schema module can import them without a cycle.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

from helpers.data.code_lists import ValidYears

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
    code_years: Mapping[str, ValidYears] | None = None
    unique: bool = False
    in_year: bool = False
    minimum: float | None = None
    maximum: float | None = None
    references: tuple[str, str] | None = None
    long_table: str = ""

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
    """A raw table: the file ``data/raw/<year>/<name>.csv``.

    ``key`` names the columns that identify a row (checked for repeats in aggregate tables).
    ``optional`` tables may be absent, empty or header-only (a service a partnership may not
    run or not record, such as CSE risk assessments); they then read as an empty typed
    table, so chapters still load them. Every other table is required.
    """

    name: str
    level: Literal["record", "aggregate"]
    description: str
    columns: tuple[Column, ...]
    key: tuple[str, ...] = field(default_factory=tuple)
    optional: bool = False

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

AGGREGATE_COLUMNS = ("period", "measure", "breakdown", "value")


def aggregate_table(name: str, description: str, measures: Mapping[str, str],
                    value_kind: Kind = "float", minimum: float | None = 0,
                    optional: bool = False) -> Table:
    """A partner return in long format: one row per period, measure and breakdown.

    Partners send figures they already count (MARAC cases, website visits, budget lines),
    each in its own period (financial, academic or calendar year, or a date). ``measure``
    is checked against ``measures`` (code -> what it counts), so a misspelt measure is
    rejected rather than silently missing from the report; ``breakdown`` is blank for a
    total, or names the category (for example a referral source or an age band).
    """
    return Table(
        name=name,
        level="aggregate",
        description=description,
        key=("period", "measure", "breakdown"),
        optional=optional,
        columns=(
            Column("period", "text", "the period the figure covers, as the partner states it "
                   "(2024-25, 2023/24 academic year, 2024 calendar year, 31 March 2025)"),
            Column("measure", "code", "what is counted", codes=measures,
                   code_list=f"{name} measures"),
            Column("breakdown", "text", "category within the measure; blank for the total",
                   required=False),
            Column("value", value_kind, "the figure", minimum=minimum if value_kind != "text" else None),
        ),
    )
