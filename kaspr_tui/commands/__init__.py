"""The scriptable command line: one module per noun; no Textual on any of these paths.

`kaspr_tui.cli` parses the arguments and calls a command's `run(context)` through
`runtime.run_command`, which owns what every command shares: the exit codes (`Exit`), data on
stdout and messages on stderr (`Output`), asking before a change (`confirm`), and the session
(`Context.session`: the configured server, or the bundled one started and stopped around the
command). Each module imports the API client and models at the top: only the command that
runs is imported, so `--help` and `completion` never load httpx or pydantic.
"""
