"""How we compare: an LA's children's social care figures against its region, its
statistical neighbours and England, from DfE's published files only.

Declarations only, like the annual report's chapters: which indicators each section
compares (``helpers.benchmarks.indicators`` defines them), and which are drawn together
in a dot plot. It runs for the partnership (``python -m helpers.build --compare --la 202``)
and stand-alone for any of the 153 LAs, because it reads nothing but DfE's files.
"""

from __future__ import annotations

from dataclasses import dataclass

from helpers.benchmarks.sections import Compared, Output, Place, Standing
from helpers.chapters.sections import Heading, Prose

TITLE = "How we compare"


@dataclass(frozen=True)
class CompareChapter:
    """The comparison chapter: its sections in order, rendered for one place and year."""

    sections: tuple

    def render(self, place: Place) -> list[Output]:
        out: list[Output] = []
        for section in self.sections:
            if isinstance(section, Heading | Prose):
                out.extend(section.render(None))  # fixed text needs no data
            else:
                out.extend(section.render(place))
        return out


CHAPTER = CompareChapter((
    Prose("This page sets the area's children's social care figures beside its region, "
          "its ten statistical neighbours (the local authorities DfE judges most like it) "
          "and England, year by year, using only the statistics DfE publishes for every "
          "local authority. Ranks count local authorities with a published figure, 1 being "
          "the highest; a high rank is not in itself good or bad. Where DfE withheld a "
          "figure to protect children's privacy, it is shown as not published, never as "
          "zero."),
    Heading("1", "Referrals and the front door"),
    Compared("1", "referral_rate_per_10k", count="referrals_total"),
    Compared("1", "re_referral_rate"),
    Heading("2", "Children in need"),
    Compared("2", "cin_rate_per_10k", count="cin_total"),
    Standing("2", ("referral_rate_per_10k", "re_referral_rate", "cin_rate_per_10k"),
             "Referrals and children in need"),
    Heading("3", "Child protection"),
    Compared("3", "s47_rate_per_10k"),
    Compared("3", "icpc_rate_per_10k"),
    Compared("3", "cpp_starts_rate_per_10k"),
    Compared("3", "cpp_rate_per_10k"),
    Compared("3", "cpp_repeat_pct"),
    Compared("3", "cpp_2yrs_plus_pct"),
    Standing("3", ("s47_rate_per_10k", "icpc_rate_per_10k", "cpp_starts_rate_per_10k",
                   "cpp_rate_per_10k", "cpp_repeat_pct"), "Child protection"),
    Heading("4", "Children looked after"),
    Compared("4", "cla_rate_per_10k"),
    Compared("4", "cla_3plus_placements_pct"),
    Compared("4", "cla_long_term_stability_pct"),
    Compared("4", "cla_placed_20_miles_pct"),
    Heading("5", "Care leavers"),
    Compared("5", "care_leavers_in_touch_pct"),
    Compared("5", "care_leavers_eet_pct"),
    Compared("5", "care_leavers_suitable_accommodation_pct"),
    Heading("6", "Children missing from care"),
    Compared("6", "cla_missing_pct"),
    Standing("6", ("cla_rate_per_10k", "cla_3plus_placements_pct", "cla_long_term_stability_pct",
                   "cla_placed_20_miles_pct", "care_leavers_eet_pct",
                   "care_leavers_suitable_accommodation_pct", "cla_missing_pct"),
             "Children looked after and care leavers"),
))
