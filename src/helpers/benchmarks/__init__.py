"""Comparator figures from DfE's own published files.

``ees`` reads EES CSVs and LAIT's long table as published (suppression kept as
unavailable); ``indicators`` says which published figure each benchmark indicator is;
``national`` builds one table of every indicator for every LA, region and England;
``rows`` picks one partnership's benchmark rows (its LA, region, England, statistical
neighbours) and writes them; ``comparison`` turns the national table into the "How we
compare" chapter's series, ranks and positions. ``python -m helpers.benchmarks import DIR``.
"""
