"""Synthetic demo data: Children's social care beyond the front door.

Called by ``helpers.demo_data.build`` with the front door's ``DemoContext``.
"""

from __future__ import annotations

import pandas as pd

from helpers.demo_data import DemoContext, Stage

# Stages whose ethnic or sex mix the demo must reproduce (see demo_data.assign_by_stage).
STAGES: tuple[Stage, ...] = ()


def generate(ctx: DemoContext) -> dict[str, dict[str, pd.DataFrame]]:
    """Tables for each demo year: {year: {table name: frame}}."""
    return {year: {} for year in ctx.years}
