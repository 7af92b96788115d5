"""Warm kernels: same notebook as a cold papermill run, no state between chapters, crashes
contained. Every test here starts real kernels (marked ``e2e``)."""

from __future__ import annotations

import copy
import shutil
from pathlib import Path
from typing import Any

import nbformat
import papermill
import pytest

from helpers.build import catalogue, kernel_pool
from helpers.build.plan import ChapterJob

FIXTURES = Path(__file__).parent / "fixtures" / "notebooks"
POOL = FIXTURES / "pool"
YEAR = "2024-25"
#: papermill metadata that differs between any two runs, warm or cold.
VOLATILE_PAPERMILL = ("start_time", "end_time", "duration", "input_path", "output_path")

pytestmark = pytest.mark.e2e


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """Notebooks and the small processed table the 01_ok fixture reads."""
    notebooks = tmp_path / "notebooks"
    notebooks.mkdir()
    for source in [FIXTURES / "01_ok.ipynb", *POOL.glob("*.ipynb")]:
        shutil.copy(source, notebooks / source.name)
    (tmp_path / "processed" / YEAR).mkdir(parents=True)
    (tmp_path / "processed" / YEAR / "counts.csv").write_text("value\n42\n")
    (tmp_path / "staging").mkdir()
    return tmp_path


@pytest.fixture
def kernel(folder: Path) -> Any:
    warm = kernel_pool.WarmKernel(["csv", "json"], folder / "notebooks")
    warm.start()
    kernel_pool.warm_exporter()
    warm.ready()
    yield warm
    warm.shutdown()


def job(folder: Path, name: str) -> ChapterJob:
    (chapter,) = [c for c in catalogue.discover(folder / "notebooks") if c.name == name]
    return ChapterJob(YEAR, chapter, folder / "staging", folder / "processed",
                      folder / "notebooks", "fp")


def comparable(nb: Any) -> dict[str, Any]:
    """A notebook without what differs between runs: timings, paths, cell ids."""
    nb = copy.deepcopy(nb)
    for key in VOLATILE_PAPERMILL:
        nb.metadata.papermill.pop(key, None)
    cells = []
    for cell in nb.cells:
        meta = dict(cell.metadata)
        papermill_meta = {k: v for k, v in meta.pop("papermill", {}).items()
                          if k not in ("start_time", "end_time", "duration")}
        meta.pop("execution", None)
        cells.append({"type": cell.cell_type, "source": cell.source, "metadata": meta,
                      "papermill": papermill_meta, "outputs": cell.get("outputs"),
                      "count": cell.get("execution_count")})
    return {"metadata": nb.metadata, "cells": cells}


def test_warm_run_gives_the_cold_run_notebook(folder: Path, kernel: Any) -> None:
    parameters = job(folder, "01_ok").parameters
    source = folder / "notebooks" / "01_ok.ipynb"
    cold = papermill.execute_notebook(
        str(source), str(folder / "cold.ipynb"), parameters=parameters, kernel_name="python3",
        cwd=str(folder / "notebooks"), progress_bar=False)
    # A chapter first, so the comparison is with a kernel that has already been used.
    kernel.execute(folder / "notebooks" / "11_sets_global.ipynb", folder / "other.ipynb",
                   parameters, folder / "notebooks")
    warm = kernel.execute(source, folder / "warm.ipynb", parameters, folder / "notebooks")
    a, b = comparable(warm), comparable(cold)
    for x, y in zip(a["cells"], b["cells"], strict=True):
        assert x == y
    assert a == b
    on_disk = nbformat.read(str(folder / "warm.ipynb"), as_version=4)
    assert comparable(on_disk) == comparable(cold)
    assert "Contacts received in 2024-25: 42" in str(warm.cells[-1].outputs)
    assert [c.get("execution_count") for c in warm.cells if c.cell_type == "code"] == [1, 2, 3]


def test_no_state_leaks_between_chapters_on_one_kernel(folder: Path, kernel: Any) -> None:
    first = kernel_pool.run_chapter_on(kernel, job(folder, "11_sets_global"))
    assert first.status == "built", first.error
    second = kernel_pool.run_chapter_on(kernel, job(folder, "12_checks_clean"))
    assert second.status == "built", second.error
    assert kernel.starts == 1  # the same kernel ran both
    executed = nbformat.read(str(second.notebook), as_version=4)
    assert "clean 2024-25" in str(executed.cells[-2].outputs)


