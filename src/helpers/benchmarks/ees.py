"""Reading DfE's published files as DfE publishes them (Explore Education Statistics CSVs
and LAIT's long parquet table), without ever turning a suppressed cell into a number.

EES files share a layout: ``time_period`` (2025 = year ending 31 March 2025),
``geographic_level`` (National, Regional, Local authority), ``region_name``,
``old_la_code`` (202), ``la_name`` and then the figures, either one column per figure
(children in need tables) or a long form with filter columns (children looked after).
Cells DfE does not publish hold a marker (``c`` confidential, ``x`` not available, ``z``
not applicable, ``low``, ``-``); they are read as *unavailable* (NaN with the marker kept
in ``status``), never as zero.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd

# How DfE marks figures it does not publish: confidential, not available, not applicable...
SUPPRESSED = ("c", "x", "z", "low", "-", "u", ":", "..")
ENGLAND = "England"
LEVELS = {"National": "National", "Regional": "Regional", "Local authority": "Local authority"}
#: LAIT names two regions differently from EES.
LAIT_REGIONS = {"London (Inner)": "Inner London", "London (Outer)": "Outer London"}


def read_ees_csv(path: Path | str) -> pd.DataFrame:
    """An EES CSV with every cell as text (codes such as 202 keep their leading form)."""
    return pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")


def reporting_year(time_period: str) -> str:
    """DfE's ``time_period`` 2025 (year ending 31 March 2025) -> the pack's '2024-25'.

    Six-digit academic/financial forms (202425) are converted too.
    """
    text = str(time_period).strip()
    if len(text) == 6 and text.isdigit():
        return f"{text[:4]}-{text[4:]}"
    end = int(text)
    return f"{end - 1}-{end % 100:02d}"


def parse_values(text: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Published cells -> (float values, status). A suppression marker or a blank gives NaN
    and the marker as status ('' for a published number), so "c" can never become 0."""
    cleaned = text.astype(str).str.strip().str.replace(",", "", regex=False)
    marker = cleaned.str.lower().isin(SUPPRESSED) | cleaned.eq("") | cleaned.str.lower().eq("nan")
    values = pd.to_numeric(cleaned.where(~marker), errors="coerce")
    status = pd.Series(np.where(marker, cleaned.str.lower(), ""), index=text.index)
    status = status.where(~(marker & cleaned.eq("")), "blank")
    status = status.where(~(values.isna() & status.eq("")), "not a number")
    return values.astype(float), status


def areas(frame: pd.DataFrame) -> pd.DataFrame:
    """The area columns of an EES frame: ``level``, ``code``, ``area`` and ``region``.

    A local authority is keyed by its three-digit ``old_la_code``, a region by its name,
    England by 'England', so the same place matches across files.
    """
    level = frame["geographic_level"].map(LEVELS)
    region = frame.get("region_name", pd.Series("", index=frame.index)).fillna("")
    la_code = frame.get("old_la_code", pd.Series("", index=frame.index)).fillna("")
    la_name = frame.get("la_name", pd.Series("", index=frame.index)).fillna("")
    code = np.select([level.eq("Local authority"), level.eq("Regional")], [la_code, region],
                     ENGLAND)
    area = np.select([level.eq("Local authority"), level.eq("Regional")], [la_name, region],
                     ENGLAND)
    return pd.DataFrame({"level": level, "code": code, "area": area,
                         "region": np.where(level.eq("Local authority"), region, "")},
                        index=frame.index)


def area_rows(frame: pd.DataFrame, area: str) -> pd.DataFrame:
    """Rows for an area named as DfE names it: England, a region, or a local authority."""
    if area == ENGLAND:
        return frame[frame["geographic_level"] == "National"]
    regional = frame[(frame["geographic_level"] == "Regional") & (frame["region_name"] == area)]
    if not regional.empty:
        return regional
    return frame[(frame["geographic_level"] == "Local authority") & (frame["la_name"] == area)]


def extract(frame: pd.DataFrame, column: str, indicator: str, areas: Sequence[str]) -> pd.DataFrame:
    """One published column as benchmark rows (area, indicator, period, value).

    Suppressed cells are left out rather than read as zero. Duplicate rows (the same area
    and year listed twice, as some EES files do) are collapsed.
    """
    rows = []
    for area in areas:
        picked = area_rows(frame, area)
        picked = picked[["time_period", column]].drop_duplicates()
        values, _ = parse_values(picked[column])
        for period, value in zip(picked["time_period"], values, strict=True):
            if value == value:
                rows.append({"area": area, "indicator": indicator,
                             "period": reporting_year(period), "value": float(value)})
    out = pd.DataFrame(rows, columns=["area", "indicator", "period", "value"])
    return out.sort_values(["area", "period"], ignore_index=True)


def re_referral_rates(c1_path: Path | str, areas: Sequence[str]) -> pd.DataFrame:
    """Re-referrals within 12 months as % of referrals (DfE table C1, ``rereferral_percent``)."""
    return extract(read_ees_csv(c1_path), "rereferral_percent", "re_referral_rate", areas)


def read_lait(path: Path | str) -> pd.DataFrame:
    """LAIT's long table with the EES area columns: ``measure``, ``time_period``, ``level``,
    ``code``, ``area``, ``region`` and the published text ``Values``.

    LAIT numbers an area (LA Number 202; England 970; regions 980-990) and names two
    regions differently ("London (Inner)"); both are mapped to the EES names.
    """
    raw = pd.read_parquet(path, columns=["Short Desc", "Years", "LA and Regions", "Values",
                                         "LA Number", "Region"])
    number = pd.to_numeric(raw["LA Number"], errors="coerce")
    name = raw["LA and Regions"].astype(str).map(lambda n: LAIT_REGIONS.get(n, n))
    is_la = number.lt(970)
    is_england = name.eq(ENGLAND)
    level = np.select([is_la, is_england], ["Local authority", "National"], "Regional")
    code = np.where(is_la, number.fillna(0).astype(int).astype(str), name)
    region = raw["Region"].astype(str).where(is_la, "")
    return pd.DataFrame({
        "measure": raw["Short Desc"].astype(str), "time_period": raw["Years"].astype(str),
        "level": level, "code": code, "area": name, "region": region,
        "text": raw["Values"].astype(str),
    })
