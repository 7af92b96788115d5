"""Demo narrative for the synthetic years: what a partnership's own text might say.

A real partnership replaces these files with its own words (see ``helpers.data.narrative``;
the guidance on what each block should cover is in the template pack,
``helpers.data.templates``). The demo texts read as a partnership's text would, so a demo
report can be judged as a reader will see it, but they describe no real service, person or
event, carry no figures (every number in the report comes from the data), and every file
is marked ``demo: true``, which prints "Demo text, written for the synthetic data" above
each block.
"""

from __future__ import annotations

from pathlib import Path

from helpers.data.narrative import FOLDER

#: One paragraph the demo pastes into two blocks of chapter 6 (6.1 and 6.2), as a real
#: report sometimes does: the data-quality page must find it.
_PASTED = ("Most families reached the right service at the first attempt, and the "
           "out-of-hours team now visits children and holds strategy meetings at night when "
           "it needs to.")

# chapter -> {block: text}. "{year}" is replaced by the reporting year.
BLOCKS: dict[int, dict[str, str]] = {
    1: {
        "foreword": "As lead safeguarding partners we are proud of how agencies worked together "
                    "in {year}. Demand at the front door kept rising, and staff across health, "
                    "police, schools and the council met it with care and good judgement. We "
                    "also heard, through our reviews, where help came too late; this report "
                    "sets out what we learned and what we will ask of every agency next year.",
        "values": "- Working through relationships\n- Practice that is compassionate and "
                  "anti-racist\n- Learning together\n- Curiosity and courage",
    },
    2: {
        "vision": "We want every child in the borough to grow up safe, healthy and heard, with "
                  "help offered early and from people they trust.",
        "what_we_do": "The partnership is led by the council, the integrated care board and the "
                      "police, working with schools, housing, probation and the voluntary "
                      "sector. Its subgroups on quality assurance, learning and training carry "
                      "out the work between meetings of the executive.",
        "commitments": "- **Work together:** decisions rest on one shared way of practising "
                       "and on open discussion of what every service's data show\n"
                       "- **Keep learning:** staff learn from one another through joint "
                       "audits, shared supervision and watching each other's practice\n"
                       "- **Pool what we have:** a child's support draws on the skills of "
                       "every agency, not only the one that first met them\n"
                       "- **Include everyone:** practitioners are helped to notice and "
                       "tackle unfairness, bias and stereotyping\n"
                       "- **Challenge each other:** agencies question one another openly, and "
                       "a professional's own judgement counts alongside the group's view",
        "aims": "This report looks back over {year} so that:\n\n"
                "- the lead partners can be held to account for the arrangements\n"
                "- what the data show can shape the next round of local policy\n"
                "- gaps that need help from national bodies are named\n"
                "- lessons can inform changes to statutory guidance",
    },
    3: {
        "scrutiny_questions": "In {year} we tested our arrangements with three questions: do "
                              "children get the right help at the right time; do agencies share "
                              "information promptly; and do we act on what reviews tell us?",
        "independent_scrutiny": "Our independent scrutineer found the partnership open to "
                                "challenge and well attended, and asked us to show more clearly "
                                "how learning changes practice. We have added an impact check to "
                                "every action plan in response.",
        "young_advisors": "Young advisors reviewed how our leaflets explain a referral to "
                          "children's social care. Their rewrite, in plainer words, is now the "
                          "version families receive.",
    },
    4: {"borough_summary": "The borough is a place of sharp contrasts: some of the most "
                           "expensive streets in the country sit beside estates where many "
                           "children grow up in poverty. A young, diverse population speaks "
                           "many languages, and services plan for that from the start."},
    5: {
        "priority_1": "Children in care and care-experienced young people: in {year} more young "
                      "people helped to design the services they use. Next year we will focus "
                      "on stable homes close to school and friends.",
        "priority_2": "Mental health in families: parents' mental health now features in every "
                      "multi-agency training course. The challenge ahead is quicker access to "
                      "support for parents of young children.",
        "priority_3": "Getting vulnerable children back into education: schools and social care "
                      "shared attendance concerns earlier in {year}. We now want every child "
                      "missing education to have a named lead professional.",
    },
    6: {
        "front_door_arrangements": "The front door brings social workers, police officers, "
                                   "health practitioners and an education adviser together in "
                                   "one team. Each contact is screened on the day it arrives; "
                                   "a manager reviews every decision to take no further action, "
                                   "and a weekly audit checks a sample of cases against the "
                                   "threshold guidance.",
        "impact": "In {year} a housing officer joined the team two days a week. Families facing "
                  "eviction are now offered advice during the first conversation, rather than "
                  "after a referral has been passed on.\n\n" + _PASTED,
        "voice_of_the_child": "> \"The person who rang me back explained what would happen "
                              "next and didn't make me feel judged.\"\n>\n> A parent, after "
                              "contacting the front door",
        "early_help": "Family hubs took more requests for help directly from parents in "
                      "{year}, without a professional referral.\n\n" + _PASTED,
    },
    7: {
        "cin_cp_scrutiny": "In {year} the partnership examined how quickly child protection "
                           "plans end once risks reduce, and asked agencies to record the "
                           "child's own view at every review conference.",
        "voice_of_the_child": "> \"My social worker actually listened when I said I wanted to "
                              "stay at my school.\"\n>\n> A young person on a child "
                              "protection plan",
        "children_looked_after": "The corporate parenting board met each term in {year} and "
                                 "heard directly from the children in care council about "
                                 "placements, health checks and support after leaving care.",
        "neglect": "Practitioners now use a shared neglect toolkit, so that a health visitor "
                   "and a teacher describe a family's circumstances in the same terms.",
        "domestic_abuse": "Most of the domestic abuse review's recommendations have been put in "
                          "place; the work on support for children who witness abuse continues "
                          "next year.",
    },
    8: {
        "exploitation": "Agencies meet weekly to share concerns about children at risk of "
                        "exploitation and to plan disruption together. Young people told us "
                        "they want adults who stay with them over time, not a new face at "
                        "every meeting.",
        "missing": "Every child who returns from being missing is offered a conversation with "
                   "an independent worker; what children say feeds into the weekly meeting.",
        "youth_violence": "In {year} youth workers, schools and the police ran joint sessions "
                          "in the places young people said they felt least safe.",
    },
    9: {
        "rapid_review_learning": "The year's rapid reviews pointed to the same theme: "
                                 "information held by one agency did not reach the others in "
                                 "time. Shared chronologies are now started at the first "
                                 "strategy discussion.",
        "cdop_learning": "The child death overview panel reminded practitioners of safer sleep "
                         "advice, which is now part of every health visitor's new birth visit.",
    },
    10: {"lado_arrangements": "Any concern that someone who works with children may have harmed "
                              "a child is reported to the Local Authority Designated Officer, "
                              "who advises the employer and chairs the multi-agency meetings "
                              "that decide what happens next."},
    11: {"communication": "In {year} learning reached practitioners through short briefings "
                          "after each review, a termly newsletter, the partnership website and "
                          "an annual conference."},
    12: {"training_feedback": "> \"The session gave me the confidence to ask harder questions "
                              "at a strategy meeting.\"\n>\n> A school designated "
                              "safeguarding lead"},
    13: {"value_for_money": "The partners agreed the budget together and reviewed spending each "
                            "quarter; most of it pays for training, reviews and the small team "
                            "that supports the partnership."},
    14: {"membership_note": "The partnership welcomed new representatives from probation and "
                            "the voluntary sector during {year}."},
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
