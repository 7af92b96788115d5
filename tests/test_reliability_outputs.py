"""Output safety: no record id is published, and bad input never touches a good report.

* The identifier scan (:mod:`helpers.build.output_scan`): unit checks of the scan, then a
  whole build where a chapter that used to be fine starts printing a child id: the chapter
  fails, none of its new files is published (not even under ``failed/``), its previous page,
  notebook and register stay byte-identical, and the summary names the file with the id
  masked.
* Bad raw data after a good build (an unknown code, a repeated aggregate key, a file mixing
  encodings): the build exits non-zero naming file, row, column, value and rule, and every
  file of the published year is byte-identical (hashed before and after).

Whole builds start kernels and are marked ``e2e``.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from collections.abc import Callable
from pathlib import Path

import nbformat
import pandas as pd
import pytest

from helpers.build import output_scan
from helpers.build import runner as build
from helpers.config import RAW_DIR
from helpers.data import identifiers

YEAR = "2024-25"
META = {"synthetic": True, "extract_date": "2025-05-12", "source": "demo generator"}
#: Child ids in a format the shape check does not know: only the known-id check finds them.
LOCAL_IDS = ["ZX93172", "ZX93173", "ZX93174"]


def hashes(root: Path) -> dict[str, str]:
    """sha256 of every file under ``root``, by relative path."""
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


def write_chapter(folder: Path, body: str, name: str = "01_probe") -> Path:
    """A one-cell chapter notebook with the build's parameters cell."""
    nb = nbformat.v4.new_notebook()
    params = nbformat.v4.new_code_cell('year = "2024-25"\ndata_dir = ""\noutput_dir = ""')
    params.metadata["tags"] = ["parameters"]
    nb.cells = [params, nbformat.v4.new_code_cell(body)]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.ipynb"
    nbformat.write(nb, path)
    return path


GOOD = """\
import pandas as pd
from pathlib import Path
children = pd.read_parquet(Path(data_dir) / year / "children.parquet")
print(f"Children known in {year}: {len(children)}")
"""
LEAKY = GOOD + 'print("first row:", children["child_id"].iloc[0].lower())\n'


# --------------------------------------------------------------------------- the scan


def test_mask_keeps_the_kind_of_id_but_not_the_id() -> None:
    assert output_scan.mask("CH-000003") == "CH-*****3"
    assert output_scan.mask("rf_2024_00017") == "rf_****_****7"
    assert output_scan.mask("ZX93172") == "ZX****2"
    assert output_scan.mask("123456") == "1****6"


def test_scan_finds_shaped_and_known_ids_line_by_line(tmp_path: Path) -> None:
    page = tmp_path / "06_front_door.html"
    page.write_text("<p>Contacts: 8,583</p>\n<td>ch_000003</td>\n<p>as 2024-25</p>\n"
                    "<p>seen zx-93172 twice</p>\n<img src='data:image/png;base64,CH0000034AAA'>\n")
    known = {"ZX93172": "children.child_id"}
    findings = output_scan.scan_file(page, known)
    assert [(f.line, f.masked, f.kind) for f in findings] == [
        (2, "ch_*****3", "an id-shaped string"),
        (4, "zx ****2", "an id held in children.child_id"),  # as the guard quotes it
    ]
    assert "06_front_door.html line 2: an id-shaped string 'ch_*****3'" in output_scan.summary(
        findings)


def test_scan_reads_notebook_text_not_its_json_escapes(tmp_path: Path) -> None:
    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("print(rows)")
    # In the file's JSON this is "...\nCH-000003", where the n would hide the id.
    cell.outputs = [nbformat.v4.new_output("stream", name="stdout", text="rows:\nCH-000003\n")]
    nb.cells = [cell]
    path = tmp_path / "01.ipynb"
    nbformat.write(nb, path)
    [finding] = output_scan.scan_file(path, {})
    assert finding.masked == "CH-*****3"


