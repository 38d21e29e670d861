"""`python -m kaspr_tui.server`: the same as `kaspr-tui mock-server`."""

import sys

from kaspr_tui.server.cli import main

sys.exit(main())
