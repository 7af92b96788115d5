"""The processing stamp: a hash of a raw year's files and of the code that validates them.

Standard library only, so the build can tell whether a year must be re-processed without
importing pandas (a no-change rebuild stays under a second). Processing writes this stamp
and the build compares with it: one implementation serves both.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from helpers.config import CONFIG_FILE

#: Operating-system and Office files that are not data: ignored with a note, never hashed.
OS_LITTER = frozenset({"thumbs.db", ".ds_store", "desktop.ini"})
_DATA_STAGE = Path(__file__).resolve().parent


def is_os_litter(path: Path) -> bool:
    """Thumbs.db, .DS_Store, desktop.ini, Office lock files (``~$name.xlsx``), ``._`` forks."""
    name = path.name
    return name.lower() in OS_LITTER or name.startswith(("~$", "._"))


def code_files(helpers_dir: Path = _DATA_STAGE.parent) -> list[tuple[str, Path]]:
    """Every module of the data stage, ``config.py`` and the partnership file, labelled.

    Derived from the package (``helpers_dir``, the installed one by default), not listed by
    hand, so a new module is never left out.
    """
    data_stage = Path(helpers_dir) / "data"
    modules = sorted(p for p in data_stage.rglob("*.py") if "__pycache__" not in p.parts)
    files = [(f"code/{p.relative_to(helpers_dir).as_posix()}", p) for p in modules]
    return [*files, ("code/config.py", Path(helpers_dir) / "config.py"),
            ("config/partnership.toml", CONFIG_FILE)]


def fingerprint(year_dir: Path, helpers_dir: Path = _DATA_STAGE.parent) -> str:
    """Hash of the raw files (litter left out) and of the code that validates them."""
    year_dir = Path(year_dir)
    digest = hashlib.sha256()
    raw = [(p.relative_to(year_dir).as_posix(), p) for p in sorted(year_dir.rglob("*"))
           if p.is_file() and not is_os_litter(p)]
    for label, path in raw + code_files(helpers_dir):
        if path.is_file():
            digest.update(label.encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()
