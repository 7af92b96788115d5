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


def _candidates(text: str) -> list[tuple[str, str]]:
    """(as written, normalised) for every run of one to three words in ``text``."""
    out = []
    for token in _TOKEN.finditer(text):
        words = _SEPARATORS.split(token[0])
        for start in range(len(words)):
            for end in range(start + 1, min(len(words), start + 3) + 1):
                joined = "".join(words[start:end]).upper()
                if len(joined) >= 5:
                    out.append((" ".join(words[start:end]), joined))
    return out


def find_ids(texts: list[str], known: pa.Array = NO_IDS) -> list[str]:
    """For each text, the first thing shaped like a record id or holding a known child id
    ('' if none).

    Known ids are matched in one pass for all the texts: the few candidate words become the
    hash set and the (possibly million) known ids are scanned against it once.
    """
    found = []
    pending: list[tuple[int, list[tuple[str, str]]]] = []
    for number, text in enumerate(texts):
        shaped = RECORD_ID.search(text)
        found.append(shaped[0] if shaped else "")
        if not shaped and len(known) and text:
            candidates = _candidates(text)
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
