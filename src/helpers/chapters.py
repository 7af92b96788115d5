"""The chapters of the annual report, and how they map to notebooks.

The report's structure is fixed by the published annual report (14 numbered chapters), so
the titles live here as data rather than being scraped from notebook headings: the build
runner, the HTML page titles and the report index all need the same wording, and a typo
fixed here is fixed everywhere.

A chapter's notebook is ``notebooks/NN_slug.ipynb``; ``NN`` is the two-digit chapter number
and is what ties a notebook to its title and to its figure register ``figures/NN.csv``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

#: Chapter number -> title, in report order.
TITLES: dict[int, str] = {
    1: "Foreword from the lead safeguarding partners",
    2: "About the partnership",
    3: "Scrutiny and governance",
    4: "The borough: diversity and contrast",
    5: "Progress against the safeguarding priorities",
    6: "Children and Families Contact Service",
    7: "Key areas of safeguarding assurance",
    8: "Safeguarding vulnerable adolescents",
    9: "Learning from local safeguarding reviews",
    10: "Local Authority Designated Officer (LADO)",
    11: "Communication strategy",
    12: "Multi-agency training",
    13: "Financial arrangements",
    14: "Membership",
}

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


def title_for(number: int, slug: str = "") -> str:
    """The report title of chapter ``number``; a readable fallback for unknown numbers.

    The fallback keeps an experimental notebook (say ``15_draft``) buildable without first
    editing this table.
    """
    if number in TITLES:
        return TITLES[number]
    words = slug.replace("_", " ").replace("-", " ").strip()
    return words[:1].upper() + words[1:] if words else f"Chapter {number}"


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