def test_leak_check_fixture_does_fail_when_state_is_left(folder: Path, kernel: Any) -> None:
    """The leak test above proves something only if the check fails on a dirty kernel."""
    kernel_pool.run_chapter_on(kernel, job(folder, "11_sets_global"))
    dirty = job(folder, "12_checks_clean")
    kernel.reset = lambda cwd, timeout=60: None  # skip the clean-up between chapters
    result = kernel_pool.run_chapter_on(kernel, dirty)
    assert result.status == "failed"
    assert "state leaked from an earlier chapter" in (result.error or "")


def test_crashing_chapter_fails_alone_and_the_next_gets_a_kernel(
    folder: Path, kernel: Any
) -> None:
    crashed = kernel_pool.run_chapter_on(kernel, job(folder, "13_crashes"))
    assert crashed.status == "failed"
    assert "kernel died" in (crashed.error or "")
    assert crashed.notebook is not None
    kept = nbformat.read(str(crashed.notebook), as_version=4)
    assert "about to crash" in str(kept.cells)  # outputs up to the crash are kept
    assert kernel.starts == 2 and kernel.alive()

    after = kernel_pool.run_chapter_on(kernel, job(folder, "01_ok"))
    assert after.status == "built", after.error
    assert (folder / "staging" / "01_ok.html").is_file()
    assert after.html_seconds > 0


def test_preload_lists_the_notebooks_imports() -> None:
    names = kernel_pool.preload_modules([FIXTURES / "01_ok.ipynb"])
    assert {"csv", "os", "pathlib"} <= set(names)
    chapter = kernel_pool.preload_modules([Path(catalogue.__file__).parents[3] / "notebooks"
                                           / "06_front_door.ipynb"])
    assert "helpers.chapters.ch06_front_door" in chapter


def _notebook(path: Path, *sources: str) -> Path:
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell("year = '2024-25'", metadata={"tags": ["parameters"]}),
                *(nbformat.v4.new_code_cell(s) for s in sources)]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                 "language": "python"}
    nbformat.write(nb, str(path))
    return path


def test_a_chapters_garbage_is_collected_before_the_heap_is_frozen(
    folder: Path, kernel: Any
) -> None:
    """The reset freezes what survives a chapter (so later collections skip it); garbage
    left in reference cycles must be collected first, or each chapter would leak it."""
    notebooks = folder / "notebooks"
    makes_cycle = _notebook(
        notebooks / "21_cycle.ipynb",
        "import sys, types, weakref\n"
        "class Node:\n    pass\n"
        "node = Node()\nnode.me = node\n"
        "probe = sys.modules.setdefault('_lscp_probe', types.ModuleType('_lscp_probe'))\n"
        "probe.ref = weakref.ref(node)")
    checks = _notebook(
        notebooks / "22_check.ipynb",
        "import gc, sys\n"
        "assert sys.modules['_lscp_probe'].ref() is None, 'a cycle outlived its chapter'\n"
        "assert gc.get_freeze_count() > 0, 'the surviving heap was not frozen'\n"
        "print('collected')")
    parameters = {"year": YEAR}
    kernel.execute(makes_cycle, folder / "a.ipynb", parameters, notebooks)
    done = kernel.execute(checks, folder / "b.ipynb", parameters, notebooks)
    assert "collected" in str(done.cells[-1].outputs)


def test_a_shown_result_is_in_the_notebook_and_not_kept_for_the_next_chapter(
    folder: Path, kernel: Any
) -> None:
    """The kernel keeps no output cache and no history database (KERNEL_ARGUMENTS): a
    cell's result is still recorded as the notebook's execute_result, with its count, and
    nothing of it is left for the next chapter."""
    notebooks = folder / "notebooks"
    shows = _notebook(
        notebooks / "23_shows.ipynb",
        "import sys, types, weakref\n"
        "class Shown:\n    def __repr__(self):\n        return 'shown 42'\n"
        "probe = sys.modules.setdefault('_lscp_probe', types.ModuleType('_lscp_probe'))\n"
        "result = Shown()\nprobe.ref = weakref.ref(result)\nresult")
    checks = _notebook(
        notebooks / "24_check.ipynb",
        "import sys\n"
        "assert sys.modules['_lscp_probe'].ref() is None, 'a shown result outlived its chapter'\n"
        "shell = get_ipython()\n"
        "print('history', shell.history_manager.enabled, 'cache', shell.displayhook.do_full_cache)")
    parameters = {"year": YEAR}
    shown = kernel.execute(shows, folder / "a.ipynb", parameters, notebooks)
    (result,) = shown.cells[-1].outputs
    assert result.output_type == "execute_result"
    assert result.data["text/plain"] == "shown 42"
    assert result.execution_count == shown.cells[-1].execution_count == 3  # after parameters
    done = kernel.execute(checks, folder / "b.ipynb", parameters, notebooks)
    assert "history False cache 0" in str(done.cells[-1].outputs)
