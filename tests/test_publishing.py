"""One extract per report folder: what a second build on new data publishes, and what a
failed build leaves (nothing half-written)."""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

import pytest

from helpers.build import cache, publishing
from helpers.build import runner as build
from helpers.build.catalogue import discover
from helpers.build.plan import ChapterJob, ChapterResult, YearPlan

FIXTURES = Path(__file__).parent / "fixtures" / "notebooks"
YEAR = "2024-25"


def snapshot(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*"))
            if p.is_file()}


@pytest.mark.e2e
def test_failed_chapter_keeps_its_page_rows_and_extract(tmp_path: Path) -> None:
    raw, processed, reports = tmp_path / "raw", tmp_path / "processed", tmp_path / "reports"
    notebooks = tmp_path / "notebooks"
    notebooks.mkdir()
    (raw / YEAR).mkdir(parents=True)
    shutil.copy(FIXTURES / "01_ok.ipynb", notebooks)
    shutil.copy(FIXTURES / "pool" / "05_fragile.ipynb", notebooks)
    extract = {"value": "42", "date": "2025-05-12"}

    def process(year: str, raw_dir: Path, processed_dir: Path) -> None:
        (processed_dir / year).mkdir(parents=True, exist_ok=True)
        (processed_dir / year / "counts.csv").write_text(f"value\n{extract['value']}\n")

    def run() -> int:
        argv = ["--year", YEAR, "--raw-dir", str(raw), "--processed-dir", str(processed),
                "--reports-dir", str(reports), "--notebooks-dir", str(notebooks)]
        meta = {"synthetic": True, "extract_date": extract["date"], "source": "test"}
        return build.main(argv, process=process, read_meta=lambda _p: dict(meta))

    year_dir = reports / YEAR
    assert run() == 0
    old_page = (year_dir / "05_fragile.html").read_bytes()
    assert all(p["current"] for p in cache.page_provenance(year_dir).values())

    extract.update(value="bad", date="2025-06-30")  # chapter 5 cannot report this extract
    assert run() == 1
    assert (year_dir / "05_fragile.html").read_bytes() == old_page
    assert "Checks in 2024-25: 42" in (year_dir / "05_fragile.html").read_text()

    with (year_dir / "figures.csv").open(newline="") as fh:
        rows = {r["chapter"]: r for r in csv.DictReader(fh)}
    assert (rows["1"]["value"], rows["1"]["page_extract_date"],
            rows["1"]["page_current_extract"]) == ("bad", "2025-06-30", "yes")
    assert (rows["5"]["value"], rows["5"]["page_extract_date"],
            rows["5"]["page_current_extract"]) == ("42", "2025-05-12", "no")

    manifest = json.loads((year_dir / cache.MANIFEST_NAME).read_text())
    assert manifest["extract"]["extract_date"] == "2025-06-30"
    assert manifest["chapters"]["05_fragile"]["failed"] is True
    assert "fingerprint" not in manifest["chapters"]["05_fragile"]  # retried next time
    provenance = cache.page_provenance(year_dir)
    assert provenance["01_ok"]["current"] and provenance["01_ok"]["extract_date"] == "2025-06-30"
    assert not provenance["05_fragile"]["current"]
    assert provenance["05_fragile"]["extract_date"] == "2025-05-12"
    assert provenance["05_fragile"]["built_at"] <= provenance["01_ok"]["built_at"]
    index = (year_dir / "index.html").read_text()
    assert "latest build of this chapter failed" in index
    rows = [line for line in index.splitlines() if line.startswith("<li><span")]
    (fragile,) = [r for r in rows if 'href="05_fragile.html"' in r]
    (ok,) = [r for r in rows if 'href="01_ok.html"' in r]
    assert ("From the earlier data extract of 2025-05-12 "
            "(this build's data failed for this chapter)") in fragile
    assert "earlier data extract" not in ok
    assert index.count("earlier data extract") == 1
    assert not list(reports.glob(".staging-*"))


