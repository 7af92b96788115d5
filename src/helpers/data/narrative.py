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

from helpers.data.validation import Problem, RawDataError

FOLDER = "narrative"
COLUMNS = ["chapter", "block", "markdown", "demo"]
_FILE = re.compile(r"^(\d{2})\.md$")
_BLOCK = re.compile(r"^##\s+(.+?)\s*$")
_BLOCK_ID = re.compile(r"^[a-z][a-z0-9_]*$")
# Identifiers from case records must never reach a report, not even through free text.
_RECORD_ID = re.compile(r"\b(?:CH|CT|RF|AS)-\d{3,}\b")
DEMO_MARK = "Demo text, written for the synthetic data"


@dataclass(frozen=True)
class Block:
    chapter: int
    block: str
    markdown: str
    demo: bool


def parse(path: Path) -> tuple[list[Block], list[Problem]]:
    """Blocks of one narrative file, and every problem found (with line numbers)."""
    label = f"{FOLDER}/{path.name}"
    match = _FILE.match(path.name)
    if not match:
        return [], [Problem(label, "a file named NN.md (the two-digit chapter number)")]
    lines = path.read_text(encoding="utf-8-sig").splitlines()
    problems: list[Problem] = []
    meta, body_start = _front_matter(lines, label, problems)
    chapter = int(match[1])
    if meta.get("chapter") not in (None, str(chapter)):
        problems.append(Problem(label, f"chapter: {chapter} (the number in the file name)",
                                row=2, column="chapter", value=meta.get("chapter")))
    demo = meta.get("demo", "false").lower() == "true"
    blocks: list[Block] = []
    current: str | None = None
    text: list[str] = []
    seen: set[str] = set()

    def close(line_no: int) -> None:
        if current is None:
            return
        body = "\n".join(text).strip()
        if not body:
            problems.append(Problem(label, f"some text under '## {current}'", row=line_no))
        blocks.append(Block(chapter, current, body, demo))

    for number, line in enumerate(lines[body_start:], start=body_start + 1):
        heading = _BLOCK.match(line)
        if heading:
            close(number)
            current, text = heading[1], []
            if not _BLOCK_ID.match(current):
                problems.append(Problem(label, "a block name in lower case with underscores "
                                        "(e.g. voice_of_the_child)", row=number, value=current))
            if current in seen:
                problems.append(Problem(label, "each block once", row=number, value=current))
            seen.add(current)
            continue
        if current is None and line.strip():
            problems.append(Problem(label, "text to start with a '## block_name' heading",
                                    row=number, value=line.strip()[:40]))
        found = _RECORD_ID.search(line)
        if found:
            problems.append(Problem(label, "no case-record identifiers in published text",
                                    row=number, value=found[0]))
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
                                    row=number, value=line))
            continue
        meta[key.strip()] = value.strip()
    problems.append(Problem(label, "a closing '---' after the front matter", row=1))
    return meta, len(lines)


def read_year(year_dir: Path) -> pd.DataFrame:
    """Every narrative block of a year as a table; an absent folder gives an empty table."""
    folder = Path(year_dir) / FOLDER
    blocks: list[Block] = []
    problems: list[Problem] = []
    for path in sorted(folder.glob("*")) if folder.is_dir() else []:
        if path.is_file():
            found, trouble = parse(path)
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