def test_lines_read_ahead_are_searched_once_and_still_reported(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The kept pages are searched while the chapters run; the one-file report made of
    them then costs a search of its new lines only, and finds what either holds."""
    page = tmp_path / "07_assurance.html"
    page.write_text("<p>Audits: 12</p>\n<td>seen zx-93172 twice</td>\n")
    report = tmp_path / "annual-report.html"
    report.write_text("<h1>Annual report</h1>\n<p>Audits: 12</p>\n<td>seen zx-93172 twice</td>\n"
                      "<p>ref CH-000003</p>\n")
    scanner = output_scan.IdScan({"ZX93172": "children.child_id"})
    searched: list[str] = []
    real_find = identifiers.find_ids

    def counted(lines: list[str], known: object) -> list[str]:
        searched.extend(lines)
        return real_find(lines, known)

    monkeypatch.setattr(identifiers, "find_ids", counted)
    scanner.read_ahead([page, tmp_path / "14_missing.html"])
    assert searched == ["<p>Audits: 12</p>", "<td>seen zx-93172 twice</td>"]
    findings = scanner.scan(report)
    assert searched[2:] == ["<h1>Annual report</h1>", "<p>ref CH-000003</p>"]
    assert [(f.line, f.kind) for f in findings] == [
        (3, "an id held in children.child_id"), (4, "an id-shaped string")]


def test_known_ids_come_from_every_id_column(tmp_path: Path) -> None:
    pd.DataFrame({"child_id": LOCAL_IDS, "sex": ["1", "2", "1"]}).to_parquet(
        tmp_path / "children.parquet")
    pd.DataFrame({"referral_id": ["RF-2024-00001"], "child_id": ["ZX93172"],
                  "source": ["5D"]}).to_parquet(tmp_path / "referrals.parquet")
    known = output_scan.known_ids(tmp_path)
    assert known == {"ZX93172": "children.child_id", "ZX93173": "children.child_id",
                     "ZX93174": "children.child_id", "RF202400001": "referrals.referral_id"}


def test_a_shared_file_with_an_id_stops_the_year(tmp_path: Path) -> None:
    (tmp_path / "figures.csv").write_text("chapter,label,value\n6,Referral RF-2024-00001,1\n")
    with pytest.raises(output_scan.OutputLeak, match=r"figures.csv line 2: .*'RF-\*\*\*\*-\*\*\*\*1'"):
        output_scan.check_shared(tmp_path, {})


# --------------------------------------------------------------------------- whole builds


class Workspace:
    """Raw, processed, reports and notebooks folders in a temporary directory."""

    def __init__(self, root: Path) -> None:
        self.raw, self.processed = root / "raw", root / "processed"
        self.reports, self.notebooks = root / "reports", root / "notebooks"
        (self.raw / YEAR).mkdir(parents=True)

    def argv(self, *extra: str) -> list[str]:
        return ["--year", YEAR, "--raw-dir", str(self.raw), "--processed-dir",
                str(self.processed), "--reports-dir", str(self.reports),
                "--notebooks-dir", str(self.notebooks), "--workers", "1", *extra]

    def stub_process(self, year: str, raw_dir: Path, processed_dir: Path) -> None:
        """Processing stand-in: a children table whose ids only the known-id check finds."""
        (processed_dir / year).mkdir(parents=True, exist_ok=True)
        pd.DataFrame({"child_id": LOCAL_IDS}).to_parquet(processed_dir / year / "children.parquet")


@pytest.mark.e2e
def test_a_chapter_printing_a_child_id_is_not_published(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ws = Workspace(tmp_path)
    write_chapter(ws.notebooks, GOOD)
    run: Callable[[], int] = lambda: build.main(  # noqa: E731
        ws.argv(), process=ws.stub_process, read_meta=lambda _p: dict(META))
    assert run() == 0
    year_dir = ws.reports / YEAR
    chapter_files = ["01_probe.html", "notebooks/01_probe.ipynb"]
    before = {name: (year_dir / name).read_bytes() for name in chapter_files}
    assert "Children known in 2024-25: 3" in before["01_probe.html"].decode()
    capsys.readouterr()

    write_chapter(ws.notebooks, LEAKY)  # the chapter changed: it now prints an id
    assert run() == 1
    out = capsys.readouterr().out
    assert "FAILED 01_probe: record identifier in the chapter's output" in out
    assert "01_probe.ipynb line" in out
    assert "an id held in children.child_id 'zx****2'" in out
    assert "zx93172" not in out.lower()
    assert {name: (year_dir / name).read_bytes() for name in chapter_files} == before
    everything = b"".join((ws.reports / n).read_bytes() for n in hashes(ws.reports))
    assert b"zx93172" not in everything.lower()
    assert not (year_dir / "failed").exists()
    assert not list(ws.reports.glob(".staging-*"))
    manifest = json.loads((year_dir / "build-manifest.json").read_text())
    assert manifest["chapters"]["01_probe"]["failed"] is True


# --------------------------------------------------------------------------- bad raw data


def _unknown_code(year: Path) -> tuple[str, int, str, str, str]:
    """Referral source 'ZZ' on the first data row of referrals.csv (not a DfE code)."""
    path = year / "referrals.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    header = lines[0].strip().split(",")
    cells = lines[1].rstrip("\n").split(",")
    cells[header.index("source")] = "ZZ"
    lines[1] = ",".join(cells) + "\n"
    path.write_text("".join(lines), encoding="utf-8")
    return "referrals.csv", 2, "source", "ZZ", "COL-"


def _repeated_key(year: Path) -> tuple[str, int, str, str, str]:
    """The first population row again at the end of population.csv."""
    path = year / "population.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    path.write_text("".join(lines) + lines[1], encoding="utf-8")
    value = lines[1].strip().split(",")[1]
    return "population.csv", len(lines) + 1, "ethnic_group", value, "KEY-201"


def _mixed_encodings(year: Path) -> tuple[str, int, str, str, str]:
    """Two new membership rows, one saved as UTF-8 and the next as cp1252.

    Both must hold a non-ASCII letter: a file whose only non-ASCII row is cp1252 is a valid
    cp1252 file, and is read as one.
    """
    path = year / "membership.csv"
    data = path.read_bytes()
    rows = data.count(b"\n") + 1  # the spreadsheet row of the first new line
    last = data.splitlines()[-1].decode("utf-8")
    utf8 = last.replace("Council", "R\u00e9seau Council").encode("utf-8")
    cp1252 = last.replace("Council", "Caf\u00e9 Council").encode("cp1252")
    path.write_bytes(data + utf8 + b"\n" + cp1252 + b"\n")
    return "membership.csv", rows + 1, "", "", "FILE-004"


@pytest.fixture(scope="module")
def good_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A real build (real processing, one small chapter) of the demo 2024-25 data."""
    root = tmp_path_factory.mktemp("good")
    ws = Workspace(root)
    shutil.rmtree(ws.raw / YEAR)
    shutil.copytree(RAW_DIR / YEAR, ws.raw / YEAR)
    write_chapter(ws.notebooks, GOOD)
    assert build.main(ws.argv()) == 0
    assert (ws.reports / YEAR / "01_probe.html").is_file()
    return root


@pytest.mark.e2e
@pytest.mark.parametrize("spoil", [_unknown_code, _repeated_key, _mixed_encodings],
                         ids=["unknown-code", "repeated-key", "mixed-encodings"])
def test_bad_raw_data_after_a_good_build_leaves_the_report_byte_identical(
    good_build: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str],
    spoil: Callable[[Path], tuple[str, int, str, str, str]],
) -> None:
    root = tmp_path / "copy"
    shutil.copytree(good_build, root)
    ws = Workspace.__new__(Workspace)
    ws.raw, ws.processed = root / "raw", root / "processed"
    ws.reports, ws.notebooks = root / "reports", root / "notebooks"
    before = hashes(ws.reports)
    file, row, column, value, rule = spoil(ws.raw / YEAR)
    capsys.readouterr()

    assert build.main(ws.argv()) != 0
    captured = capsys.readouterr()
    message = captured.err
    assert f"{YEAR}: NOT BUILT" in captured.out
    assert f"{file}, row {row}" in message
    if column:
        assert f"column '{column}'" in message
        assert f"'{value}'" in message
    assert f"rule {rule}" in message
    assert hashes(ws.reports) == before
