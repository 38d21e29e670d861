"""`kaspr-tui paths`: where kaspr-tui reads and writes — config, data, logs, downloads."""

from __future__ import annotations

from kaspr_tui.commands.runtime import Context, Exit, table
from kaspr_tui.config import default_data_dir, default_log_dir
from kaspr_tui.downloads import downloads_folder


async def run(context: Context) -> Exit:
    settings = context.settings
    paths = {
        "config": settings.config_path,
        "data": default_data_dir(),
        "database": default_data_dir() / "billing.db",
        "logs": default_log_dir(),
        "log_file": settings.log_file,
        "downloads": downloads_folder(settings),
    }
    if context.args.json:
        context.out.data({name: None if path is None else str(path) for name, path in paths.items()})
        return Exit.OK
    labels = {
        "config": "Config file",
        "data": "Data folder",
        "database": "Bundled server's database",
        "logs": "Log folder",
        "log_file": "Log file",
        "downloads": "Invoice downloads",
    }
    rows = [(labels[name], str(path)) for name, path in paths.items() if path is not None]
    for line in table(("What", "Where"), rows)[1:]:
        context.out.say(line)
    return Exit.OK
