"""What both importers share: problems and rule codes, code lists with years, the keyed
pseudonym, date handling, the import report and the all-or-nothing writer."""

from __future__ import annotations

import csv
import hashlib
import hmac
import json
import math
import os
import re
import secrets
import shutil
import tempfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from helpers.config import REPO_ROOT, Year
from helpers.data.code_lists import ValidYears

# --- rules -------------------------------------------------------------------------------------

RULES: dict[str, str] = {
    "IMP-GEN-001": "a table the import would write already exists in the year folder (use --replace)",
    "IMP-GEN-002": "two different child ids in the return give the same pseudonym",
    "IMP-GEN-003": "a child already in children.csv has other details in this return (use --replace)",
    "IMP-GEN-004": "the pseudonym key file cannot be used",
    "IMP-GEN-005": "the postcode lookup file is unreadable or malformed",
    "IMP-CIN-001": "the file is not well-formed XML or not a CIN census message",
    "IMP-CIN-002": "a required element is missing or empty",
    "IMP-CIN-003": "a date is not a valid YYYY-MM-DD date",
    "IMP-CIN-004": "a code is not in the specification's code list",
    "IMP-CIN-005": "a code is not valid in the collection year",
    "IMP-CIN-006": "a flag is not true/false (or 1/0)",
    "IMP-CIN-007": "the same child (LAchildID) appears more than once",
    "IMP-CIN-008": "the header's collection year or reference date does not match --year",
    "IMP-CIN-009": "a count is not a whole number",
    "IMP-903-001": "a required file (header, episodes) is missing, or two files match one table",
    "IMP-903-002": "a column the import needs is missing from a file's header row",
    "IMP-903-003": "a required value is blank",
    "IMP-903-004": "a date is not a valid dd/mm/yyyy date",
    "IMP-903-005": "a code is not in the specification's code list",
    "IMP-903-006": "a code is not valid in the collection year",
    "IMP-903-007": "the same child appears more than once in a one-row-per-child table",
    "IMP-903-008": "a child is not in the header table",
    "IMP-903-009": "a number is not valid",
    "IMP-903-010": "a date of birth differs from the header table's",
}


@dataclass(frozen=True)
class Problem:
    """One bad value: where it is, what it is and what the specification expects."""

    file: str
    position: str
    field: str
    value: str
    expected: str
    rule: str

    def __str__(self) -> str:
        return (f"{self.file}: {self.position}: {self.field} = {self.value!r}: "
                f"expected {self.expected} [{self.rule}: {RULES[self.rule]}]")


class ImportFailed(Exception):
    """Every problem found in a return; nothing was written."""

    def __init__(self, problems: list[Problem]):
        self.problems = list(problems)
        lines = [f"{len(self.problems)} problem(s); nothing was written:"]
        lines += [f"  {p}" for p in self.problems]
        super().__init__("\n".join(lines))


# --- code lists with years ---------------------------------------------------------------------


@dataclass(frozen=True)
class CodeList:
    """The codes one field of a return may hold, each with the collection years it is valid
    in (the pack's :class:`~helpers.data.code_lists.ValidYears`)."""

    name: str
    codes: Mapping[str, ValidYears]

    def check(self, code: str, year: Year) -> tuple[str, str] | None:
        """None when ``code`` is valid in ``year``; otherwise (kind, expected) where kind is
        'unknown' or 'years'."""
        if code not in self.codes:
            return "unknown", f"one of {self.name}: {', '.join(self.codes)}"
        span = self.codes[code]
        if not span.covers(year.label):
            return "years", f"a {self.name} code valid in {year.label} ({code} is valid {span.describe()})"
        return None


def codes(name: str, values: Iterable[str], years: Mapping[str, ValidYears] | None = None) -> CodeList:
    """A code list whose codes are valid in every year except those given in ``years``."""
    years = years or {}
    return CodeList(name, {v: years.get(v, ValidYears()) for v in values})


# --- dates -------------------------------------------------------------------------------------

ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
DFE_DATE = re.compile(r"^\d{2}/\d{2}/\d{4}$")


def parse_iso(text: str) -> date | None:
    if not ISO_DATE.match(text):
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


def parse_dfe(text: str) -> date | None:
    if not DFE_DATE.match(text):
        return None
    day, month, year = text.split("/")
    try:
        return date(int(year), int(month), int(day))
    except ValueError:
        return None


def year_bounds(year: Year) -> tuple[date, date]:
    return date.fromisoformat(year.first_day), date.fromisoformat(year.last_day)


def open_in_year(start: date | None, end: date | None, year: Year) -> bool:
    first, last = year_bounds(year)
    return start is not None and start <= last and (end is None or end >= first)


def in_year(day: date | None, year: Year) -> bool:
    first, last = year_bounds(year)
    return day is not None and first <= day <= last


