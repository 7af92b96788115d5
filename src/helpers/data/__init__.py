"""Stage 1, data in: paths, code lists, schemas, validation, processing, templates, dictionary.

``data/raw/<year>/`` is read (never written) and checked table by table against the schema
of its domain; what passes is written as typed parquet to ``data/processed/<year>/``. Nothing
in this package knows about indicators, charts or the build.
"""
