"""``python -m helpers.build``: build one or more years of the report."""

from helpers.build.runner import main

raise SystemExit(main())