def birth_month(day: date) -> str:
    """The pack holds month of birth only (children.csv birth_month, YYYY-MM)."""
    return f"{day.year:04d}-{day.month:02d}"


def compact(day: date) -> str:
    return day.strftime("%Y%m%d")


# --- pseudonyms --------------------------------------------------------------------------------

KEY_ENV = "LSCP_PSEUDONYM_KEY_FILE"
DEFAULT_KEY_FILE = Path("~/.config/lscp-report-pack/pseudonym.key")
CHILD_ID_DIGITS = 16


def key_file() -> Path:
    return Path(os.environ.get(KEY_ENV) or DEFAULT_KEY_FILE).expanduser()


class Pseudonymiser:
    """Replaces a local authority child id by ``CH-`` and 16 digits taken from
    HMAC-SHA256(key, id). The key lives outside the repository; the same key gives the same
    child the same pseudonym in every return and every year."""

    def __init__(self, key: bytes):
        if len(key) < 16:
            raise ImportFailed([Problem(str(key_file()), "key file", "key", f"{len(key)} bytes",
                                        "at least 16 bytes of key", "IMP-GEN-004")])
        self._key = key

    @classmethod
    def from_key_file(cls, path: Path | None = None) -> Pseudonymiser:
        path = (path or key_file()).expanduser().resolve()
        if path.is_relative_to(REPO_ROOT.resolve()):
            raise ImportFailed([Problem(str(path), "key file", KEY_ENV, str(path),
                                        "a key file outside the repository (it must never be committed)",
                                        "IMP-GEN-004")])
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            try:
                fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            except FileExistsError:  # created by a concurrent import
                return cls(path.read_bytes())
            with os.fdopen(fd, "wb") as fh:
                fh.write(secrets.token_bytes(32))
        return cls(path.read_bytes())

    def child_id(self, original: str) -> str:
        message = b"lscp-child-id:v1:" + original.strip().upper().encode("utf-8")
        digest = hmac.new(self._key, message, hashlib.sha256).digest()
        number = int.from_bytes(digest[:8], "big") % 10**CHILD_ID_DIGITS
        return f"CH-{number:0{CHILD_ID_DIGITS}d}"


def record_id(prefix: str, child_id: str, day: date, seen: set[str]) -> str:
    """A stable record id from the child's pseudonym and the record's date, e.g.
    RF-<16 digits>-20240401; a second record of the same child on the same date gets '-2'."""
    base = f"{prefix}-{child_id.removeprefix('CH-')}-{compact(day)}"
    candidate, n = base, 1
    while candidate in seen:
        n += 1
        candidate = f"{base}-{n}"
    seen.add(candidate)
    return candidate


# --- postcodes ---------------------------------------------------------------------------------


def normalise_postcode(text: str) -> str:
    return re.sub(r"\s+", "", text or "").upper()


def read_postcodes(path: Path) -> dict[str, tuple[float, float]]:
    """A user-supplied lookup CSV with columns postcode, lat, lon."""
    problems: list[Problem] = []
    lookup: dict[str, tuple[float, float]] = {}
    try:
        with path.open(newline="", encoding="utf-8-sig") as fh:
            reader = csv.DictReader(fh)
            missing = {"postcode", "lat", "lon"} - set(reader.fieldnames or [])
            if missing:
                raise ImportFailed([Problem(path.name, "row 1", ", ".join(sorted(missing)), "",
                                            "a header row with postcode, lat, lon", "IMP-GEN-005")])
            for row_no, row in enumerate(reader, start=2):
                try:
                    lat, lon = float(row["lat"]), float(row["lon"])
                except (TypeError, ValueError):
                    problems.append(Problem(path.name, f"row {row_no}", "lat/lon",
                                            f"{row['lat']},{row['lon']}", "decimal degrees",
                                            "IMP-GEN-005"))
                    continue
                lookup[normalise_postcode(row["postcode"])] = (lat, lon)
    except OSError as err:
        raise ImportFailed([Problem(str(path), "file", "postcodes", "", f"a readable file ({err})",
                                    "IMP-GEN-005")]) from err
    if problems:
        raise ImportFailed(problems)
    return lookup


