"""The rule registry: every problem names a registered rule, and the dictionary lists them all."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest

from helpers.config import RAW_DIR
from helpers.data import code_lists, dictionary, rules
from helpers.data.processing import validate_year
from helpers.data.validation import Problem, RawDataError
from helpers.demo.scaled import write_scaled_year


def test_a_problem_must_name_a_registered_rule() -> None:
    with pytest.raises(ValueError, match="names no registered rule"):
        Problem("x.csv", "something")
    with pytest.raises(ValueError, match="names no registered rule"):
        Problem("x.csv", "something", rule="NOPE-999")


def test_a_rule_code_cannot_be_reused_for_another_meaning() -> None:
    with pytest.raises(ValueError, match="registered twice"):
        rules.rule(rules.COL_CODE, "something else entirely")


def test_the_message_names_file_row_column_value_rule_meaning_and_expectation() -> None:
    problem = Problem("contacts.csv", "one of the codes", 7, "source", "99", rule="COL-103")
    assert str(problem) == ("contacts.csv, row 7, column 'source': found '99'; rule COL-103 "
                            f"({rules.meaning('COL-103')}); expected one of the codes")


def test_rule_codes_are_well_formed() -> None:
    assert all(re.fullmatch(r"[A-Z]+-\d{3}", code) for code in rules.RULES)
    assert {"CIN-111", "CLA-102", "FD-101", "LADO-105", "TRN-101", "PRT-103", "NAR-006",
            "KEY-201", "SAFE-301", "COL-104"} <= set(rules.RULES)


def test_the_dictionary_lists_every_rule_and_the_years_of_year_limited_codes() -> None:
    text = dictionary.render()
    for code, entry in rules.RULES.items():
        assert f"| `{code}` | {dictionary._cell(entry.meaning)} |" in text
    assert "| `5D` | LA services: early help | from 2023-24 |" in text
    assert "| `24A` | Child criminal exploitation | from 2021-22 |" in text
    assert "`exploitation_assessments.csv`" in text.split("Optional tables")[1].split("\n")[0]


@pytest.mark.parametrize(("span", "year", "valid"), [
    (code_lists.ValidYears(first="2024-25"), "2023-24", False),
    (code_lists.ValidYears(first="2024-25"), "2024-25", True),
    (code_lists.ValidYears(last="2020-21"), "2021-22", False),
    (code_lists.ValidYears(first="2021-22", last="2022-23"), "2022-23", True),
])
def test_valid_years_cover_their_span_only(span: code_lists.ValidYears, year: str,
                                           valid: bool) -> None:
    assert span.covers(year) is valid


def test_valid_in_lists_the_codes_of_a_year() -> None:
    before = code_lists.valid_in(code_lists.REFERRAL_SOURCE, code_lists.REFERRAL_SOURCE_YEARS,
                                 "2022-23")
    assert "5D" not in before and "5C" in before
    assert "5D" in code_lists.valid_in(code_lists.REFERRAL_SOURCE,
                                       code_lists.REFERRAL_SOURCE_YEARS, "2024-25")


def test_every_problem_of_a_broken_year_names_its_rule(tmp_path: Path) -> None:
    import shutil

    raw = tmp_path / "raw"
    shutil.copytree(RAW_DIR / "2024-25", raw / "2024-25")
    plans = raw / "2024-25" / "cp_plans.csv"
    frame = pd.read_csv(plans, dtype=str, keep_default_na=False)
    frame.loc[0, "start_date"] = "2024-04-02" if frame.loc[0, "start_date"] != "2024-04-02" \
        else "2024-04-03"
    frame.to_csv(plans, index=False)
    with pytest.raises(RawDataError) as info:
        validate_year("2024-25", raw)
    assert {p.rule for p in info.value.problems} >= {"CIN-111"}
    assert all(f"rule {p.rule} (" in str(p) for p in info.value.problems)


def test_a_scaled_demo_year_has_exactly_the_contacts_asked_for_and_validates(tmp_path: Path) -> None:
    folder = write_scaled_year(tmp_path / "raw", 20_000)
    counts = {name: len(pd.read_csv(folder / f"{name}.csv", dtype=str))
              for name in ("contacts", "referrals", "children")}
    base = {name: len(pd.read_csv(RAW_DIR / "2024-25" / f"{name}.csv", dtype=str))
            for name in ("contacts", "referrals", "children")}
    assert counts["contacts"] == 20_000
    assert counts["referrals"] == 3 * base["referrals"]
    assert counts["children"] == 3 * base["children"]
    frames = validate_year("2024-25", tmp_path / "raw")
    assert frames["contacts"]["contact_id"].is_unique


def test_a_scaled_year_is_never_written_into_the_repository_raw_data() -> None:
    with pytest.raises(ValueError, match="refusing"):
        write_scaled_year(RAW_DIR, 10)
