"""The validation rule registry: every check the raw data must pass, by code and meaning.

Like the DfE's CIN census and SSDA903 validators (``CIN-101: a CP plan must start on or after
its child's ICPC``), each rule has a short code and a one-line meaning. Every ``Problem``
names the rule it broke, so an analyst can look the code up in the data dictionary (which
lists every rule) and two runs of the pack can be compared rule by rule.

Code prefixes: ``FILE`` reading a file; ``COL`` one column of one row (type, required,
code list, range, dates, uniqueness, references); ``KEY`` keys of aggregate tables; ``SAFE``
identifiers in published text; ``META`` ``dataset.json``; ``NAR`` narrative markdown; ``FD``
front door; ``CIN`` children in need and child protection; ``CLA`` children looked after and
care leavers; ``EXP`` exploitation; ``LADO`` and ``TRN`` LADO and training; ``PRT`` partner
returns.

This module imports nothing from the pack, so every schema module can register its rules.
"""

from __future__ import annotations

from dataclasses import dataclass

ALL_TABLES = ("every table",)


@dataclass(frozen=True)
class Rule:
    """One named check: its code, what it means, and the tables it applies to."""

    code: str
    meaning: str
    tables: tuple[str, ...] = ALL_TABLES


RULES: dict[str, Rule] = {}


def rule(code: str, meaning: str, tables: tuple[str, ...] = ALL_TABLES) -> str:
    """Register a rule and return its code (what a ``Problem`` carries).

    A code may be registered once only, so two checks can never share a number by mistake.
    """
    if code in RULES and RULES[code] != Rule(code, meaning, tables):
        raise ValueError(f"validation rule {code} is registered twice")
    RULES[code] = Rule(code, meaning, tables)
    return code


def meaning(code: str) -> str:
    """The one-line meaning of a registered rule (KeyError for an unknown code)."""
    return RULES[code].meaning


# --- reading files ----------------------------------------------------------------------------
FILE_EXISTS = rule("FILE-001", "a required table's file is present in the year folder")
FILE_NOT_EMPTY = rule("FILE-002", "a required table has a header row and at least one data row")
FILE_CSV = rule("FILE-003", "a file is a well-formed comma-separated table")
FILE_ENCODING = rule("FILE-004", "a file is in one encoding: UTF-8 (with or without BOM) or "
                     "Windows cp1252, never a mix and never UTF-16")
FILE_DELIMITER = rule("FILE-005", "columns are separated by commas (not semicolons or tabs)")
FILE_HEADER = rule("FILE-006", "the header row names every column of the table")
FOLDER_EXISTS = rule("FILE-007", "the year has a folder of raw data")

# --- one column of one row --------------------------------------------------------------------
COL_TYPE = rule("COL-101", "a value has its column's type (whole number, number, date, month)")
COL_REQUIRED = rule("COL-102", "a required column has a value in every row")
COL_CODE = rule("COL-103", "a coded value is one of its column's code list")
COL_CODE_YEAR = rule("COL-104", "a code is used only in the collection years it is valid for "
                     "(the year of the file's folder)")
COL_RANGE = rule("COL-105", "a number lies within its column's minimum and maximum")
COL_IN_YEAR = rule("COL-106", "an in-year date falls inside the reporting year")
COL_NOT_FUTURE = rule("COL-107", "a date is no later than the end of the reporting year")
COL_UNIQUE = rule("COL-108", "an id column holds each id once")
COL_REFERENCE = rule("COL-109", "an id that points at another table exists in that table")

# --- keys of aggregate tables -----------------------------------------------------------------
KEY_ONCE = rule("KEY-201", "an aggregate table holds each key (e.g. period, measure, "
                "breakdown) once; a repeat would be summed or ignored silently")

# --- identifiers in published text ------------------------------------------------------------
SAFE_RECORD_ID = rule("SAFE-301", "free text carries nothing shaped like a case-record id "
                      "(CH-nnnnnn, ch_nnnnnn, CH nnnnnn, CHnnnnnn)")
SAFE_CHILD_ID = rule("SAFE-302", "free text never contains a child id of the year")

# --- dataset.json -----------------------------------------------------------------------------
META_PRESENT = rule("META-001", "the year has a dataset.json", ("dataset.json",))
META_JSON = rule("META-002", "dataset.json is valid JSON", ("dataset.json",))
META_FIELD = rule("META-003", "dataset.json has synthetic (true/false), extract_date and source",
                  ("dataset.json",))
