"""Write a demo year as the two statutory returns: a CIN census XML file and SSDA903 CSVs.

Why: the importers (``helpers.importers``) are only trustworthy if the tables they write
give the same figures as the tables the returns were made from. Writing the demo's own
records in the returns' published layouts (``shared/spec/formats``: the CIN census schema's
element order, the 903 flat files with dd/mm/yyyy dates) lets ``tests/test_round_trip.py``
import them and compare every chapter 6 and 7 figure with the native demo.

``python -m helpers.demo --returns DIR --year 2024-25`` writes ``DIR/cin_census_2024-25.xml``,
``DIR/ssda903/*.csv`` and ``DIR/postcodes.csv`` from the demo files in ``data/raw``.

The returns hold less than the pack, and the writer has to fill in what the pack does not
hold; each choice is one the importers cannot see (docs/importers.md, "Round trip"):

- dates of birth are the 1st of the month of birth (the pack holds the month only, and its
  ages take the birthday as the 1st);
- the 903 allows SEX 1 or 2 only: a looked-after child or care leaver whose sex is not
  recorded (0) is written as 1 or 2 (from the id, so the same in both returns);
- a CIN census episode is every referral a record of the year follows: the year's referrals
  and the earlier referrals of the year's assessments, CIN episodes and enquiries (read from
  the earlier year folders). ``ReferralNFA`` is true when nothing followed the referral in
  the year's tables. ``CINclosureDate`` is the end of the CIN episode or of the last plan, or,
  when neither exists, the last date of the referral's work (RC8 after no further action or
  an assessment alone, otherwise RC7); an episode with open work stays open;
- a CIN plan (``CINPlanDates``) starts on the first enquiry whose outcome was "continue as
  a child in need", else on the referral date; an enquiry with that outcome but no CIN
  episode in the demo has nothing in the census to say so;
- 903 episodes carry primary need ``N1`` (the pack holds none), home and placement postcodes
  invented so that the distance computed from ``postcodes.csv`` is the demo's distance, and
  no provider or reason for a placement change; missing episodes are from care only
  (``looked_after`` = Y), type M, ending after their duration in whole days;
- OC2 is ``cla_health`` with each date turned into its flag; OC3 is the return's cohort, the
  care leavers aged 17 to 21 at 31 March, with suitability as the ACCOM suffix.
"""

from __future__ import annotations

import csv
import math
import xml.etree.ElementTree as ET
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from helpers.config import RAW_DIR, Year, available_years, partnership

Row = dict[str, str]
Tables = Mapping[str, list[Row]]

#: The demo tables the two returns are written from.
CIN_TABLES = ("children", "referrals", "assessments", "cin_episodes", "section47", "cp_plans")
SSDA903_TABLES = ("cla_episodes", "cla_reviews", "cla_health", "care_leavers", "missing_episodes")
#: Tables read from every year up to the written one (earlier referrals, previous plans).
HISTORY_TABLES = ("referrals", "cp_plans")

HOME = (51.55, -0.15)
"""Where every invented home postcode is; placements lie due south of it."""
EARTH_MILES = 3958.8
OC3_AGES = range(17, 22)


@dataclass(frozen=True)
class Returns:
    """The files written: the census, the folder of 903 CSVs and the postcode lookup the 903
    import needs (``--postcodes``) to compute placement distances."""

    cin_census: Path
    ssda903: Path
    postcodes: Path


def _read(path: Path) -> list[Row]:
    with path.open(newline="", encoding="utf-8-sig") as fh:
        return list(csv.DictReader(fh))


def _group(rows: Iterable[Row], key: str) -> dict[str, list[Row]]:
    out: dict[str, list[Row]] = defaultdict(list)
    for row in rows:
        out[row[key]].append(row)
    return out


