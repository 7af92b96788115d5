"""Read and validate raw tables against their schemas.

Raw files come from case systems and partners' spreadsheets, so they arrive with Excel
habits: a UTF-8 byte-order mark, Windows (cp1252/Latin-1) encoding, thousands separators
("1,234"), UK dates (31/03/2025) and blank lines. Those are read correctly. Anything that
would change a figure silently (unknown codes, codes outside their collection years, dates
outside the year, duplicate ids or keys, missing columns, empty files, a file mixing two
encodings, a semicolon-separated export) is rejected with a message naming the file, the
spreadsheet row, the column, the value found, the rule broken (``helpers.data.rules``) and
what was expected, so an analyst can fix the extract without reading code.

Every check is vectorised (a year may hold a million contacts): membership tests use
``pyarrow.compute.is_in`` against a key set built once, because ``Series.isin`` on
Arrow-backed strings falls back to a Python loop.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from helpers.config import Year
from helpers.data import rules
from helpers.data.schema_blocks import Column, Table
from helpers.data.stamps import OS_LITTER, is_os_litter  # noqa: F401 - re-exported

MAX_LISTED = 25
_INT = re.compile(r"^[+-]?(\d{1,3}(,\d{3})+|\d+)$")
_FLOAT = re.compile(r"^[+-]?(\d{1,3}(,\d{3})+|\d+)(\.\d+)?$")
_MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_UK_DATE = re.compile(r"^\d{1,2}/\d{1,2}/\d{4}$")
_CODE_SEP = re.compile(r"\s*;\s*")


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a raw file, located precisely enough to fix by hand.

    ``rule`` is the code of the registered rule it breaks (``helpers.data.rules``); it is
    required so that no check can report a problem without naming its rule.
    """

    file: str
    expected: str
    row: int | None = None
    column: str | None = None
    value: str | None = None
    rule: str = field(default="", kw_only=True)

    def __post_init__(self) -> None:
        if self.rule not in rules.RULES:
            raise ValueError(f"Problem for {self.file} names no registered rule ({self.rule!r})")

    def __str__(self) -> str:
        where = [self.file]
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column is not None:
            where.append(f"column '{self.column}'")
        found = f"found {self.value!r}; " if self.value is not None else ""
        return (f"{', '.join(where)}: {found}rule {self.rule} ({rules.meaning(self.rule)}); "
                f"expected {self.expected}")


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
    """Row number as a spreadsheet shows it: the header is row 1, the first record row 2.

    Frames read by ``read_text_table`` are indexed so that this holds even when the file
    has blank lines (a blank line is a row in the spreadsheet too).
    """
    return int(index) + 2


# Files that operating systems and Office leave in folders; never data.
# --- decoding -----------------------------------------------------------------------------------


