"""SSDA903 (children looked after) CSV flat files -> children, cla_episodes, cla_reviews,
cla_health, care_leavers and missing_episodes of ``data/raw/<year>/``.

A folder holds one CSV per 903 table (header, episodes, uasc, reviews, missing, oc2, oc3 and,
when present, ad1, placed_adoption, prev_perm, social_worker), found by name: a file whose name
contains the table's name as a word (``SSDA903_2024_episodes.csv``, ``header.csv``). Dates are
DfE's dd/mm/yyyy. Row numbers in problems count as a spreadsheet does: the header row is row 1.
"""

from __future__ import annotations

import csv
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from helpers.config import RAW_DIR, Year
from helpers.importers import codelists as cl
from helpers.importers.common import (
    CodeList,
    ImportFailed,
    ImportReport,
    Output,
    Problem,
    Pseudonymiser,
    birth_month,
    in_year,
    miles_between,
    normalise_postcode,
    open_in_year,
    parse_dfe,
    read_postcodes,
    record_id,
)


@dataclass(frozen=True)
class Col:
    kind: str  # id, date, code, int, text
    required: bool = False
    codes: CodeList | None = None


ID = Col("id", True)
DOB = Col("date", True)
TEXT = Col("text")


def _code(codes: CodeList, required: bool = False) -> Col:
    return Col("code", required, codes)


def _date(required: bool = False) -> Col:
    return Col("date", required)


FLAG = _code(cl.FLAG)

SPECS: dict[str, dict[str, Col]] = {
    "header": {"CHILD": ID, "SEX": _code(cl.SEX, True), "DOB": DOB, "ETHNIC": _code(cl.ETHNICITY, True),
               "UPN": TEXT, "MOTHER": FLAG, "MC_DOB": _date()},
    "episodes": {"CHILD": ID, "DECOM": _date(True), "RNE": _code(cl.RNE, True),
                 "LS": _code(cl.LEGAL_STATUS, True), "CIN": _code(cl.NEED_903, True),
                 "PLACE": _code(cl.PLACEMENT, True), "PLACE_PROVIDER": _code(cl.PROVIDER), "DEC": _date(),
                 "REC": _code(cl.REASON_CEASED), "REASON_PLACE_CHANGE": _code(cl.PLACE_CHANGE),
                 "HOME_POST": TEXT, "PL_POST": TEXT, "URN": TEXT},
    "uasc": {"CHILD": ID, "SEX": _code(cl.SEX), "DOB": DOB, "DUC": _date()},
    "reviews": {"CHILD": ID, "DOB": DOB, "REVIEW": _date(True), "REVIEW_CODE": _code(cl.REVIEW_CODE, True)},
    "missing": {"CHILD": ID, "DOB": DOB, "MISSING": _code(cl.MISSING_TYPE, True), "MIS_START": _date(True),
                "MIS_END": _date()},
    "oc2": {"CHILD": ID, "DOB": DOB, "SDQ_SCORE": Col("int"), "SDQ_REASON": _code(cl.SDQ_REASON),
            "CONVICTED": FLAG, "HEALTH_CHECK": FLAG, "IMMUNISATIONS": FLAG, "TEETH_CHECK": FLAG,
            "HEALTH_ASSESSMENT": FLAG, "SUBSTANCE_MISUSE": FLAG, "INTERVENTION_RECEIVED": FLAG,
            "INTERVENTION_OFFERED": FLAG},
    "oc3": {"CHILD": ID, "DOB": DOB, "IN_TOUCH": _code(cl.IN_TOUCH, True), "ACTIV": _code(cl.ACTIVITY, True),
            "ACCOM": _code(cl.ACCOMMODATION, True)},
    "ad1": {"CHILD": ID, "DOB": DOB, "DATE_INT": _date(True), "DATE_MATCH": _date(True),
            "FOSTER_CARE": _code(cl.FLAG, True), "NB_ADOPTR": Col("int", True),
            "SEX_ADOPTR": _code(cl.SEX_ADOPTER, True), "LS_ADOPTR": _code(cl.LS_ADOPTER, True)},
    "placed_adoption": {"CHILD": ID, "DOB": DOB, "DATE_PLACED": _date(True), "DATE_PLACED_CEASED": _date(),
                        "REASON_PLACED_CEASED": _code(cl.PLACED_CEASED)},
    "prev_perm": {"CHILD": ID, "DOB": DOB, "PREV_PERM": _code(cl.PREV_PERM, True), "LA_PERM": TEXT,
                  "DATE_PERM": _date()},
    "social_worker": {"CHILD": ID, "DOB": DOB, "SW_ID": TEXT, "SW_DECOM": _date(True), "SW_DEC": _date(),
                      "SW_REASON": _code(cl.SW_REASON)},
}
REQUIRED_FILES = ("header", "episodes")
EXPECTED_FILES = ("uasc", "reviews", "missing", "oc2", "oc3")
ONE_ROW_PER_CHILD = ("header", "uasc", "oc2", "oc3")

