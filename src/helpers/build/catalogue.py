"""The chapters of the annual report, and how they map to notebooks.

The titles are the report's outline (``helpers.report.outline``).

A chapter's notebook is ``notebooks/NN_slug.ipynb``; ``NN`` is the two-digit chapter number
and is what ties a notebook to its title and to its figure register ``figures/NN.csv``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from helpers.report.outline import TITLES, title_for  # noqa: F401 - re-exported

_NOTEBOOK = re.compile(r"^(\d{2})_([A-Za-z0-9][A-Za-z0-9_-]*)\.ipynb$")


@dataclass(frozen=True, order=True)
class Chapter:
    """One chapter notebook. Ordering is by chapter number, which is report order."""

    number: int
    slug: str
    title: str
    path: Path

    @property
    def code(self) -> str:
        """Two-digit number, as used in file names such as ``figures/06.csv``."""
        return f"{self.number:02d}"

    @property
    def name(self) -> str:
        """The notebook's stem (``06_front_door``): the base name of every output file."""
        return f"{self.code}_{self.slug}"


def discover(notebooks_dir: Path) -> list[Chapter]:
    """The chapter notebooks in ``notebooks_dir``, sorted by chapter number.

    Only ``NN_slug.ipynb`` files count, so scratch notebooks and Jupyter's checkpoint folder
    are ignored. Two notebooks with the same number are an error, not a silent choice:
    they would overwrite each other's figure register.
    """
    chapters: dict[int, Chapter] = {}
    for path in sorted(Path(notebooks_dir).glob("*.ipynb")):
        match = _NOTEBOOK.match(path.name)
        if not match:
            continue
        number, slug = int(match[1]), match[2]
        if number in chapters:
            raise ValueError(
                f"two notebooks for chapter {number:02d}: "
                f"{chapters[number].path.name} and {path.name}"
            )
        chapters[number] = Chapter(number, slug, title_for(number, slug), path)
    return [chapters[n] for n in sorted(chapters)]
