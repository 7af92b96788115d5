"""Importers for the statutory returns: the children in need census (XML) and the SSDA903
children looked after return (CSV flat files).

Each importer reads one return, checks it against the specification, pseudonymises the child
ids and writes the matching tables of ``data/raw/<year>/`` in the pack's raw CSV format,
returning an :class:`ImportReport` that says which tables and columns the return could not
fill. Every problem is collected and raised together as :class:`ImportFailed`; nothing is
written unless the whole import succeeded. Command line: ``python -m helpers.importers``.
"""

from helpers.importers.cin_census import import_cin_census
from helpers.importers.common import RULES, ImportFailed, ImportReport, Problem, Pseudonymiser
from helpers.importers.ssda903 import import_ssda903

__all__ = ["RULES", "ImportFailed", "ImportReport", "Problem", "Pseudonymiser", "import_cin_census",
           "import_ssda903"]
