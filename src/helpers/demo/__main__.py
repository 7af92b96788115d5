"""``python -m helpers.demo``: regenerate the bundled synthetic demo data."""

from helpers.demo.generator import main

raise SystemExit(main())
