"""Template pack: empty, correctly headed input files for a new reporting year.

``python -m helpers.data.templates --year 2025-26`` creates ``data/raw/2025-26/`` with one CSV
per table (header row only, columns in the order validation expects), a ``dataset.json``
to complete, and a narrative file per chapter with the block headings the chapters place,
each followed by guidance on what the block should say (marked TO DO, to be replaced).
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

#: What each narrative block should cover: the template pack puts this under each heading,
#: marked TO DO, for the author to replace with the partnership's own words.
GUIDANCE: dict[int, dict[str, str]] = {
    1: {"foreword": "The lead safeguarding partners introduce the {year} report: what went "
                    "well, what worried them, and what they will ask of every agency next year.",
        "values": "The partnership's values, as a short bulleted list."},
    2: {"vision": "A short statement of what the partnership wants for local children.",
        "what_we_do": "The statutory partners, the delegated partners and the subgroups that "
                      "carry out the work.",
        "commitments": "The partnership's commitments, as a short bulleted list.",
        "aims": "What this annual report sets out to do, as a short bulleted list."},
    3: {"scrutiny_questions": "The questions the partnership used in {year} to test whether its "
                              "arrangements work.",
        "independent_scrutiny": "The independent scrutineer's conclusions for {year} and the "
                                "partnership's response.",
        "young_advisors": "What the young advisors looked at and what changed as a result."},
    4: {"borough_summary": "One paragraph on the area: its population, its contrasts of wealth "
                           "and poverty, and what that means for children."},
    5: {"priority_1": "Priority 1: progress in {year} and the challenge for next year.",
        "priority_2": "Priority 2: progress in {year} and the challenge for next year.",
        "priority_3": "Priority 3: progress in {year} and the challenge for next year."},
    6: {"front_door_arrangements": "Explain how the front door is staffed, who sits together in "
                                   "the hub, and how decisions are checked.",
        "impact": "Give one example from {year} of a change at the front door and its effect.",
        "voice_of_the_child": "Quote a child or parent about their first contact with services "
                              "(with permission, and with nothing that identifies them), as a "
                              "> block quote.",
        "early_help": "Describe how families were offered early help in {year}."},
    7: {"cin_cp_scrutiny": "Say what the partnership examined about children in need and child "
                           "protection in {year}, and what it asked agencies to do.",
        "voice_of_the_child": "A young person's words about being listened to, as a > block quote.",
        "children_looked_after": "Summarise the corporate parenting work of {year}.",
        "neglect": "Describe the partnership's work on neglect, including any toolkit.",
        "domestic_abuse": "Report progress on the domestic abuse review's recommendations."},
    8: {"exploitation": "Describe how agencies identify and disrupt exploitation, and what "
                        "young people said about it.",
        "missing": "Explain how return home conversations are offered and used.",
        "youth_violence": "Summarise the work to reduce serious youth violence in {year}."},
    9: {"rapid_review_learning": "Summarise, without identifying anyone, the themes from the "
                                 "year's rapid reviews and what has changed.",
        "cdop_learning": "Summarise the child death overview panel's learning for local practice."},
    10: {"lado_arrangements": "Describe how allegations against people who work with children "
                              "are reported and managed."},
    11: {"communication": "Describe how learning reached practitioners in {year}: briefings, "
                          "newsletters, the website and events."},
    12: {"training_feedback": "A practitioner's comment on a course they attended, as a > block "
                              "quote."},
    13: {"value_for_money": "Explain how the partnership made sure its budget was well spent."},
    14: {"membership_note": "Note any changes to membership during {year}."},
}
#: Starts every guidance paragraph, so a block nobody replaced stands out in a draft.
TODO = "TO DO (replace this paragraph with the partnership's own words):"
GENERIC_GUIDANCE = "Write this block."

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
            guidance = GUIDANCE.get(chapter, {}).get(name, GENERIC_GUIDANCE)
            body += [f"## {name}", f"{TODO} {guidance.format(year=parsed.label)}", ""]
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
