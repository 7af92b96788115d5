"""Narrative as data: the partnership's own text blocks, validated like any other input."""

from __future__ import annotations

from pathlib import Path

import pytest

from helpers.data import narrative
from helpers.data.validation import RawDataError
from helpers.demo import synth_narrative as demo_narrative


def write(tmp_path: Path, name: str, text: str) -> Path:
    folder = tmp_path / narrative.FOLDER
    folder.mkdir(exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def test_blocks_are_read_in_order_with_demo_flag(tmp_path: Path) -> None:
    write(tmp_path, "06.md", "---\nchapter: 6\ndemo: true\n---\n## impact\nFirst.\n\n"
                             "## voice_of_the_child\n> Second.\n")
    table = narrative.read_year(tmp_path)
    assert table[["chapter", "block", "markdown"]].values.tolist() == [
        [6, "impact", "First."], [6, "voice_of_the_child", "> Second."]]
    assert narrative.block(table, 6, "impact").startswith(f"*{narrative.DEMO_MARK}.*")
    assert narrative.block(table, 6, "missing") == ""


def test_real_text_is_not_marked_demo(tmp_path: Path) -> None:
    write(tmp_path, "01.md", "---\nchapter: 1\ndemo: false\n---\n## foreword\nOur year.\n")
    assert narrative.block(narrative.read_year(tmp_path), 1, "foreword") == "Our year."


@pytest.mark.parametrize(
    ("name", "text", "row", "fragment"),
    [
        ("06.md", "---\nchapter: 7\n---\n## impact\nx\n", 2, "chapter: 6"),
        ("06.md", "## impact\nx\n## impact\ny\n", 3, "each block once"),
        ("06.md", "## Impact Now\nx\n", 1, "lower case"),
        ("06.md", "## impact\n\n## next\ny\n", 3, "some text under '## impact'"),
        ("06.md", "Loose text\n## impact\nx\n", 1, "start with a '## block_name'"),
        ("06.md", "## impact\nSeen as CH-000123 last May.\n", 2, "no case-record identifiers"),
        ("06.md", "---\nchapter: 6\n## impact\nx\n", 1, "closing '---'"),
        ("six.md", "## impact\nx\n", None, "NN.md"),
    ],
)
def test_bad_narrative_is_rejected_with_its_line(tmp_path: Path, name: str, text: str,
                                                 row: int | None, fragment: str) -> None:
    write(tmp_path, name, text)
    with pytest.raises(RawDataError) as info:
        narrative.read_year(tmp_path)
    problems = [p for p in info.value.problems if fragment in p.expected]
    assert problems, info.value
    assert problems[0].row == row
    assert problems[0].file == f"narrative/{name}"


def test_no_folder_means_no_blocks(tmp_path: Path) -> None:
    assert narrative.read_year(tmp_path).empty


def test_demo_narrative_covers_every_chapter_and_is_valid(tmp_path: Path) -> None:
    demo_narrative.write(tmp_path, "2024-25")
    table = narrative.read_year(tmp_path)
    assert sorted(table["chapter"].unique()) == list(range(1, 15))
    assert table["demo"].all()
    assert not table["markdown"].str.contains("{year}", regex=False).any()
