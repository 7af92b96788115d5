"""Children in need census XML -> children, referrals, assessments, cin_episodes, section47 and
cp_plans of ``data/raw/<year>/``.

The file is streamed: :class:`ChildStream` feeds the XML to ElementTree's pull parser (the
parser behind ``iterparse``) one line at a time, hands over each complete ``<Child>`` and then
clears it and detaches it from ``<Children>``, so memory does not grow with the number of
children. Feeding line by line is what lets every problem name its line number, which
``iterparse`` itself does not report.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from helpers.config import RAW_DIR, Year
from helpers.importers import codelists as cl
from helpers.importers.common import (
    CodeList,
    ImportFailed,
    ImportReport,
    Output,
    Problem,
    Pseudonymiser,
    in_year,
    open_in_year,
    parse_iso,
    record_id,
)
from helpers.importers.common import birth_month as to_birth_month

TABLES: dict[str, tuple[str, ...]] = {
    "children.csv": ("child_id", "birth_month", "sex", "ethnicity"),
    "referrals.csv": ("referral_id", "contact_id", "child_id", "referral_date", "source",
                      "previous_referral_date"),
    "assessments.csv": ("assessment_id", "child_id", "referral_id", "start_date", "authorised_date",
                        "factors"),
    "cin_episodes.csv": ("episode_id", "child_id", "referral_id", "start_date", "initial_visit_date",
                         "latest_visit_date", "visit_frequency_days", "end_date"),
    "section47.csv": ("s47_id", "child_id", "referral_id", "referral_date", "start_date", "outcome",
                      "icpc_date"),
    "cp_plans.csv": ("plan_id", "child_id", "s47_id", "start_date", "end_date", "initial_category",
                     "latest_category"),
}

NOT_CARRIED = [
    "UPN, FormerUPN, UPNunknown and the day of PersonBirthDate (privacy: only the month is kept)",
    "PersonDeathDate, Disabilities, PrimaryNeedCode, ReasonForClosure (no column in the pack)",
    "AssessmentInternalReviewDate, InitialCPCtarget, CINdetails/DateOfInitialCPC (no column in the pack)",
    "CINPlanDates (used only to decide which episodes are child in need plans)",
    "NumberOfPreviousCPP and CPPreviewDate (no column in the pack)",
]


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


class ChildStream:
    """Yields ('Header' | 'Child', element, path, lines) for each complete header and child.

    ``lines`` maps the elements of the yielded subtree to their line numbers. After the consumer
    resumes, the element is cleared, removed from its parent and the line map emptied: the
    stream keeps no reference to any earlier child."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self.root_tag: str | None = None

    def __iter__(self) -> Iterator[tuple[str, ET.Element, str, dict[ET.Element, int]]]:
        parser = ET.XMLPullParser(events=("start", "end"))
        stack: list[tuple[ET.Element, str]] = []
        counters: list[dict[str, int]] = [{}]
        lines: dict[ET.Element, int] = {}
        line = 1
        with self.path.open("rb") as fh:
            while True:
                chunk = fh.readline(1 << 16)
                if chunk:
                    parser.feed(chunk)
                else:
                    parser.close()
                for event, elem in parser.read_events():
                    tag = _local(elem.tag)
                    if event == "start":
                        if self.root_tag is None:
                            self.root_tag = tag
                        n = counters[-1][tag] = counters[-1].get(tag, 0) + 1
                        parent_path = stack[-1][1] if stack else ""
                        step = f"{tag}[{n}]" if len(stack) >= 2 else tag
                        stack.append((elem, f"{parent_path}/{step}"))
                        counters.append({})
                        lines[elem] = line
                        continue
                    _, elem_path = stack.pop()
                    counters.pop()
                    if (tag == "Child" and len(stack) == 2) or (tag == "Header" and len(stack) == 1):
                        yield tag, elem, elem_path, lines
                        stack[-1][0].remove(elem)
                        elem.clear()
                        lines.clear()
                if not chunk:
                    break
                if chunk.endswith(b"\n"):
                    line += 1


def _kids(elem: ET.Element, tag: str) -> list[ET.Element]:
    return [c for c in elem if _local(c.tag) == tag]