def _looks_utf16(raw: bytes) -> bool:
    if raw[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return True
    sample = raw[:4096]
    return len(sample) >= 4 and sample.count(0) * 4 >= len(sample)


def _first_mixed_line(raw: bytes) -> tuple[int, int] | None:
    """(first line that is valid UTF-8 with non-ASCII, first line that is not UTF-8), if both."""
    utf8_line = bad_line = None
    for number, line in enumerate(raw.split(b"\n"), start=1):
        if line.isascii():
            continue
        try:
            line.decode("utf-8")
            utf8_line = utf8_line or number
        except UnicodeDecodeError:
            bad_line = bad_line or number
        if utf8_line and bad_line:
            return utf8_line, bad_line
    return None


def decode(raw: bytes, label: str = "the file") -> str:
    """Decode a file the way Excel may have saved it: UTF-8 (with or without BOM), else cp1252.

    cp1252 is what Excel on Windows writes for "CSV"; bytes undefined in it fall back to
    Latin-1, which never fails. A file in which some lines are UTF-8 and others cp1252 (two
    extracts pasted together) cannot be decoded either way without garbling one half
    ("CafÃ©"), and UTF-16 ("Unicode text" in Excel) is not text either way, so both are
    rejected with the line to look at.
    """
    if _looks_utf16(raw):
        raise RawDataError([Problem(label, "UTF-8 or Windows (cp1252) text; this file is "
                                    "UTF-16 (Excel's 'Unicode text'): save it as 'CSV UTF-8'",
                                    rule=rules.FILE_ENCODING)])
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    mixed = _first_mixed_line(raw)
    if mixed is not None:
        good, bad = mixed
        raise RawDataError([Problem(
            label, f"one encoding throughout; this file mixes encodings: row {good} is UTF-8 "
            f"but row {bad} is not (it looks like Windows cp1252): re-save the whole file as "
            "'CSV UTF-8'", row=bad, rule=rules.FILE_ENCODING)])
    try:
        return raw.decode("cp1252")
    except UnicodeDecodeError:
        return raw.decode("latin-1")


def _row_index(text: str, rows: int) -> pd.Index:
    """Index of the data rows such that ``spreadsheet_row(index)`` is the line they are on.

    ``read_csv`` skips blank lines; a spreadsheet counts them, so without this a problem
    after a blank line would be reported one row too early.
    """
    if "\n\n" not in text and "\n\r\n" not in text:
        return pd.RangeIndex(rows)
    lines = text.splitlines()
    numbers = [n for n, line in enumerate(lines[1:], start=2) if line.strip("\r") != ""]
    if len(numbers) != rows:  # quoted line breaks inside cells: fall back to record order
        return pd.RangeIndex(rows)
    return pd.Index(np.asarray(numbers, dtype=np.int64) - 2)


_FAST_CSV_BYTES = 1_000_000


def _fast_csv(text: str) -> pd.DataFrame | None:
    """Large files through Arrow's multi-threaded CSV reader (every cell as text).

    Returns None for small files, and for anything Arrow finds irregular (ragged rows,
    duplicate headers), so ``pandas.read_csv`` handles those with its own messages.
    """
    if len(text) < _FAST_CSV_BYTES:
        return None
    text = text.lstrip("\ufeff")
    names = next(csv.reader([text.split("\n", 1)[0].rstrip("\r")]), [])
    if not names or len(set(names)) != len(names):
        return None
    try:
        table = pacsv.read_csv(io.BytesIO(text.encode("utf-8")),
                               convert_options=pacsv.ConvertOptions(
                                   column_types={n: pa.large_string() for n in names},
                                   strings_can_be_null=False))
    except pa.ArrowInvalid:
        return None
    return table.to_pandas(types_mapper={pa.large_string(): pd.StringDtype(
        "pyarrow", na_value=np.nan)}.get)


def read_text_table(path: Path, label: str | None = None) -> pd.DataFrame:
    """Read a CSV as text cells, stripped, with blanks as empty strings."""
    label = label or path.name
    if not path.exists():
        raise RawDataError([Problem(label, "this file to exist (see the data dictionary)",
                                    rule=rules.FILE_EXISTS)])
    raw = path.read_bytes()
    if not raw.strip():
        raise RawDataError([Problem(label, "a header row and at least one data row; the file "
                                    "is empty", rule=rules.FILE_NOT_EMPTY)])
    text = decode(raw, label)
    header = text.lstrip("\ufeff").split("\n", 1)[0]
    for sep, name in ((";", "semicolons"), ("\t", "tabs")):
        if "," not in header and sep in header:
            raise RawDataError([Problem(label, f"columns separated by commas; the header row is "
                                        f"separated by {name} (a '{sep}' export): save as "
                                        "'CSV (comma delimited)'", row=1, value=header[:60],
                                        rule=rules.FILE_DELIMITER)])
    frame = _fast_csv(text)
    if frame is None:
        try:
            frame = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
        except pd.errors.ParserError as exc:
            raise RawDataError([Problem(label, f"a well-formed CSV ({exc})",
                                        rule=rules.FILE_CSV)]) from exc
    frame.columns = [str(c).strip() for c in frame.columns]
    frame.index = _row_index(text, len(frame))
    return frame.apply(lambda col: col.str.strip())


# --- parsing ------------------------------------------------------------------------------------


def _problems_at(mask: pd.Series, values: pd.Series, label: str, expected: str, column: str,
                 rule: str) -> list[Problem]:
    """One Problem per True cell of ``mask``, showing the value in ``values``."""
    mask = mask.fillna(False).astype(bool)
    if not mask.any():
        return []
    return [Problem(label, expected, spreadsheet_row(idx), column, _display(value), rule=rule)
            for idx, value in values[mask].items()]


def _split_codes(values: pd.Series) -> pd.Series:
    """``"3B; 4B"`` -> ``["3B", "4B"]``, ``""`` -> ``[]``, as an Arrow list column.

    Arrow lists keep a million rows of codes out of Python objects; iterating the column
    still gives Python lists.
    """
    arr = _arrow(values)
    cleaned = pc.utf8_trim(pc.replace_substring_regex(arr, _CODE_SEP.pattern, ";"), ";")
    blank = pc.equal(cleaned, "")
    lists = pc.split_pattern(pc.if_else(blank, pa.scalar(None, cleaned.type), cleaned), ";")
    lists = pc.fill_null(lists, pa.scalar([], lists.type))
    return pd.Series(pd.arrays.ArrowExtensionArray(lists), index=values.index)


def _parse_column(values: pd.Series, col: Column, label: str) -> tuple[pd.Series, list[Problem]]:
    """Turn a text column into typed values; unparseable cells become problems."""
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
        return _split_codes(values), []
    else:
        return values.where(~blank), []
    return parsed, _problems_at(~ok, values, label, col.expected(), col.name, rules.COL_TYPE)


def _display(value: object) -> str:
    if isinstance(value, pd.Timestamp):
        return value.strftime("%Y-%m-%d")
    if value is None or (isinstance(value, float) and np.isnan(value)) or value is pd.NA:
        return ""
    return str(value)


def _arrow(values: pd.Series) -> pa.Array:
    """A column as an Arrow array without copying Arrow-backed strings into Python objects."""
    try:
        arr = pa.array(values, from_pandas=True)
    except (pa.ArrowInvalid, pa.ArrowTypeError):
        arr = pa.array(values.to_numpy(dtype=object), from_pandas=True)
    if isinstance(arr, pa.ChunkedArray):
        arr = arr.combine_chunks()
    if pa.types.is_null(arr.type) or pa.types.is_string(arr.type):
        arr = arr.cast(pa.large_string())
    return arr


def is_in(values: pd.Series, value_set: pa.Array | Iterable[object]) -> pd.Series:
    """Vectorised membership test (``pyarrow.compute.is_in``); blanks count as not in the set.

    Build ``value_set`` once (``key_set``) when several columns are tested against it.
    """
    if not isinstance(value_set, pa.Array):
        value_set = key_set(pd.Series(list(value_set), dtype=object))
    arr = _arrow(values)
    if arr.type != value_set.type:
        arr = arr.cast(value_set.type)
    if len(value_set) > len(arr) > 0:
        # A few ids against a million: hash the few and scan the million once, rather
        # than hashing the million for every small table that points at it.
        probe = pc.unique(pc.drop_null(arr))
        value_set = pc.filter(value_set, pc.is_in(value_set, value_set=probe))
    found = pc.fill_null(pc.is_in(arr, value_set=value_set), False)
    return pd.Series(found.to_numpy(zero_copy_only=False), index=values.index)


def key_set(values: pd.Series) -> pa.Array:
    """The non-blank values of a column as an Arrow array (strings as large strings)."""
    return pc.drop_null(_arrow(values))


# --- value rules ---------------------------------------------------------------------------------


def _code_year_problems(values: pd.Series, col: Column, label: str,
                        year: Year | None) -> list[Problem]:
    """Codes that exist but are not valid in ``year`` (e.g. referral source 5D before 2024-25)."""
    if year is None or not col.code_years:
        return []
    invalid = [c for c, span in col.code_years.items() if not span.covers(year.label)]
    if not invalid:
        return []
    bad = is_in(values, invalid)
    problems = []
    for idx, code in values[bad].items():
        span = col.code_years[code]
        problems.append(Problem(
            label, f"a code valid in {year.label} from {col.code_list or 'the code list'}; "
            f"{code} ({col.codes[code] if col.codes else ''}) is valid {span.describe()}",
            spreadsheet_row(idx), col.name, code,
            rule=rules.COL_CODE_YEAR))
    return problems


def _single_code_problems(frame: pd.DataFrame, col: Column, label: str,
                          year: Year | None) -> list[Problem]:
    values = frame[col.name]
    present = values.notna()
    known = is_in(values, list(col.codes))
    problems = _problems_at(present & ~known, values, label, col.expected(), col.name,
                            rules.COL_CODE)
    inside = values[present & known]
    return problems + _code_year_problems(inside, col, label, year)


def _multi_code_problems(frame: pd.DataFrame, col: Column, label: str,
                         year: Year | None) -> list[Problem]:
    exploded = frame[col.name].explode().dropna()
    problems = []
    if len(exploded):
        known = is_in(exploded, list(col.codes))
        problems += [Problem(label, col.expected(), spreadsheet_row(idx), col.name, code,
                             rule=rules.COL_CODE)
                     for idx, code in exploded[~known].items()]
        problems += _code_year_problems(exploded[known], col, label, year)
    if col.required:
        empty = _list_lengths(frame[col.name]) == 0
        problems += [Problem(label, f"at least one code ({col.expected()})", spreadsheet_row(idx),
                             col.name, "", rule=rules.COL_REQUIRED)
                     for idx in frame.index[empty]]
    return problems


def _all_distinct(values: pd.Series) -> bool:
    """Whether the non-blank values are all different (one hash pass, no Python objects)."""
    arr = pc.drop_null(_arrow(values))
    return pc.count_distinct(arr).as_py() == len(arr)


def _list_lengths(cells: pd.Series) -> pd.Series:
    """Number of codes in each cell of a codes column (Arrow lists or Python lists)."""
    if isinstance(cells.dtype, pd.ArrowDtype):
        return cells.list.len()
    return cells.map(len)


def _column_value_problems(frame: pd.DataFrame, col: Column, label: str,
                           year: Year | None) -> list[Problem]:
    """Required, code list, code years, range, date window and uniqueness of one column."""
    if col.kind == "codes":
        return _multi_code_problems(frame, col, label, year) if col.codes is not None else []
    values = frame[col.name]
    problems: list[Problem] = []
    if col.required:
        blank = values.isna()
        problems += [Problem(label, f"a value ({col.expected()}); the cell is blank",
                             spreadsheet_row(idx), col.name, "", rule=rules.COL_REQUIRED)
                     for idx in frame.index[blank.to_numpy()]]
    if col.codes is not None:
        problems += _single_code_problems(frame, col, label, year)
    if col.minimum is not None:
        problems += _problems_at(values < col.minimum, values, label, col.expected(), col.name,
                                 rules.COL_RANGE)
    if col.maximum is not None:
        problems += _problems_at(values > col.maximum, values, label, col.expected(), col.name,
                                 rules.COL_RANGE)
    if col.kind == "date" and year is not None:
        lo, hi = pd.Timestamp(year.first_day), pd.Timestamp(year.last_day)
        if col.in_year:
            problems += _problems_at(~values.between(lo, hi) & values.notna(), values, label,
                                     f"a date from {year.first_day} to {year.last_day}",
                                     col.name, rules.COL_IN_YEAR)
        else:
            problems += _problems_at(values > hi, values, label,
                                     f"a date no later than the end of the year "
                                     f"({year.last_day})", col.name, rules.COL_NOT_FUTURE)
    if col.unique and not _all_distinct(values):
        repeated = values.duplicated(keep=False) & values.notna()
        problems += _problems_at(repeated, values, label,
                                 f"each {col.name} to appear once; this one is repeated",
                                 col.name, rules.COL_UNIQUE)
    return problems


def _value_problems(frame: pd.DataFrame, table: Table, year: Year | None) -> list[Problem]:
    problems = [p for col in table.columns
                for p in _column_value_problems(frame, col, table.filename, year)]
    order = {name: i for i, name in enumerate(sorted(table.column_names))}
    return sorted(problems, key=lambda p: (p.row or 0, order.get(p.column or "", 0)))


def _and_join(names: Iterable[str]) -> str:
    names = list(names)
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


def key_problems(frame: pd.DataFrame, table: Table) -> list[Problem]:
    """Rows of an aggregate table repeating a key, each naming the row it repeats.

    A repeated ``population.csv`` band would be summed into the denominator and a repeated
    benchmark would let one of two different values win, both silently.
    """
    if table.level != "aggregate" or not table.key or frame.empty:
        return []
    keyed = frame[list(table.key)].astype(object).where(frame[list(table.key)].notna(), "")
    keyed = keyed.astype(str)
    repeated = keyed.duplicated(keep=False)
    if not repeated.any():
        return []
    problems = []
    rows = keyed[repeated]
    first_row: dict[tuple[str, ...], int] = {}
    for idx, key in zip(rows.index, rows.itertuples(index=False, name=None), strict=True):
        if key not in first_row:
            first_row[key] = spreadsheet_row(idx)
            continue
        shown = ", ".join(f"{n}={v!r}" for n, v in zip(table.key, key, strict=True))
        problems.append(Problem(
            table.filename, f"each {_and_join(table.key)} once; this combination ({shown}) is "
            f"repeated: rows {first_row[key]} and {spreadsheet_row(idx)} both hold it",
            spreadsheet_row(idx), table.key[-1], key[-1], rule=rules.KEY_ONCE))
    return problems


def empty_frame(table: Table) -> pd.DataFrame:
    """A typed frame with no rows: what an absent or empty optional table reads as."""
    text = pd.DataFrame({name: pd.Series([], dtype=str) for name in table.column_names})
    return pd.DataFrame({col.name: _parse_column(text[col.name], col, table.filename)[0]
                         for col in table.columns})


def read_raw_table(path: Path, table: Table, year: Year | None = None) -> pd.DataFrame:
    """Read ``path`` as ``table``, returning typed columns or raising RawDataError.

    An optional table (``Table.optional``) may be absent, empty or hold only its header;
    it then reads as an empty typed frame.
    """
    label = path.name
    if table.optional and (not path.exists() or not path.read_bytes().strip()):
        return empty_frame(table)
    text = read_text_table(path)
    missing = [c for c in table.column_names if c not in text.columns]
    if missing:
        raise RawDataError(
            Problem(label, f"a column named '{name}' ({table.column(name).description}); "
                    f"the header has: {', '.join(text.columns)}", row=1, column=name,
                    rule=rules.FILE_HEADER)
            for name in missing
        )
    if text.empty:
        if table.optional:
            return empty_frame(table)
        raise RawDataError([Problem(label, "at least one data row under the header (this "
                                    "table is required; see the data dictionary)",
                                    rule=rules.FILE_NOT_EMPTY)])
    problems: list[Problem] = []
    parsed = {}
    for col in table.columns:
        parsed[col.name], found = _parse_column(text[col.name], col, label)
        problems.extend(found)
    frame = pd.DataFrame(parsed, index=text.index)
    if problems:
        raise RawDataError(problems)
    problems = _value_problems(frame, table, year) + key_problems(frame, table)
    if problems:
        raise RawDataError(problems)
    return frame


def check_references(frames: Mapping[str, pd.DataFrame], tables: Mapping[str, Table]) -> list[Problem]:
    """Foreign keys: every id a table points at must exist in the table it names.

    Each target's key set is built once and tested with ``pyarrow.compute.is_in``.
    """
    problems = []
    sets: dict[tuple[str, str], pa.Array] = {}
    for name, frame in frames.items():
        if name not in tables:
            continue
        for col in tables[name].columns:
            if col.references is None or col.references[0] not in frames:
                continue
            target_table, target_col = col.references
            if col.references not in sets:
                sets[col.references] = key_set(frames[target_table][target_col])
            values = frame[col.name]
            missing = ~is_in(values, sets[col.references]) & values.notna()
            problems += _problems_at(missing, values, tables[name].filename,
                                     f"an id that exists in {target_table}.csv column "
                                     f"'{target_col}'", col.name, rules.COL_REFERENCE)
    return problems


def check_date_order(frame: pd.DataFrame, table: Table, earlier: str, later: str,
                     strict: bool = False, *, rule: str) -> list[Problem]:
    """Rows where ``earlier`` is after ``later`` (e.g. an assessment authorised before it began)."""
    a, b = frame[earlier], frame[later]
    bad = (a >= b) if strict else (a > b)
    bad &= a.notna() & b.notna()
    relation = "before" if strict else "on or before"
    return [
        Problem(table.filename, f"{earlier} {relation} {later} ({b[idx]:%Y-%m-%d})",
                spreadsheet_row(idx), earlier, f"{a[idx]:%Y-%m-%d}", rule=rule)
        for idx in frame.index[bad.to_numpy()]
    ]
