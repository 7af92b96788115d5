"""The identifier guard: no case-record id may reach a report through free text.

Record-level tables identify children, contacts and referrals by pseudonymous ids
(``CH-000003``, ``CT-2024-00001``, ``RF-2024-00001``...). Those ids stay in id columns; a text
field (a partner's breakdown label, a job title, a narrative paragraph) that carries one would
publish it. People retype ids in every style, so the pattern is case-insensitive and accepts
any separator (``CH-000003``, ``ch_000003``, ``CH 000003``, ``CH000003``). Any id actually held
for a child of the year is also refused, whatever its format.
"""

from __future__ import annotations

import re

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

# The prefixes of the ids the schemas use (children, contacts, referrals, assessments, CIN,
# section 47, plans, looked-after episodes, reviews, visits, missing episodes, exploitation,
# LADO, training and professionals).
RECORD_ID_PREFIXES = ("CH", "CT", "RF", "AS", "CIN", "S47", "CPP", "EP", "RV", "VS", "MS", "EX",
                      "LC", "LR", "LW", "TE", "TA", "EV", "PR")
_PREFIX = "|".join(sorted(RECORD_ID_PREFIXES, key=len, reverse=True))
# A hyphen, underscore or nothing before 4+ digits; a space only before 5+ digits or before
# a year and a serial number (``CT 2024 00001``), so prose such as "as 2024-25" is not taken
# for an assessment id.
RECORD_ID = re.compile(
    rf"(?<![A-Za-z0-9])(?:{_PREFIX})(?:[-_]?\d{{4,}}|\s\d{{5,}}|\s\d{{4}}\s\d{{4,}})"
    r"(?:[-_]\d{2,})*(?![A-Za-z0-9])", re.IGNORECASE)
_TOKEN = re.compile(r"[A-Za-z0-9]+(?:[-_ ][A-Za-z0-9]+)*")
_SEPARATORS = re.compile(r"[-_ ]")


def normalise(identifier: str) -> str:
    """An id compared without case or separators: ``ch_000003`` -> ``CH000003``."""
    return _SEPARATORS.sub("", identifier).upper()


NO_IDS = pa.array([], pa.large_string())


def known_ids(values: pd.Series) -> pa.Array:
    """Normalised child ids (upper case, no separators) long enough to be told apart from
    ordinary words and numbers; built in Arrow, as a year may hold a million children."""
    normal = pa.array(values, from_pandas=True).cast(pa.large_string())
    for separator in ("-", "_", " "):
        normal = pc.replace_substring(normal, separator, "")
    normal = pc.utf8_upper(normal)
    return pc.unique(pc.filter(normal, pc.greater_equal(pc.utf8_length(normal), 5)))


def _candidates(text: str, starts: frozenset[str] | None = None) -> list[tuple[str, str]]:
    """(as written, normalised) for every run of one to three words in ``text``.

    ``starts`` (the first two characters of every known id) skips runs no known id can
    begin with: most words of a page (its styles, chart geometry, prose) start with none,
    and building their runs was most of a build's id search.
    """
    out = []
    for token in _TOKEN.finditer(text):
        words = _SEPARATORS.split(token[0])
        for start in range(len(words)):
            if starts is not None and "".join(words[start:start + 2])[:2].upper() not in starts:
                continue
            for end in range(start + 1, min(len(words), start + 3) + 1):
                joined = "".join(words[start:end]).upper()
                if len(joined) >= 5:
                    out.append((" ".join(words[start:end]), joined))
    return out


def _starts(known: pa.Array) -> frozenset[str]:
    """The first two characters of every known id (ids are at least five long)."""
    return frozenset(pc.unique(pc.utf8_slice_codeunits(known, 0, 2)).to_pylist())


def find_ids(texts: list[str], known: pa.Array = NO_IDS) -> list[str]:
    """For each text, the first thing shaped like a record id or holding a known child id
    ('' if none).

    Known ids are matched in one pass for all the texts: the few candidate words become the
    hash set and the (possibly million) known ids are scanned against it once.
    """
    found = []
    pending: list[tuple[int, list[tuple[str, str]]]] = []
    starts = _starts(known) if len(known) else frozenset()
    for number, text in enumerate(texts):
        shaped = RECORD_ID.search(text)
        found.append(shaped[0] if shaped else "")
        if not shaped and len(known) and text:
            candidates = _candidates(text, starts)
            if candidates:
                pending.append((number, candidates))
    if pending:
        words = pa.array(sorted({c[1] for _, cands in pending for c in cands}), pa.large_string())
        hits = set(pc.filter(known, pc.is_in(known, value_set=words)).to_pylist())
        for number, candidates in pending:
            found[number] = next((written for written, joined in candidates if joined in hits), "")
    return found


def find_id(text: str, known: pa.Array = NO_IDS) -> str | None:
    """The first record id or known child id in one text, or None."""
    return find_ids([text], known)[0] or None


def flag_ids(values: pd.Series, known: pa.Array = NO_IDS) -> pd.Series:
    """For each cell, the id it carries ('' if none)."""
    text = values.fillna("").astype(str)
    return pd.Series(find_ids(text.tolist(), known), index=values.index, dtype=object)


# --------------------------------------------------------------------------- personal detail
# Added for the review learning table (chapter 9): free text about a serious incident must
# not say who it was about. Names in general cannot be recognised by a rule, but the details
# that identify a child in such summaries mostly have a shape: a date, an age, an address,
# a title before a name, or a case pseudonym ("Baby J", "Child AB").
_MONTHS = ("January|February|March|April|May|June|July|August|September|October|November|"
           "December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec")
PERSONAL_DETAIL: dict[str, re.Pattern[str]] = {
    # Month names only capitalised, so "staff may 12" is not a date.
    "date": re.compile(
        rf"\b\d{{1,2}}[/.-]\d{{1,2}}[/.-]\d{{2,4}}\b|\b\d{{4}}-\d{{2}}-\d{{2}}\b"
        rf"|\b\d{{1,2}}(?:st|nd|rd|th)?\s+(?:{_MONTHS})\b|\b(?:{_MONTHS})\s+\d{{1,2}}(?:st|nd|rd|th)?\b"
        r"|(?i:\bdate of birth\b|\bd\.?o\.?b\b|\bborn (?:on|in)\b)"),
    "age": re.compile(
        r"\bage[sd]?\s*(?:of\s+)?\d+|\b\d+\s*-?\s*(?:years?|yrs?|months?|weeks?|days?)\s*-?\s*old\b"
        r"|\b\d+\s*(?:yo|y/o|yrs?)\b", re.IGNORECASE),
    "address": re.compile(
        r"\b[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}\b"
        r"|\b\d+[A-Za-z]?,?\s+(?:[A-Z][a-z]+\s){1,3}(?:Road|Rd|Street|St|Avenue|Ave|Lane|Close|"
        r"Gardens|Way|Square|Terrace|Crescent|Drive|Grove|Mews)\b"),
    "name": re.compile(
        r"\b(?:Mr|Mrs|Ms|Miss|Mx|Dr)\.?\s+[A-Z]|\b(?:Baby|Child|Sibling|Young person)\s+[A-Z]{1,3}\b"),
}
"""Shapes of identifying detail refused in published free text, by kind."""


def find_personal_detail(text: str) -> tuple[str, str] | None:
    """(kind, text found) for the first date, age, address or name shape in ``text``."""
    for kind, pattern in PERSONAL_DETAIL.items():
        found = pattern.search(text)
        if found:
            return kind, found[0]
    return None