@dataclass
class _Reader:
    """Reads typed values from one subtree, recording problems with their position."""

    file: str
    year: Year
    lines: dict[ET.Element, int]
    problems: list[Problem]

    def pos(self, path: str, elem: ET.Element) -> str:
        return f"{path} (line {self.lines.get(elem, '?')})"

    def problem(self, path: str, elem: ET.Element, fld: str, value: str, expected: str, rule: str) -> None:
        self.problems.append(Problem(self.file, self.pos(path, elem), fld, value, expected, rule))

    def text(self, parent: ET.Element, path: str, tag: str, required: bool) -> tuple[str | None, str]:
        found = _kids(parent, tag)
        value = (found[0].text or "").strip() if found else ""
        if not value:
            if required:
                self.problem(path, parent, tag, "", f"a {tag} element with a value (required)", "IMP-CIN-002")
            return None, path
        return value, self.pos(f"{path}/{tag}", found[0])

    def date(self, parent: ET.Element, path: str, tag: str, required: bool = False) -> date | None:
        value, where = self.text(parent, path, tag, required)
        if value is None:
            return None
        day = parse_iso(value)
        if day is None:
            self.problems.append(Problem(self.file, where, tag, value, "a date as YYYY-MM-DD", "IMP-CIN-003"))
        return day

    def code(self, parent: ET.Element, path: str, tag: str, codes: CodeList,
             required: bool = False) -> str | None:
        value, where = self.text(parent, path, tag, required)
        return None if value is None else self.check(value, where, tag, codes)

    def check(self, value: str, where: str, tag: str, codes: CodeList) -> str | None:
        bad = codes.check(value, self.year)
        if bad:
            kind, expected = bad
            rule = "IMP-CIN-004" if kind == "unknown" else "IMP-CIN-005"
            self.problems.append(Problem(self.file, where, tag, value, expected, rule))
            return None
        return value

    def flag(self, parent: ET.Element, path: str, tag: str) -> bool | None:
        value, where = self.text(parent, path, tag, True)
        if value is None:
            return None
        if value.lower() in ("true", "1", "false", "0"):
            return value.lower() in ("true", "1")
        self.problems.append(Problem(self.file, where, tag, value, "true or false", "IMP-CIN-006"))
        return None

    def whole(self, parent: ET.Element, path: str, tag: str) -> int | None:
        value, where = self.text(parent, path, tag, True)
        if value is None:
            return None
        if not value.isdigit():
            self.problems.append(Problem(self.file, where, tag, value, "a whole number >= 0", "IMP-CIN-009"))
            return None
        return int(value)


@dataclass
class _Episode:
    index: int
    path: str
    referral_date: date | None
    source: str | None
    closure: date | None
    nfa: bool | None
    assessments: list[tuple[date | None, date | None, list[str]]] = field(default_factory=list)
    plan_starts: list[date | None] = field(default_factory=list)
    s47s: list[tuple[date | None, date | None, bool | None]] = field(default_factory=list)
    plans: list[tuple[date | None, date | None, str | None, str | None]] = field(default_factory=list)


@dataclass
class _Child:
    la_child_id: str | None
    id_position: str
    birth: date | None
    sex: str | None
    ethnicity: str | None
    episodes: list[_Episode]


def read_child(r: _Reader, elem: ET.Element, path: str) -> _Child | None:
    """The typed content of one <Child>; problems are added to ``r.problems``."""
    ids = _kids(elem, "ChildIdentifiers")
    chars = _kids(elem, "ChildCharacteristics")
    if not ids:
        r.problem(path, elem, "ChildIdentifiers", "", "a ChildIdentifiers module (required)", "IMP-CIN-002")
        return None
    ip = f"{path}/ChildIdentifiers"
    la_id, id_pos = r.text(ids[0], ip, "LAchildID", True)
    birth = None
    for tag in ("PersonBirthDate", "ExpectedPersonBirthDate"):  # expected: an unborn child
        if r.text(ids[0], ip, tag, False)[0] is not None:
            birth = r.date(ids[0], ip, tag, True)
            break
    else:
        r.problem(ip, ids[0], "PersonBirthDate", "",
                  "PersonBirthDate, or ExpectedPersonBirthDate for an unborn child", "IMP-CIN-002")
    r.date(ids[0], ip, "PersonDeathDate")
    r.code(ids[0], ip, "UPNunknown", cl.UPN_UNKNOWN)
    sex = r.code(ids[0], ip, "GenderCurrent", cl.GENDER, required=True)
    ethnicity = None
    if not chars:
        r.problem(path, elem, "ChildCharacteristics", "", "a ChildCharacteristics module (required)",
                  "IMP-CIN-002")
    else:
        cp = f"{path}/ChildCharacteristics"
        ethnicity = r.code(chars[0], cp, "Ethnicity", cl.ETHNICITY, required=True)
        for dis in _kids(chars[0], "Disabilities"):
            for i, d in enumerate(_kids(dis, "Disability"), start=1):
                r.check((d.text or "").strip(), r.pos(f"{cp}/Disabilities/Disability[{i}]", d),
                        "Disability", cl.DISABILITY)
    episodes = []
    details = _kids(elem, "CINdetails")
    if not details:
        r.problem(path, elem, "CINdetails", "", "at least one CINdetails module (required)", "IMP-CIN-002")
    for i, det in enumerate(details, start=1):
        episodes.append(_read_episode(r, det, f"{path}/CINdetails[{i}]", i))
    return _Child(la_id, id_pos, birth, sex, ethnicity, episodes)


