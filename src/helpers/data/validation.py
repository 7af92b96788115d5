"""Read and validate raw tables against their schemas.

Raw files come from case systems and partners' spreadsheets, so they arrive with Excel
habits: a UTF-8 byte-order mark, Windows (cp1252/Latin-1) encoding, thousands separators
("1,234") and UK dates (31/03/2025). Those are read correctly. Anything that would change a
figure silently (unknown codes, dates outside the year, duplicate ids, missing columns, empty
files) is rejected with a message naming the file, the spreadsheet row, the column, the value
found and what was expected, so an analyst can fix the extract without reading code.

Value rules are expressed as a pandera schema built from ``helpers.data.schemas``; parsing and
cross-table rules are done here because their messages need the raw text.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pandera.pandas as pa

from helpers.config import Year
from helpers.data.schema_blocks import Column, Table

MAX_LISTED = 25
_INT = re.compile(r"^[+-]?(\d{1,3}(,\d{3})+|\d+)$")
_FLOAT = re.compile(r"^[+-]?(\d{1,3}(,\d{3})+|\d+)(\.\d+)?$")
_MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_UK_DATE = re.compile(r"^\d{1,2}/\d{1,2}/\d{4}$")


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a raw file, located precisely enough to fix by hand."""

    file: str
    expected: str
    row: int | None = None
    column: str | None = None
    value: str | None = None

    def __str__(self) -> str:
        where = [self.file]
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column is not None:
            where.append(f"column '{self.column}'")
        found = f"found {self.value!r}; " if self.value is not None else ""
        return f"{', '.join(where)}: {found}expected {self.expected}"


class RawDataError(Exception):
    """Raised when raw data breaks its contract; ``problems`` lists every finding."""

    def __init__(self, problems: Iterable[Problem]):
        self.problems = list(problems)
        lines = [f"  - {p}" for p in self.problems[:MAX_LISTED]]
        if len(self.problems) > MAX_LISTED:
            lines.append(f"  ... and {len(self.problems) - MAX_LISTED} more")
        count = len(self.problems)
        super().__init__(f"{count} problem{'s' * (count != 1)} in the raw data:\n" + "\n".join(lines))


def spreadsheet_row(index: int) -> int:
    """Row number as a spreadsheet shows it: the header is row 1, the first record row 2."""
    return int(index) + 2


def decode(raw: bytes) -> str:
    """Decode a CSV the way Excel may have saved it: UTF-8 (with or without BOM), else cp1252.

    cp1252 is what Excel on Windows writes for "CSV"; it is a superset of Latin-1 for
    printable text. Bytes undefined in cp1252 fall back to Latin-1, which never fails.
    """
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return raw.decode("cp1252")
    except UnicodeDecodeError:
        return raw.decode("latin-1")


def read_text_table(path: Path) -> pd.DataFrame:
    """Read a CSV as text cells, stripped, with blanks as empty strings."""
    label = path.name
    if not path.exists():
        raise RawDataError([Problem(label, "this file to exist (see the data dictionary)")])
    raw = path.read_bytes()
    if not raw.strip():
        raise RawDataError([Problem(label, "a header row and at least one data row; the file is empty")])
    text = decode(raw)
    try:
        frame = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
    except pd.errors.ParserError as exc:
        raise RawDataError([Problem(label, f"a well-formed CSV ({exc})")]) from exc
    frame.columns = [str(c).strip() for c in frame.columns]
    return frame.apply(lambda col: col.str.strip())


def _parse_column(values: pd.Series, col: Column, label: str) -> tuple[pd.Series, list[Problem]]:
    """Turn a text column into typed values; unparseable cells become problems."""
    problems: list[Problem] = []
    blank = values == ""
    if col.kind in ("int", "float"):
        pattern = _INT if col.kind == "int" else _FLOAT
        ok = values.str.match(pattern) | blank
        parsed = pd.to_numeric(values.where(ok & ~blank).str.replace(",", "", regex=False))
        if col.kind == "int":
            parsed = parsed.astype("Int64")
    elif col.kind == "date":
        iso = pd.to_datetime(values.where(values.str.match(_ISO_DATE)), format="%Y-%m-%d",
                             errors="coerce")
        uk = pd.to_datetime(values.where(values.str.match(_UK_DATE)), format="%d/%m/%Y",
                            errors="coerce")
        parsed = iso.fillna(uk).astype("datetime64[ns]")
        ok = parsed.notna() | blank
    elif col.kind == "month":
        ok = values.str.match(_MONTH) | blank
        parsed = values.where(ok & ~blank)
    elif col.kind == "codes":
        parsed = values.map(lambda v: [c.strip() for c in v.split(";") if c.strip()])
        ok = pd.Series(True, index=values.index)
    else:
        parsed = values.where(~blank)
        ok = pd.Series(True, index=values.index)
    for idx in values.index[~ok]:
        problems.append(Problem(label, col.expected(), spreadsheet_row(idx), col.name, values[idx]))
    return parsed, problems


