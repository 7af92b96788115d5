"""Chapter 6, Children and Families Contact Service: the front door, early help and MASH.

Declarations only: which measures each section states, in what words, with what chart.
Every number comes from a ``@measure`` in ``helpers.indicators.front_door`` (or, for a
chart's categories, from the indicator function its measures use) through the register.
"""

from __future__ import annotations

from helpers.chapters.sections import (
    Breakdown,
    Chapter,
    Heading,
    Key,
    KeyFigures,
    Narrative,
    Prose,
    Stated,
    StatedFigures,
    Trend,
)
from helpers.data.loading import ReportData
from helpers.indicators import front_door as fd

#: Indicator-name slugs of the referral source groups (``referrals_from_<slug>_pct``).
SOURCE_SLUGS = {
    "Police": "police", "Local Authority services": "la_services", "Health": "health",
    "Schools": "schools", "Individual": "individuals", "Housing": "housing",
    "Other legal agency": "other_legal_agency", "Other education services": "other_education",
    "Other": "other", "Anonymous": "anonymous", "Unknown": "unknown",
}
#: The factor figures the report names, with the same indicator names as their measures.
FACTOR_INDICATORS = {code: name for name, code in fd.FACTOR_MEASURES.items()}


def _sources(d: ReportData):
    return fd.referral_sources(d.table("referrals")).assign(label=lambda f: f["source_group"])


def _outcomes(d: ReportData):
    return fd.contact_outcomes(d.table("contacts"))


def _factors(d: ReportData):
    return fd.assessment_factors(d.table("assessments"), d.table("assessment_factors"))


CHAPTER = Chapter(6, (
    KeyFigures((Key("6.1", "contacts_total", "contacts_change_pct"),
                Key("6.3", "referrals_to_csc_total"),
                Key("6.1", "re_referral_rate", "repeat_referral_rate_change"),
                Key("6.2", "contacts_progressed_to_early_help"),
                Key("6.3", "contacts_to_csc_referral_pct"))),
    Prose("The front door is where anyone worried about a child (a teacher, a GP, a police "
          "officer, a neighbour, or a family itself) first gets in touch with children's "
          "services. This chapter looks at how many contacts arrived, who made them, what was "
          "decided, and what social work assessments went on to find."),
    Heading("6.1", "Multi-agency arrangements at the front door"),
    Narrative("front_door_arrangements"),
    Trend("6.1", "contacts_total", "Contacts to the front door", change="contacts_change_pct",
          shape="contacts_trend_5yr", ylabel="Contacts"),
    Breakdown("6.1", _sources, "source_group",
              lambda group: f"referrals_from_{SOURCE_SLUGS.get(group, 'other')}_pct",
              subject="Referrals from", noun="referrals", lead="Who referred.",
              rank="referral_sources_rank_order", also=("referrals_from_schools_rank",),
              against_previous=("Local Authority services",),
              xlabel="Source of referral", ylabel="Share of referrals"),
    Trend("6.1", "re_referral_rate", "The re-referral rate", lead="Re-referrals.", plural=False,
          change="repeat_referral_rate_change", chart="line", benchmark="re_referral_rate",
          comparisons=(("Inner London", "repeat_referral_rate_vs_inner_london"),
                       ("England", "repeat_referral_rate_vs_national")),
          sentence=("{subject} (referrals within 12 months of the child's previous "
                    "referral): **{now}** in {year}"),
          extra=("That is {re_referrals_total} re-referrals.",),
          ylabel="Re-referrals as % of referrals"),
    Narrative("impact", "voice_of_the_child"),
    Heading("6.2", "Early help"),
    Prose("Early help is support offered before problems need statutory social work: family "
          "support workers, parenting programmes and help through the family hubs."),
    Narrative("early_help"),
    Trend("6.2", "contacts_progressed_to_early_help", "Contacts passed to early help",
          extra=("That is {contacts_to_early_help_pct} of all contacts.",),
          ylabel="Contacts passed to early help"),
    Heading("6.3", "How well the multi-agency safeguarding hub (MASH) works"),
    StatedFigures("6.3", (
        Stated("contacts_to_csc_referral_pct",
               "In {year}, {value} of contacts became a referral to children's social care"),
        Stated("referrals_to_csc_total", "({value} referrals)."),
        Stated("contact_outcome_proportions_trend",
               "Across the years shown, the mix of outcomes was {value}."),
    ), lead="Outcomes of contacts.", table=False),
    Breakdown("6.3", _outcomes, "outcome", lambda code: f"contact_outcome_pct.{code}",
              subject="Contact outcome", noun="contacts", over_time=True, decimals=1,
              sentence="The most common outcomes of {noun} in {year} were {listed}.",
              ylabel="Share of contacts"),
    Breakdown("6.3", _factors, "factor",
              lambda code: FACTOR_INDICATORS.get(code, f"assessment_factor_pct.{code}"),
              subject="Assessments identifying", noun="assessments",
              lead="Needs identified at assessment.", rank="presenting_factors_rank_order",
              also=("assessments_authorised",),
              sentence="Of the assessments completed in {year}, the factors recorded most "
                       "often were {listed}.",
              denominator_note="A single assessment can record several factors, so the shares "
                               "add up to more than 100%.",
              xlabel="Factor", ylabel="Share of assessments"),
))
