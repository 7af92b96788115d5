"""What the chapter modules declare about the report's structure, read from the modules.

A chapter's numbered sections are its ``Heading`` declarations, and a chapter whose
numbering departs from the reference report's says so in ``RENUMBERED_SECTIONS``
(``(number printed there, number here)`` pairs). Reading both from the modules themselves
keeps one place for each: the subgroup config is checked against the sections the chapters
declare, and the data-quality page lists the renumbering a chapter declares, so removing
the declaration removes the item.
"""

from __future__ import annotations

import importlib
import pkgutil
import re
from dataclasses import dataclass
from types import ModuleType

import helpers.chapters as _package

#: A chapter module: ``chNN_slug`` (``ch07_assurance`` is chapter 7).
CHAPTER_MODULE = re.compile(r"^ch(\d{2})_\w+$")


@dataclass(frozen=True)
class Renumbered:
    """A section numbered differently from the reference report, and why it is listed."""

    printed: str
    renumbered: str
    title: str
    chapter: int
    module: str


def chapter_modules() -> dict[int, ModuleType]:
    """Every chapter module of ``helpers.chapters``, by chapter number."""
    found = {}
    for info in pkgutil.iter_modules(_package.__path__):
        match = CHAPTER_MODULE.match(info.name)
        if match:
            found[int(match[1])] = importlib.import_module(f"{_package.__name__}.{info.name}")
    return dict(sorted(found.items()))


def headings(module: ModuleType) -> dict[str, str]:
    """A chapter module's numbered sections: number -> title, in the chapter's order."""
    # Here, not at the top: the data-quality page and the build use ``Renumbered`` without
    # the section types (and the charts, matplotlib, they import).
    from helpers.chapters.sections import Heading

    return {s.number: s.title for s in module.CHAPTER.sections if isinstance(s, Heading)}


def declared_sections(modules: dict[int, ModuleType] | None = None) -> dict[str, tuple[int, str]]:
    """Every numbered section of the report: number -> (chapter, title)."""
    modules = chapter_modules() if modules is None else modules
    return {number: (chapter, title) for chapter, module in modules.items()
            for number, title in headings(module).items()}


def renumbered_sections(modules: dict[int, ModuleType] | None = None) -> list[Renumbered]:
    """The renumbering each chapter declares, with the title of the section it renumbers.

    A declaration naming a section its chapter does not have is a mistake in the module,
    not something to report quietly, so it raises.
    """
    modules = chapter_modules() if modules is None else modules
    out = []
    for chapter, module in modules.items():
        titles = headings(module)
        for printed, here in getattr(module, "RENUMBERED_SECTIONS", ()):
            if here not in titles:
                raise ValueError(f"{module.__name__}.RENUMBERED_SECTIONS names section {here}, "
                                 "which the chapter does not declare")
            out.append(Renumbered(printed, here, titles[here], chapter, module.__name__))
    return out
