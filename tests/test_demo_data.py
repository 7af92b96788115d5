"""Synthetic demo data: exact allocation, byte-identical regeneration, and no real ids."""

from __future__ import annotations

import json
import re

import pandas as pd
import pytest

from helpers.config import RAW_DIR
from helpers.demo import common, synth_front_door
from helpers.demo import generator as demo_data
from helpers.demo.common import allocate
from helpers.indicators import is_re_referral

CHILD_ID = re.compile(r"CH-\d{6}")

# --- allocate ------------------------------------------------------------------------------


def test_allocate_exact_split():
    assert allocate(10, {"a": 0.5, "b": 0.3, "c": 0.2}) == {"a": 5, "b": 3, "c": 2}


def test_allocate_gives_leftovers_to_the_largest_remainders():
    # raw 3.5, 2.1, 1.4 -> floors 3, 2, 1 (6); the one left goes to the .5 remainder
    assert allocate(7, {"a": 0.5, "b": 0.3, "c": 0.2}) == {"a": 4, "b": 2, "c": 1}
    # raw 1.4, 2.1, 3.5 -> the largest remainder is c's, wherever it sits
    assert allocate(7, {"a": 0.2, "b": 0.3, "c": 0.5}) == {"a": 1, "b": 2, "c": 4}
    # raw 2.6, 2.6, 1.8 -> floors 2, 2, 1 (5); of the two left, one goes to c (.8, the
    # largest remainder) and one to a (the first of the tied .6 remainders)
    assert allocate(7, {"a": 0.371428, "b": 0.371428, "c": 0.257144}) == {"a": 3, "b": 2,
                                                                            "c": 2}


def test_allocate_is_not_naive_rounding():
    # four equal shares of 3: rounding each 0.75 would give 4 in all
    out = allocate(3, {"a": 1, "b": 1, "c": 1, "d": 1})
    assert out == {"a": 1, "b": 1, "c": 1, "d": 0}  # ties: first in order
    assert sum(out.values()) == 3


def test_allocate_normalises_weights():
    assert allocate(5, {"a": 2, "b": 2, "c": 1}) == {"a": 2, "b": 2, "c": 1}
    assert allocate(10, {"a": 3, "b": 1, "c": 1}) == {"a": 6, "b": 2, "c": 2}


def test_allocate_zero_total():
    assert allocate(0, {"a": 0.6, "b": 0.4}) == {"a": 0, "b": 0}


def test_allocate_keeps_key_order_and_returns_ints():
    out = allocate(101, {"z": 0.1, "a": 0.9})
    assert list(out) == ["z", "a"]
    assert out == {"z": 10, "a": 91}  # 10.1 and 90.9: the .9 remainder gets the spare one
    assert all(type(v) is int for v in out.values())


@pytest.mark.parametrize("total", [1, 2, 17, 1664, 2017, 8583, 44000])
def test_allocate_always_sums_to_the_total(total):
    for shares in (synth_front_door._SOURCES_2024, synth_front_door._SOURCES_EARLIER,
                   synth_front_door._OUTCOMES,
                   common.AGE_BANDS, common.POPULATION_SHARES):
        out = allocate(total, shares)
        assert sum(out.values()) == total
        assert set(out) == set(shares)
        weight = sum(shares.values())
        for key, count in out.items():
            exact = shares[key] / weight * total
            assert exact - 1 < count < exact + 1  # never more than one from the exact share


def test_allocate_report_figures():
    # the 2024-25 sources of 2,017 referrals, as the report states them
    out = allocate(2017, synth_front_door._SOURCES_2024)
    assert out["Police"] == 504          # 504.25
    assert out["Local Authority services"] == 464  # 463.91
    assert out["Health"] == 403          # 403.4
    assert sum(out.values()) == 2017


# --- the committed demo data ---------------------------------------------------------------


@pytest.fixture(scope="module")
def regenerated(tmp_path_factory):
    out = tmp_path_factory.mktemp("raw")
    written = demo_data.write(out)
    return out, written


def test_regeneration_is_byte_identical(regenerated):
    out, written = regenerated
    new_files = sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file())
    committed = sorted(p.relative_to(RAW_DIR).as_posix()
                       for year in common.YEARS
                       for p in (RAW_DIR / year).rglob("*") if p.is_file())
    assert new_files == committed
    assert sorted(p.relative_to(out).as_posix() for p in written) == new_files
    from helpers.data import schemas
    from helpers.demo import synth_narrative as demo_narrative

    per_year = len(schemas.TABLES) + 1 + len(demo_narrative.BLOCKS)  # tables, dataset.json, narrative
    assert len(new_files) == len(common.YEARS) * per_year
    different = [name for name in new_files
                 if (out / name).read_bytes() != (RAW_DIR / name).read_bytes()]
    assert different == []


def test_every_year_is_marked_synthetic(regenerated):
    out, _ = regenerated
    for root in (out, RAW_DIR):
        for year in common.YEARS:
            meta = json.loads((root / year / "dataset.json").read_text(encoding="utf-8"))
            assert meta["synthetic"] is True
            assert meta["extract_date"] == f"{int(year[:4]) + 1}-05-15"
            assert "no real child" in meta["source"]


@pytest.mark.parametrize("year", common.YEARS)
def test_children_ids_are_all_synthetic(year):
    children = pd.read_csv(RAW_DIR / year / "children.csv", dtype=str, keep_default_na=False)
    ids = children["child_id"]
    assert len(ids) > 0
    assert ids.map(lambda v: CHILD_ID.fullmatch(v) is not None).all()
    assert ids.is_unique
    # nothing else in the file looks like an id of any kind
    text = (RAW_DIR / year / "children.csv").read_text(encoding="utf-8")
    tokens = set(re.findall(r"[A-Z]{2,}-[0-9A-Z-]+", text))
    assert tokens == set(ids)
    # every child referred to elsewhere in the year is one of these synthetic children
    for table in ("contacts", "referrals", "assessments"):
        other = pd.read_csv(RAW_DIR / year / f"{table}.csv", dtype=str, keep_default_na=False)
        assert set(other["child_id"]) <= set(ids)


@pytest.mark.parametrize("year", common.YEARS)
def test_demo_re_referrals_agree_with_the_indicator_definition(year):
    referrals = pd.read_csv(RAW_DIR / year / "referrals.csv", dtype=str,
                            keep_default_na=False)
    frame = pd.DataFrame({
        "referral_date": pd.to_datetime(referrals["referral_date"], format="%Y-%m-%d"),
        "previous_referral_date": pd.to_datetime(
            referrals["previous_referral_date"].replace("", None), format="%Y-%m-%d"),
    })
    params = synth_front_door.PARAMS[year]
    expected = round(params.re_referral_rate * params.referrals)
    assert len(frame) == params.referrals
    assert int(is_re_referral(frame).sum()) == expected


def test_2024_25_demo_matches_the_calibration_targets():
    contacts = pd.read_csv(RAW_DIR / "2024-25" / "contacts.csv", dtype=str)
    referrals = pd.read_csv(RAW_DIR / "2024-25" / "referrals.csv", dtype=str)
    assert len(contacts) == 8583
    assert len(referrals) == 2017
    assert (contacts["outcome"] == "REF").sum() == 2017
