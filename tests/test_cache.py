"""The build's caches: what makes processing and chapters run again, and what does not.

Code edits happen in a copy of the package in tmp_path (``cache.HELPERS_DIR`` and
``cache.SRC_DIR`` pointed at it), never in the source tree other tests are reading.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from helpers.build import cache
from helpers.build.catalogue import Chapter
from helpers.config import NOTEBOOKS_DIR, RAW_DIR
from helpers.data import processing

FIXTURES = Path(__file__).parent / "fixtures" / "notebooks"
YEAR = "2024-25"
HEAVY = ("pandas", "papermill", "matplotlib", "nbformat", "nbconvert", "nbclient")


@pytest.fixture
def package(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of src/helpers that the cache reads instead of the real one."""
    src = tmp_path / "src"
    shutil.copytree(cache.HELPERS_DIR, src / "helpers",
                    ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    monkeypatch.setattr(cache, "HELPERS_DIR", src / "helpers")
    monkeypatch.setattr(cache, "SRC_DIR", src)
    return src / "helpers"


def edit(path: Path) -> None:
    with path.open("a", encoding="utf-8") as fh:
        fh.write("\n# edited by a test\n")


def chapter(notebook: Path, number: int) -> Chapter:
    return Chapter(number, notebook.stem[3:], "title", notebook)


# --------------------------------------------------------------------------- processing


def test_data_stage_files_are_the_ones_processing_hashes() -> None:
    assert cache.data_stage_code_files() == processing.code_files()
    labels = [label for label, _ in cache.data_stage_code_files()]
    assert "code/data/validation.py" in labels and "code/config.py" in labels
    assert not any("demo" in label for label in labels)
    assert cache.processing_stamp(RAW_DIR / YEAR) == processing.fingerprint(RAW_DIR / YEAR)


def test_any_data_stage_module_reprocesses_and_the_demo_does_not(package: Path) -> None:
    before = cache.processing_stamp(RAW_DIR / YEAR)
    edit(package / "demo" / "generator.py")
    assert cache.processing_stamp(RAW_DIR / YEAR) == before
    edit(package / "data" / "code_lists.py")
    after_edit = cache.processing_stamp(RAW_DIR / YEAR)
    assert after_edit != before
    (package / "data" / "schema_new_domain.py").write_text("TABLES = {}\n")
    assert cache.processing_stamp(RAW_DIR / YEAR) != after_edit


def test_processed_is_current_only_for_the_same_raw_files(tmp_path: Path) -> None:
    raw, processed = tmp_path / "raw", tmp_path / "processed"
    shutil.copytree(RAW_DIR / YEAR, raw / YEAR)
    assert not cache.processed_is_current(YEAR, raw, processed)
    processing.process_year(YEAR, raw, processed)
    assert cache.processed_is_current(YEAR, raw, processed)
    assert cache.read_processed_meta(YEAR, processed)["extract_date"]
    (raw / YEAR / "dataset.json").write_text(
        (raw / YEAR / "dataset.json").read_text().replace("}", ', "note": "x"}', 1))
    assert not cache.processed_is_current(YEAR, raw, processed)


# --------------------------------------------------------------------------- chapters


def test_chapter_depends_on_what_it_imports_transitively() -> None:
    files = {p.relative_to(cache.HELPERS_DIR).as_posix()
             for p in cache.chapter_code_files(NOTEBOOKS_DIR / "06_front_door.ipynb")}
    assert {"chapters/ch06_front_door.py", "indicators/front_door.py", "report/charts.py",
            "data/loading.py", "report/html_export.py", "__init__.py"} <= files
    assert not any(name.startswith(("demo/", "build/")) for name in files)
    plain = {p.relative_to(cache.HELPERS_DIR).as_posix()
             for p in cache.chapter_code_files(FIXTURES / "01_ok.ipynb")}
    assert "report/html_export.py" in plain and "indicators/front_door.py" not in plain


def test_edits_rerun_exactly_the_chapters_that_import_the_code(
    package: Path, tmp_path: Path
) -> None:
    shutil.copy(NOTEBOOKS_DIR / "06_front_door.ipynb", tmp_path / "06_front_door.ipynb")
    shutil.copy(FIXTURES / "01_ok.ipynb", tmp_path / "01_ok.ipynb")
    front_door = chapter(tmp_path / "06_front_door.ipynb", 6)
    plain = chapter(tmp_path / "01_ok.ipynb", 1)

    def fingerprints() -> tuple[str, str]:
        return (cache.chapter_fingerprint(front_door, YEAR, "shared"),
                cache.chapter_fingerprint(plain, YEAR, "shared"))

    first = fingerprints()
    edit(package / "demo" / "synth_front_door.py")
    edit(package / "demo" / "generator.py")
    assert fingerprints() == first  # the demo generator is no chapter's input
    edit(package / "indicators" / "front_door.py")
    second = fingerprints()
    assert second[0] != first[0] and second[1] == first[1]
    edit(package / "report" / "html_export.py")  # every page goes through the export
    third = fingerprints()
    assert third[0] != second[0] and third[1] != second[1]


def test_one_snapshot_gives_the_same_fingerprints_reading_each_file_once(
    package: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shutil.copy(NOTEBOOKS_DIR / "06_front_door.ipynb", tmp_path / "06_front_door.ipynb")
    shutil.copy(NOTEBOOKS_DIR / "07_assurance.ipynb", tmp_path / "07_assurance.ipynb")
    chapters = [chapter(tmp_path / "06_front_door.ipynb", 6),
                chapter(tmp_path / "07_assurance.ipynb", 7)]
    alone = [cache.chapter_fingerprint(c, YEAR, "shared") for c in chapters]
    reads: list[Path] = []
    real_read = Path.read_bytes

    def counted(path: Path) -> bytes:
        reads.append(path)
        return real_read(path)

    monkeypatch.setattr(Path, "read_bytes", counted)
    with cache.one_snapshot():
        together = [cache.chapter_fingerprint(c, YEAR, "shared") for c in chapters]
        edit(package / "indicators" / "front_door.py")  # inside: the snapshot holds
        assert cache.chapter_fingerprint(chapters[0], YEAR, "shared") == together[0]
    assert together == alone
    code = [p for p in reads if p.suffix == ".py"]
    assert code and len(code) == len(set(code))  # both chapters import charts.py: one read
    assert cache.chapter_fingerprint(chapters[0], YEAR, "shared") != alone[0]  # after it


def test_magics_do_not_hide_imports(tmp_path: Path) -> None:
    notebook = tmp_path / "07_x.ipynb"
    cell = {"cell_type": "code", "metadata": {}, "outputs": [], "execution_count": None,
            "source": ["%matplotlib inline\n", "!ls\n", "from helpers.indicators import trends\n"]}
    notebook.write_text(json.dumps({"cells": [cell], "metadata": {}}))
    assert "helpers.indicators.trends" in cache.notebook_imports(notebook)
    cell["source"] = ["def broken(:\n"]
    notebook.write_text(json.dumps({"cells": [cell], "metadata": {}}))
    fallback = cache.notebook_imports(notebook)
    assert "helpers.indicators.front_door" in fallback
    assert not any(name.startswith("helpers.demo") for name in fallback)


# --------------------------------------------------------------------------- cost


def test_planning_modules_import_no_heavy_library() -> None:
    code = ("import sys; import helpers.build.runner, helpers.build.cache, "
            "helpers.build.publishing, helpers.build.plan; "
            f"print(sorted(m for m in {HEAVY!r} if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, env={**os.environ, "PYTHONPATH": str(cache.SRC_DIR)})
    assert out.stdout.strip() == "[]"


@pytest.mark.e2e
def test_no_change_rebuild_imports_nothing_heavy_and_reuses_calibration(tmp_path: Path) -> None:
    """The real data steps: after one build, a second finds everything current cheaply."""
    notebooks = tmp_path / "notebooks"
    notebooks.mkdir()
    shutil.copy(FIXTURES / "pool" / "11_sets_global.ipynb", notebooks)
    argv = ["--year", YEAR, "--raw-dir", str(RAW_DIR), "--processed-dir",
            str(tmp_path / "processed"), "--reports-dir", str(tmp_path / "reports"),
            "--notebooks-dir", str(notebooks), "--workers", "1"]
    env = {**os.environ, "PYTHONPATH": str(cache.SRC_DIR)}
    first = subprocess.run([sys.executable, "-m", "helpers.build", *argv], capture_output=True,
                           text=True, env=env)
    assert first.returncode == 0, first.stdout + first.stderr
    assert "calibration:" in first.stdout
    year_dir = tmp_path / "reports" / YEAR
    before = {p.name: p.stat().st_mtime_ns for p in year_dir.iterdir() if p.is_file()}

    code = ("import sys\nfrom helpers.build import runner\n"
            f"status = runner.main({argv!r})\n"
            f"print('HEAVY', sorted(m for m in {HEAVY!r} if m in sys.modules))\n"
            "print('CALIBRATION' if 'helpers.build.calibration' in sys.modules else 'CACHED')\n"
            "raise SystemExit(status)")
    second = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env)
    assert second.returncode == 0, second.stdout + second.stderr
    assert "unchanged (skipped): 11_sets_global" in second.stdout
    assert "HEAVY []" in second.stdout
    assert "CACHED" in second.stdout
    assert "calibration:" in second.stdout  # the cached notes are still reported
    after = {p.name: p.stat().st_mtime_ns for p in year_dir.iterdir() if p.is_file()}
    assert after == before  # nothing rewritten, not even the index


def test_module_imports_are_kept_between_builds_per_file_version(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    module = tmp_path / "mod.py"
    module.write_text("import helpers.config\nimport os\n")
    store = tmp_path / "cache" / "module-imports.json"
    first = cache.ImportsCache(store)
    assert first.imports(module, "helpers.mod") == {"helpers.config"}
    first.save()
    assert store.is_file()

    def must_not_parse(*_args: object) -> frozenset[str]:
        raise AssertionError("parsed again although the file is unchanged")

    monkeypatch.setattr(cache, "_module_imports", must_not_parse)
    assert cache.ImportsCache(store).imports(module, "helpers.mod") == {"helpers.config"}

    monkeypatch.undo()
    module.write_text("import helpers.config\nfrom helpers.data import stamps\n")  # new version
    assert cache.ImportsCache(store).imports(module, "helpers.mod") == {
        "helpers.config", "helpers.data", "helpers.data.stamps"}


def test_an_unreadable_imports_cache_is_ignored(tmp_path: Path) -> None:
    module = tmp_path / "mod.py"
    module.write_text("import helpers.config\n")
    store = tmp_path / "module-imports.json"
    store.write_text("{not json")
    again = cache.ImportsCache(store)
    assert again.imports(module, "helpers.mod") == {"helpers.config"}
    again.save()
    assert json.loads(store.read_text())[str(module)][3] == ["helpers.config"]
