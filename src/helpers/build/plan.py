"""The build's data types: where it reads and writes, what it will run, what happened.

Plain dataclasses with no heavy imports, shared by the runner, the kernel pool (jobs are
pickled to worker processes) and publishing.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from helpers import config
from helpers.build.catalogue import Chapter


@dataclass(frozen=True)
class BuildPaths:
    """Where the build reads and writes; all overridable so tests run in a temp folder."""

    raw_dir: Path = config.RAW_DIR
    processed_dir: Path = config.PROCESSED_DIR
    reports_dir: Path = config.REPORTS_DIR
    notebooks_dir: Path = config.NOTEBOOKS_DIR

    def resolved(self) -> BuildPaths:
        """Absolute paths: notebooks run with another working directory."""
        return BuildPaths(*(Path(p).resolve() for p in self.__dict__.values()))


@dataclass(frozen=True)
class ChapterJob:
    """Everything a worker process needs to run one chapter (picklable on purpose)."""

    year: str
    chapter: Chapter
    staging_dir: Path
    processed_dir: Path
    notebooks_dir: Path
    fingerprint: str
    #: How long the chapter took when last built (manifest), to start the longest first.
    expected_seconds: float = 0.0

    @property
    def parameters(self) -> dict[str, str]:
        """Values injected into the notebook's ``parameters`` cell (strings, as declared)."""
        return {
            "year": self.year,
            "data_dir": str(self.processed_dir),
            "output_dir": str(self.staging_dir),
        }


@dataclass
class ChapterResult:
    """What happened to one chapter in this run.

    ``status`` is ``built``, ``unchanged`` (skipped: inputs identical to the published
    version) or ``failed``. ``notebook`` is the executed notebook: in the staging folder
    while the run is going on, at its published place after publishing.
    """

    year: str
    chapter: Chapter
    status: str
    error: str | None = None
    notebook: Path | None = None
    seconds: float = 0.0
    html_seconds: float = 0.0

    @property
    def name(self) -> str:
        return self.chapter.name


@dataclass
class YearPlan:
    """A year whose data passed validation, with the chapters to run and to skip.

    ``extract`` identifies the data this build reads (extract date and a fingerprint of
    the processed tables); every page built now is recorded as coming from it.
    ``year_fingerprint`` covers everything the year's shared files (figures table,
    calibration, dictionary, index) are made from: when it matches the manifest and no
    chapter runs, the year is already complete and nothing is rewritten.
    """

    year: str
    year_dir: Path
    meta: Mapping[str, Any]
    chapters: list[Chapter]
    jobs: list[ChapterJob]
    skipped: list[ChapterResult]
    manifest: dict[str, Any]
    staging_dir: Path | None = None
    extract: dict[str, Any] = field(default_factory=dict)
    year_fingerprint: str = ""
    #: What :func:`helpers.build.publishing.prepare_year` staged while the chapters ran
    #: (the id search, shared pages, calibration), so finishing does not do it again.
    prepared: dict[str, Any] = field(default_factory=dict)


@dataclass
class YearOutcome:
    """The end state of one year, for the summary and the exit status."""

    year: str
    error: str | None = None
    results: list[ChapterResult] = field(default_factory=list)
    index: Path | None = None
    notes: list[str] = field(default_factory=list)

    @property
    def failed(self) -> bool:
        return self.error is not None or any(r.status == "failed" for r in self.results)