def read_demo(raw_dir: Path, year: str) -> tuple[dict[str, list[Row]], dict[str, list[Row]]]:
    """The year's tables, and the history tables of every year up to it (blank = "")."""
    raw_dir, end = Path(raw_dir), Year.parse(year)
    tables = {name: _read(raw_dir / year / f"{name}.csv") for name in CIN_TABLES + SSDA903_TABLES}
    years = [y for y in available_years(raw_dir) if Year.parse(y).start <= end.start]
    history: dict[str, list[Row]] = {}
    for name in HISTORY_TABLES:
        latest: dict[str, Row] = {}  # a record live in several years: its latest version
        for y in years:
            if (raw_dir / y / f"{name}.csv").exists():
                latest.update((next(iter(row.values())), row) for row in _read(raw_dir / y / f"{name}.csv"))
        history[name] = list(latest.values())
    return tables, history


def write_returns(year: str, out_dir: Path, raw_dir: Path = RAW_DIR) -> Returns:
    """Write the demo ``year`` from ``raw_dir`` as a CIN census and SSDA903 files in ``out_dir``."""
    tables, history = read_demo(raw_dir, year)
    parsed = Year.parse(year)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    tables = {**tables, "children": _recorded_sex(tables["children"], _ssda903_children(tables, parsed))}
    census = out_dir / f"cin_census_{year}.xml"
    write_cin_census(tables, history, parsed, census)
    folder, postcodes = out_dir / "ssda903", out_dir / "postcodes.csv"
    write_ssda903(tables, parsed, folder, postcodes)
    return Returns(census, folder, postcodes)


# --- shared --------------------------------------------------------------------------------------


def _birth_date(birth_month: str) -> date:
    year, month = birth_month.split("-")
    return date(int(year), int(month), 1)


def _dfe(text: str) -> str:
    """ISO date (or blank) -> the 903's dd/mm/yyyy."""
    return date.fromisoformat(text).strftime("%d/%m/%Y") if text else ""


def _age_at(birth_month: str, on: date) -> int:
    born = _birth_date(birth_month)
    return on.year - born.year - (on.month < born.month)


def _recorded_sex(children: list[Row], in_903: set[str]) -> list[Row]:
    """Children of the 903 whose sex is not 1 or 2 get 1 or 2 (the 903 has no other code),
    chosen from the id so that both returns say the same."""
    def sex(row: Row) -> str:
        if row["child_id"] in in_903 and row["sex"] not in ("1", "2"):
            return "1" if sum(map(ord, row["child_id"])) % 2 else "2"
        return row["sex"]
    return [{**row, "sex": sex(row)} for row in children]


def _ssda903_children(tables: Tables, year: Year) -> set[str]:
    """Every child the 903 files name (its header table)."""
    ids = {r["child_id"] for name in ("cla_episodes", "cla_reviews", "cla_health")
           for r in tables[name]}
    ids |= {r["child_id"] for r in _from_care(tables["missing_episodes"])}
    ids |= {r["child_id"] for r in _oc3(tables["care_leavers"], tables["children"], year)}
    return ids


# --- CIN census ----------------------------------------------------------------------------------


def _element(parent: ET.Element, tag: str, text: str | None = None) -> ET.Element:
    elem = ET.SubElement(parent, tag)
    if text is not None:
        elem.text = text
    return elem


def _fields(parent: ET.Element, tag: str, fields: Iterable[tuple[str, str]]) -> ET.Element:
    """A module with its fields in schema order; blank fields are left out."""
    module = _element(parent, tag)
    for name, value in fields:
        if value:
            _element(module, name, value)
    return module


def _header(year: Year, extract_date: str) -> ET.Element:
    header = ET.Element("Header")
    _fields(header, "CollectionDetails", (("Collection", "CIN"), ("Year", str(year.start + 1)),
                                          ("ReferenceDate", year.last_day)))
    _fields(header, "Source", (("SourceLevel", "L"), ("LEA", partnership().la_code),
                               ("SoftwareCode", "LSCP Report Pack demo"), ("Release", "1"),
                               ("SerialNo", "001"), ("DateTime", f"{extract_date}T09:00:00")))
    return header


