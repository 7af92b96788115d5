"""Chapter 12, multi-agency training: what the partnership ran, who came, and what they
thought of it.

Declarations only. Every number comes from a ``@measure`` in
``helpers.indicators.training`` (or, for a chart's or table's categories, from the
indicator function its measures use) through the register. Figures are registered under
the chapter number, as the reference report's refs are (the chapter has no sections).
"""

from __future__ import annotations

from helpers.chapters.sections import (
    Chapter,
    DataTable,
    Key,
    KeyFigures,
    Narrative,
    Prose,
    ShareBars,
    Stated,
    StatedFigures,
    Trend,
)
from helpers.data.loading import ReportData
from helpers.data.schema_lado_training import TRAINING_FORMAT
from helpers.indicators import training as lt

S = "12"
#: Named events whose attendance the report states, with the indicator names of those figures.
EVENT_INDICATORS = {"da_learning_event": "da_learning_event_attendees",
                    "mh_lunch_learn": "mh_joint_working_lunch_learn_attendees"}


def _agencies(d: ReportData):
    mix = lt.agency_mix(d.table("training_events"), d.table("training_attendance"))
    return mix.rename(columns={"professionals": "count"})


def _events(d: ReportData):
    events = lt.keyed_events(d.table("training_events"), d.table("training_attendance"))
    return events.assign(format_label=events["format"].map(TRAINING_FORMAT))


def _ratings(d: ReportData):
    return lt.rating_distribution(d.table("training_evaluations"))


CHAPTER = Chapter(12, (
    KeyFigures((Key(S, "training_courses_and_events"),
                Key(S, "professionals_trained", "training_reach_change_pct"),
                Key(S, "courses_good_or_excellent_pct"),
                Key(S, "community_leaders_trained"),
                Key(S, "dsl_education_professionals_trained"))),
    Prose("The partnership runs a programme of multi-agency courses, workshops, conferences and "
          "learning events, so that people from different agencies learn side by side. This "
          "chapter counts the programme and the people it reached, shows which agencies they "
          "came from, links events to the learning that prompted them, and reports what "
          "delegates said about them."),
    Prose("### The programme and its reach"),
    StatedFigures(S, (
        Stated("training_courses_and_events",
               "In {year} the partnership held {value} courses and learning events."),
    ), table=False),
    Trend(S, "professionals_trained", "Professionals trained", change="training_reach_change_pct",
          sentence="{subject} (each person counted once however many events they attended): "
                   "**{now}** in {year}",
          ylabel="Professionals trained"),
    ShareBars(S, _agencies, "agency", lambda code: f"training_agency_pct.{code}",
              subject="Professionals trained from", noun="professionals trained by agency",
              periods="all", lead="Which agencies came.",
              sentence="The largest {what} of {noun} in {year} were from {listed}.",
              title="{leader} staff were the largest share of professionals trained in {year}",
              note="Each person is counted once a year, under the agency recorded at their "
                   "latest event; the chart follows each agency's share over the years.",
              ylabel="Share of professionals trained"),
    Prose("### From learning to commissioning"),
    Prose("Some events are commissioned in response to what the partnership has learned: from "
          "reviews of serious incidents, audits and practitioners' feedback. The table lists "
          "the events of the year that answered a specific piece of learning."),
    DataTable(S, _events, "Events commissioned from learning",
              (("Learning from", "learning_from"), ("Event commissioned", "title"),
               ("Format", "format_label")),
              value="attendees", value_header="Professionals attending", key="event_key",
              indicator=lambda key: EVENT_INDICATORS.get(key, f"event_attendees.{key}")),
    StatedFigures(S, (
        Stated("da_learning_event_attendees",
               "The domestic abuse learning event was attended by {value} practitioners,"),
        Stated("da_learning_event_good_or_excellent_pct",
               "and {value} of its delegates rated it good or excellent."),
        Stated("mh_joint_working_lunch_learn_attendees",
               "The mental health lunch and learn brought together {value} practitioners."),
        Stated("info_sharing_workshop_met_aims_pct",
               "Of those answering, {value} agreed the information-sharing workshop met its "
               "aims."),
    ), table=False),
    Prose("### What delegates thought"),
    ShareBars(S, _ratings, "rating", lambda rating: f"training_rating_pct.{rating}",
              subject="Overall rating", noun="course evaluations by overall rating",
              sentence="Of the evaluations returned in {year}, the largest {what} rated the "
                       "course {listed}.",
              title="{leader} was the most common rating in {year}", top=3,
              xlabel="Overall rating", ylabel="Share of evaluations"),
    StatedFigures(S, (
        Stated("courses_good_or_excellent_pct",
               "Taken together, {value} of evaluations rated the course good or excellent."),
        Stated("training_promoted_equal_opportunities_pct",
               "Of delegates answering the question, {value} agreed that the training promoted "
               "equal opportunities."),
    ), table=False),
    Narrative("training_feedback"),
    Prose("### Training by partners"),
    StatedFigures(S, (
        Stated("community_leaders_trained",
               "The voluntary sector partner trained {value} community sector members and "
               "leaders"),
        Stated("community_training_sessions", "across {value} safeguarding sessions in {year}."),
        Stated("dsl_education_professionals_trained",
               "Designated safeguarding lead training reached {value} education professionals,"),
        Stated("dsl_training_recognise_respond_pct",
               "and {value} of delegates agreed it helped them recognise and respond to "
               "safeguarding concerns."),
    ), lead="Community and school training."),
))
