"""The last check before publishing: no record identifier in any output file.

Validation keeps ids out of the text fields the report prints
(:mod:`helpers.data.identifiers`), but a chapter can still leak one by itself: a debugging
``print(df.head())`` left in a notebook, a table built from the wrong frame, a label taken
from an id column. Its executed notebook, its page and its figure register would then carry
a child's (pseudonymous) id to every reader. So every file a build is about to publish is
read back, in staging, and searched for

* anything shaped like a record id (``CH-000003``, ``rf_2024_00001``..., the guard's
  pattern), and
* every id the year's record tables actually hold (any ``*_id`` column of
  ``data/processed/<year>/*.parquet``: children, contacts, referrals, assessments...),
  compared without case or separators, so an id retyped in another style is caught too.

A chapter with a finding is failed and nothing of it is published: its previous page,
notebook and register stay, and its executed notebook is deleted rather than kept under
``failed/`` (it holds the id). A finding in the year's shared files (``figures.csv``,
``calibration.csv``, the data dictionary) stops the whole year. Messages name the file,
the line and what kind of id was found, with the id itself masked (``CH-*****3``): the
build summary is read, pasted and e-mailed, and must not be a leak of its own.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from helpers.build.plan import ChapterResult, YearPlan

#: The year's shared files, checked after the chapters (a finding stops the year).
SHARED_FILES = ("figures.csv", "calibration.csv", "data-dictionary.html")
#: How many findings a message lists before "and N more".
SHOWN = 3
# Inline images are base64: never text a reader sees, and long enough to slow the search.
_DATA_URI = re.compile(r"data:[\w/+.-]+;base64,[A-Za-z0-9+/=]+")
_ID_COLUMN = re.compile(r"(?:^|_)id$")


@dataclass(frozen=True)
class Finding:
    """One id found in one output file, with the id masked for messages."""

    file: str
    line: int
    masked: str
    kind: str

    def describe(self) -> str:
        return f"{self.file} line {self.line}: {self.kind} {self.masked!r}"


class OutputLeak(ValueError):
    """A shared output file of the year holds a record id: nothing is published."""


def mask(identifier: str) -> str:
    """``CH-000003`` -> ``CH-*****3``: the kind of id stays readable, the id does not.

    The leading letters (the id's prefix) and the last character are kept, separators
    too; every other letter or digit becomes ``*``.
    """
    prefix = re.match(r"[A-Za-z]*", identifier)[0]
    if not prefix or len(prefix) >= len(identifier) - 1:
        prefix = identifier[:1]
    body = identifier[len(prefix):-1]
    return prefix + re.sub(r"[A-Za-z0-9]", "*", body) + identifier[-1:]


# --------------------------------------------------------------------------- known ids


def known_ids(year_dir: Path) -> dict[str, str]:
    """Normalised id -> ``table.column`` for every id column of the year's parquet tables.

    Only string columns named ``id`` or ``*_id``; ids shorter than five characters are left
    to the shape check (they could be ordinary words or numbers). A missing folder (a stub
    processing step in tests) gives no ids: the shape check still runs.
    """
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    from helpers.data import identifiers

    out: dict[str, str] = {}
    for path in sorted(Path(year_dir).glob("*.parquet")):
        schema = pq.read_schema(path)
        columns = [f.name for f in schema if _ID_COLUMN.search(f.name)
                   and str(f.type) in {"string", "large_string"}]
        if not columns:
            continue
        table = pq.read_table(path, columns=columns)
        for column in columns:
            values = table[column].combine_chunks().cast("large_string")
            normal = identifiers.known_ids(pc.drop_null(values).to_pandas())
            for value in normal.to_pylist():
                out.setdefault(value, f"{path.stem}.{column}")
    return out


def known_for(plan: YearPlan) -> dict[str, str]:
    """The ids of the year this plan builds (read from its jobs' processed folder)."""
    if not plan.jobs:
        return {}
    return known_ids(Path(plan.jobs[0].processed_dir) / plan.year)


# --------------------------------------------------------------------------- scanning


def _notebook_strings(node: Any) -> Iterator[str]:
    """Every string of a notebook's JSON (sources, outputs), images excepted.

    Read from the parsed JSON, not the file's text: there a printed line break is the two
    characters ``\\n``, whose ``n`` would hide an id that follows it from the pattern.
    """
    if isinstance(node, str):
        yield node
    elif isinstance(node, list):
        for item in node:
            yield from _notebook_strings(item)
    elif isinstance(node, dict):
        for key, value in node.items():
            if not (isinstance(key, str) and key.startswith("image/") and key != "image/svg+xml"):
                yield from _notebook_strings(value)


def file_lines(path: Path) -> list[str]:
    """The text of an output file as lines a reader could see, inline images removed."""
    text = path.read_text(encoding="utf-8-sig", errors="replace")
    if path.suffix == ".ipynb":
        text = "\n".join(_notebook_strings(json.loads(text)))
    elif path.suffix in {".html", ".htm"}:
        text = html.unescape(text)
    return _DATA_URI.sub("", text).splitlines()


class IdScan:
    """The id search of one build: the known ids as one Arrow array, and every line's
    result remembered.

    A build scans the same lines many times: each chapter's house CSS and page furniture,
    a chapter's page again inside its notebook, the one-file report and the subgroup
    bundles, which are chapter pages put together. Remembering a line's result (its text
    is the whole input of the search) makes each distinct line cost one search.
    """

    def __init__(self, known: Mapping[str, str]) -> None:
        import pyarrow as pa

        from helpers.data import identifiers

        self.known = known
        self._ids = identifiers.KnownIds.of(
            pa.array(sorted(known), pa.large_string()) if known else identifiers.NO_IDS)
        self._seen: dict[str, str] = {}

    def first_ids(self, lines: Sequence[str]) -> list[str]:
        """For each line, the first id in it ('' if none), searching each new line once."""
        from helpers.data import identifiers

        new = list(dict.fromkeys(line for line in lines if line not in self._seen))
        if new:
            self._seen.update(zip(new, identifiers.find_ids(new, self._ids), strict=True))
        return [self._seen[line] for line in lines]

    def read_ahead(self, paths: Iterable[Path]) -> None:
        """Search the lines of ``paths`` now and remember the results, so that a later scan
        of a file made from them (the one-file report and the bundles are chapter pages
        put together) searches only its new lines."""
        for path in paths:
            if path.is_file():
                self.first_ids(file_lines(path))

    def scan(self, path: Path, name: str | None = None) -> list[Finding]:
        """Every line of ``path`` holding an id-shaped string or a known id (first per line)."""
        from helpers.data import identifiers

        findings = []
        for number, found in enumerate(self.first_ids(file_lines(path)), start=1):
            if not found:
                continue
            source = self.known.get(identifiers.normalise(found))
            kind = f"an id held in {source}" if source else "an id-shaped string"
            findings.append(Finding(name or path.name, number, mask(found), kind))
        return findings


def scan_file(path: Path, known: Mapping[str, str] | IdScan, name: str | None = None,
              ) -> list[Finding]:
    """Every line of ``path`` holding an id-shaped string or a known id (first one per line)."""
    scanner = known if isinstance(known, IdScan) else IdScan(known)
    return scanner.scan(path, name)


def summary(findings: Sequence[Finding]) -> str:
    """One line naming the first findings (masked) and how many more there are."""
    shown = "; ".join(f.describe() for f in findings[:SHOWN])
    rest = len(findings) - SHOWN
    return shown + (f"; and {rest} more" if rest > 0 else "")


def chapter_files(staging: Path, result: ChapterResult) -> list[Path]:
    """What publishing would move in for a built chapter: register, notebook and page."""
    chapter = result.chapter
    names = [Path("figures") / f"{chapter.code}.csv", Path(f"{chapter.name}.ipynb"),
             Path(f"{chapter.name}.html")]
    return [staging / name for name in names if (staging / name).is_file()]


def screen_chapters(plan: YearPlan, results: Sequence[ChapterResult],
                    known: Mapping[str, str] | IdScan) -> list[ChapterResult]:
    """Fail every built chapter whose staged outputs hold an id, and delete those outputs.

    Mutates the results in place (publishing keeps using the same objects) and returns
    them. A failed chapter's notebook is normally kept under ``failed/`` for diagnosis;
    this one is not, because that folder is inside the published report.
    """
    staging = plan.staging_dir
    if staging is None:
        return list(results)
    scanner = known if isinstance(known, IdScan) else IdScan(known)
    for result in results:
        if result.status != "built":
            continue
        files = chapter_files(staging, result)
        findings = [f for path in files
                    for f in scanner.scan(path, str(path.relative_to(staging)))]
        if not findings:
            continue
        for path in files:
            path.unlink()
        result.status = "failed"
        result.notebook = None
        result.error = (f"record identifier in the chapter's output, nothing of it published "
                        f"(executed notebook deleted): {summary(findings)}")
    return list(results)


def check_shared(staging: Path, known: Mapping[str, str] | IdScan,
                 extra: Sequence[str] = ()) -> None:
    """Raise :class:`OutputLeak` if a shared file staged for the year holds an id.

    ``extra`` names further staged files (the summary, the one-file report, the bundles);
    PDFs are printed from those HTML files, so the HTML is what is scanned.
    """
    names = [*SHARED_FILES, *(n for n in extra if not n.endswith(".pdf"))]
    scanner = known if isinstance(known, IdScan) else IdScan(known)
    findings = [f for name in names if (staging / name).is_file()
                for f in scanner.scan(staging / name)]
    if findings:
        raise OutputLeak(f"record identifier in the year's shared files: {summary(findings)}")
