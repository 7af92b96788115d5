"""Chapter 4, the borough: who lives here, as an infographic of tiles and a religion chart.

Declarations only. Every figure is a ``@measure`` of the partner-return families of
``helpers.indicators`` read from
the borough profile, provider ratings and education returns; each tile shows the period the
partner's figure covers and its source, with London and England where the return has them.
Worded shares ("one fifth", "2 in 5", "1 in 4") are worked out from the values.
"""

from __future__ import annotations

from helpers.chapters.sections import (
    Chapter,
    Key,
    KeyFigures,
    Narrative,
    Prose,
    SharesChart,
    Tile,
    Tiles,
)
from helpers.indicators.area_profile import RELIGION_MEASURES

SECTION = "4"

CHAPTER = Chapter(4, (
    KeyFigures((Key(SECTION, "population_total"),
                Key(SECTION, "children_total"),
                Key(SECTION, "children_in_poverty_ahc_share"),
                Key(SECTION, "pupils_fsm_eligible_pct"),
                Key(SECTION, "good_level_of_development_pct"))),
    Prose("Safeguarding work is shaped by the place it happens in. This chapter sets out who "
          "lives in the borough and how its children are doing at school, using the latest "
          "figures each source publishes, so the period differs from tile to tile."),
    Narrative("borough_summary"),
    Tiles(SECTION, (
        Tile("population_total", "residents of all ages"),
        Tile("children_total", "children and young people aged 0 to 17"),
        Tile("children_share_of_population", "of all residents are children",
             words="fraction"),
        Tile("children_in_poverty_ahc_share", "children live in poverty once housing costs "
             "are paid"),
        Tile("pupils_fsm_eligible_pct", "of pupils can claim free school meals"),
        Tile("population_disabled_pct", "of residents are disabled"),
        Tile("cypds_supported_cyp_aged_0_25", "disabled children and young people aged 0 to "
             "25 have support from the disability service, in a borough where "
             "{population_disabled_pct} of residents are disabled", areas=False),
        Tile("population_female_pct", "of residents are female and {population_male_pct} "
             "male"),
        Tile("non_binary_or_different_to_assigned_sex_pct", "of residents aged 16 and over "
             "are non-binary or have a gender identity other than their sex at birth"),
        Tile("non_heterosexual_pct", "of residents aged 16 and over describe their "
             "sexual orientation as other than heterosexual"),
        Tile("early_years_settings_good_or_outstanding_pct", "of early years settings are "
             "graded Good or Outstanding by Ofsted"),
        Tile("schools_good_or_outstanding_pct", "of schools are graded Good or Outstanding "
             "by Ofsted"),
        Tile("good_level_of_development_pct", "of children reach a good level of "
             "development by the end of reception"),
        Tile("secondary_pupils_missing_over_10pct_sessions_share", "secondary pupils missed "
             "at least a tenth of their school sessions"),
        Tile("attainment_vs_national", "attainment than England's at the end of primary and "
             "of secondary school"),
        Tile("disadvantage_attainment_gap_vs_london_england", "gap between disadvantaged "
             "pupils and their classmates than in London and England, at every stage"),
        Tile("ks4_sustained_education_destination_pct", "of pupils leaving key stage 4 "
             "stay in education"),
    ), title="The borough at a glance"),
    SharesChart(SECTION, tuple((label, indicator) for indicator, label
                               in RELIGION_MEASURES.items()),
                subject="Religion", noun="residents", lead="Faith."),
))
