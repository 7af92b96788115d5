"""The build runner: planning, publishing, the index, and whole builds of tiny notebooks.

Whole builds use the fixture notebooks in tests/fixtures/notebooks/ (one succeeds and
writes a figure register, one raises) with a stub processing step, all in tmp_path.
Those tests start real kernels and are marked ``e2e``; the rest need no kernel.
"""

from __future__ import annotations

import csv
import dataclasses
import json
import os
import shutil
import sys
import time
import types
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import pytest

from helpers.build import cache, publishing
from helpers.build import catalogue as chapters
from helpers.build import runner as build
from helpers.report.figure_register import COLUMNS as FIGURE_COLUMNS
from helpers.report.index_pages import SYNTHETIC_BANNER, atomic_write_text, write_index

FIXTURES = Path(__file__).parent / "fixtures" / "notebooks"
YEAR = "2024-25"
META = {"synthetic": True, "extract_date": "2025-05-12", "source": "demo generator"}


# --------------------------------------------------------------------------- helpers


class Workspace:
    """A throwaway repository layout: raw, processed, reports and notebooks folders."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.raw = root / "data" / "raw"
        self.processed = root / "data" / "processed"
        self.reports = root / "reports"
        self.notebooks = root / "notebooks"
        self.run_log = root / "runs.log"
        (self.raw / YEAR).mkdir(parents=True)
        shutil.copytree(FIXTURES, self.notebooks)
        self.processed_years: list[str] = []

    def argv(self, *extra: str, year: str = YEAR) -> list[str]:
        return [
            "--year",
            year,
            "--raw-dir",
            str(self.raw),
            "--processed-dir",
            str(self.processed),
            "--reports-dir",
            str(self.reports),
            "--notebooks-dir",
            str(self.notebooks),
            *extra,
        ]

    def process(self, year: str, raw_dir: Path, processed_dir: Path) -> None:
        """Stub processing step: one small table the fixture notebook reads."""
        assert raw_dir == self.raw.resolve()
        self.processed_years.append(year)
        (processed_dir / year).mkdir(parents=True, exist_ok=True)
        (processed_dir / year / "counts.csv").write_text("value\n42\n")

    def build(self, *extra: str, year: str = YEAR, **kwargs) -> int:
        kwargs.setdefault("process", self.process)
        kwargs.setdefault("read_meta", lambda _path: dict(META))
        return build.main(self.argv(*extra, year=year), **kwargs)

    def executions(self) -> list[str]:
        """Chapters executed so far (the fixture notebook appends to this log)."""
        return self.run_log.read_text().split() if self.run_log.exists() else []


def snapshot(root: Path) -> dict[str, tuple[bytes, int]]:
    """Every file under ``root`` with its bytes and mtime: to prove nothing was touched."""
    return {
        str(p.relative_to(root)): (p.read_bytes(), p.stat().st_mtime_ns)
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def read_rows(path: Path) -> list[dict[str, str]]:
    with path.open(newline="") as fh:
        return list(csv.DictReader(fh))


@pytest.fixture
def ws(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Workspace:
    workspace = Workspace(tmp_path)
    # Inherited by worker processes and kernels; lets the fixture notebook count runs.
    monkeypatch.setenv("LSCP_TEST_RUN_LOG", str(workspace.run_log))
    return workspace


@pytest.fixture
def raw_data_error(monkeypatch: pytest.MonkeyPatch) -> Callable[[str], Exception]:
    """Make a RawDataError whose str() is ``message``, as the processing step would raise.

    Subclasses the real class so the runner's ``except RawDataError`` is what catches it,
    whatever the real constructor takes; stands in if helpers.data.validation is missing.
    """
    try:
        from helpers.data.validation import RawDataError
    except ImportError:
        module = types.ModuleType("helpers.data.validation")

        class RawDataError(Exception):  # type: ignore[no-redef]
            """Stand-in with the same contract: str() is the readable message."""

        module.RawDataError = RawDataError  # type: ignore[attr-defined]
        monkeypatch.setitem(sys.modules, "helpers.data.validation", module)

    class MessageOnly(RawDataError):  # type: ignore[misc, valid-type]
        def __init__(self, message: str) -> None:
            Exception.__init__(self, message)

    return MessageOnly


def raising(error: Exception) -> Callable[[str, Path, Path], None]:
    def process(year: str, raw_dir: Path, processed_dir: Path) -> None:
        raise error

    return process


# --------------------------------------------------------------------------- chapters


def test_chapter_titles_cover_the_whole_report() -> None:
    assert sorted(chapters.TITLES) == list(range(1, 15))
    assert chapters.TITLES[6] == "Children and Families Contact Service"
    assert chapters.TITLES[10] == "Local Authority Designated Officer (LADO)"


def test_discover_maps_notebooks_to_chapters(tmp_path: Path) -> None:
    for name in ["10_lado.ipynb", "06_front_door.ipynb", "scratch.ipynb", "6_bad.ipynb"]:
        (tmp_path / name).write_text("{}")
    found = chapters.discover(tmp_path)
    assert [(c.number, c.slug, c.name) for c in found] == [
        (6, "front_door", "06_front_door"),
        (10, "lado", "10_lado"),
    ]
    assert found[0].title == "Children and Families Contact Service"
    assert found[0].path == tmp_path / "06_front_door.ipynb"


def test_discover_rejects_two_notebooks_for_one_chapter(tmp_path: Path) -> None:
    (tmp_path / "06_front_door.ipynb").write_text("{}")
    (tmp_path / "06_mash.ipynb").write_text("{}")
    with pytest.raises(ValueError, match="two notebooks for chapter 06"):
        chapters.discover(tmp_path)


# --------------------------------------------------------------------------- arguments


def test_parse_years(tmp_path: Path) -> None:
    for name in ["2024-25", "2022-23", "notes", "2023-24"]:
        (tmp_path / name).mkdir()
    assert build.parse_years("2024-25,2023-24", tmp_path) == ["2023-24", "2024-25"]
    assert build.parse_years("all", tmp_path) == ["2022-23", "2023-24", "2024-25"]
    with pytest.raises(ValueError):
        build.parse_years("2024/25", tmp_path)


def test_parse_chapters() -> None:
    assert build.parse_chapters(None) is None
    assert build.parse_chapters("06, 7") == {6, 7}
    with pytest.raises(ValueError):
        build.parse_chapters("front_door")


def test_unknown_chapter_is_a_usage_error(ws: Workspace) -> None:
    with pytest.raises(SystemExit) as exc:
        ws.build("--chapters", "09")
    assert exc.value.code == 2
    assert not ws.reports.exists()


# --------------------------------------------------------------------------- fingerprints


def test_fingerprint_follows_trend_years_and_notebook(tmp_path: Path) -> None:
    processed = tmp_path / "processed"
    for year in ["2019-20", "2020-21", "2024-25"]:
        (processed / year).mkdir(parents=True)
        (processed / year / "t.csv").write_text("a\n1\n")
    nb = tmp_path / "06_front_door.ipynb"
    nb.write_text("{}")
    chapter = chapters.Chapter(6, "front_door", "Front door", nb)

    def fingerprint() -> str:
        return cache.chapter_fingerprint(chapter, YEAR, cache.shared_fingerprint(YEAR, processed))

    first = fingerprint()
    assert fingerprint() == first
    (processed / "2019-20" / "t.csv").write_text("a\n2\n")  # 5 years back: not an input
    assert fingerprint() == first
    (processed / "2020-21" / "t.csv").write_text("a\n2\n")  # 4 years back: an input
    second = fingerprint()
    assert second != first
    nb.write_text('{"changed": true}')
    assert fingerprint() != second
    assert cache.chapter_fingerprint(chapter, "2023-24", "x") != cache.chapter_fingerprint(
        chapter, YEAR, "x"
    )


def test_up_to_date_needs_matching_hash_and_outputs(tmp_path: Path) -> None:
    entry = {"fingerprint": "abc", "outputs": ["06_x.html"]}
    assert not cache.is_up_to_date(entry, "abc", tmp_path)  # output missing
    (tmp_path / "06_x.html").write_text("page")
    assert cache.is_up_to_date(entry, "abc", tmp_path)
    assert not cache.is_up_to_date(entry, "def", tmp_path)
    assert not cache.is_up_to_date(None, "abc", tmp_path)


# --------------------------------------------------------------------------- outputs


def test_combine_figures_orders_by_chapter(tmp_path: Path) -> None:
    figures = tmp_path / "figures"
    figures.mkdir()
    def row(chapter: str, indicator: str, value: str, ref: str) -> str:
        fields = {"chapter": chapter, "indicator": indicator, "label": indicator.title(),
                  "period": "2024-25", "value": value, "display": value, "unit": "count",
                  "suppressed": "False", "ref": ref}
        return ",".join(fields.get(c, "") for c in FIGURE_COLUMNS)

    header = ",".join(FIGURE_COLUMNS)
    (figures / "10.csv").write_text(f"{header}\n{row('10', 'lado', '30', 'L1')}\n")
    (figures / "02.csv").write_text(
        f"{header},note\n{row('2', 'members', '12', 'A1')},x\n{row('2', 'meetings', '9', 'A2')},y\n"
    )
    rows = read_rows(publishing.combine_figures(tmp_path))
    assert [r["chapter"] for r in rows] == ["2", "2", "10"]
    assert rows[0]["note"] == "x" and rows[2]["note"] == ""
    assert list(rows[0])[: len(FIGURE_COLUMNS)] == list(FIGURE_COLUMNS)


def test_combine_figures_without_registers_writes_header(tmp_path: Path) -> None:
    text = publishing.combine_figures(tmp_path).read_text()
    assert text.strip() == ",".join(FIGURE_COLUMNS)


def test_atomic_write_leaves_no_temporary_files(tmp_path: Path) -> None:
    target = tmp_path / "sub" / "index.html"
    atomic_write_text(target, "one")
    atomic_write_text(target, "two")
    assert target.read_text() == "two"
    umask = os.umask(0)
    os.umask(umask)
    assert target.stat().st_mode & 0o777 == 0o666 & ~umask  # not mkstemp's private 0600
    assert [p.name for p in target.parent.iterdir()] == ["index.html"]


def test_index_links_pages_and_marks_the_rest(tmp_path: Path) -> None:
    (tmp_path / "06_front_door.html").write_text("page")
    (tmp_path / "07_assurance.html").write_text("old page")
    (tmp_path / "figures.csv").write_text("chapter\n")
    status = {"06_front_door": "built", "07_assurance": "failed", "08_adolescents": "failed"}
    path = write_index(
        tmp_path,
        YEAR,
        "Camden Safeguarding Children Partnership",
        META,
        status,
        built_at=datetime(2025, 6, 1, 9, 30),
    )
    html = path.read_text()
    assert '<html lang="en">' in html
    assert "Camden Safeguarding Children Partnership" in html
    assert YEAR in html and "2025-05-12" in html and "01 June 2025" in html
    assert SYNTHETIC_BANNER in html
    assert 'href="06_front_door.html"' in html
    assert 'href="07_assurance.html"' in html  # previous good page still offered
    assert "latest build of this chapter failed" in html
    assert "Build failed" in html  # chapter 8: failed and never published
    assert "Not built" in html  # e.g. chapter 14
    assert "Membership" in html
    assert 'href="figures.csv"' in html
    assert "http://" not in html and "https://" not in html


def test_index_has_no_banner_for_real_data(tmp_path: Path) -> None:
    html = write_index(tmp_path, YEAR, "P", {"synthetic": False}, {}).read_text()
    assert SYNTHETIC_BANNER not in html
    assert "not recorded" in html  # no extract date given: said so, not left blank


# --------------------------------------------------------------------------- bad data


def test_raw_data_error_skips_year_and_touches_nothing(
    ws: Workspace, raw_data_error: Callable[[str], Exception], capsys: pytest.CaptureFixture[str]
) -> None:
    year_dir = ws.reports / YEAR
    (year_dir / "notebooks").mkdir(parents=True)
    (year_dir / "06_front_door.html").write_text("published page")
    (year_dir / "index.html").write_text("published index")
    (year_dir / "figures.csv").write_text("chapter\n6\n")
    before = snapshot(ws.reports)

    message = "contacts.csv, row 12, column 'referral_date': '2024-13-01' is not a date"
    status = ws.build(process=raising(raw_data_error(message)))

    captured = capsys.readouterr()
    assert status == 1
    assert message in captured.err
    assert f"{YEAR}: NOT BUILT" in captured.out
    assert snapshot(ws.reports) == before
    assert not list(ws.reports.glob(".staging-*"))
    assert ws.executions() == []


def test_processing_bug_also_skips_the_year(
    ws: Workspace, capsys: pytest.CaptureFixture[str]
) -> None:
    status = ws.build(process=raising(KeyError("column")))
    assert status == 1
    assert "processing failed: KeyError" in capsys.readouterr().out
    assert not (ws.reports / YEAR).exists()


# --------------------------------------------------------------------------- end to end


@pytest.mark.e2e
def test_build_publishes_good_chapters_and_isolates_failures(
    ws: Workspace, capsys: pytest.CaptureFixture[str]
) -> None:
    year_dir = ws.reports / YEAR
    # A good page and figures published by an earlier build of the now-broken chapter.
    (year_dir / "figures").mkdir(parents=True)
    old_page = b"<!DOCTYPE html><html lang='en'><title>old</title>previous good page</html>"
    (year_dir / "02_broken.html").write_bytes(old_page)
    header = ",".join(FIGURE_COLUMNS)
    (year_dir / "figures" / "02.csv").write_text(
        f"{header}\n2,,partners,Partners,2023-24,7,7,count,False,B1\n"
    )

    # First run: 01 succeeds, 02 fails.
    status = ws.build("--workers", "2")
    out = capsys.readouterr().out
    assert status == 1
    assert ws.processed_years == [YEAR]

    page = (year_dir / "01_ok.html").read_text()
    assert "Contacts received in 2024-25: 42" in page  # parameters and data reached it
    # The title names the chapter, the partnership and the year (report.navigation).
    assert "<title>1. Foreword from the lead safeguarding partners – " in page
    assert " annual report 2024-25</title>" in page
    assert "read_text().splitlines()" not in page  # code hidden
    assert (year_dir / "notebooks" / "01_ok.ipynb").is_file()

    assert (year_dir / "02_broken.html").read_bytes() == old_page
    failed_nb = year_dir / "failed" / "02_broken.ipynb"
    assert "deliberate failure for 2024-25" in failed_nb.read_text()
    assert not (year_dir / "notebooks" / "02_broken.ipynb").exists()

    assert "FAILED 02_broken: ValueError: deliberate failure for 2024-25" in out
    assert str(Path("failed") / "02_broken.ipynb") in out
    assert "built: 01_ok" in out

    rows = read_rows(year_dir / "figures.csv")
    assert [(r["chapter"], r["indicator"], r["value"]) for r in rows] == [
        ("1", "contacts", "42"),
        ("2", "partners", "7"),
    ]

    index = (year_dir / "index.html").read_text()
    assert 'href="01_ok.html"' in index
    assert 'href="02_broken.html"' in index
    assert "latest build of this chapter failed" in index
    assert SYNTHETIC_BANNER in index
    assert 'href="figures.csv"' in index

    manifest = json.loads((year_dir / cache.MANIFEST_NAME).read_text())
    assert set(manifest["chapters"]) == {"01_ok"}
    assert not list(ws.reports.glob(".staging-*"))
    assert ws.executions() == ["01"]

    # Second run, nothing changed: 01 is not executed again, 02 is retried and fails.
    page_mtime = (year_dir / "01_ok.html").stat().st_mtime_ns
    status = ws.build()
    out = capsys.readouterr().out
    assert status == 1
    assert "unchanged (skipped): 01_ok" in out
    assert "FAILED 02_broken" in out
    assert ws.executions() == ["01"]
    assert (year_dir / "01_ok.html").stat().st_mtime_ns == page_mtime
    assert (year_dir / "02_broken.html").read_bytes() == old_page
    assert not list(ws.reports.glob(".staging-*"))

    # --force runs it anyway; selecting only chapter 01 leaves 02's failure on record.
    status = ws.build("--force", "--chapters", "01")
    out = capsys.readouterr().out
    assert status == 0
    assert "built: 01_ok" in out
    assert ws.executions() == ["01", "01"]
    assert "latest build of this chapter failed" in (year_dir / "index.html").read_text()


@pytest.mark.e2e
def test_bad_later_year_does_not_stop_earlier_years(
    ws: Workspace, raw_data_error: Callable[[str], Exception], capsys: pytest.CaptureFixture[str]
) -> None:
    (ws.raw / "2023-24").mkdir()

    def process(year: str, raw_dir: Path, processed_dir: Path) -> None:
        if year == YEAR:
            raise raw_data_error(f"{YEAR}/contacts.csv: missing column 'child_id'")
        ws.process(year, raw_dir, processed_dir)

    status = ws.build("--chapters", "01", "--workers", "1", year="all", process=process)
    captured = capsys.readouterr()
    assert status == 1
    assert "missing column 'child_id'" in captured.err
    assert f"{YEAR}: NOT BUILT" in captured.out
    assert "2023-24: 1 built, 0 unchanged, 0 failed" in captured.out
    assert not (ws.reports / YEAR).exists()
    assert (ws.reports / "2023-24" / "01_ok.html").is_file()
    assert not list(ws.reports.glob(".staging-*"))


def test_bad_earlier_year_blocks_the_years_whose_trends_read_it(
    ws: Workspace, raw_data_error: Callable[[str], Exception], capsys: pytest.CaptureFixture[str]
) -> None:
    """A trend must not quietly drop a year, or read a stale processed copy of it."""
    (ws.raw / "2023-24").mkdir()
    processed: list[str] = []

    def process(year: str, raw_dir: Path, processed_dir: Path) -> None:
        processed.append(year)
        if year == "2023-24":
            raise raw_data_error("2023-24/contacts.csv: missing column 'child_id'")

    status = ws.build("--chapters", "01", "--workers", "1", process=process)
    out = capsys.readouterr().out
    assert status == 1
    assert processed == ["2023-24", YEAR]  # the earlier year is processed for the trend
    assert f"{YEAR}: NOT BUILT" in out
    assert "2023-24 (read for trends)" in out
    assert not (ws.reports / YEAR).exists()


def test_a_long_list_in_the_summary_says_how_many_more_and_where() -> None:
    lines = [f"mismatch {i}" for i in range(25)]
    shown = build.listed(lines, "reports/2024-25/calibration.csv", limit=20)
    assert shown[:20] == lines[:20]
    assert shown[20] == "... and 5 more (see reports/2024-25/calibration.csv)"
    assert build.listed(lines[:3], "x") == lines[:3]


def _plan(ws: Workspace) -> tuple[build.BuildPaths, build.YearPlan]:
    paths = build.BuildPaths(ws.raw, ws.processed, ws.reports, ws.notebooks).resolved()
    ws.process(YEAR, paths.raw_dir, paths.processed_dir)
    return paths, build.plan_year(YEAR, paths, chapters.discover(paths.notebooks_dir), META)


def test_work_alongside_the_chapters_runs_once_and_its_failure_is_raised(ws: Workspace) -> None:
    _, plan = _plan(ws)
    ran: list[str] = []
    results = build.run_jobs(plan.jobs, 2, alongside=lambda: ran.append("side"))
    assert ran == ["side"] and len(results) == len(plan.jobs)

    def broken() -> None:
        raise build.ConfigProblem("partnership.toml: section '7.99'")

    _, plan = _plan(ws)
    with pytest.raises(build.ConfigProblem, match=r"7\.99"):
        build.run_jobs(plan.jobs, 2, alongside=broken)
    assert not (ws.reports / YEAR).exists()  # nothing was published


def test_a_bad_subgroup_config_found_alongside_stops_the_build(
        ws: Workspace, monkeypatch: pytest.MonkeyPatch) -> None:
    paths, plan = _plan(ws)
    monkeypatch.setattr(build, "subgroup_config_problem", lambda: "section '7.99' unknown")
    work = build.while_chapters_run([plan], plan.chapters, paths, True, {})
    with pytest.raises(build.ConfigProblem, match=r"7\.99"):
        work()
    assert plan.prepared == {}  # stopped before staging anything


def test_the_longest_chapter_last_time_starts_first(ws: Workspace) -> None:
    _, plan = _plan(ws)
    jobs = [dataclasses.replace(plan.jobs[0], expected_seconds=s) for s in (0.5, 12.0, 0.0, 3.0)]
    assert build.start_order(jobs) == [1, 3, 0, 2]
    # A batch goes year by year (each year published while the next runs), longest first
    # within each year.
    years = [dataclasses.replace(job, year=y)
             for job, y in zip(jobs, ("2024-25", "2023-24", "2024-25", "2023-24"), strict=True)]
    assert build.start_order(years) == [0, 2, 1, 3]
    results = build.run_jobs(plan.jobs, 1)
    entries = publishing.update_manifest(plan, results)
    assert all(entries[r.name]["seconds"] == round(r.seconds, 2) > 0
               for r in results if r.status == "built")


def test_a_batch_plans_each_year_once_it_and_its_trend_years_are_processed(
        ws: Workspace) -> None:
    (ws.raw / "2023-24").mkdir()
    paths = build.BuildPaths(ws.raw, ws.processed, ws.reports, ws.notebooks).resolved()
    outcomes: dict[str, build.YearOutcome] = {}
    plans: list[build.YearPlan] = []
    batches = build.year_batches(
        ["2023-24", YEAR], paths, chapters.discover(paths.notebooks_dir), ws.process,
        lambda _path: dict(META), force=False, real_data=False, outcomes=outcomes,
        plans=plans, calibration_keys={})
    first = next(batches)
    # 2023-24's chapters can be queued before 2024-25 is processed: nothing of 2023-24
    # reads a later year.
    assert ws.processed_years == ["2023-24"]
    assert {job.year for job in first} == {"2023-24"} and len(first) == 2
    second = next(batches)
    assert ws.processed_years == ["2023-24", YEAR]
    assert {job.year for job in second} == {YEAR}
    assert [plan.year for plan in plans] == ["2023-24", YEAR] and outcomes == {}
    assert next(batches, None) is None


@pytest.mark.e2e
def test_the_workers_run_the_first_year_while_the_next_is_being_made(ws: Workspace) -> None:
    _, plan = _plan(ws)
    seen: list[list[str]] = []

    def batches():
        yield plan.jobs
        # The next year is asked for only once the first year's chapters are queued: they
        # run (the fixture chapter logs itself) while this year is still being made.
        deadline = time.monotonic() + 60
        while "01" not in ws.executions() and time.monotonic() < deadline:
            time.sleep(0.05)
        seen.append(ws.executions())
        yield []

    results = build.run_batches(batches(), 2)
    assert seen and "01" in seen[0]
    assert [r.chapter.name for r in results] == [job.chapter.name for job in plan.jobs]
    assert [r.status for r in results] == ["built", "failed"]


def test_a_year_is_handed_over_once_its_chapters_are_in_and_the_config_is_checked(
        ws: Workspace) -> None:
    _, plan = _plan(ws)
    jobs = [dataclasses.replace(plan.jobs[0], year=y) for y in ("2023-24", YEAR, "2023-24")]
    results = {i: build.ChapterResult(job.year, job.chapter, "built")
               for i, job in enumerate(jobs)}
    handed: list[tuple[str, list[build.ChapterResult]]] = []
    side = types.SimpleNamespace(succeeded=False)
    years = build.YearsDone(jobs, lambda year, mine: handed.append((year, mine)), side)
    years.record(0)
    years.record(1)
    years.hand_over(results)
    assert handed == []  # the subgroup config is still being checked: publish nothing yet
    side.succeeded = True
    years.hand_over(results)
    assert handed == [(YEAR, [results[1]])]  # 2023-24 still has a chapter out
    years.record(2)
    years.hand_over(results)
    years.hand_over(results)
    assert handed == [(YEAR, [results[1]]), ("2023-24", [results[0], results[2]])]