TABLES: dict[str, tuple[str, ...]] = {
    "children.csv": ("child_id", "birth_month", "sex", "ethnicity"),
    "cla_episodes.csv": ("episode_id", "child_id", "start_date", "end_date", "rne", "legal_status",
                         "placement_type", "placement_distance_miles", "uasc", "reason_ceased"),
    "cla_reviews.csv": ("review_id", "child_id", "review_date", "participation"),
    "cla_health.csv": ("child_id", "health_assessment_date", "dental_check_date", "development_check_date"),
    "care_leavers.csv": ("child_id", "pa_allocated", "in_touch", "activity", "accommodation",
                         "accommodation_suitable"),
    "missing_episodes.csv": ("episode_id", "child_id", "start_date", "duration_hours", "looked_after", "rhc"),
}
SOURCE_OF = {"cla_reviews.csv": "reviews", "cla_health.csv": "oc2", "care_leavers.csv": "oc3",
             "missing_episodes.csv": "missing"}


def find_files(folder: Path, problems: list[Problem]) -> dict[str, Path]:
    """The CSV file of each 903 table in ``folder``, matched by name."""
    found: dict[str, list[Path]] = {}
    for path in sorted(Path(folder).glob("*.csv")) + sorted(Path(folder).glob("*.CSV")):
        words = [w for w in re.split(r"[^a-z0-9]+", path.stem.lower()) if w]
        joined = "".join(words)
        for table in SPECS:
            key = table.replace("_", "")
            if key in words or ("_" in table and key in joined):
                found.setdefault(table, []).append(path)
    for table, paths in found.items():
        if len(set(paths)) > 1:
            problems.append(Problem(str(folder), "folder", table, ", ".join(p.name for p in paths),
                                    f"one file for the {table} table", "IMP-903-001"))
    for table in REQUIRED_FILES:
        if table not in found:
            problems.append(Problem(str(folder), "folder", table, "",
                                    f"a CSV file named after the {table} table", "IMP-903-001"))
    return {t: ps[0] for t, ps in found.items()}