def _read_episode(r: _Reader, det: ET.Element, dp: str, index: int) -> _Episode:
    ep = _Episode(index, dp, r.date(det, dp, "CINreferralDate", True),
                  r.code(det, dp, "ReferralSource", cl.REFERRAL_SOURCE, required=True),
                  r.date(det, dp, "CINclosureDate"), r.flag(det, dp, "ReferralNFA"))
    r.code(det, dp, "PrimaryNeedCode", cl.PRIMARY_NEED)
    r.code(det, dp, "ReasonForClosure", cl.CLOSURE_REASON)
    r.date(det, dp, "DateOfInitialCPC")
    for j, a in enumerate(_kids(det, "Assessments"), start=1):
        ap = f"{dp}/Assessments[{j}]"
        factors: list[str] = []
        for group in _kids(a, "FactorsIdentifiedAtAssessment"):
            for k, f in enumerate(_kids(group, "AssessmentFactors"), start=1):
                value = (f.text or "").strip()
                where = r.pos(f"{ap}/FactorsIdentifiedAtAssessment/AssessmentFactors[{k}]", f)
                if r.check(value, where, "AssessmentFactors", cl.FACTORS) and value not in factors:
                    factors.append(value)
        r.date(a, ap, "AssessmentInternalReviewDate")
        ep.assessments.append((r.date(a, ap, "AssessmentActualStartDate", True),
                               r.date(a, ap, "AssessmentAuthorisationDate"), factors))
    for j, p in enumerate(_kids(det, "CINPlanDates"), start=1):
        pp = f"{dp}/CINPlanDates[{j}]"
        ep.plan_starts.append(r.date(p, pp, "CINPlanStartDate", True))
        r.date(p, pp, "CINPlanEndDate")
    for j, s in enumerate(_kids(det, "Section47"), start=1):
        sp = f"{dp}/Section47[{j}]"
        r.date(s, sp, "InitialCPCtarget")
        ep.s47s.append((r.date(s, sp, "S47ActualStartDate", True), r.date(s, sp, "DateOfInitialCPC"),
                        r.flag(s, sp, "ICPCnotRequired")))
    for j, c in enumerate(_kids(det, "ChildProtectionPlans"), start=1):
        pp = f"{dp}/ChildProtectionPlans[{j}]"
        r.whole(c, pp, "NumberOfPreviousCPP")
        for rev in _kids(c, "Reviews"):
            r.date(rev, f"{pp}/Reviews", "CPPreviewDate")
        ep.plans.append((r.date(c, pp, "CPPstartDate", True), r.date(c, pp, "CPPendDate"),
                         r.code(c, pp, "InitialCategoryOfAbuse", cl.ABUSE_CATEGORY, required=True),
                         r.code(c, pp, "LatestCategoryOfAbuse", cl.ABUSE_CATEGORY, required=True)))
    return ep


def _check_header(r: _Reader, elem: ET.Element, path: str) -> str | None:
    """Checks the collection details against the year; returns the extract date if given."""
    details = _kids(elem, "CollectionDetails")
    if not details:
        r.problem(path, elem, "CollectionDetails", "", "a CollectionDetails module", "IMP-CIN-002")
        return None
    dp = f"{path}/CollectionDetails"
    collection, where = r.text(details[0], dp, "Collection", True)
    if collection is not None and collection != "CIN":
        r.problems.append(Problem(r.file, where, "Collection", collection, "CIN", "IMP-CIN-001"))
    end_year = str(r.year.start + 1)
    value, where = r.text(details[0], dp, "Year", True)
    if value is not None and value != end_year:
        r.problems.append(Problem(r.file, where, "Year", value,
                                  f"{end_year} (the census ending 31 March {end_year} is {r.year.label})",
                                  "IMP-CIN-008"))
    ref = r.date(details[0], dp, "ReferenceDate", True)
    if ref is not None and ref.isoformat() != r.year.last_day:
        value, where = r.text(details[0], dp, "ReferenceDate", True)
        r.problems.append(Problem(r.file, where, "ReferenceDate", value or "",
                                  f"{r.year.last_day} for {r.year.label}", "IMP-CIN-008"))
    for source in _kids(elem, "Source"):
        stamp, _ = r.text(source, f"{path}/Source", "DateTime", False)
        if stamp and parse_iso(stamp[:10]):
            return stamp[:10]
    return None