def test_index_marks_a_page_from_the_earlier_extract(tmp_path: Path) -> None:
    year_dir = tmp_path / "reports" / YEAR
    year_dir.mkdir(parents=True)
    for name in ("01_ok", "05_fragile", "06_front_door"):
        (year_dir / f"{name}.html").write_text("page")
    provenance = {
        "01_ok": {"extract_date": "2025-06-30", "data_fingerprint": "new", "current": True},
        "05_fragile": {"extract_date": "2025-05-15 <b>", "data_fingerprint": "old",
                       "current": False},
        "06_front_door": {"extract_date": "2025-04-01", "data_fingerprint": "older",
                          "current": False},
    }
    statuses = {"01_ok": "built", "05_fragile": "failed", "06_front_door": "published"}
    index = publishing.write_index(year_dir, YEAR, "P", {"extract_date": "2025-06-30"},
                                   statuses, provenance=provenance).read_text()
    rows = [line for line in index.splitlines() if line.startswith("<li><span")]

    def row(page: str) -> str:
        (found,) = [r for r in rows if f'href="{page}"' in r]
        return found

    assert ("From the earlier data extract of 2025-05-15 &lt;b&gt; "
            "(this build's data failed for this chapter)") in row("05_fragile.html")
    assert "<b>" not in index
    assert "From the earlier data extract of 2025-04-01" in row("06_front_door.html")
    assert "data failed" not in row("06_front_door.html")  # not rebuilt, did not fail
    assert "earlier data extract" not in row("01_ok.html")
    assert "2025-04-01" not in row("01_ok.html") and "2025-05-15" not in row("01_ok.html")
    assert sum("earlier data extract" in r for r in rows) == 2
    # Without provenance (existing callers) nothing is marked.
    plain = publishing.write_index(year_dir, YEAR, "P", {}, statuses).read_text()
    assert "earlier data extract" not in plain


def staged_plan(tmp_path: Path, manifest: dict | None = None) -> tuple[YearPlan, list]:
    """A plan whose one chapter has been executed into staging (no kernel needed)."""
    notebooks = tmp_path / "notebooks"
    notebooks.mkdir(exist_ok=True)
    shutil.copy(FIXTURES / "01_ok.ipynb", notebooks)
    (chapter,) = discover(notebooks)
    reports = tmp_path / "reports"
    staging = publishing.new_staging_dir(reports, YEAR)
    (staging / "figures").mkdir()
    (staging / "01_ok.html").write_text("<p>new page</p>")
    (staging / "01_ok.ipynb").write_text("{}")
    (staging / "figures" / "01.csv").write_text("chapter,indicator,value\n1,contacts,43\n")
    plan = YearPlan(YEAR, reports / YEAR, {"synthetic": True}, [chapter], [], [],
                    manifest or cache.empty_manifest(), staging_dir=staging,
                    extract={"extract_date": "2025-06-30", "data_fingerprint": "new"})
    plan.jobs.append(ChapterJob(YEAR, chapter, staging, tmp_path, notebooks, "fp-1"))
    return plan, [ChapterResult(YEAR, chapter, "built")]


def test_a_failure_while_staging_publishes_nothing(tmp_path: Path) -> None:
    year_dir = tmp_path / "reports" / YEAR
    year_dir.mkdir(parents=True)
    (year_dir / "01_ok.html").write_text("<p>old page</p>")
    (year_dir / "figures.csv").write_text("chapter,indicator,value\n1,contacts,42\n")
    before = snapshot(year_dir)
    plan, results = staged_plan(tmp_path)

    def calibrate(year: str, target: Path) -> list[str]:
        target.write_text("half a calibration")
        raise RuntimeError("calibration broke")

    with pytest.raises(RuntimeError):
        publishing.finish_year(plan, results, plan.chapters, "P", calibrate=calibrate,
                               calibration_fingerprint="c1")
    assert snapshot(year_dir) == before


def test_calibration_describes_the_current_extract_and_is_reused(tmp_path: Path) -> None:
    calls: list[str] = []

    def calibrate(year: str, target: Path) -> list[str]:
        calls.append(year)
        target.write_text("ref,status\nF1,match\n")
        return ["calibration: 1 of 1"]

    plan, results = staged_plan(tmp_path)
    outcome = publishing.finish_year(plan, results, plan.chapters, "P", calibrate=calibrate,
                                     calibration_fingerprint="c1")
    assert outcome.notes == ["calibration: 1 of 1"] and calls == [YEAR]
    manifest = cache.load_manifest(plan.year_dir)
    assert manifest["calibration"]["extract"] == plan.extract == manifest["extract"]
    assert manifest["chapters"]["01_ok"]["extract"] == plan.extract

    shutil.rmtree(tmp_path / "notebooks")
    again, results = staged_plan(tmp_path, manifest)
    outcome = publishing.finish_year(again, results, again.chapters, "P", calibrate=calibrate,
                                     calibration_fingerprint="c1")
    assert calls == [YEAR]  # same fingerprint: not recomputed
    assert outcome.notes == ["calibration: 1 of 1"]
    assert (plan.year_dir / "calibration.csv").read_text().startswith("ref,status")