def write_cin_census(tables: Tables, history: Tables, year: Year, path: Path,
                     extract_date: str | None = None) -> None:
    """One ``<Child>`` per child with any referral, assessment, CIN episode, enquiry or plan
    in the year's tables; one ``CINdetails`` per referral those records follow."""
    referrals = {r["referral_id"]: r for r in history["referrals"]}
    s47_referral = {s["s47_id"]: s["referral_id"] for s in tables["section47"]}
    plans = [{**p, "referral_id": s47_referral[p["s47_id"]]} for p in tables["cp_plans"]]
    parts = {"assessments": _group(tables["assessments"], "referral_id"),
             "cin": _group(tables["cin_episodes"], "referral_id"),
             "s47": _group(tables["section47"], "referral_id"),
             "plans": _group(plans, "referral_id")}
    wanted = {r["referral_id"] for r in tables["referrals"]}.union(*parts.values())
    episodes = _group(sorted((referrals[r] for r in wanted),
                             key=lambda r: (r["referral_date"], r["referral_id"])), "child_id")
    plan_starts = _group(history["cp_plans"], "child_id")
    children = {c["child_id"]: c for c in tables["children"]}
    extract_date = extract_date or f"{year.start + 1}-05-15"
    with path.open("w", encoding="utf-8", newline="\n") as fh:
        fh.write('<?xml version="1.0" encoding="UTF-8"?>\n<Message>\n')
        fh.write(_serialise(_header(year, extract_date)))
        fh.write("  <Children>\n")
        for child_id in sorted(episodes):
            previous = [p["start_date"] for p in plan_starts.get(child_id, [])]
            elem = _child(children[child_id], episodes[child_id], parts, previous)
            fh.write(_serialise(elem, level=2))
        fh.write("  </Children>\n</Message>\n")


def _serialise(elem: ET.Element, level: int = 1) -> str:
    ET.indent(elem, space="  ", level=level)
    return "  " * level + ET.tostring(elem, encoding="unicode").rstrip() + "\n"


def _child(child: Row, episodes: list[Row], parts: Mapping[str, Mapping[str, list[Row]]],
           previous_plans: list[str]) -> ET.Element:
    elem = ET.Element("Child")
    _fields(elem, "ChildIdentifiers", (("LAchildID", child["child_id"]),
                                       ("PersonBirthDate", _birth_date(child["birth_month"]).isoformat()),
                                       ("GenderCurrent", child["sex"])))
    _fields(elem, "ChildCharacteristics", (("Ethnicity", child["ethnicity"]),))
    for ep in episodes:
        found = {name: sorted(groups.get(ep["referral_id"], []), key=lambda r: r["start_date"])
                 for name, groups in parts.items()}
        _cin_details(elem, ep, found, previous_plans)
    return elem


def _cin_details(parent: ET.Element, ep: Row, parts: Mapping[str, list[Row]],
                 previous_plans: list[str]) -> None:
    assessments, s47s, plans, cin = parts["assessments"], parts["s47"], parts["plans"], parts["cin"]
    nfa = not (assessments or s47s or cin)
    closure, reason = _closure(ep["referral_date"], assessments, s47s, plans + cin, nfa)
    det = _fields(parent, "CINdetails", (("CINreferralDate", ep["referral_date"]),
                                         ("ReferralSource", ep["source"]),
                                         ("CINclosureDate", closure), ("ReasonForClosure", reason)))
    for a in assessments:
        module = _fields(det, "Assessments", (("AssessmentActualStartDate", a["start_date"]),
                                              ("AssessmentAuthorisationDate", a["authorised_date"])))
        factors = _element(module, "FactorsIdentifiedAtAssessment")
        for code in a["factors"].split(";"):
            _element(factors, "AssessmentFactors", code)
    continued = [s["start_date"] for s in s47s if s["outcome"] == "CIN"]
    for episode in cin:
        _fields(det, "CINPlanDates", (("CINPlanStartDate", min(continued, default=ep["referral_date"])),
                                      ("CINPlanEndDate", episode["end_date"])))
    for s in s47s:
        _fields(det, "Section47", (("S47ActualStartDate", s["start_date"]),
                                   ("DateOfInitialCPC", s["icpc_date"]),
                                   ("ICPCnotRequired", "false" if s["outcome"] == "ICPC" else "true")))
    _element(det, "ReferralNFA", "true" if nfa else "false")
    for p in plans:
        module = _fields(det, "ChildProtectionPlans", (
            ("CPPstartDate", p["start_date"]), ("CPPendDate", p["end_date"]),
            ("InitialCategoryOfAbuse", p["initial_category"]),
            ("LatestCategoryOfAbuse", p["latest_category"])))
        _element(module, "NumberOfPreviousCPP", str(sum(d < p["start_date"] for d in previous_plans)))


