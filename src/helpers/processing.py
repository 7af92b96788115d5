"""``python -m helpers.processing``: validate and process raw years (kept for users' scripts).

The code lives in :mod:`helpers.data.processing`; this is only the command's entry point.
"""

from helpers.data.processing import main

if __name__ == "__main__":
    raise SystemExit(main())
