"""The template pack for a new year, and the generated data dictionary."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from helpers.data import dictionary, schemas, templates
from helpers.data.processing import validate_year
from helpers.data.validation import RawDataError


def test_template_pack_has_every_table_with_its_header(tmp_path: Path) -> None:
    paths = templates.write("2025-26", tmp_path)
    folder = tmp_path / "2025-26"
    assert folder / "README.txt" in paths
    for table in schemas.TABLES.values():
        lines = (folder / table.filename).read_text(encoding="utf-8").splitlines()
        assert lines == [",".join(table.column_names)]
    meta = json.loads((folder / "dataset.json").read_text())
    assert meta["synthetic"] is False
    assert (folder / "narrative" / "06.md").read_text().count("## ") >= 1


def test_template_pack_never_overwrites(tmp_path: Path) -> None:
    templates.write("2025-26", tmp_path)
    with pytest.raises(FileExistsError, match="nothing was written"):
        templates.write("2025-26", tmp_path)
    assert templates.main(["--year", "2025-26", "--out", str(tmp_path)]) == 1


def test_an_unfilled_template_fails_validation_naming_each_empty_file(tmp_path: Path) -> None:
    templates.write("2025-26", tmp_path)
    with pytest.raises(RawDataError) as info:
        validate_year("2025-26", tmp_path)
    files = {p.file for p in info.value.problems}
    required = {t.filename for t in schemas.TABLES.values() if not t.optional}
    optional = {t.filename for t in schemas.TABLES.values() if t.optional}
    assert required <= files
    assert optional and not optional & files  # an empty optional table is accepted
    assert all("this table is required" in p.expected for p in info.value.problems
               if p.rule == "FILE-002")


def test_bad_year_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="2024-25"):
        templates.write("2025/26", tmp_path)


def test_dictionary_lists_every_table_column_and_code_list() -> None:
    text = dictionary.render()
    for table in schemas.TABLES.values():
        assert f"### `{table.filename}`" in text
        for col in table.column_names:
            assert f"| `{col}` |" in text
    assert "### CIN census referral sources" in text
    assert "| `re_referral_rate` |" in text
    assert "| `contacts_total` |" in text


def test_committed_dictionary_is_up_to_date() -> None:
    committed = dictionary.TARGET.read_text(encoding="utf-8")
    assert committed == dictionary.render(), "run: python -m helpers.data.dictionary"