@dataclass
class _Counts:
    c: Counter = field(default_factory=Counter)

    def add(self, key: str, n: int = 1) -> None:
        self.c[key] += n


def _write_child(out: Output, child: _Child, child_id: str, year: Year, counts: _Counts) -> None:
    out.write("children.csv", (child_id, to_birth_month(child.birth), child.sex, child.ethnicity))
    seen: set[str] = set()
    dates = sorted(ep.referral_date for ep in child.episodes)
    for ep in sorted(child.episodes, key=lambda e: e.referral_date):
        referral_id = record_id("RF", child_id, ep.referral_date, seen)
        if in_year(ep.referral_date, year):
            previous = max((d for d in dates if d < ep.referral_date), default=None)
            out.write("referrals.csv", (referral_id, None, child_id, ep.referral_date, ep.source, previous))
        elif ep.referral_date > date.fromisoformat(year.last_day):
            counts.add("referral after the year end")
        if ep.plan_starts and not ep.nfa and open_in_year(ep.referral_date, ep.closure, year):
            out.write("cin_episodes.csv", (record_id("CIN", child_id, ep.referral_date, seen), child_id,
                                           referral_id, ep.referral_date, None, None, None, ep.closure))
        for start, authorised, factors in ep.assessments:
            if in_year(authorised, year):
                out.write("assessments.csv", (record_id("AS", child_id, start, seen), child_id, referral_id,
                                              start, authorised, ";".join(factors)))
            elif authorised is None:
                counts.add("assessment not yet authorised")
            else:
                counts.add("assessment authorised outside the year")
        s47_ids = [record_id("S47", child_id, s[0], seen) for s in ep.s47s]
        wanted = {i for i, (start, icpc, _) in enumerate(ep.s47s)
                  if in_year(start, year) or in_year(icpc, year)}
        plan_rows = []
        for start, end, initial, latest in ep.plans:
            if not open_in_year(start, end, year):
                counts.add("plan not open in the year")
                continue
            link = _plan_s47(ep.s47s, start)
            if link is None:
                counts.add("plan without s47")
            else:
                wanted.add(link)
            plan_rows.append((record_id("CPP", child_id, start, seen), child_id,
                              None if link is None else s47_ids[link], start, end, initial, latest))
        for i in sorted(wanted):
            start, icpc, not_required = ep.s47s[i]
            if icpc is not None:
                outcome = "ICPC"
            elif not_required:
                outcome = "CIN" if any(p and p >= start for p in ep.plan_starts) else "NFA"
            else:
                outcome = None
                counts.add("s47 conference pending")
            out.write("section47.csv", (s47_ids[i], child_id, referral_id, ep.referral_date, start,
                                        outcome, icpc))
        for row in plan_rows:
            out.write("cp_plans.csv", row)


def _plan_s47(s47s: list[tuple[date | None, date | None, bool | None]], start: date) -> int | None:
    """The enquiry whose conference made the plan: the one whose ICPC date is the plan's start,
    else the latest enquiry in the episode starting on or before the plan."""
    for i, (_, icpc, _) in enumerate(s47s):
        if icpc == start:
            return i
    earlier = [(s, i) for i, (s, _, _) in enumerate(s47s) if s is not None and s <= start]
    return max(earlier)[1] if earlier else None


