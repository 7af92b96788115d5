"""Generate the bundled synthetic demo data (``python -m helpers.demo``).

No real child appears in this repository. The generator builds Camden-sized, internally
consistent record-level extracts for 2020-21 to 2024-25 from a fixed seed, so regenerating
gives byte-identical files. It is calibrated: the parameters below are chosen so that the
pack's own indicator code, run on the 2024-25 demo, reproduces the figures the reference
report publishes (for example 8,583 contacts, 2,017 referrals, sources 25/23/20%).
Headline counts are allocated exactly (largest remainder), and randomness only decides
*which* records carry them, so calibration does not depend on luck.

Every year folder carries ``dataset.json`` with ``"synthetic": true``; every page built from
it shows a synthetic-data banner.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from helpers.config import RAW_DIR, Year
from helpers.demo import (
    statutory_returns,
    synth_front_door,
    synth_lado_training,
    synth_partners,
    synth_social_care,
)
from helpers.demo import synth_narrative as demo_narrative
from helpers.demo.common import YEARS, assign_by_stage, child_index

SEED = 20250331
EXTRACT_NOTE = ("Synthetic demo data made by the LSCP Report Pack's generator (seed "
                f"{SEED}); no real child appears in it.")


def build(seed: int = SEED) -> dict[str, dict[str, pd.DataFrame]]:
    """Every demo table for every year, in memory."""
    domains = (synth_social_care, synth_lado_training, synth_partners)

    ctx = synth_front_door.generate(seed)
    out: dict[str, dict[str, pd.DataFrame]] = {
        label: {
            "contacts": ctx.contacts[label],
            "referrals": ctx.referrals[label],
            "assessments": ctx.assessments[label],
            "population": synth_front_door.population(label),
            "benchmarks": synth_front_door.benchmarks(label),
        }
        for label in YEARS
    }
    for domain in domains:
        for label, tables in domain.generate(ctx).items():
            clash = set(tables) & set(out[label])
            if clash - {"benchmarks"}:
                raise ValueError(f"{domain.__name__} regenerates {sorted(clash)}")
            if "benchmarks" in tables:
                tables = dict(tables)
                extra = tables.pop("benchmarks")
                out[label]["benchmarks"] = pd.concat([out[label]["benchmarks"], extra],
                                                     ignore_index=True)
            out[label].update(tables)
    stages = [stage for domain in domains
              for stage in getattr(domain, "STAGES", ())]
    assign_by_stage(ctx, out, stages)
    for label in YEARS:
        ids = set()
        for frame in out[label].values():
            if "child_id" in frame.columns:
                ids |= set(frame["child_id"])
        out[label] = {"children": ctx.kids.table([child_index(i) for i in ids]), **out[label]}
    return out


def write(out_dir: Path = RAW_DIR, seed: int = SEED) -> list[Path]:
    """Write the demo years under ``out_dir``; return the files written."""
    written = []
    for label, tables in build(seed).items():
        year_dir = Path(out_dir) / label
        year_dir.mkdir(parents=True, exist_ok=True)
        for name, frame in tables.items():
            path = year_dir / f"{name}.csv"
            frame.to_csv(path, index=False, lineterminator="\n")
            written.append(path)
        meta = {
            "synthetic": True,
            "extract_date": f"{Year.parse(label).start + 1}-05-15",
            "source": EXTRACT_NOTE,
        }
        written.extend(demo_narrative.write(year_dir, label))
        meta_path = year_dir / "dataset.json"
        meta_path.write_text(json.dumps(meta, indent=2, sort_keys=True) + "\n", encoding="utf-8")
        written.append(meta_path)
    return written


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Write the synthetic demo data.")
    parser.add_argument("--out", type=Path, default=RAW_DIR, help="folder for the year folders")
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--returns", type=Path, default=None, metavar="DIR",
                        help="instead, write the --year demo year (read from --out) as a CIN "
                             "census XML file and SSDA903 CSV files in DIR")
    parser.add_argument("--year", default="2024-25", help="the year --returns writes")
    args = parser.parse_args(argv)
    if args.returns is not None:
        returns = statutory_returns.write_returns(args.year, args.returns, args.out)
        print(f"wrote {returns.cin_census}, {returns.ssda903}/ and {returns.postcodes}")
        return 0
    paths = write(args.out, args.seed)
    print(f"wrote {len(paths)} files under {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