def _closure(referral_date: str, assessments: list[Row], s47s: list[Row], ongoing: list[Row],
             nfa: bool) -> tuple[str, str]:
    """(CINclosureDate, ReasonForClosure), both blank while a plan is open at the year end."""
    if ongoing:
        ends = [r["end_date"] for r in ongoing]
        return ("", "") if "" in ends else (max(ends), "RC7")
    if nfa:
        return referral_date, "RC8"
    days = [a["authorised_date"] for a in assessments] + [s["start_date"] for s in s47s]
    days += [s["icpc_date"] for s in s47s if s["icpc_date"]]
    return max(days), "RC7" if s47s else "RC8"


# --- SSDA903 -------------------------------------------------------------------------------------

HEADER = ("CHILD", "SEX", "DOB", "ETHNIC", "UPN", "MOTHER", "MC_DOB")
EPISODES = ("CHILD", "DECOM", "RNE", "LS", "CIN", "PLACE", "PLACE_PROVIDER", "DEC", "REC",
            "REASON_PLACE_CHANGE", "HOME_POST", "PL_POST", "URN")
UASC = ("CHILD", "SEX", "DOB", "DUC")
REVIEWS = ("CHILD", "DOB", "REVIEW", "REVIEW_CODE")
MISSING = ("CHILD", "DOB", "MISSING", "MIS_START", "MIS_END")
OC2 = ("CHILD", "DOB", "SDQ_SCORE", "SDQ_REASON", "CONVICTED", "HEALTH_CHECK", "IMMUNISATIONS",
       "TEETH_CHECK", "HEALTH_ASSESSMENT", "SUBSTANCE_MISUSE", "INTERVENTION_RECEIVED",
       "INTERVENTION_OFFERED")
OC3 = ("CHILD", "DOB", "IN_TOUCH", "ACTIV", "ACCOM")
HOME_POSTCODE = "ZZ1 1AA"


def _from_care(missing: list[Row]) -> list[Row]:
    return [m for m in missing if m["looked_after"] == "Y"]


def _oc3(leavers: list[Row], children: list[Row], year: Year) -> list[Row]:
    """The OC3 cohort: care leavers whose 17th to 21st birthday fell in the year, that is
    aged 17 to 21 at 31 March."""
    births = {c["child_id"]: c["birth_month"] for c in children}
    end = date.fromisoformat(year.last_day)
    return [r for r in leavers if _age_at(births[r["child_id"]], end) in OC3_AGES]