def _value_schema(table: Table, year: Year | None) -> pa.DataFrameSchema:
    """A pandera schema for the parsed values of ``table`` (codes, keys, ranges)."""
    columns: dict[str, pa.Column] = {}
    for col in table.columns:
        if col.kind == "codes":
            continue
        checks = []
        expected = col.expected()
        if col.codes is not None:
            allowed = set(col.codes)
            checks.append(pa.Check(lambda s, a=allowed: s.isin(a), name=expected))
        if col.minimum is not None:
            checks.append(pa.Check(lambda s, m=col.minimum: s >= m, name=expected))
        if col.maximum is not None:
            checks.append(pa.Check(lambda s, m=col.maximum: s <= m, name=expected))
        if col.in_year and year is not None:
            lo, hi = pd.Timestamp(year.first_day), pd.Timestamp(year.last_day)
            checks.append(pa.Check(lambda s, lo=lo, hi=hi: s.between(lo, hi),
                                   name=f"a date from {year.first_day} to {year.last_day}"))
        elif col.kind == "date" and year is not None:
            hi = pd.Timestamp(year.last_day)
            checks.append(pa.Check(lambda s, hi=hi: s <= hi,
                                   name=f"a date no later than the end of the year ({year.last_day})"))
        columns[col.name] = pa.Column(None, checks=checks, nullable=not col.required,
                                      unique=col.unique)
    return pa.DataFrameSchema(columns, strict=False)


def _pandera_problems(frame: pd.DataFrame, table: Table, year: Year | None) -> list[Problem]:
    label = table.filename
    try:
        _value_schema(table, year).validate(frame, lazy=True)
    except pa.errors.SchemaErrors as exc:
        problems = []
        cases = exc.failure_cases
        for case in cases.itertuples(index=False):
            col = table.column(str(case.column))
            if case.check == "not_nullable":
                expected = f"a value ({col.expected()}); the cell is blank"
                value = ""
            elif case.check == "field_uniqueness":
                expected = f"each {col.name} to appear once; this one is repeated"
                value = str(case.failure_case)
            else:
                expected = str(case.check)
                value = _display(case.failure_case)
            row = None if pd.isna(case.index) else spreadsheet_row(int(case.index))
            problems.append(Problem(label, expected, row, col.name, value))
        return sorted(problems, key=lambda p: (p.row or 0, p.column or ""))
    return []


def _display(value: object) -> str:
    if isinstance(value, pd.Timestamp):
        return value.strftime("%Y-%m-%d")
    return str(value)


def _code_list_problems(frame: pd.DataFrame, table: Table) -> list[Problem]:
    problems = []
    for col in table.columns:
        if col.kind != "codes" or col.codes is None:
            continue
        exploded = frame[col.name].explode().dropna()
        for idx, code in exploded[~exploded.isin(set(col.codes))].items():
            problems.append(Problem(table.filename, col.expected(), spreadsheet_row(idx),
                                    col.name, code))
        if col.required:
            for idx in frame.index[frame[col.name].map(len) == 0]:
                problems.append(Problem(table.filename, f"at least one code ({col.expected()})",
                                        spreadsheet_row(idx), col.name, ""))
    return problems


def read_raw_table(path: Path, table: Table, year: Year | None = None) -> pd.DataFrame:
    """Read ``path`` as ``table``, returning typed columns or raising RawDataError."""
    text = read_text_table(path)
    label = path.name
    missing = [c for c in table.column_names if c not in text.columns]
    if missing:
        raise RawDataError(
            Problem(label, f"a column named '{name}' ({table.column(name).description}); "
                    f"the header has: {', '.join(text.columns)}", row=1, column=name)
            for name in missing
        )
    if text.empty:
        raise RawDataError([Problem(label, "at least one data row under the header")])
    problems: list[Problem] = []
    parsed = {}
    for col in table.columns:
        parsed[col.name], found = _parse_column(text[col.name], col, label)
        problems.extend(found)
    frame = pd.DataFrame(parsed, index=text.index)
    if problems:
        raise RawDataError(problems)
    problems = _pandera_problems(frame, table, year) + _code_list_problems(frame, table)
    if problems:
        raise RawDataError(problems)
    return frame


def check_references(frames: Mapping[str, pd.DataFrame], tables: Mapping[str, Table]) -> list[Problem]:
    """Foreign keys: every id a table points at must exist in the table it names."""
    problems = []
    for name, frame in frames.items():
        if name not in tables:
            continue
        for col in tables[name].columns:
            if col.references is None or col.references[0] not in frames:
                continue
            target_table, target_col = col.references
            known = set(frames[target_table][target_col])
            for idx, value in frame[col.name][~frame[col.name].isin(known)].items():
                problems.append(Problem(
                    tables[name].filename,
                    f"an id that exists in {target_table}.csv column '{target_col}'",
                    spreadsheet_row(idx), col.name, str(value)))
    return problems


def check_date_order(frame: pd.DataFrame, table: Table, earlier: str, later: str,
                     strict: bool = False) -> list[Problem]:
    """Rows where ``earlier`` is after ``later`` (e.g. an assessment authorised before it began)."""
    a, b = frame[earlier], frame[later]
    bad = (a >= b) if strict else (a > b)
    bad &= a.notna() & b.notna()
    relation = "before" if strict else "on or before"
    return [
        Problem(table.filename, f"{earlier} {relation} {later} ({b[idx]:%Y-%m-%d})",
                spreadsheet_row(idx), earlier, f"{a[idx]:%Y-%m-%d}")
        for idx in frame.index[bad]
    ]
