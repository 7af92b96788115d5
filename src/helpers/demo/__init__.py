"""The synthetic demo data generator (``python -m helpers.demo``): one module per domain,
called in order by ``generator``. Only the demo reads this package; the pipeline never does."""