def miles_between(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Straight-line (great-circle) distance in miles."""
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 3958.8 * 2 * math.asin(math.sqrt(h))


# --- import report -----------------------------------------------------------------------------


@dataclass
class ImportReport:
    """What an import wrote and what the return could not supply."""

    source: str
    year: str
    target: str = ""
    written: dict[str, int] = field(default_factory=dict)
    unavailable: list[str] = field(default_factory=list)
    left_out: list[str] = field(default_factory=list)
    not_carried: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def text(self) -> str:
        lines = [f"Import report: {self.source} -> {self.target} ({self.year})", "Tables written:"]
        lines += [f"  {name}: {rows} row(s)" for name, rows in self.written.items()]
        for title, items in (("Not available from this return", self.unavailable),
                             ("Left out of the year's tables", self.left_out),
                             ("Read but not carried into the pack", self.not_carried),
                             ("Notes", self.notes)):
            if items:
                lines.append(f"{title}:")
                lines += [f"  - {item}" for item in items]
        return "\n".join(lines)


# --- writing -----------------------------------------------------------------------------------


def fmt(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


class Output:
    """Tables written to a temporary folder beside the year folder, moved into place only when
    the whole import succeeded. Nothing existing is overwritten without ``replace``; an existing
    children.csv is merged (its rows kept, new children added)."""

    CHILDREN = "children.csv"
    CHILD_COLUMNS = ("child_id", "birth_month", "sex", "ethnicity")

    def __init__(self, out_dir: Path, year: Year, tables: Iterable[str], replace: bool):
        self.target = Path(out_dir) / year.label
        self.year = year
        self.tables = list(tables)
        self.replace = replace
        self._files: dict[str, tuple[object, csv.writer]] = {}
        self.rows: dict[str, int] = {}
        self.target.parent.mkdir(parents=True, exist_ok=True)
        self.check_existing()
        self.tmp = Path(tempfile.mkdtemp(prefix=f".import-{year.label}-", dir=self.target.parent))

    def check_existing(self) -> None:
        if self.replace:
            return
        clash = [t for t in self.tables if t != self.CHILDREN and (self.target / t).exists()]
        if clash:
            raise ImportFailed([Problem(str(self.target), "year folder", t, "exists",
                                        "no existing table (add --replace to replace it)", "IMP-GEN-001")
                                for t in clash])

    def open(self, name: str, columns: Iterable[str]) -> None:
        fh = (self.tmp / name).open("w", newline="", encoding="utf-8")
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(list(columns))
        self._files[name] = (fh, writer)
        self.rows[name] = 0

    def write(self, name: str, row: Iterable[object]) -> None:
        self._files[name][1].writerow([fmt(v) for v in row])
        self.rows[name] += 1

    def close(self) -> None:
        for fh, _ in self._files.values():
            fh.close()
        self._files.clear()

    def discard(self) -> None:
        self.close()
        shutil.rmtree(self.tmp, ignore_errors=True)

    def _merge_children(self, report: ImportReport) -> list[Problem]:
        existing_path = self.target / self.CHILDREN
        new_path = self.tmp / self.CHILDREN
        if not existing_path.exists() or not new_path.exists():
            return []
        with existing_path.open(newline="", encoding="utf-8-sig") as fh:
            existing = {row["child_id"]: row for row in csv.DictReader(fh)}
        with new_path.open(newline="", encoding="utf-8") as fh:
            new = list(csv.DictReader(fh))
        problems, added = [], 0
        for row in new:
            old = existing.get(row["child_id"])
            if old is None:
                added += 1
            elif any(old.get(c) != row[c] for c in self.CHILD_COLUMNS[1:]) and not self.replace:
                changed = [c for c in self.CHILD_COLUMNS[1:] if old.get(c) != row[c]]
                held = ", ".join(old.get(c, "") for c in changed)
                problems.append(Problem(str(existing_path), f"child {row['child_id']}", ", ".join(changed),
                                        ", ".join(row[c] for c in changed),
                                        f"the values already held ({held}) or --replace", "IMP-GEN-003"))
                continue
            existing[row["child_id"]] = {c: row[c] for c in self.CHILD_COLUMNS}
        with new_path.open("w", newline="", encoding="utf-8") as fh:
            writer = csv.writer(fh, lineterminator="\n")
            writer.writerow(self.CHILD_COLUMNS)
            for row in existing.values():
                writer.writerow([row.get(c, "") for c in self.CHILD_COLUMNS])
        self.rows[self.CHILDREN] = len(existing)
        report.notes.append(f"children.csv already existed: merged, {added} child(ren) added to the "
                            f"{len(existing) - added} already there")
        return problems

    def commit(self, report: ImportReport, dataset_source: str, extract_date: str) -> None:
        """Move every table into the year folder, or raise and leave the folder untouched."""
        self.close()
        try:
            self.check_existing()
            problems = self._merge_children(report)
            if problems:
                raise ImportFailed(problems)
            self.target.mkdir(parents=True, exist_ok=True)
            for name in self._written_names():
                os.replace(self.tmp / name, self.target / name)
            dataset = self.target / "dataset.json"
            if not dataset.exists():
                dataset.write_text(json.dumps({"extract_date": extract_date, "source": dataset_source,
                                               "synthetic": False}, indent=2) + "\n", encoding="utf-8")
                report.notes.append("dataset.json written (the year folder had none)")
        finally:
            shutil.rmtree(self.tmp, ignore_errors=True)
        report.target = str(self.target)
        report.written = {name: self.rows[name] for name in self._written_names(moved=True)}

    def _written_names(self, moved: bool = False) -> list[str]:
        return [name for name in self.rows if moved or (self.tmp / name).exists()]
