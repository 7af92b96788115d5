"""Stage 5, the build: chapter catalogue, runner, cache, calibration and publishing.

``python -m helpers.build --year 2024-25`` is the entry point (``__main__``)."""
