"""The process-wide read cache of processed tables (helpers.data.loading.read_stacked).

A warm build kernel runs many chapters and years on one process; the cache must never hand
a chapter a stale table or let one chapter's change to a frame reach the next.
"""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd

from helpers.data import loading
from helpers.data.loading import ReportData


def _write(folder: Path, year: str, values: list[int]) -> Path:
    path = folder / year / "things.parquet"
    path.parent.mkdir(parents=True, exist_ok=True)
    pd.DataFrame({"n": values}).to_parquet(path)
    return path


def test_a_changed_file_is_read_again(tmp_path: Path) -> None:
    path = _write(tmp_path, "2024-25", [1, 2])
    assert ReportData("2024-25", tmp_path).current("things")["n"].tolist() == [1, 2]
    _write(tmp_path, "2024-25", [7, 8, 9])
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000))
    assert ReportData("2024-25", tmp_path).current("things")["n"].tolist() == [7, 8, 9]


def test_a_new_year_is_stacked_in(tmp_path: Path) -> None:
    _write(tmp_path, "2023-24", [1])
    assert ReportData("2024-25", tmp_path).table("things")["period"].tolist() == ["2023-24"]
    _write(tmp_path, "2024-25", [2])
    periods = ReportData("2024-25", tmp_path).table("things")["period"].tolist()
    assert periods == ["2023-24", "2024-25"]


def test_one_readers_change_does_not_reach_another(tmp_path: Path) -> None:
    _write(tmp_path, "2024-25", [1, 2])
    first = ReportData("2024-25", tmp_path)
    frame = first.table("things")
    frame["n"] = [100, 200]
    frame["extra"] = 1
    changed = first.current("things")
    changed.loc[0, "n"] = -1
    second = ReportData("2024-25", tmp_path)
    assert second.table("things")["n"].tolist() == [1, 2]
    assert "extra" not in second.table("things").columns
    assert loading.read_stacked("things", ["2024-25"], tmp_path)["n"].tolist() == [1, 2]


def test_views_of_other_years_are_shared(tmp_path: Path) -> None:
    _write(tmp_path, "2023-24", [1])
    _write(tmp_path, "2024-25", [2])
    data = ReportData("2024-25", tmp_path)
    last = data.for_year("2023-24")
    assert data.for_year("2023-24") is last
    assert last.for_year("2024-25") is data
    assert last.current("things")["n"].tolist() == [1]


def test_remembered_results_are_computed_once_per_year_and_errors_raise_again(
        tmp_path: Path) -> None:
    _write(tmp_path, "2023-24", [1])
    _write(tmp_path, "2024-25", [2])
    data = ReportData("2024-25", tmp_path)
    calls: list[str] = []

    def total(d: ReportData) -> int:
        calls.append(d.year)
        return int(d.current("things")["n"].sum())

    assert data.remember("total", lambda: total(data)) == 2
    assert data.remember("total", lambda: total(data)) == 2
    last = data.for_year("2023-24")
    assert last.remember("total", lambda: total(last)) == 1
    assert calls == ["2024-25", "2023-24"]

    def broken() -> int:
        calls.append("broken")
        raise LookupError("no rows")

    for _ in range(2):
        try:
            data.remember("broken", broken)
        except LookupError as exc:
            assert str(exc) == "no rows"
        else:
            raise AssertionError("the remembered error should be raised again")
    assert calls.count("broken") == 1


def test_shared_results_follow_the_files(tmp_path: Path) -> None:
    path = _write(tmp_path, "2024-25", [1, 2])
    loading.share_results(True)
    try:
        first = ReportData("2024-25", tmp_path)
        assert first.remember("total", lambda: int(first.current("things")["n"].sum())) == 3
        again = ReportData("2024-25", tmp_path)  # another chapter on the same files
        assert again.remember("total", lambda: -1) == 3
        _write(tmp_path, "2024-25", [10])
        stat = path.stat()
        os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000))
        changed = ReportData("2024-25", tmp_path)
        assert changed.remember("total", lambda: int(changed.current("things")["n"].sum())) == 10
    finally:
        loading.share_results(False)
    alone = ReportData("2024-25", tmp_path)
    assert alone.remember("total", lambda: -1) == -1  # sharing off: each reader its own


def test_a_reader_never_reads_a_later_year(tmp_path: Path) -> None:
    # A batch processes its later years while the first year's chapters run: a later
    # year half-written (here, a file that is not a table) must not reach them.
    _write(tmp_path, "2023-24", [1])
    (tmp_path / "2024-25").mkdir()
    (tmp_path / "2024-25" / "things.parquet").write_bytes(b"being written")
    data = ReportData("2023-24", tmp_path)
    assert data.years_held() == ["2023-24"]
    assert data.current("things")["n"].tolist() == [1]
    assert data.for_year("2022-23").years_held() == ["2023-24"]  # a view shares its tables


def test_a_later_year_asked_for_is_read_whole(tmp_path: Path) -> None:
    # No chapter looks forward, but a reader asked for a later year must not be handed a
    # view of tables that stop before it.
    _write(tmp_path, "2023-24", [1])
    _write(tmp_path, "2024-25", [2, 3])
    later = ReportData("2023-24", tmp_path).for_year("2024-25")
    assert later.current("things")["n"].tolist() == [2, 3]
    assert later.years_held() == ["2023-24", "2024-25"]


def test_a_years_shared_results_survive_a_later_year_and_serve_its_trend(
        tmp_path: Path) -> None:
    _write(tmp_path, "2023-24", [1, 2])
    loading.share_results(True)
    try:
        before = loading.folder_stamps(tmp_path, "2023-24")
        last = ReportData("2023-24", tmp_path)  # last year's chapter
        assert last.remember("total", lambda: int(last.current("things")["n"].sum())) == 3
        staging = tmp_path / ".tmp-2024-25-x"  # processing writes a year aside first
        staging.mkdir()
        (staging / "things.parquet").write_bytes(b"")
        _write(tmp_path, "2024-25", [10])
        assert loading.folder_stamps(tmp_path, "2023-24") == before
        trend = ReportData("2024-25", tmp_path).for_year("2023-24")  # this year's trend
        assert trend.remember("total", lambda: -1) == 3
        assert ReportData("2024-25", tmp_path).table("things")["n"].tolist() == [1, 2, 10]
    finally:
        loading.share_results(False)