def import_cin_census(path: Path | str, year: str | Year, out_dir: Path | str = RAW_DIR,
                      replace: bool = False, pseudonymiser: Pseudonymiser | None = None) -> ImportReport:
    """Import one CIN census XML file into ``out_dir/<year>/``; raise :class:`ImportFailed`
    listing every problem (and write nothing) if the file does not meet the specification."""
    path, year = Path(path), Year.parse(str(year))
    pseud = pseudonymiser or Pseudonymiser.from_key_file()
    out = Output(Path(out_dir), year, TABLES, replace)
    for name, columns in TABLES.items():
        out.open(name, columns)
    problems: list[Problem] = []
    counts = _Counts()
    originals: dict[str, str] = {}
    pseudonyms: dict[str, str] = {}
    header_seen, extract_date = False, None
    stream = ChildStream(path)
    try:
        for kind, elem, elem_path, lines in stream:
            r = _Reader(path.name, year, lines, problems)
            if kind == "Header":
                header_seen = True
                extract_date = _check_header(r, elem, elem_path)
                continue
            before = len(problems)
            child = read_child(r, elem, elem_path)
            if child is None or len(problems) > before:
                continue
            key = child.la_child_id.strip().upper()
            if key in originals:
                problems.append(Problem(path.name, child.id_position, "LAchildID", child.la_child_id,
                                        f"each child once (already at {originals[key]})", "IMP-CIN-007"))
                continue
            originals[key] = child.id_position
            child_id = pseud.child_id(key)
            if pseudonyms.setdefault(child_id, key) != key:
                problems.append(Problem(path.name, child.id_position, "LAchildID", child.la_child_id,
                                        "a child id whose pseudonym is not already taken", "IMP-GEN-002"))
                continue
            _write_child(out, child, child_id, year, counts)
    except ET.ParseError as err:
        line, column = err.position
        problems.append(Problem(path.name, f"line {line}, column {column}", "XML", str(err),
                                "well-formed XML", "IMP-CIN-001"))
    except OSError as err:
        problems.append(Problem(str(path), "file", "file", "", f"a readable file ({err.strerror})",
                                "IMP-CIN-001"))
    if stream.root_tag not in (None, "Message") and not any(p.rule == "IMP-CIN-001" for p in problems):
        problems.insert(0, Problem(path.name, "line 1", "root element", stream.root_tag or "",
                                   "a CIN census <Message>", "IMP-CIN-001"))
    elif not header_seen and not problems:
        problems.append(Problem(path.name, "/Message", "Header", "", "a Header module", "IMP-CIN-002"))
    if problems:
        out.discard()
        raise ImportFailed(problems)
    report = ImportReport(source=f"CIN census {path.name}", year=year.label)
    try:
        out.commit(report, f"Imported from the CIN census file {path.name}",
                   extract_date or date.today().isoformat())
    except ImportFailed:
        out.discard()
        raise
    _describe(report, counts)
    return report


def _describe(report: ImportReport, counts: _Counts) -> None:
    c = counts.c
    report.unavailable += [
        "contacts.csv: not written. The CIN census has no contacts (it starts at the referral); "
        "contacts come from the front-door system.",
        "referrals.contact_id (required): left empty - there are no contacts in the census to link to.",
        "referrals.previous_referral_date: only from earlier referrals in this census file; referrals "
        "closed before the collection year are not in the census, so re-referrals may be undercounted.",
        "cin_episodes.initial_visit_date, latest_visit_date: left empty - the census has no CIN visits.",
        "cin_episodes.visit_frequency_days (required): left empty - the census has no visit frequency.",
        "cla_episodes, cla_reviews, cla_visits, cla_health, care_leavers, missing_episodes: not in the "
        "census (use the ssda903 importer for the looked-after tables).",
    ]
    if c["s47 conference pending"]:
        report.unavailable.append(
            f"section47.outcome (required): left empty for {c['s47 conference pending']} enquiry(ies) "
            "with ICPCnotRequired false and no conference date yet.")
    if c["plan without s47"]:
        report.unavailable.append(
            f"cp_plans.s47_id (required): left empty for {c['plan without s47']} plan(s) with no "
            "section 47 enquiry in the same CINdetails.")
    report.notes += [
        "section47.outcome is derived: ICPC when a conference date is given; otherwise, when no "
        "conference was required, CIN if a CIN plan started on or after the enquiry, else NFA.",
        "cin_episodes holds CINdetails that have a CINPlanDates module and were not ReferralNFA.",
        "Child ids are keyed pseudonyms; record ids are built from the pseudonym and the record's date.",
    ]
    for key, text in (("assessment not yet authorised", "assessment(s) not yet authorised"),
                      ("assessment authorised outside the year", "assessment(s) authorised outside the year"),
                      ("plan not open in the year", "child protection plan(s) not open in the year"),
                      ("referral after the year end", "referral(s) dated after the year end")):
        if c[key]:
            report.left_out.append(f"{c[key]} {text}")
    report.not_carried += NOT_CARRIED
