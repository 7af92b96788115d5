"""Template pack: empty, correctly headed input files for a new reporting year.

``python -m helpers.data.templates --year 2025-26`` creates ``data/raw/2025-26/`` with one CSV
per table (header row only, columns in the order validation expects), a ``dataset.json``
to complete, and a narrative file per chapter with the block headings the chapters place.
An analyst fills these in and runs the build; validation says exactly what is missing.
Existing files are never overwritten.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from helpers.config import RAW_DIR, Year
from helpers.data import narrative, schemas
from helpers.demo import synth_narrative as demo_narrative

README = """Input files for {year} (1 April {start} to 31 March {end}).

Fill in every CSV below its header row, complete dataset.json, and replace the text under
each heading in narrative/NN.md with the partnership's own words (set demo: false).
What each column means, and the codes it accepts, is in docs/data-dictionary.md.
Then run: make report YEAR={year}
"""


def planned_files(year: str) -> dict[str, str]:
    """Relative path -> content of every file in the template pack."""
    parsed = Year.parse(year)
    files = {t.filename: ",".join(t.column_names) + "\n" for t in schemas.TABLES.values()}
    files["dataset.json"] = json.dumps(
        {"synthetic": False, "extract_date": "YYYY-MM-DD", "source": "describe the extract"},
        indent=2) + "\n"
    for chapter, blocks in demo_narrative.BLOCKS.items():
        body = ["---", f"chapter: {chapter}", "demo: false", "---", ""]
        for name in blocks:
            body += [f"## {name}", "Write this block in the partnership's own words.", ""]
        files[f"{narrative.FOLDER}/{chapter:02d}.md"] = "\n".join(body)
    files["README.txt"] = README.format(year=year, start=parsed.start, end=parsed.start + 1)
    return files


def write(year: str, out_dir: Path = RAW_DIR) -> list[Path]:
    """Create the template pack; refuse if any of its files already exists."""
    folder = Path(out_dir) / Year.parse(year).label
    files = planned_files(year)
    existing = [rel for rel in files if (folder / rel).exists()]
    if existing:
        raise FileExistsError(f"{folder} already has {', '.join(existing[:5])}"
                              + (" ..." if len(existing) > 5 else "") + "; nothing was written")
    written = []
    for rel, content in files.items():
        path = folder / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(content, encoding="utf-8")
        written.append(path)
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Write empty input files for a new year.")
    parser.add_argument("--year", required=True, help="reporting year, e.g. 2025-26")
    parser.add_argument("--out", type=Path, default=RAW_DIR, help="folder holding year folders")
    args = parser.parse_args(argv)
    try:
        paths = write(args.year, args.out)
    except (FileExistsError, ValueError) as exc:
        print(exc)
        return 1
    print(f"wrote {len(paths)} files under {Path(args.out) / args.year}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
