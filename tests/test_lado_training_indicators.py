"""LADO and training indicators on small hand-built frames, with hand-computed answers."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from helpers.indicators import lado, training
from helpers.indicators.base import MEASURES, rank_order

LADO_AND_TRAINING = {**lado.DEFINITIONS, **training.DEFINITIONS}


def frame(columns: str, rows: list[tuple]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=columns.split(","))


# --- LADO ----------------------------------------------------------------------------------------


def test_consultation_summary_counts_progressed_share() -> None:
    cons = frame("consultation_id,progressed_to_referral,period", [
        ("C1", "Y", "2024-25"), ("C2", "N", "2024-25"), ("C3", "N", "2024-25"),
        ("C4", "N", "2024-25"), ("C5", "Y", "2023-24"), ("C6", "Y", "2023-24")])
    out = lado.consultation_summary(cons)
    assert out["period"].tolist() == ["2023-24", "2024-25"]
    assert out["consultations"].tolist() == [2, 4]
    assert out["progressed"].tolist() == [2, 1]
    assert out["pct"].tolist() == [100.0, 25.0]


def test_by_sector_ranks_and_labels_in_the_reports_words() -> None:
    cons = frame("sector,period", [("health", "2024-25"), ("education", "2024-25"),
                                   ("education", "2024-25"), ("early_years", "2024-25"),
                                   ("faith", "2024-25")])
    out = lado.by_sector(cons)
    # health, early_years and faith tie on 1: ties keep the code list's order
    assert out["label"].tolist() == ["schools", "nurseries", "health settings", "faith groups"]
    assert out["rank"].tolist() == [1, 2, 2, 2]
    assert out["pct"].tolist() == [40.0, 20.0, 20.0, 20.0]


def test_allegation_shares_are_over_categories_recorded() -> None:
    # 3 referrals, one with two categories: 4 categories recorded in all.
    refs = frame("referral_id,period", [("R1", "2023-24"), ("R2", "2023-24"), ("R3", "2023-24")])
    cats = frame("referral_id,code", [("R1", "physical"), ("R1", "neglect"), ("R2", "physical"),
                                      ("R3", "sexual")])
    out = lado.allegation_categories(refs, cats).set_index("category")
    assert out.loc["physical", "count"] == 2
    assert out.loc["neglect", "pct"] == 25.0                 # 1 of 4 categories
    assert out.loc["neglect", "pct_of_referrals"] == pytest.approx(100 / 3)  # 1 of 3 referrals
    assert out["pct"].sum() == 100.0
    assert out["rank"].tolist() == [1, 2, 3]
    assert out.index.tolist() == ["physical", "sexual", "neglect"]  # 1-1 tie: code-list order


def test_neglect_share_reproduces_the_reports_definition() -> None:
    # The report's 2.8%: 3 neglect among 107 categories on 104 referrals (2.9% of referrals).
    refs = frame("referral_id,period", [(f"R{i}", "2023-24") for i in range(104)])
    codes = ["neglect"] * 3 + ["physical"] * 49 + ["sexual"] * 33 + ["emotional"] * 22
    owners = [f"R{i}" for i in range(104)] + ["R10", "R20", "R30"]
    cats = pd.DataFrame({"referral_id": owners, "code": codes})
    out = lado.allegation_categories(refs, cats).set_index("category")
    assert round(out.loc["neglect", "pct"], 1) == 2.8
    assert round(out.loc["neglect", "pct_of_referrals"], 1) == 2.9


def test_allegation_categories_ignore_a_code_repeated_on_one_referral() -> None:
    refs = frame("referral_id,period", [("R1", "2024-25")])
    cats = frame("referral_id,code", [("R1", "physical"), ("R1", "physical")])
    assert lado.allegation_categories(refs, cats)["count"].tolist() == [1]


def test_referral_outcomes_list_every_outcome_and_count_multiples() -> None:
    refs = frame("referral_id,period", [("R1", "2024-25"), ("R2", "2024-25")])
    outs = frame("referral_id,code", [("R1", "asv_meeting"), ("R1", "police"), ("R2", "nfa"),
                                      ("R9", "nfa")])  # R9 is another year's referral
    out = lado.referral_outcomes(refs, outs).set_index("outcome")["count"]
    assert out.to_dict() == {"asv_meeting": 1, "police": 1, "disciplinary": 0,
                             "complaint_elsewhere": 0, "csc": 0, "dbs": 0, "nfa": 1}


def test_workshop_summary_sums_head_counts() -> None:
    ws = frame("workshop_id,attendees,period", [("W1", 10, "2024-25"), ("W2", 12, "2024-25"),
                                                ("W3", 9, "2023-24")])
    out = lado.workshop_summary(ws)
    assert out.to_dict("list") == {"period": ["2023-24", "2024-25"], "workshops": [1, 2],
                                   "attendees": [9, 22]}


# --- training ------------------------------------------------------------------------------------


EVENTS = frame("event_id,event_date,event_key,period", [
    ("E1", pd.Timestamp("2023-05-01"), None, "2023-24"),
    ("E2", pd.Timestamp("2024-05-01"), None, "2024-25"),
    ("E3", pd.Timestamp("2024-11-14"), "da_learning_event", "2024-25"),
])
ATTENDANCE = frame("attendance_id,event_id,attendee_id,agency,period", [
    ("A1", "E1", "P1", "health", "2023-24"),
    ("A2", "E1", "P2", "police", "2023-24"),
    ("A3", "E2", "P1", "health", "2024-25"),
    ("A4", "E2", "P3", "local_authority", "2024-25"),
    ("A5", "E3", "P1", "education", "2024-25"),   # P1 moved to a school by November
    ("A6", "E3", "P4", "vcs", "2024-25"),
])


def test_training_reach_counts_distinct_professionals_and_change() -> None:
    out = training.training_reach(EVENTS, ATTENDANCE).set_index("period")
    assert out.loc["2024-25", "events"] == 2
    assert out.loc["2024-25", "places"] == 4
    assert out.loc["2024-25", "professionals"] == 3      # P1 attended twice
    assert out.loc["2024-25", "change_pct"] == 50.0      # 3 against 2
    assert math.isnan(out.loc["2023-24", "change_pct"])  # no 2022-23 in the data


def test_training_reach_change_needs_the_previous_year_not_just_an_earlier_one() -> None:
    events = EVENTS.assign(period=EVENTS["period"].replace("2023-24", "2022-23"))
    attendance = ATTENDANCE.assign(period=ATTENDANCE["period"].replace("2023-24", "2022-23"))
    out = training.training_reach(events, attendance).set_index("period")
    assert math.isnan(out.loc["2024-25", "change_pct"])


def test_report_reach_change_rounds_to_21() -> None:
    assert round((676 / 559 - 1) * 100) == 21


def test_agency_mix_counts_each_professional_once_at_their_latest_agency() -> None:
    out = training.agency_mix(EVENTS, ATTENDANCE)
    year = out[out["period"] == "2024-25"].set_index("agency")
    assert year["professionals"].to_dict() == {"local_authority": 1, "education": 1, "vcs": 1}
    assert year["pct"].sum() == pytest.approx(100.0)
    assert "health" not in year.index


def test_event_attendees_find_the_event_by_key() -> None:
    out = training.event_attendees(EVENTS, ATTENDANCE, "da_learning_event")
    assert out.to_dict("list") == {"period": ["2024-25"], "attendees": [2]}
    assert training.event_attendees(EVENTS, ATTENDANCE, "mh_lunch_learn").empty


EVALUATIONS = frame("evaluation_id,event_id,overall_rating,promoted_equal_opportunities,"
                    "met_aims,period", [
                        ("V1", "E2", "excellent", "Y", "Y", "2024-25"),
                        ("V2", "E2", "good", "Y", None, "2024-25"),
                        ("V3", "E2", "satisfactory", "N", "N", "2024-25"),
                        ("V4", "E3", "good", None, "Y", "2024-25"),
                    ])


def test_good_or_excellent_share() -> None:
    out = training.good_or_excellent(EVALUATIONS)
    assert out.to_dict("list") == {"period": ["2024-25"], "evaluations": [4],
                                   "good_or_excellent": [3], "pct": [75.0]}


def test_agreement_leaves_blanks_out_of_the_denominator() -> None:
    equal = training.agreement(EVALUATIONS, "promoted_equal_opportunities")
    assert (equal["answered"].item(), equal["agreed"].item()) == (3, 2)
    assert equal["pct"].item() == pytest.approx(200 / 3)
    aims = training.agreement(EVALUATIONS, "met_aims")
    assert aims["pct"].item() == pytest.approx(200 / 3)


def test_rating_distribution_lists_every_rating() -> None:
    out = training.rating_distribution(EVALUATIONS)
    assert out["rating"].tolist() == ["excellent", "good", "satisfactory", "poor"]
    assert out["count"].tolist() == [1, 2, 1, 0]
    assert out["pct"].tolist() == [25.0, 50.0, 25.0, 0.0]


PARTNERS = frame("figure_period,measure,breakdown,value,period", [
    ("2024-25", "dsl_trained", None, 146.0, "2024-25"),
    ("2024-25", "dsl_trained", "primary", 52.0, "2024-25"),
    ("2023-24", "community_sessions", None, 49.0, "2024-25"),
    ("2024-25", "community_sessions", None, 51.0, "2024-25"),
])


def test_partner_figure_reads_the_total_not_a_breakdown() -> None:
    assert training.partner_figure(PARTNERS, "dsl_trained", "2024-25") == 146.0


def test_partner_figure_prefers_the_asked_period_and_refuses_ambiguity() -> None:
    assert training.partner_figure(PARTNERS, "community_sessions", "2024-25") == 51.0
    with pytest.raises(ValueError, match="2 totals"):
        training.partner_figure(PARTNERS, "community_sessions")


def test_partner_figure_missing_is_nan_not_zero() -> None:
    assert math.isnan(training.partner_figure(PARTNERS, "community_people_trained", "2024-25"))


# --- the registry ---------------------------------------------------------------------------------


def test_both_chapters_reach_figures_share_one_definition() -> None:
    assert (MEASURES["professionals_trained"].compute
            is MEASURES["professionals_reached_by_training"].compute)


def test_partner_measures_are_not_by_year() -> None:
    for name in ("community_leaders_trained", "community_training_sessions",
                 "dsl_education_professionals_trained", "dsl_training_recognise_respond_pct"):
        assert MEASURES[name].by_year is False
    assert MEASURES["lado_referrals"].by_year is True


def test_rank_order_matches_the_published_wording() -> None:
    labels = ["physical abuse", "sexual abuse", "emotional abuse", "neglect"]
    assert rank_order(labels) == "1 physical abuse; 2 sexual abuse; 3 emotional abuse; 4 neglect"


def test_every_indicator_of_the_family_is_documented() -> None:
    assert all(d.numerator and d.basis for d in LADO_AND_TRAINING.values())
    for name in ("lado_referrals_neglect_pct", "professionals_trained",
                 "courses_good_or_excellent_pct"):
        assert name in LADO_AND_TRAINING
