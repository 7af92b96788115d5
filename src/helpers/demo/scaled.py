"""A demo year scaled up to many contacts, for measuring validation speed (never committed).

The bundled 2024-25 demo has about 8,600 contacts. ``write_scaled_year`` copies its front door
(children, contacts, referrals, assessments) as many times as it takes to reach ``contacts``
rows, giving each copy its own ids, so every reference and cross-table rule still holds and
referrals, assessments and children grow in proportion. The other tables are written once,
unchanged. The folder is a temporary one the caller names; the repository's ``data/raw`` is
refused, so a scaled year can never be committed by mistake.
"""

from __future__ import annotations

import math
import shutil
from pathlib import Path

import pandas as pd

from helpers.config import RAW_DIR
from helpers.data import schemas

SCALED_TABLES = ("children", "contacts", "referrals", "assessments")


def _id_columns(name: str) -> list[str]:
    return [c.name for c in schemas.TABLES[name].columns if c.kind == "id"]


def _copy(frame: pd.DataFrame, name: str, k: int) -> pd.DataFrame:
    """Copy ``k`` of a table: every id gets the suffix ``-k`` (copy 0 keeps the originals)."""
    if k == 0:
        return frame
    out = frame.copy()
    for column in _id_columns(name):
        cells = out[column]
        out[column] = cells.where(cells == "", cells + f"-{k}")
    return out


def scaled_tables(source_year: Path, contacts: int) -> dict[str, pd.DataFrame]:
    """The front-door tables of ``source_year`` repeated to exactly ``contacts`` contacts."""
    base = {name: pd.read_csv(source_year / f"{name}.csv", dtype=str, keep_default_na=False)
            for name in SCALED_TABLES}
    copies = max(1, math.ceil(contacts / len(base["contacts"])))
    out = {name: [_copy(frame, name, k) for k in range(copies)] for name, frame in base.items()}
    surplus = copies * len(base["contacts"]) - contacts
    if surplus > 0:
        last = out["contacts"][-1]
        referred = set(out["referrals"][-1]["contact_id"])
        droppable = last.index[~last["contact_id"].isin(referred)][:surplus]
        out["contacts"][-1] = last.drop(droppable)
    return {name: pd.concat(frames, ignore_index=True) for name, frames in out.items()}


def write_scaled_year(out_dir: Path, contacts: int, year: str = "2024-25",
                      source_dir: Path = RAW_DIR) -> Path:
    """Write ``out_dir/<year>/``: the demo year with ``contacts`` contacts; return the folder."""
    out_dir = Path(out_dir).resolve()
    if out_dir == Path(RAW_DIR).resolve() or Path(RAW_DIR).resolve() in out_dir.parents:
        raise ValueError(f"refusing to write a scaled demo year under {RAW_DIR}: use a temporary "
                         "folder")
    source_year = Path(source_dir) / year
    target = out_dir / year
    shutil.copytree(source_year, target, dirs_exist_ok=True)
    for name, frame in scaled_tables(source_year, contacts).items():
        frame.to_csv(target / f"{name}.csv", index=False, lineterminator="\n")
    return target
