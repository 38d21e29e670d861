"""`python -m kaspr_tui`: the same as `kaspr-tui`."""

import sys

from kaspr_tui.cli import main

sys.exit(main())
