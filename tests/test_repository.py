"""Repository rules: clean notebooks, thin notebooks, pins in step, no copied report text."""

from __future__ import annotations

import io
import json
import re
import subprocess
import sys
import tokenize
from pathlib import Path

import pytest

from helpers.config import NOTEBOOKS_DIR, REPO_ROOT

NOTEBOOKS = sorted(NOTEBOOKS_DIR.glob("[0-9][0-9]_*.ipynb"))
SEED_TOOL = REPO_ROOT.parent / "shared" / "tools" / "seed_overlap.py"
PIN = re.compile(r"^([A-Za-z0-9_.\-\[\]]+)==([^\s;#]+)")


def cells(path: Path, kind: str) -> list[dict]:
    notebook = json.loads(path.read_text(encoding="utf-8"))
    return [c for c in notebook["cells"] if c["cell_type"] == kind]


def source(cell: dict) -> str:
    text = cell["source"]
    return "".join(text) if isinstance(text, list) else text


def test_there_are_chapter_notebooks() -> None:
    assert NOTEBOOKS, "no NN_slug.ipynb notebooks found"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_is_committed_without_outputs(path: Path) -> None:
    for cell in cells(path, "code"):
        assert cell.get("outputs") == [], f"{path.name}: a code cell has saved outputs"
        assert cell.get("execution_count") is None, f"{path.name}: saved execution count"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_has_the_standard_parameters(path: Path) -> None:
    tagged = [c for c in cells(path, "code") if "parameters" in c.get("metadata", {}).get("tags", [])]
    assert len(tagged) == 1, "exactly one cell tagged 'parameters'"
    names = set(re.findall(r"^(\w+)\s*=", source(tagged[0]), flags=re.M))
    assert names == {"year", "data_dir", "output_dir"}


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_no_figures_are_typed_into_a_notebook(path: Path) -> None:
    """Numbers come from data: code may name only its own chapter number, text none at all."""
    chapter = int(path.name[:2])
    for cell in cells(path, "code"):
        if "parameters" in cell.get("metadata", {}).get("tags", []):
            continue
        tokens = tokenize.generate_tokens(io.StringIO(source(cell)).readline)
        for tok in tokens:
            if tok.type == tokenize.NUMBER:
                assert int(tok.string) == chapter, f"{path.name}: literal {tok.string} in code"
            if tok.type == tokenize.STRING:
                digits = re.sub(r"[^0-9]", "", tok.string)
                assert digits in ("", f"{chapter:02d}"), f"{path.name}: number in {tok.string}"
    for cell in cells(path, "markdown"):
        body = "\n".join(line for line in source(cell).splitlines() if not line.startswith("#"))
        assert not re.search(r"\d", body), f"{path.name}: a number typed into text: {body[:80]}"


def read_pins(lines: list[str]) -> dict[str, str]:
    pins = {}
    for line in lines:
        match = PIN.match(line.strip().lstrip("- ").strip())
        if match:
            pins[match[1].lower()] = match[2]
    return pins


def test_environment_yml_and_requirements_agree() -> None:
    wanted = read_pins((REPO_ROOT / "requirements.in").read_text().splitlines())
    conda = read_pins((REPO_ROOT / "environment.yml").read_text().splitlines())
    locked = read_pins((REPO_ROOT / "requirements.txt").read_text().splitlines())
    assert wanted, "requirements.in pins nothing"
    assert conda == wanted
    for name, version in wanted.items():
        assert locked.get(name) == version, f"requirements.txt has {name}=={locked.get(name)}"


@pytest.mark.skipif(not SEED_TOOL.exists(), reason="reference report tools not present")
def test_no_sentence_is_copied_from_the_reference_report() -> None:
    result = subprocess.run([sys.executable, str(SEED_TOOL), str(REPO_ROOT)],
                            capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout
