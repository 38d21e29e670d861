"""The `kaspr-tui` command."""

from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if args[:1] == ["mock-server"]:
        from kaspr_tui.server.cli import main as mock_server_main

        return mock_server_main(args[1:])
    print("The kaspr-tui app is not built yet; `kaspr-tui mock-server` serves the billing API.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
