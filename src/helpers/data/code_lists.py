"""Code lists used by the raw tables.

National codes are used wherever a national return defines one (children in need census
referral sources and assessment factors, DfE ethnicity codes, CIN gender codes) so that a
real case-system extract maps straight in. Each list is a mapping from code to label, plus
the roll-up the report uses (for example referral source -> source group).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType


@dataclass(frozen=True)
class ValidYears:
    """The collection years a code may be used in: ``first`` and ``last`` inclusive, as
    reporting-year labels (``"2024-25"``); ``None`` means open-ended.

    National code lists change: the CIN census added referral source 5D (LA services: early
    help) in its 2024 schema (the 2023-24 collection) and factor 24A (child criminal
    exploitation) in 2021-22. A code used in
    a year before it existed means the extract was mapped wrongly (or the file is in the
    wrong year's folder), so validation checks each code against the year of its folder.
    """

    first: str | None = None
    last: str | None = None

    def covers(self, year: str) -> bool:
        """Whether the code is valid in reporting year ``year`` (labels sort by year)."""
        return (self.first is None or year >= self.first) and (self.last is None or year <= self.last)

    def describe(self) -> str:
        if self.first and self.last:
            return f"from {self.first} to {self.last}"
        if self.first:
            return f"from {self.first}"
        return f"up to {self.last}" if self.last else "in every year"


def valid_in(codes: Mapping[str, str], years: Mapping[str, ValidYears], year: str) -> list[str]:
    """The codes of a list that may be used in ``year``."""
    return [c for c in codes if c not in years or years[c].covers(year)]

# Children in need census: referral source (ReferralSource). 5D is valid from 2023-24
# (REFERRAL_SOURCE_YEARS).
REFERRAL_SOURCE = MappingProxyType({
    "1A": "Individual: family member, relative or carer",
    "1B": "Individual: acquaintance (including neighbours and child minders)",
    "1C": "Individual: self",
    "1D": "Individual: other (including strangers)",
    "2A": "Schools",
    "2B": "Education services",
    "3A": "Health services: GP",
    "3B": "Health services: health visitor",
    "3C": "Health services: school nurse",
    "3D": "Health services: other primary health services",
    "3E": "Health services: A&E",
    "3F": "Health services: other (e.g. hospice)",
    "4": "Housing",
    "5A": "LA services: social care (e.g. adults social care)",
    "5B": "LA services: other internal department",
    "5C": "LA services: external (e.g. from another local authority)",
    "5D": "LA services: early help",
    "6": "Police",
    "7": "Other legal agency",
    "8": "Other",
    "9": "Anonymous",
    "10": "Unknown",
})

# Codes of REFERRAL_SOURCE valid only in some collection years (all others: every year).
REFERRAL_SOURCE_YEARS = MappingProxyType({"5D": ValidYears(first="2023-24")})

# The groups the report talks about ("Police", "Local Authority services", ...).
REFERRAL_SOURCE_GROUP = MappingProxyType({
    "1A": "Individual", "1B": "Individual", "1C": "Individual", "1D": "Individual",
    "2A": "Schools", "2B": "Other education services",
    "3A": "Health", "3B": "Health", "3C": "Health", "3D": "Health", "3E": "Health", "3F": "Health",
    "4": "Housing",
    "5A": "Local Authority services", "5B": "Local Authority services",
    "5C": "Local Authority services", "5D": "Local Authority services",
    "6": "Police",
    "7": "Other legal agency",
    "8": "Other",
    "9": "Anonymous",
    "10": "Unknown",
})

# Children in need census: factors identified at the end of assessment.
ASSESSMENT_FACTOR = MappingProxyType({
    "1A": "Alcohol misuse: child", "1B": "Alcohol misuse: parent/carer",
    "1C": "Alcohol misuse: other person in household",
    "2A": "Drug misuse: child", "2B": "Drug misuse: parent/carer",
    "2C": "Drug misuse: other person in household",
    "3A": "Domestic abuse: child subject", "3B": "Domestic abuse: parent/carer subject",
    "3C": "Domestic abuse: other person in household subject",
    "4A": "Mental health: child", "4B": "Mental health: parent/carer",
    "4C": "Mental health: other person in household",
    "5A": "Learning disability: child", "5B": "Learning disability: parent/carer",
    "5C": "Learning disability: other person in household",
    "6A": "Physical disability or illness: child",
    "6B": "Physical disability or illness: parent/carer",
    "6C": "Physical disability or illness: other person in household",
    "7A": "Young carer",
    "8B": "Privately fostered: overseas, intending to return",
    "8C": "Privately fostered: overseas, intending to stay",
    "8D": "Privately fostered: UK, educational placement",
    "8E": "Privately fostered: UK, alternative family arrangement",
    "8F": "Privately fostered: other",
    "9A": "Unaccompanied asylum-seeking child",
    "10A": "Going or being missing",
    "11A": "Child sexual exploitation",
    "12A": "Trafficking",
    "13A": "Gangs",
    "14A": "Socially unacceptable behaviour",
    "15A": "Self-harm",
    "16A": "Neglect",
    "17A": "Emotional abuse",
    "18A": "Physical abuse (before the split by who abused)",
    "18B": "Physical abuse: child on child",
    "18C": "Physical abuse: adult on child",
    "19A": "Sexual abuse (before the split by who abused)",
    "19B": "Sexual abuse: child on child",
    "19C": "Sexual abuse: adult on child",
    "20": "Other",
    "21": "No factors identified",
    "22A": "Female genital mutilation",
    "23A": "Abuse linked to faith or belief",
    "24A": "Child criminal exploitation",
})

# Codes of ASSESSMENT_FACTOR valid only in some collection years (the CIN census schema
# history): physical and sexual abuse (18A, 19A) were split by who abused (18B/18C, 19B/19C)
# in 2020-21; 24A was added in 2021-22 (before it, criminal exploitation was recorded as 13A
# gangs).
ASSESSMENT_FACTOR_YEARS = MappingProxyType({
    "18A": ValidYears(last="2019-20"), "19A": ValidYears(last="2019-20"),
    **{code: ValidYears(first="2020-21") for code in ("18B", "18C", "19B", "19C")},
    "24A": ValidYears(first="2021-22"),
})

# DfE ethnicity codes (CIN census and SSDA903), with the five major groups.
ETHNICITY = MappingProxyType({
    "WBRI": "White British", "WIRI": "White Irish", "WIRT": "Traveller of Irish heritage",
    "WOTH": "Any other White background", "WROM": "Gypsy/Roma",
    "MWBC": "White and Black Caribbean", "MWBA": "White and Black African",
    "MWAS": "White and Asian", "MOTH": "Any other mixed background",
    "AIND": "Indian", "APKN": "Pakistani", "ABAN": "Bangladeshi",
    "AOTH": "Any other Asian background",
    "BCRB": "Caribbean", "BAFR": "African", "BOTH": "Any other Black background",
    "CHNE": "Chinese", "OOTH": "Any other ethnic group",
    "REFU": "Refused", "NOBT": "Information not yet obtained",
})

ETHNIC_GROUP = MappingProxyType({
    "WBRI": "White", "WIRI": "White", "WIRT": "White", "WOTH": "White", "WROM": "White",
    "MWBC": "Mixed", "MWBA": "Mixed", "MWAS": "Mixed", "MOTH": "Mixed",
    "AIND": "Asian", "APKN": "Asian", "ABAN": "Asian", "AOTH": "Asian",
    "BCRB": "Black", "BAFR": "Black", "BOTH": "Black",
    "CHNE": "Other", "OOTH": "Other",
    "REFU": "Not known", "NOBT": "Not known",
})

MAJOR_ETHNIC_GROUPS = ("White", "Mixed", "Asian", "Black", "Other")

# CIN census GenderCurrent.
SEX = MappingProxyType({"1": "Male", "2": "Female", "0": "Not recorded", "9": "Indeterminate"})

# Decision on a contact to the front door. There is no national code list for contact
# outcomes, so these are the pack's own; map a local system's outcomes onto them.
CONTACT_OUTCOME = MappingProxyType({
    "REF": "Referral to children's social care",
    "EH": "Early help",
    "IAG": "Information, advice and guidance",
    "SIGN": "Signposted to universal or partner services",
    "OPEN": "Already open to children's social care",
    "NFA": "No further action",
})


def label(codes: MappingProxyType, code: str) -> str:
    """Label for a code, failing loudly on a code the list does not know."""
    try:
        return codes[code]
    except KeyError:
        raise KeyError(f"unknown code {code!r}") from None
