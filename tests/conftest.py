"""Session settings for the test suite."""

import os

# Builds in the tests make no PDFs (two Chromium print runs each, for every build) unless a
# test asks for them: tests/test_whole_report.py checks the PDFs on its own build.
os.environ.setdefault("LSCP_PDF", "0")
