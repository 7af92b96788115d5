"""Placeholder narrative for the demo years: short, generic, and marked as demo text.

A real partnership replaces these files with its own words (see ``helpers.data.narrative``).
The texts are deliberately plain so nobody mistakes them for a partnership's findings.
"""

from __future__ import annotations

from pathlib import Path

from helpers.data.narrative import FOLDER

# chapter -> {block: text}. "{year}" is replaced by the reporting year.
BLOCKS: dict[int, dict[str, str]] = {
    1: {
        "foreword": "This placeholder foreword stands where the lead safeguarding partners "
                    "introduce the {year} report: what went well, what worried them, and what "
                    "they will ask of every agency next year.",
        "values": "- Working through relationships\n- Practice that is compassionate and "
                  "anti-racist\n- Learning together\n- Curiosity and courage",
    },
    2: {
        "vision": "A short statement of what the partnership wants for local children goes here.",
        "what_we_do": "Describe the statutory partners, the delegated partners and the subgroups "
                      "that carry out the work.",
    },
    3: {
        "scrutiny_questions": "List the questions the partnership used in {year} to test whether "
                              "its arrangements work.",
        "independent_scrutiny": "Summarise the independent scrutineer's conclusions for {year} "
                                "and the partnership's response.",
        "young_advisors": "Record what the young advisors looked at and what changed as a result.",
    },
    4: {"borough_summary": "One paragraph on the area: its population, its contrasts of wealth "
                           "and poverty, and what that means for children."},
    5: {
        "priority_1": "Children in care and care-experienced young people: progress in {year} "
                      "and the challenge for next year.",
        "priority_2": "Mental health in families: progress in {year} and the challenge for next year.",
        "priority_3": "Getting vulnerable children back into education: progress in {year} and "
                      "the challenge for next year.",
    },
    6: {
        "front_door_arrangements": "Explain how the front door is staffed, who sits together in "
                                   "the hub, and how decisions are checked.",
        "impact": "Give one example from {year} of a change at the front door and its effect.",
        "voice_of_the_child": "> Quote a child or parent about their first contact with services "
                              "(with permission, and with nothing that identifies them).",
    },
    7: {
        "cin_cp_scrutiny": "Say what the partnership examined about children in need and child "
                           "protection in {year}, and what it asked agencies to do.",
        "voice_of_the_child": "> A young person's words about being listened to belong here.",
        "children_looked_after": "Summarise the corporate parenting work of {year}.",
        "neglect": "Describe the partnership's work on neglect, including its toolkit.",
        "domestic_abuse": "Report progress on the domestic abuse review's recommendations.",
    },
    8: {
        "exploitation": "Describe how agencies identify and disrupt exploitation, and what "
                        "young people said about it.",
        "missing": "Explain how return home conversations are offered and used.",
        "youth_violence": "Summarise the work to reduce serious youth violence in {year}.",
    },
    9: {
        "rapid_review_learning": "Summarise, without identifying anyone, the themes from the "
                                 "year's rapid reviews and what has changed.",
        "cdop_learning": "Summarise the child death overview panel's learning for local practice.",
    },
    10: {"lado_arrangements": "Describe how allegations against people who work with children "
                              "are reported and managed."},
    11: {"communication": "Describe how learning reached practitioners in {year}: briefings, "
                          "newsletters, the website and events."},
    12: {"training_feedback": "> A practitioner's comment on a course they attended goes here."},
    13: {"value_for_money": "Explain how the partnership made sure its budget was well spent."},
    14: {"membership_note": "Note any changes to membership during {year}."},
}


def render(chapter: int, year: str) -> str:
    """One chapter's narrative file for ``year``."""
    parts = ["---", f"chapter: {chapter}", "demo: true", "---", ""]
    for name, text in BLOCKS[chapter].items():
        parts += [f"## {name}", text.format(year=year), ""]
    return "\n".join(parts)


def write(year_dir: Path, year: str) -> list[Path]:
    """Write every chapter's demo narrative for one year; return the paths."""
    folder = Path(year_dir) / FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for chapter in BLOCKS:
        path = folder / f"{chapter:02d}.md"
        path.write_text(render(chapter, year), encoding="utf-8")
        paths.append(path)
    return paths
