"""The outline of the annual report: its 14 numbered chapters and their titles.

The report's structure is fixed by the published annual report, so the titles live here as
data rather than being scraped from notebook headings: the build runner, the HTML page titles
and the report index all need the same wording, and a typo fixed here is fixed everywhere.
"""

from __future__ import annotations

#: Chapter number -> title, in report order.
TITLES: dict[int, str] = {
    1: "Foreword from the lead safeguarding partners",
    2: "About the partnership",
    3: "Scrutiny and governance",
    4: "The borough: diversity and contrast",
    5: "Progress against the safeguarding priorities",
    6: "Children and Families Contact Service",
    7: "Key areas of safeguarding assurance",
    8: "Safeguarding vulnerable adolescents",
    9: "Learning from local safeguarding reviews",
    10: "Local Authority Designated Officer (LADO)",
    11: "Communication strategy",
    12: "Multi-agency training",
    13: "Financial arrangements",
    14: "Membership",
}


def title_for(number: int, slug: str = "") -> str:
    """The report title of chapter ``number``; a readable fallback for unknown numbers.

    The fallback keeps an experimental notebook (say ``15_draft``) buildable without first
    editing this table.
    """
    if number in TITLES:
        return TITLES[number]
    words = slug.replace("_", " ").replace("-", " ").strip()
    return words[:1].upper() + words[1:] if words else f"Chapter {number}"
