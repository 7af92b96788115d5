"""Partner indicators on small hand-built returns, with hand-computed expectations."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from helpers.data.loading import ReportData
from helpers.indicators import PARTNER_DEFINITIONS, community_safety, education_and_send, partnership
from helpers.indicators import partner_returns as ind
from helpers.indicators.base import MEASURES


def ret(*rows: tuple, period: str = "2024-25") -> pd.DataFrame:
    """A processed return: (figure_period, measure, breakdown, value) rows in one report year."""
    frame = pd.DataFrame(rows, columns=["figure_period", "measure", "breakdown", "value"])
    frame["breakdown"] = frame["breakdown"].replace("", None)  # blanks arrive as missing
    return frame.assign(period=period)


FINANCE = ret(("2024-25", "income", "", 200.0), ("2024-25", "income", "Local authority", 150.0),
              ("2024-25", "income", "Police", 50.0), ("2024-25", "staffing_fte", "Manager", 1.0))


# --------------------------------------------------------------------------- reading returns
def test_total_is_the_blank_row_else_the_sum_of_parts():
    assert ind.total(FINANCE, "income") == 200
    parts_only = FINANCE[FINANCE["breakdown"].notna()]
    assert ind.total(parts_only, "income") == 150 + 50
    with pytest.raises(LookupError, match="expenditure"):
        ind.total(FINANCE, "expenditure")


def test_parts_leave_out_the_total_and_comparator_areas():
    frame = ret(("x", "pa", "", 17.1), ("x", "pa", "England", 14.8), ("x", "pa", "London", 15.0),
                ("x", "pa", "Girls", 16.0))
    assert ind.parts(frame, "pa").to_dict() == {"Girls": 16.0}
    assert ind.figure(frame, "pa") == 17.1
    assert ind.figure(frame, "pa", "England") == 14.8
    with pytest.raises(LookupError, match="Wales"):
        ind.figure(frame, "pa", "Wales")


def test_text_figure_reads_a_rating():
    frame = ret(("April 2025", "ofsted_ilacs", "Care leavers", "Outstanding"),
                ("June 2025", "hmip_youth_justice", "", "Good"))
    assert ind.text_figure(frame, "ofsted_ilacs", "Care leavers") == "Outstanding"
    assert ind.text_figure(frame, "hmip_youth_justice") == "Good"


def test_percent():
    assert ind.percent(150, 200) == 75
    with pytest.raises(ZeroDivisionError):
        ind.percent(1, 0)


def test_breakdown_shares_per_year_of_their_own_or_another_total():
    frame = pd.concat([
        ret(("a", "refs", "", 10.0), ("a", "by_src", "Police", 6.0), ("a", "by_src", "School", 4.0),
            period="2023-24"),
        ret(("b", "refs", "", 20.0), ("b", "by_src", "Police", 5.0), ("b", "by_src", "School", 15.0),
            period="2024-25")])
    out = ind.breakdown_shares(frame, "by_src", "refs")
    assert out[["period", "breakdown", "value", "pct"]].values.tolist() == [
        ["2023-24", "Police", 6.0, 60.0], ["2023-24", "School", 4.0, 40.0],
        ["2024-25", "School", 15.0, 75.0], ["2024-25", "Police", 5.0, 25.0]]


def test_ranked_largest_first_ties_in_return_order():
    frame = ret(("x", "src", "Housing", 5.0), ("x", "src", "Schools", 9.0),
                ("x", "src", "Health", 5.0))
    assert ind.ranked(frame, "src") == ["Schools", "Housing", "Health"]
    assert ind.ranked(frame, "src", 1) == ["Schools"]


def test_good_or_outstanding_share_of_graded_providers():
    frame = ret(("latest", "ey", "Outstanding", 2.0), ("latest", "ey", "Good", 5.0),
                ("latest", "ey", "Requires improvement", 1.0), ("latest", "ey", "Inadequate", 0.0))
    assert education_and_send.good_or_outstanding_pct(frame, "ey") == 7 / 8 * 100
    only_good = ret(("latest", "s", "Good", 4.0))
    assert education_and_send.good_or_outstanding_pct(only_good, "s") == 100


@pytest.mark.parametrize(("share", "expected"), [
    (150 / 449, 1 / 3), (0.265, 0.25), (0.41, 0.5), (0.2, 0.2), (0.09, 1 / 11)])
def test_one_in_n_words_a_share_as_the_report_does(share, expected):
    assert ind.one_in_n(share) == pytest.approx(expected)


def test_one_in_n_needs_a_positive_share():
    with pytest.raises(ValueError):
        ind.one_in_n(0)


def test_relative_change():
    assert ind.relative_change_pct(464, 237) == pytest.approx(95.78, abs=0.01)
    assert ind.relative_change_pct(26, 45) == pytest.approx(-42.22, abs=0.01)


OUTCOMES = ret(*[("n/s", code, area, value) for code, values in {
    "disadvantage_gap_eyfs": (12.1, 14.0, 19.2), "disadvantage_gap_ks2": (2.65, 2.78, 3.21),
    "disadvantage_gap_ks4": (3.41, 3.56, 3.94), "ks2_expected_standard_pct": (66, 66, 61),
    "attainment8_score": (50.6, 49.9, 45.9)}.items()
    for area, value in zip(("", "London", "England"), values, strict=True)])


def test_disadvantage_gap_narrower_only_if_narrower_everywhere():
    assert education_and_send.disadvantage_gap_vs(OUTCOMES) == "narrower"
    wider_at_ks4 = OUTCOMES.copy()
    wider_at_ks4.loc[(wider_at_ks4["measure"] == "disadvantage_gap_ks4")
                     & wider_at_ks4["breakdown"].isna(), "value"] = 3.60  # London is 3.56
    assert education_and_send.disadvantage_gap_vs(wider_at_ks4) == "mixed"


def test_attainment_better_than_england_at_both_stages():
    assert education_and_send.attainment_vs(OUTCOMES) == "better"
    assert education_and_send.attainment_vs(OUTCOMES, "London") == "mixed"  # KS2 equal to London


def test_position_words():
    assert ind.position(1, [2, 3], "below", "above") == "below"
    assert ind.position(4, [2, 3], "below", "above") == "above"
    assert ind.position(2.5, [2, 3], "below", "above") == "mixed"


@pytest.mark.parametrize(("values", "word"), [
    ([190, 240, 350], "increasing"), ([5, 4, 2], "decreasing"), ([5, 6, 5], "fluctuating")])
def test_trend_word(values, word):
    assert ind.trend_word(values) == word


def test_trend_word_needs_two_years():
    with pytest.raises(ValueError):
        ind.trend_word([3])


def knife(years: dict[int, list[int]], folder: str) -> pd.DataFrame:
    return ret(*[(f"{y} (calendar year)", "knife_crime_victims_10_24", f"{y}-{m:02d}", float(v))
                 for y, months in years.items() for m, v in enumerate(months, start=1)],
               period=folder)


def test_calendar_years_and_latest_total():
    frame = pd.concat([knife({2022: [3, 4], 2023: [5, 6]}, "2023-24"),
                       knife({2022: [3, 4], 2023: [5, 6], 2024: [1, 2]}, "2024-25")])
    years = community_safety.calendar_years(frame)
    assert years.values.tolist() == [["2023-24", 2022, 7.0], ["2023-24", 2023, 11.0],
                                     ["2024-25", 2022, 7.0], ["2024-25", 2023, 11.0],
                                     ["2024-25", 2024, 3.0]]
    assert community_safety.latest_calendar_year_total(frame[frame["period"] == "2024-25"]) == 3
    assert community_safety.latest_calendar_year_total(frame[frame["period"] == "2023-24"]) == 11


def test_membership_counts_seats_and_people():
    members = pd.DataFrame({
        "member_group": ["lead", "la_departments", "la_departments", "independent", "independent"],
        "agency": ["LA", "Public Health", "Public Health", "Independent", "Independent"],
        "job_title": ["DCS", "Director", "Director", "Young Advisors", "Lay Member"],
        "people": [1, 1, 1, 2, 1]})
    out = partnership.membership_summary(members).set_index("member_group")
    assert out.loc["la_departments", ["rows", "people"]].tolist() == [2, 2]
    assert out.loc["independent", ["rows", "people"]].tolist() == [2, 3]
    assert out.loc["schools", ["rows", "people"]].tolist() == [0, 0]
    assert (out["rows"].sum(), out["people"].sum()) == (5, 6)


# --------------------------------------------------------------------------- measures
def processed(root: Path, year: str, tables: dict[str, pd.DataFrame]) -> None:
    folder = root / year
    folder.mkdir(parents=True, exist_ok=True)
    for name, frame in tables.items():
        frame.drop(columns="period", errors="ignore").to_parquet(folder / f"{name}.parquet")
    (folder / "dataset.json").write_text(json.dumps(
        {"synthetic": True, "extract_date": "2025-05-15", "source": "test"}))


@pytest.fixture
def data(tmp_path: Path) -> ReportData:
    processed(tmp_path, "2023-24", {
        "domestic_abuse": ret(("2023-24", "marac_cases_with_child", "", 237.0)),
        "substance_misuse": ret(("2023-24", "referrals", "", 245.0)),
    })
    processed(tmp_path, "2024-25", {
        "domestic_abuse": ret(("2024-25", "marac_cases_with_child", "", 464.0)),
        "substance_misuse": ret(("2024-25", "referrals", "", 306.0),
                                ("2024-25", "tier3_satisfaction", "treatment start", 5.8),
                                ("2024-25", "tier3_satisfaction", "treatment exit", 6.6)),
        "website": ret(("p", "page_views", "", 100.0), ("p", "visits", "", 30.0),
                       ("p", "unique_visitors", "", 20.0),
                       ("p", "visitors_by_country", "United Kingdom", 17.0),
                       ("p", "visitors_by_country", "Finland", 3.0)),
        "send": ret(("j", "send_cyp", "", 10.0), ("j", "send_ethnicity", "White British", 3.0),
                    ("j", "send_ethnicity", "Black", 4.0), ("j", "send_ethnicity", "Asian", 2.0),
                    ("j", "send_ethnicity", "Not known", 1.0)),
        "child_deaths": ret(("w", "deaths_notified", "", 449.0),
                            ("w", "deaths_by_age", "0-27 days", 150.0)),
        "finance": FINANCE,
        "population": pd.DataFrame({"age_band": ["0-4", "5-9"], "ethnic_group": ["White"] * 2,
                                    "population": [30, 20]}),
        "borough_profile": ret(("n/s", "population_total", "", 250.0)),
    })
    return ReportData("2024-25", tmp_path)


def compute(indicator: str, d: ReportData):
    return MEASURES[indicator].compute(d)


def test_change_in_marac_cases_reads_last_year_from_last_years_folder(data: ReportData):
    assert compute("marac_cases_with_child_change_pct", data) == pytest.approx(
        (464 - 237) / 237 * 100)
    assert compute("marac_cases_with_child_in_household", data.for_year("2023-24")) == 237
    with pytest.raises(LookupError, match="2022-23"):
        compute("marac_cases_with_child_change_pct", data.for_year("2023-24"))


def test_fwd_change_is_computed_from_the_two_years_counts(data: ReportData):
    assert compute("fwd_referrals_change_pct", data) == pytest.approx((306 / 245 - 1) * 100)


def test_fwd_change_ignores_a_stated_change(tmp_path: Path):
    processed(tmp_path, "2023-24", {"substance_misuse": ret(("2023-24", "referrals", "", 200.0))})
    processed(tmp_path, "2024-25", {"substance_misuse": ret(
        ("2024-25", "referrals", "", 250.0), ("2024-25", "referrals_change_pct", "", 24.7))})
    assert compute("fwd_referrals_change_pct", ReportData("2024-25", tmp_path)) == 25.0


def test_no_whole_previous_count_gives_the_published_fwd_change():
    # 306 this year: the previous count N would need round((306/N - 1) * 100, 1) == 24.7
    found = [n for n in range(200, 306) if round((306 / n - 1) * 100, 1) == 24.7]
    assert found == []
    assert round((306 / 245 - 1) * 100, 1) == 24.9   # the demo's 2023-24 count, closest


def test_satisfaction_at_exit_is_compared_with_the_start(data: ReportData):
    entry = MEASURES["tier3_satisfaction_score_exit"]
    assert entry.compute(data) == 6.6
    assert entry.comparator is not None and entry.comparator(data) == 5.8
    assert entry.by_year is False


def test_website_pages_per_visit_and_global_reach(data: ReportData):
    assert compute("web_avg_pages_per_visit", data) == pytest.approx(100 / 30)
    assert compute("web_global_reach_pct", data) == pytest.approx(3 / 20 * 100)


def test_send_minoritised_excludes_white_british_and_not_known(data: ReportData):
    assert compute("send_minoritised_ethnic_pct", data) == pytest.approx((4 + 2) / 10 * 100)


def test_child_death_share_in_the_reports_1_in_n_form(data: ReportData):
    assert compute("deaths_first_27_days_share", data) == pytest.approx(1 / 3)


def test_finance_lines_shares_and_whole_pounds(data: ReportData):
    assert compute("income_total_gbp", data) == 200
    assert isinstance(compute("income_total_gbp", data), int)
    assert compute("income_share_local_authority_pct", data) == 75
    assert compute("income_share_police_pct", data) == 25


def test_children_total_and_share_come_from_the_population_table(data: ReportData):
    assert compute("children_total", data) == 50
    assert compute("children_share_of_population", data) == pytest.approx(0.2)


def test_every_partner_measure_is_defined_and_reads_its_own_folder():
    for indicator in PARTNER_DEFINITIONS:
        entry = MEASURES[indicator]
        assert entry.by_year is False, indicator
        assert entry.description, indicator


# --------------------------------------------------------------------------- finance data quality
def _finance(local: float, stated: dict[str, float] | None = None) -> pd.DataFrame:
    rows = [("2024-25", "income", "", local + 50.0), ("2024-25", "income", "Local authority", local),
            ("2024-25", "income", "Police", 50.0)]
    rows += [("2024-25", partnership.STATED_SHARE_MEASURE, who, pct)
             for who, pct in (stated or {}).items()]
    return ret(*rows)


def test_income_shares_are_computed_and_compared_with_the_stated_shares():
    notes = {n.contributor: n for n in partnership.income_share_notes(
        _finance(150.0, {"Local authority": 66, "Police": 25}))}
    assert notes["Local authority"].computed_pct == pytest.approx(75.0)   # 150 of 200
    assert notes["Local authority"].stated_pct == 66 and notes["Local authority"].agrees is False
    assert notes["Police"].agrees is True                                  # 50 of 200 = 25%
    assert notes["Police"].file == "finance.csv"
    assert "income_share_stated_pct: Police" in notes["Police"].rows
    assert "differs from the stated 66%" in notes["Local authority"].text


def test_changing_the_income_table_changes_the_note():
    before = partnership.income_share_notes(_finance(150.0, {"Local authority": 75}))[0]
    after = partnership.income_share_notes(_finance(450.0, {"Local authority": 75}))[0]
    assert before.agrees is True
    assert after.computed_pct == pytest.approx(90.0) and after.agrees is False


def test_shares_round_half_up_before_comparing():
    # 25 of 200 = 12.5%: stated as 13% it agrees (half up), as 12% it does not
    notes = partnership.income_share_notes(ret(
        ("p", "income", "", 200.0), ("p", "income", "Police", 25.0),
        ("p", "income", "Local authority", 175.0),
        ("p", partnership.STATED_SHARE_MEASURE, "Police", 13.0)))
    police = next(n for n in notes if n.contributor == "Police")
    assert police.agrees is True


def test_without_stated_shares_nothing_is_compared():
    notes = partnership.income_share_notes(_finance(150.0))
    assert [n.agrees for n in notes] == [None, None]
    assert "no stated share" in notes[0].text


def test_a_returns_rows_are_picked_once_per_report_year(data: ReportData, monkeypatch):
    """A figure, its comparator and its period read the same rows: picked once a year."""
    picked: list[str] = []
    real = ind.measure_rows

    def counted(frame: pd.DataFrame, code: str) -> pd.DataFrame:
        picked.append(code)
        return real(frame, code)

    monkeypatch.setattr(ind, "measure_rows", counted)
    entry = MEASURES["tier3_satisfaction_score_exit"]
    assert (entry.compute(data), entry.comparator(data)) == (6.6, 5.8)
    assert ind.returned_period(data, "substance_misuse", "tier3_satisfaction") == "2024-25"
    assert picked == ["tier3_satisfaction"]
    # another report year's rows are its own
    assert ind.returned_period(data.for_year("2023-24"), "substance_misuse", "referrals") == "2023-24"
    assert picked == ["tier3_satisfaction", "referrals"]
    with pytest.raises(LookupError, match="no row for measure 'referrals' with breakdown 'x'"):
        ind.returned_figure(data, "substance_misuse", "referrals", "x")