def _rows(path: Path) -> Iterator[tuple[int, dict[str, str]]]:
    """(spreadsheet row number, row) with upper-cased column names; UTF-8 or Windows text."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        text = path.read_text(encoding="cp1252")
    reader = csv.reader(text.splitlines())
    header = [h.strip().upper() for h in next(reader, [])]
    yield 1, dict.fromkeys(header, "")
    for n, values in enumerate(reader, start=2):
        if not any(v.strip() for v in values):
            continue
        yield n, {h: (values[i].strip() if i < len(values) else "") for i, h in enumerate(header)}


@dataclass
class _Table:
    name: str
    path: Path
    rows: list[tuple[int, dict[str, object]]]


def read_table(name: str, path: Path, year: Year, problems: list[Problem]) -> _Table:
    """Parse and check one 903 file against :data:`SPECS`."""
    spec = SPECS[name]
    rows: list[tuple[int, dict[str, object]]] = []
    it = _rows(path)
    _, header = next(it)
    missing = [c for c, col in spec.items() if col.required and c not in header]
    for column in missing:
        problems.append(Problem(path.name, "row 1", column, "", f"a {column} column in the header row",
                                "IMP-903-002"))
    if missing:
        return _Table(name, path, rows)
    for n, raw in it:
        parsed: dict[str, object] = {}
        for column, col in spec.items():
            value = raw.get(column, "")
            parsed[column] = _value(path.name, n, column, value, col, year, problems)
        rows.append((n, parsed))
    return _Table(name, path, rows)


def _value(file: str, n: int, column: str, value: str, col: Col, year: Year,
           problems: list[Problem]) -> object:
    where = f"row {n}"
    if not value:
        if col.required:
            problems.append(Problem(file, where, column, "", "a value (required)", "IMP-903-003"))
        return None
    if col.kind == "date":
        day = parse_dfe(value)
        if day is None:
            problems.append(Problem(file, where, column, value, "a date as dd/mm/yyyy", "IMP-903-004"))
        return day
    if col.kind == "code":
        bad = col.codes.check(value, year)
        if bad:
            kind, expected = bad
            problems.append(Problem(file, where, column, value, expected,
                                    "IMP-903-005" if kind == "unknown" else "IMP-903-006"))
            return None
        return value
    if col.kind == "int":
        if not value.isdigit():
            problems.append(Problem(file, where, column, value, "a whole number >= 0", "IMP-903-009"))
            return None
        return int(value)
    return value


def import_ssda903(folder: Path | str, year: str | Year, out_dir: Path | str = RAW_DIR,
                   replace: bool = False, postcodes: Path | str | None = None,
                   pseudonymiser: Pseudonymiser | None = None) -> ImportReport:
    """Import a folder of SSDA903 CSV files into ``out_dir/<year>/``; raise
    :class:`ImportFailed` listing every problem (and write nothing) if any file is wrong."""
    folder, year = Path(folder), Year.parse(str(year))
    problems: list[Problem] = []
    files = find_files(folder, problems)
    lookup = read_postcodes(Path(postcodes)) if postcodes else None
    tables = {name: read_table(name, path, year, problems) for name, path in files.items()}
    header = tables.get("header")
    dobs: dict[str, date | None] = {}
    if header:
        for n, row in header.rows:
            if row["CHILD"] in dobs:
                problems.append(Problem(header.path.name, f"row {n}", "CHILD", row["CHILD"],
                                        "each child once in the header table", "IMP-903-007"))
            dobs.setdefault(row["CHILD"], row["DOB"])
    for name, table in tables.items():
        if name == "header" or not header:
            continue
        seen: set[str] = set()
        for n, row in table.rows:
            child = row["CHILD"]
            if child is None:
                continue
            if child not in dobs:
                problems.append(Problem(table.path.name, f"row {n}", "CHILD", child,
                                        "a child listed in the header table", "IMP-903-008"))
            elif row.get("DOB") and dobs[child] and row["DOB"] != dobs[child]:
                problems.append(Problem(table.path.name, f"row {n}", "DOB", row["DOB"].strftime("%d/%m/%Y"),
                                        "the date of birth in the header table", "IMP-903-010"))
            if name in ONE_ROW_PER_CHILD:
                if child in seen:
                    problems.append(Problem(table.path.name, f"row {n}", "CHILD", child,
                                            f"each child once in the {name} table", "IMP-903-007"))
                seen.add(child)
    pseud = pseudonymiser or Pseudonymiser.from_key_file()
    ids: dict[str, str] = {}
    taken: dict[str, str] = {}
    for child in dobs:
        if child is None:
            continue
        pid = pseud.child_id(child)
        if taken.setdefault(pid, child.upper()) != child.upper():
            problems.append(Problem(header.path.name, "header table", "CHILD", child,
                                    "a child id whose pseudonym is not already taken", "IMP-GEN-002"))
        ids[child] = pid
    if problems:
        raise ImportFailed(problems)

    written = ["children.csv", "cla_episodes.csv"] + [t for t, src in SOURCE_OF.items() if src in tables]
    out = Output(Path(out_dir), year, written, replace)
    try:
        counts = _write(out, tables, ids, year, lookup)
    except BaseException:
        out.discard()
        raise
    report = ImportReport(source=f"SSDA903 files in {folder}", year=year.label)
    try:
        out.commit(report, f"Imported from the SSDA903 files in {folder.name}", date.today().isoformat())
    except ImportFailed:
        out.discard()
        raise
    _describe(report, counts, tables, lookup is not None)
    return report


def _write(out: Output, tables: dict[str, _Table], ids: dict[str, str], year: Year,
           lookup: dict[str, tuple[float, float]] | None) -> Counter:
    counts: Counter = Counter()
    seen: set[str] = set()
    out.open("children.csv", TABLES["children.csv"])
    for _, row in tables["header"].rows:
        out.write("children.csv", (ids[row["CHILD"]], birth_month(row["DOB"]), row["SEX"], row["ETHNIC"]))
    uasc = {row["CHILD"] for _, row in tables["uasc"].rows} if "uasc" in tables else set()
    out.open("cla_episodes.csv", TABLES["cla_episodes.csv"])
    for _, row in tables["episodes"].rows:
        if not open_in_year(row["DECOM"], row["DEC"], year):
            counts["episode not open in the year"] += 1
            continue
        child = ids[row["CHILD"]]
        distance = None
        if lookup is not None:
            home = lookup.get(normalise_postcode(row["HOME_POST"] or ""))
            placed = lookup.get(normalise_postcode(row["PL_POST"] or ""))
            if home and placed:
                distance = round(miles_between(home, placed), 1)
            else:
                counts["episode without both postcodes in the lookup"] += 1
        out.write("cla_episodes.csv", (record_id("EP", child, row["DECOM"], seen), child, row["DECOM"],
                                       row["DEC"], row["RNE"], row["LS"], row["PLACE"], distance,
                                       "Y" if row["CHILD"] in uasc else "N", row["REC"]))
    if "reviews" in tables:
        out.open("cla_reviews.csv", TABLES["cla_reviews.csv"])
        for _, row in tables["reviews"].rows:
            if not in_year(row["REVIEW"], year):
                counts["review outside the year"] += 1
                continue
            child = ids[row["CHILD"]]
            out.write("cla_reviews.csv", (record_id("RV", child, row["REVIEW"], seen), child, row["REVIEW"],
                                          row["REVIEW_CODE"]))
    if "oc2" in tables:
        out.open("cla_health.csv", TABLES["cla_health.csv"])
        for _, row in tables["oc2"].rows:
            out.write("cla_health.csv", (ids[row["CHILD"]], None, None, None))
    if "oc3" in tables:
        out.open("care_leavers.csv", TABLES["care_leavers.csv"])
        for _, row in tables["oc3"].rows:
            activity = cl.ACTIVITY_TO_PACK.get(row["ACTIV"], row["ACTIV"])
            if activity != row["ACTIV"]:
                counts["activity mapped"] += 1
            accom = row["ACCOM"]
            letter, suitable = accom[0], {"1": "Y", "2": "N"}.get(accom[1:])  # B1 -> B, suitable
            if suitable is None:
                counts["accommodation not known"] += 1
            out.write("care_leavers.csv", (ids[row["CHILD"]], None, row["IN_TOUCH"], activity, letter,
                                           suitable))
    if "missing" in tables:
        out.open("missing_episodes.csv", TABLES["missing_episodes.csv"])
        for _, row in tables["missing"].rows:
            if not in_year(row["MIS_START"], year):
                counts["missing episode starting outside the year"] += 1
                continue
            child = ids[row["CHILD"]]
            out.write("missing_episodes.csv", (record_id("MS", child, row["MIS_START"], seen), child,
                                               row["MIS_START"], None, "Y", None))
    return counts


def _describe(report: ImportReport, counts: Counter, tables: dict[str, _Table], distance: bool) -> None:
    if distance:
        if counts["episode without both postcodes in the lookup"]:
            report.unavailable.append(
                f"cla_episodes.placement_distance_miles: left empty for "
                f"{counts['episode without both postcodes in the lookup']} episode(s) whose HOME_POST or "
                "PL_POST is blank or not in the postcode lookup.")
    else:
        report.unavailable.append(
            "cla_episodes.placement_distance_miles: the distance measure is not available - no postcode "
            "lookup was given (--postcodes FILE with postcode,lat,lon); the column is left empty.")
    for table in EXPECTED_FILES:
        if table not in tables:
            target = next((t for t, s in SOURCE_OF.items() if s == table), None)
            what = f"{target} not written" if target else "every episode has uasc = N"
            report.unavailable.append(f"no {table} file in the folder: {what}.")
    if "oc2" in tables:
        report.unavailable.append(
            "cla_health.health_assessment_date, dental_check_date, development_check_date: left empty - "
            "OC2 records yes/no flags (HEALTH_ASSESSMENT, TEETH_CHECK, HEALTH_CHECK), not dates, so "
            "health-check measures cannot be computed from this table.")
    if "oc3" in tables:
        report.unavailable.append("care_leavers.pa_allocated (required): left empty - OC3 has no "
                                  "personal adviser field.")
        if counts["accommodation not known"]:
            report.unavailable.append(
                f"care_leavers.accommodation_suitable (required): left empty for "
                f"{counts['accommodation not known']} young people whose ACCOM is 0 (not known).")
        report.notes.append("care_leavers holds the OC3 cohort (care leavers with a 17th to 21st birthday "
                            "in the year), not every care leaver aged 18 to 25 open at 31 March.")
    if "missing" in tables:
        report.unavailable += [
            "missing_episodes.duration_hours (required): left empty - the 903 records dates only, no times.",
            "missing_episodes.rhc (required): left empty - the 903 has no return home conversations.",
            "missing_episodes.looked_after: always Y - the 903 covers looked-after children only; "
            "missing episodes of other children are not in it.",
        ]
    report.unavailable.append("cla_visits.csv: not written - the 903 has no statutory visits.")
    if counts["activity mapped"]:
        report.notes.append(f"{counts['activity mapped']} OC3 ACTIV code(s) F3/P3 written as F4/P4 "
                            "(the codes that replaced them; the pack's list has no F3/P3).")
    for key in ("episode not open in the year", "review outside the year",
                "missing episode starting outside the year"):
        if counts[key]:
            report.left_out.append(f"{counts[key]} {key}")
    report.not_carried += [
        "UPN, HOME_POST, PL_POST (privacy: postcodes are used only for the distance), MC_DOB and the "
        "day of DOB (only the month is kept)",
        "episodes CIN, PLACE_PROVIDER, REASON_PLACE_CHANGE, URN; UASC DUC; missing MISSING and MIS_END; "
        "OC2 SDQ and flag fields (no column in the pack)",
    ]
    extra = [t for t in ("ad1", "placed_adoption", "prev_perm", "social_worker") if t in tables]
    if extra:
        report.not_carried.append(f"{', '.join(extra)}: read and checked; the pack has no table for them")
