"""Indicators: partners family. Each figure the report states is registered with @measure."""

from __future__ import annotations

from helpers.indicators.front_door import Definition
from helpers.io import ReportData  # noqa: F401 - the type every measure takes
from helpers.measures import measure  # noqa: F401 - used by this family's measures

DEFINITIONS: dict[str, Definition] = {}