def _write_csv(path: Path, columns: tuple[str, ...], rows: Iterable[Mapping[str, str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, columns, lineterminator="\n")
        writer.writeheader()
        for row in rows:
            writer.writerow({c: row.get(c, "") for c in columns})


def _postcode(i: int) -> str:
    """The i-th invented placement postcode (area ZZ, which the UK does not use)."""
    return f"ZZ{2 + i // 260} {(i // 26) % 10}A{chr(ord('A') + i % 26)}"


def _by(rows: list[Row], *keys: str) -> list[Row]:
    return sorted(rows, key=lambda r: tuple(r[k] for k in keys))


def write_ssda903(tables: Tables, year: Year, folder: Path, postcodes: Path) -> None:
    """header, episodes, uasc, reviews, missing, oc2 and oc3 CSVs in ``folder``, and the
    postcode lookup (postcode, lat, lon) that turns the episodes' postcodes back into the
    demo's distances."""
    folder.mkdir(parents=True, exist_ok=True)
    children = {c["child_id"]: c for c in tables["children"]}
    ids = sorted(_ssda903_children(tables, year))
    dob = {c: _dfe(_birth_date(children[c]["birth_month"]).isoformat()) for c in ids}
    _write_csv(folder / "header.csv", HEADER, (
        {"CHILD": c, "SEX": children[c]["sex"], "DOB": dob[c], "ETHNIC": children[c]["ethnicity"]}
        for c in ids))

    episodes = _by(tables["cla_episodes"], "child_id", "start_date")
    distances = sorted({e["placement_distance_miles"] for e in episodes} - {""}, key=float)
    placed = {d: _postcode(i) for i, d in enumerate(distances)}
    _write_csv(folder / "episodes.csv", EPISODES, (
        {"CHILD": e["child_id"], "DECOM": _dfe(e["start_date"]), "RNE": e["rne"], "LS": e["legal_status"],
         "CIN": "N1", "PLACE": e["placement_type"], "DEC": _dfe(e["end_date"]), "REC": e["reason_ceased"],
         "HOME_POST": HOME_POSTCODE, "PL_POST": placed.get(e["placement_distance_miles"], "")}
        for e in episodes))
    with postcodes.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(("postcode", "lat", "lon"))
        writer.writerow((HOME_POSTCODE, *HOME))
        for d, code in placed.items():
            # Due south: the great-circle distance is the change in latitude.
            writer.writerow((code, repr(HOME[0] - math.degrees(float(d) / EARTH_MILES)), HOME[1]))

    uasc = sorted({e["child_id"] for e in episodes if e["uasc"] == "Y"})
    _write_csv(folder / "uasc.csv", UASC, (
        {"CHILD": c, "SEX": children[c]["sex"], "DOB": dob[c],
         "DUC": _dfe(_birthday(children[c]["birth_month"], 18).isoformat())} for c in uasc))
    _write_csv(folder / "reviews.csv", REVIEWS, (
        {"CHILD": r["child_id"], "DOB": dob[r["child_id"]], "REVIEW": _dfe(r["review_date"]),
         "REVIEW_CODE": r["participation"]}
        for r in _by(tables["cla_reviews"], "child_id", "review_date")))
    _write_csv(folder / "missing.csv", MISSING, (
        {"CHILD": m["child_id"], "DOB": dob[m["child_id"]], "MISSING": "M",
         "MIS_START": _dfe(m["start_date"]), "MIS_END": _missing_end(m["start_date"], m["duration_hours"])}
        for m in _by(_from_care(tables["missing_episodes"]), "child_id", "start_date")))
    _write_csv(folder / "oc2.csv", OC2, (
        {"CHILD": h["child_id"], "DOB": dob[h["child_id"]], "CONVICTED": "0", "SUBSTANCE_MISUSE": "0",
         "HEALTH_CHECK": _flag(h["development_check_date"]), "TEETH_CHECK": _flag(h["dental_check_date"]),
         "HEALTH_ASSESSMENT": _flag(h["health_assessment_date"])}
        for h in _by(tables["cla_health"], "child_id")))
    _write_csv(folder / "oc3.csv", OC3, (
        {"CHILD": c["child_id"], "DOB": dob[c["child_id"]], "IN_TOUCH": c["in_touch"],
         "ACTIV": c["activity"], "ACCOM": _accommodation(c["accommodation"], c["accommodation_suitable"])}
        for c in _by(_oc3(tables["care_leavers"], tables["children"], year), "child_id")))


def _birthday(birth_month: str, age: int) -> date:
    born = _birth_date(birth_month)
    return born.replace(year=born.year + age)


def _missing_end(start: str, hours: str) -> str:
    if not hours:
        return ""
    return _dfe((date.fromisoformat(start) + timedelta(days=int(float(hours) // 24))).isoformat())


def _flag(value: str) -> str:
    return "1" if value else "0"


def _accommodation(letter: str, suitable: str) -> str:
    """OC3 ACCOM: the letter with suffix 1 (suitable) or 2 (not); "0" (not known) has none."""
    if letter == "0":
        return "0"
    return f"{letter}{'1' if suitable == 'Y' else '2'}"
