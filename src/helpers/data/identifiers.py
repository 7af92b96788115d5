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
from dataclasses import dataclass

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
# The leading class is a shortcut the regex engine tests first: at most places of a page no
# prefix begins, and one character test there is faster than the lookbehind (a third less).
_FIRSTS = "".join(sorted({p[0] for p in RECORD_ID_PREFIXES}))
RECORD_ID = re.compile(
    rf"(?=[{_FIRSTS}])(?<![A-Za-z0-9])(?:{_PREFIX})(?:[-_]?\d{{4,}}|\s\d{{5,}}|\s\d{{4}}\s\d{{4,}})"
    r"(?:[-_]\d{2,})*(?![A-Za-z0-9])", re.IGNORECASE)
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


@dataclass(frozen=True)
class KnownIds:
    """A year's known ids with what the search works out from them once, not per call.

    ``runs`` finds, anywhere in a text, each run of one to three words (within one
    token: words joined by single ``-``, ``_`` or spaces) that starts where a word starts
    and whose first two characters begin some known id: the regex engine skips the other
    words of a page (its styles, chart geometry, prose) without a Python step each, which
    was most of a build's id search. ``need_digit``: every known id holds a digit, so a
    run without one cannot be one.
    """

    array: pa.Array
    runs: re.Pattern[str] | None
    need_digit: bool

    @classmethod
    def of(cls, known: pa.Array | KnownIds) -> KnownIds:
        if isinstance(known, KnownIds):
            return known
        if not len(known):
            return cls(known, None, False)
        starts = sorted(head for head in pc.unique(pc.utf8_slice_codeunits(known, 0, 2)).to_pylist()
                        if _HEAD.fullmatch(head))
        need_digit = pc.all(pc.match_substring_regex(known, r"\d")).as_py()
        return cls(known, _runs_pattern(tuple(starts)), bool(need_digit))


_HEAD = re.compile(r"[A-Z0-9]{2}")


def _runs_pattern(starts: tuple[str, ...]) -> re.Pattern[str] | None:
    """The regex of :attr:`KnownIds.runs` for these two-character id beginnings.

    A beginning may be split over two words (``C-H000003``: a one-letter word first).
    Captured inside a lookahead, so runs that overlap (each word of a token may start one)
    are all found. ASCII only, as the words of a token are. The first-character class
    goes first for speed, as in :data:`RECORD_ID`.
    """
    if not starts:
        return None
    heads = "|".join(f"{re.escape(h[0])}[-_ ]?{re.escape(h[1])}" for h in starts)
    firsts = re.escape("".join(sorted({h[0] for h in starts})))
    return re.compile(rf"(?=[{firsts}])(?<![A-Za-z0-9])(?=(?:{heads}))"
                      r"(?=([A-Za-z0-9]+(?:[-_ ][A-Za-z0-9]+){0,2}))",
                      re.IGNORECASE | re.ASCII)


def _candidates(text: str, known: KnownIds) -> list[tuple[str, str]]:
    """(as written, normalised) for every run of one to three words in ``text`` that could
    be a known id, in the order they appear (shorter runs first at each start)."""
    out = []
    for match in known.runs.finditer(text):
        words = _SEPARATORS.split(match[1])
        for end in range(1, len(words) + 1):
            joined = "".join(words[:end]).upper()
            if len(joined) >= 5 and not (known.need_digit and joined.isalpha()):
                out.append((" ".join(words[:end]), joined))
    return out


def find_ids(texts: list[str], known: pa.Array | KnownIds = NO_IDS) -> list[str]:
    """For each text, the first thing shaped like a record id or holding a known child id
    ('' if none).

    Known ids are matched in one pass for all the texts: the few candidate words become the
    hash set and the (possibly million) known ids are scanned against it once. A caller
    searching many batches against one year's ids passes :meth:`KnownIds.of` them, built
    once.
    """
    known = KnownIds.of(known)
    found = []
    pending: list[tuple[int, list[tuple[str, str]]]] = []
    for number, text in enumerate(texts):
        shaped = RECORD_ID.search(text)
        found.append(shaped[0] if shaped else "")
        if not shaped and known.runs is not None and text:
            candidates = _candidates(text, known)
            if candidates:
                pending.append((number, candidates))
    if pending:
        words = pa.array(sorted({c[1] for _, cands in pending for c in cands}), pa.large_string())
        array = known.array
        hits = set(pc.filter(array, pc.is_in(array, value_set=words)).to_pylist())
        for number, candidates in pending:
            found[number] = next((written for written, joined in candidates if joined in hits), "")
    return found


def find_id(text: str, known: pa.Array | KnownIds = NO_IDS) -> str | None:
    """The first record id or known child id in one text, or None."""
    return find_ids([text], known)[0] or None


def flag_ids(values: pd.Series, known: pa.Array | KnownIds = NO_IDS) -> pd.Series:
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
