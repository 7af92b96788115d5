"""Chapter 10, the Local Authority Designated Officer (LADO): allegations against adults
who work with children.

Declarations only. Every number comes from a ``@measure`` in
``helpers.indicators.lado`` (or, for a chart's categories, from the indicator
function its measures use) through the register. The chapter has no numbered sections, so
figures are registered under the chapter number, as the reference report's refs are.
"""

from __future__ import annotations

from helpers.chapters.sections import (
    Chapter,
    Key,
    KeyFigures,
    Narrative,
    Prose,
    ShareBars,
    Stated,
    StatedFigures,
    Trend,
    slug,
)
from helpers.data.loading import ReportData
from helpers.indicators import lado as lt

S = "10"
#: Outcome code -> the indicator name of its published count.
OUTCOME_INDICATORS = {
    "asv_meeting": "lado_outcome_asv_meeting", "police": "lado_outcome_police_referral",
    "disciplinary": "lado_outcome_disciplinary_or_professional_body",
    "complaint_elsewhere": "lado_outcome_complaint_referred_elsewhere",
    "csc": "lado_outcome_referred_to_csc", "dbs": "lado_outcome_referred_to_dbs",
    "nfa": "lado_outcome_nfa",
}


def _sectors(d: ReportData):
    return lt.by_sector(d.table("lado_referrals"))


def _categories(d: ReportData):
    return lt.allegation_categories(d.table("lado_referrals"), d.table("lado_allegation_categories"))


def _outcomes(d: ReportData):
    return lt.referral_outcomes(d.table("lado_referrals"), d.table("lado_referral_outcomes"))


def _resolution(d: ReportData):
    return lt.resolution_bands(d.table("lado_referrals"))


CHAPTER = Chapter(10, (
    KeyFigures((Key(S, "lado_consultations"),
                Key(S, "lado_consultations_to_referral_pct"),
                Key(S, "lado_referrals"),
                Key(S, "lado_resolved_within_3_months_pct"))),
    Prose("When someone who works or volunteers with children may have harmed a child, "
          "behaved towards a child in a way that suggests they could be a risk, or committed a "
          "criminal offence against one, the employer tells the Local Authority Designated "
          "Officer (LADO). The LADO gives advice in a consultation, and where the threshold "
          "is met manages a formal referral with the employer, the police and children's "
          "social care until it is resolved."),
    Narrative("lado_arrangements"),
    Prose("### Consultations and referrals"),
    StatedFigures(S, (
        Stated("lado_consultations", "The LADO held {value} consultations in {year};"),
        Stated("lado_consultations_to_referral_pct",
               "{value} of them went on to become a formal referral."),
        Stated("lado_consultation_main_sources",
               "The sectors that consulted most were, in order: {value}."),
    ), lead="Consultations.", table=False),
    Trend(S, "lado_referrals", "Referrals to the LADO", lead="Referrals.",
          ylabel="Referrals received"),
    ShareBars(S, _sectors, "sector", lambda code: f"lado_referral_sector_pct.{code}",
              subject="Referrals from", noun="referrals by sector of the adult's work",
              lead="Where the adults worked.",
              title="{leader} made the largest share of referrals in {year}",
              xlabel="Sector", ylabel="Share of referrals"),
    Prose("### What was alleged"),
    ShareBars(S, _categories, "category",
              lambda code: ("lado_referrals_neglect_pct" if code == "neglect"
                            else f"lado_allegation_category_pct.{code}"),
              subject="Allegation category", noun="allegation categories recorded",
              rank="lado_allegation_category_rank_order", decimals=1,
              title="{leader} was the category alleged most often in {year}",
              note="A referral can allege more than one kind of harm; each share is of all the "
                   "categories recorded in the year, so together they make 100%.",
              xlabel="Category of alleged harm", ylabel="Share of categories recorded"),
    StatedFigures(S, (
        Stated("lado_allegation_category_rank_order",
               "Ranked from most to least often recorded in {year}: {value}."),
        Stated("lado_referrals_neglect_pct",
               "Neglect was {value} of the categories recorded in {previous}.",
               period="previous", decimals=1),
    ), table=False),
    Prose("### Outcomes"),
    ShareBars(S, _outcomes, "outcome", lambda code: OUTCOME_INDICATORS.get(
        code, f"lado_outcome.{code}"), subject="Outcome", noun="referrals by outcome",
              unit="count", top=3, title="{leader} was the most common outcome in {year}",
              note="One referral can lead to several outcomes (a strategy meeting and then a "
                   "referral to the Disclosure and Barring Service, say), so the outcomes add "
                   "up to more than the number of referrals.",
              xlabel="Outcome", ylabel="Referrals with this outcome"),
    ShareBars(S, _resolution, "band", lambda band: f"lado_resolution_pct.{slug(band)}",
              subject="Time to resolution", noun="referrals by time taken to close",
              lead="Time to resolution.", top=2,
              sentence="Of the referrals received in {year}, the largest {what} were "
                       "{listed}.",
              title="The largest group of referrals received in {year} were {leader}",
              xlabel="Time from referral to closure", ylabel="Share of referrals received"),
    StatedFigures(S, (
        Stated("lado_resolved_within_3_months_pct",
               "In all, {value} of the referrals received in {year} were closed within three "
               "months."),
    ), table=False),
    Prose("### Raising awareness"),
    StatedFigures(S, (
        Stated("lado_workshops_delivered",
               "The LADO team ran {value} workshops on managing allegations in {year}"),
        Stated("lado_workshop_attendees_more_than",
               "for more than {more_than} people."),
    ), table=False),
))
