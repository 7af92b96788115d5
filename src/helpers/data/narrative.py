"""The partnership's own words, kept as data: ``data/raw/<year>/narrative/NN.md``.

Forewords, scrutiny findings, impact statements, young people's quotes and priorities are
written by people, not computed, but they change every year like the data. Keeping them
beside the data (one markdown file per chapter, one ``## block`` per text block) lets the
chapter notebooks place them without anyone editing a notebook, and lets a build show
clearly when the words are the demo's placeholders.

File format::

    ---
    chapter: 6
    demo: true
    ---
    ## impact
    Free markdown for the block ...

    ## voice_of_the_child
    > A young person's words ...
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pyarrow as pa

from helpers.data import identifiers, rules
from helpers.data.rules import rule
from helpers.data.validation import Problem, RawDataError, decode, is_os_litter

FOLDER = "narrative"
COLUMNS = ["chapter", "block", "markdown", "demo"]
_FILE = re.compile(r"^(\d{2})\.md$")
_BLOCK = re.compile(r"^##\s+(.+?)\s*$")
_BLOCK_ID = re.compile(r"^[a-z][a-z0-9_]*$")

_NAR = ("narrative/NN.md",)
FILE_NAME = rule("NAR-001", "a narrative file is named NN.md after its chapter", _NAR)
CHAPTER_MATCHES = rule("NAR-002", "the front matter's chapter is the number in the file name", _NAR)
FRONT_MATTER_LINE = rule("NAR-003", "front matter lines read key: value", _NAR)
FRONT_MATTER_CLOSED = rule("NAR-004", "front matter ends with a closing '---'", _NAR)
BLOCK_NAME = rule("NAR-005", "a block name is lower case with underscores", _NAR)
BLOCK_ONCE = rule("NAR-006", "each block appears once in a file", _NAR)
BLOCK_TEXT = rule("NAR-007", "every block has some text", _NAR)
STARTS_WITH_BLOCK = rule("NAR-008", "text starts with a '## block_name' heading", _NAR)
DEMO_MARK = "Demo text, written for the synthetic data"


@dataclass(frozen=True)
class Block:
    chapter: int
    block: str
    markdown: str
    demo: bool


def parse(path: Path, known: pa.Array = identifiers.NO_IDS) -> tuple[list[Block], list[Problem]]:
    """Blocks of one narrative file, and every problem found (with line numbers).

    The file is decoded like a CSV (UTF-8, UTF-8 with BOM or cp1252; a mix or UTF-16 is
    refused). Any line holding a record id, or one of the ``known`` child ids, is refused.
    """
    label = f"{FOLDER}/{path.name}"
    match = _FILE.match(path.name)
    if not match:
        return [], [Problem(label, "a file named NN.md (the two-digit chapter number)",
                            rule=FILE_NAME)]
    try:
        lines = decode(path.read_bytes(), label).splitlines()
    except RawDataError as exc:
        return [], exc.problems
    problems: list[Problem] = []
    meta, body_start = _front_matter(lines, label, problems)
    chapter = int(match[1])
    if meta.get("chapter") not in (None, str(chapter)):
        problems.append(Problem(label, f"chapter: {chapter} (the number in the file name)",
                                row=2, column="chapter", value=meta.get("chapter"),
                                rule=CHAPTER_MATCHES))
    demo = meta.get("demo", "false").lower() == "true"
    blocks: list[Block] = []
    current: str | None = None
    text: list[str] = []
    seen: set[str] = set()
    ids = identifiers.find_ids(lines, known)

    def close(line_no: int) -> None:
        if current is None:
            return
        body = "\n".join(text).strip()
        if not body:
            problems.append(Problem(label, f"some text under '## {current}'", row=line_no,
                                    rule=BLOCK_TEXT))
        blocks.append(Block(chapter, current, body, demo))

    for number, line in enumerate(lines[body_start:], start=body_start + 1):
        heading = _BLOCK.match(line)
        if heading:
            close(number)
            current, text = heading[1], []
            if not _BLOCK_ID.match(current):
                problems.append(Problem(label, "a block name in lower case with underscores "
                                        "(e.g. voice_of_the_child)", row=number, value=current,
                                        rule=BLOCK_NAME))
            if current in seen:
                problems.append(Problem(label, "each block once", row=number, value=current,
                                        rule=BLOCK_ONCE))
            seen.add(current)
            continue
        if current is None and line.strip():
            problems.append(Problem(label, "text to start with a '## block_name' heading",
                                    row=number, value=line.strip()[:40], rule=STARTS_WITH_BLOCK))
        found = ids[number - 1]
        if found:
            shaped = identifiers.RECORD_ID.search(found) is not None
            problems.append(Problem(label, "no case-record identifiers in published text",
                                    row=number, value=found,
                                    rule=rules.SAFE_RECORD_ID if shaped else rules.SAFE_CHILD_ID))
        text.append(line)
    close(len(lines))
    return blocks, problems


def _front_matter(lines: list[str], label: str, problems: list[Problem]) -> tuple[dict[str, str], int]:
    if not lines or lines[0].strip() != "---":
        return {}, 0
    meta: dict[str, str] = {}
    for number, line in enumerate(lines[1:], start=2):
        if line.strip() == "---":
            return meta, number
        key, sep, value = line.partition(":")
        if not sep:
            problems.append(Problem(label, "front matter lines of the form key: value",
                                    row=number, value=line, rule=FRONT_MATTER_LINE))
            continue
        meta[key.strip()] = value.strip()
    problems.append(Problem(label, "a closing '---' after the front matter", row=1,
                            rule=FRONT_MATTER_CLOSED))
    return meta, len(lines)


def read_year(year_dir: Path, known: pa.Array = identifiers.NO_IDS) -> pd.DataFrame:
    """Every narrative block of a year as a table; an absent folder gives an empty table.

    OS litter (Thumbs.db, .DS_Store, desktop.ini, ``~$`` lock files) is skipped, not
    refused: nobody wrote it (``processing.litter_notes`` reports it).
    """
    folder = Path(year_dir) / FOLDER
    blocks: list[Block] = []
    problems: list[Problem] = []
    for path in sorted(folder.glob("*")) if folder.is_dir() else []:
        if path.is_file() and is_os_litter(path):
            continue
        if path.is_file():
            found, trouble = parse(path, known)
            blocks.extend(found)
            problems.extend(trouble)
    if problems:
        raise RawDataError(problems)
    return pd.DataFrame([b.__dict__ for b in blocks], columns=COLUMNS)


def block(narrative: pd.DataFrame, chapter: int, name: str) -> str:
    """A block's markdown, marked as demo text where it is; '' if the partnership has none."""
    rows = narrative[(narrative["chapter"] == chapter) & (narrative["block"] == name)]
    if rows.empty:
        return ""
    text = str(rows["markdown"].iloc[0])
    if bool(rows["demo"].iloc[0]):
        text = f"*{DEMO_MARK}.*\n\n{text}"
    return text
