"""Settings: command line > environment > config file > embedded default.

The config file is TOML, read with `tomllib` and written with `tomlkit` so that a user's
comments and key order survive `kaspr-tui login`. This module never imports Textual.

Profiles: a `[profiles.NAME]` table holds the same keys as the top level, chosen with
`--profile NAME` or `KASPR_PROFILE`. What the profile leaves out comes from the top level,
except the connection (`api_url`, `api_key`, `insecure`): a profile only ever uses its own, so a
key is never sent to another profile's server.
"""

from __future__ import annotations

import io
import ipaddress
import os
import re
import stat
import tomllib
from collections.abc import Collection, Mapping, MutableMapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from urllib.parse import urlsplit

import platformdirs

APP_NAME = "kaspr-tui"
DEMO_ADMIN_KEY = "kt_demo_admin"
DEFAULT_THEME = "textual-dark"

# Environment variable per setting; the config file's own location is KASPR_CONFIG.
ENV_VARS: Mapping[str, str] = MappingProxyType(
    {
        "api_url": "KASPR_API_URL",
        "api_key": "KASPR_API_TOKEN",
        "theme": "KASPR_THEME",
        "download_dir": "KASPR_DOWNLOAD_DIR",
        "log_file": "KASPR_LOG_FILE",
    }
)
CONFIG_ENV_VAR = "KASPR_CONFIG"
PROFILE_ENV_VAR = "KASPR_PROFILE"
PROFILES_TABLE = "profiles"
NOT_A_PROFILES_TABLE = f"{PROFILES_TABLE} must be a table of [{PROFILES_TABLE}.NAME] — fix or delete it"
DEFAULT_PROFILE = "default"
"""`--profile default` names the top level of the file, unless a `[profiles.default]` exists."""
# Keys the config file (and each profile table) may hold, with the Python type each must parse to.
CONFIG_KEYS: Mapping[str, type] = MappingProxyType(
    {
        "api_url": str,
        "api_key": str,
        "theme": str,
        "download_dir": str,
        "insecure": bool,
        "read_only": bool,
        "log_file": str,
        "cache": bool,
        "mouse": bool,
        "keymap": dict,
    }
)
CONNECTION_KEYS = frozenset({"api_url", "api_key", "insecure"})
"""A named profile never takes these from the top level of the file."""
PROFILE_NAME = re.compile(r"[A-Za-z0-9_-]{1,64}")


class ConfigError(Exception):
    """A setting or config file the app cannot start with; `str()` says what to do."""


@dataclass(frozen=True)
class Settings:
    api_url: str | None  # None → the embedded bundled server
    api_key: str | None = field(repr=False)  # kept out of tracebacks and logs
    config_path: Path
    theme: str = DEFAULT_THEME
    download_dir: Path | None = None  # None → the user's Downloads folder; where invoice PDFs are saved
    insecure: bool = False
    profile: str | None = None
    """The `[profiles.NAME]` in use; None for the top level of the config file (the default)."""
    read_only: bool = False
    """Every write is refused (support staff looking, not touching); `read_only_reason` says why."""
    log_file: Path | None = None
    """Where the log goes (rotating, 0600); None: no log unless --debug."""
    debug: bool = False
    cache: bool = True
    """Keep the last account state seen (0600, in the data folder) to show it at the next start."""
    mouse: bool = True
    """False (`--no-mouse`, `mouse = false`): the terminal keeps the mouse, so text selects natively."""
    keymap: Mapping[str, str] = field(default_factory=dict)
    """`[keymap]`: binding id → keys (`"ctrl+b"`, `"f2,ctrl+b"`), as Textual's `App.set_keymap` takes."""
    # value name → "cli" | "env" | "config" | "profile" | "default"
    sources: Mapping[str, str] = field(default_factory=dict)
    # Problems worth telling the user about that do not stop the app.
    warnings: tuple[str, ...] = ()

    @property
    def embedded(self) -> bool:
        return self.api_url is None

    @property
    def read_only_reason(self) -> str | None:
        """Why writes are refused, for the person at the keyboard; None when they are not."""
        if not self.read_only:
            return None
        source = self.sources.get("read_only")
        if source == "cli":
            where = "--read-only was given"
        elif source == "profile":
            where = f"profile {self.profile!r} sets read_only = true in {self.config_path}"
        else:
            where = f"read_only = true is set in {self.config_path}"
        return f"Read-only: {where}, so nothing can be changed."


def default_config_path() -> Path:
    return platformdirs.user_config_path(APP_NAME) / "config.toml"


def default_data_dir() -> Path:
    return platformdirs.user_data_path(APP_NAME)


def default_log_dir() -> Path:
    return platformdirs.user_log_path(APP_NAME)


def resolve_settings(
    *,
    cli: Mapping[str, object] | None = None,
    env: Mapping[str, str] | None = None,
    config_path: Path | None = None,
) -> Settings:
    """Merge the layers. `cli` holds only the options given (None means not given).

    `env` defaults to `os.environ`. `config_path` replaces the default file location; the
    command line's `config_path` and then `KASPR_CONFIG` still take precedence over it.
    """
    cli_values = {name: value for name, value in (cli or {}).items() if value is not None}
    environment = os.environ if env is None else env
    path, path_source = locate_config(cli_values.get("config_path"), environment, config_path)
    # An empty variable counts as unset: `VAR= cmd` is easy to type by accident.
    chosen = cli_values.get("profile") or environment.get(PROFILE_ENV_VAR) or None
    file_values, profile_values, warnings = _read_config_file(path, None if chosen is None else str(chosen))
    profile = None if profile_values is None else str(chosen)
    env_values = {name: environment[var] for name, var in ENV_VARS.items() if environment.get(var)}

    sources = {"config_path": path_source}
    layers = (("cli", cli_values), ("env", env_values), ("profile", profile_values or {}), ("config", file_values))

    def pick(name: str, default: object) -> object:
        for source, layer in layers:
            if source == "config" and profile is not None and name in CONNECTION_KEYS:
                continue
            if name in layer:
                sources[name] = source
                return layer[name]
        sources[name] = "default"
        return default

    api_url = pick("api_url", None)
    api_key = pick("api_key", None)
    theme = pick("theme", DEFAULT_THEME)
    download_dir = pick("download_dir", None)
    insecure = bool(pick("insecure", False))
    read_only = bool(pick("read_only", False))
    log_file = pick("log_file", None)
    cache = bool(pick("cache", True))
    mouse = bool(pick("mouse", True))
    keymap = _keymap(pick("keymap", {}), path, warnings)

    if api_url is not None:
        api_url = check_api_url(str(api_url), insecure=insecure, source=sources["api_url"])
    elif api_key is None:
        api_key = DEMO_ADMIN_KEY
    return Settings(
        api_url=api_url,
        api_key=None if api_key is None else str(api_key),
        config_path=path,
        theme=str(theme),
        download_dir=None if download_dir is None else Path(str(download_dir)).expanduser(),
        insecure=insecure,
        profile=profile,
        read_only=read_only,
        log_file=None if log_file is None else Path(str(log_file)).expanduser(),
        debug=bool(cli_values.get("debug", False)),
        cache=cache,
        mouse=mouse,
        keymap=MappingProxyType(keymap),
        sources=MappingProxyType(sources),
        warnings=tuple(warnings),
    )


def locate_config(
    cli_path: object | None = None,
    env: Mapping[str, str] | None = None,
    default: Path | None = None,
) -> tuple[Path, str]:
    """The config file to use and where that choice came from: --config, KASPR_CONFIG, default."""
    environment = os.environ if env is None else env
    if cli_path is not None:
        return Path(str(cli_path)).expanduser(), "cli"
    if environment.get(CONFIG_ENV_VAR):
        return Path(environment[CONFIG_ENV_VAR]).expanduser(), "env"
    return (default or default_config_path()).expanduser(), "default"


def check_api_url(url: str, *, insecure: bool = False, source: str = "cli") -> str:
    """Return the URL without a trailing slash, or refuse one the app must not send a key to."""
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ConfigError(
            f"API URL {url!r} ({_describe_source(source)}) is not an http:// or https:// address"
        )
    if parts.scheme == "http" and not insecure and not _is_loopback(parts.hostname):
        # `login` has no --insecure: at its prompt, the only remedy is another address.
        remedy = (
            "type an https:// address" if source == "prompt"
            else "use https://, or pass --insecure (or set insecure = true in the config file) if you accept that"
        )
        raise ConfigError(
            f"API URL {url!r} ({_describe_source(source)}) is plain http:// to another machine, "
            f"which would send the API key unencrypted; {remedy}"
        )
    return url.strip().rstrip("/")


def write_login(config_path: Path, api_url: str, api_key: str, profile: str | None = None) -> None:
    """Store the URL and key in the config file (in `[profiles.NAME]` for a profile), keeping
    everything else in it as it was.

    The file is replaced atomically and is 0600 from its first byte; a symlinked config file
    is written through to its target.
    """
    write_settings(config_path, {"api_url": api_url, "api_key": api_key}, profile)


def write_settings(config_path: Path, values: Mapping[str, object], profile: str | None = None) -> None:
    """Set `values` in the config file (in `[profiles.NAME]` for a profile), keeping everything
    else, comments included, as it was (tomlkit); atomically, 0600 from the first byte, through a
    symlink to its target. `login` stores the URL and key with it, the app the theme picked."""
    import tomlkit  # only `login` and a theme change write TOML: keep it off every other start-up path

    target = Path(os.path.realpath(config_path.expanduser()))
    try:
        text = target.read_text(encoding="utf-8")
    except FileNotFoundError:
        text = ""
    except (OSError, UnicodeDecodeError) as error:
        raise ConfigError(f"{target}: cannot read it ({error})") from None
    try:
        document = tomlkit.parse(text)
    except tomlkit.exceptions.ParseError as error:
        raise ConfigError(
            f"{target} line {error.line}: {_strip_location(str(error))} — fix or delete it"
        ) from None
    if profile is None:
        table: MutableMapping[str, object] = document
    else:
        check_profile_name(profile)
        profiles = document.get(PROFILES_TABLE)
        if profiles is None:
            profiles = tomlkit.table(is_super_table=True)
            document[PROFILES_TABLE] = profiles
        elif not isinstance(profiles, MutableMapping):
            raise ConfigError(f"{target}: {NOT_A_PROFILES_TABLE}")
        if profile not in profiles:
            profiles[profile] = tomlkit.table()
        table = profiles[profile]
    table.update(values)
    write_private_file(target, tomlkit.dumps(document))


def write_private_file(target: Path, text: str) -> None:
    """Replace `target` atomically with `text`, the file 0600 from its first byte (folder 0700 if new).

    A reader sees the old file or the new one, never half of one.
    """
    import tempfile  # only writes need it: keep it off every other command's startup path

    target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    # mkstemp creates the file with mode 0600, so a key or an account is never readable by others.
    descriptor, temp_name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}-", suffix=".tmp")
    try:
        with os.fdopen(descriptor, "w", encoding="utf-8") as temp_file:
            temp_file.write(text)
            temp_file.flush()
            os.fsync(temp_file.fileno())
        os.replace(temp_name, target)
    except BaseException:
        Path(temp_name).unlink(missing_ok=True)
        raise


def check_profile_name(name: str) -> str:
    """A profile name is a TOML bare key: letters, digits, `-` and `_`."""
    if not PROFILE_NAME.fullmatch(name):
        raise ConfigError(f"profile name {name!r}: use letters, digits, - and _ only (at most 64)")
    return name


def _read_config_file(
    path: Path, profile: str | None
) -> tuple[dict[str, object], dict[str, object] | None, list[str]]:
    """The top level's known keys, the chosen profile's (None: no profile, the top level), and
    warnings. A missing file is an empty one.

    A profile that is not in the file is an error: a typo must not quietly use the top level.
    """
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raw = None
    except OSError as error:
        raise ConfigError(f"{path}: cannot read it ({error.strerror})") from None
    data: dict[str, object] = {}
    if raw is not None:
        try:
            data = tomllib.loads(raw.decode("utf-8"))
        except UnicodeDecodeError:
            raise ConfigError(f"{path}: not UTF-8 text — fix or delete it") from None
        except tomllib.TOMLDecodeError as error:
            raise ConfigError(_describe_toml_error(path, str(error))) from None

    profiles = data.pop(PROFILES_TABLE, {})
    if not isinstance(profiles, dict):
        raise ConfigError(f"{path}: {NOT_A_PROFILES_TABLE}")
    warnings: list[str] = []
    values = _known_values(path, data, "", warnings)
    profile_values: dict[str, object] | None = None
    if profile == DEFAULT_PROFILE and profile not in profiles:
        profile = None
    if profile is not None:
        table = profiles.get(profile)
        if not isinstance(table, dict):
            known = ", ".join(sorted(name for name, value in profiles.items() if isinstance(value, dict)))
            listed = f"profiles there: {known}" if known else "it has no profiles"
            raise ConfigError(
                f"profile {profile!r} is not in {path} ({listed}); "
                f"add one with: kaspr-tui login --profile {profile}"
            )
        profile_values = _known_values(path, table, f"{PROFILES_TABLE}.{profile}.", warnings)
    if ("api_key" in values or any(isinstance(t, dict) and "api_key" in t for t in profiles.values())) and (
        _open_to_others(path)
    ):
        warnings.append(
            f"{path} holds an API key and other users can read or change it; "
            f"run: chmod 600 {path}"
        )
    return values, profile_values, warnings


def _known_values(path: Path, table: Mapping[str, object], prefix: str, warnings: list[str]) -> dict[str, object]:
    """The keys of one table this app knows, type-checked; unknown keys become warnings."""
    values: dict[str, object] = {}
    for key, value in table.items():
        expected = CONFIG_KEYS.get(key)
        if expected is None:
            warnings.append(f"{path}: unknown setting {prefix}{key!r} ignored")
        elif not isinstance(value, expected):
            raise ConfigError(
                f"{path}: {prefix}{key} must be {_TYPE_WORDS[expected]}, not {value!r} — fix or delete it"
            )
        elif value != "":
            values[key] = value
    return values


def _keymap(table: object, path: Path, warnings: list[str]) -> dict[str, str]:
    """`[keymap]`'s entries whose keys are a string; others become warnings. Whether each id exists
    and whether keys clash is for the app to say, which knows its bindings."""
    keymap: dict[str, str] = {}
    for binding_id, keys in dict(table).items() if isinstance(table, dict) else ():
        if isinstance(keys, str) and keys.strip():
            keymap[str(binding_id)] = keys.replace(" ", "")
        else:
            warnings.append(f'{path}: keymap.{binding_id} must be keys in a string, like "ctrl+b" — ignored')
    return keymap


_TYPE_WORDS = {str: "a string", bool: "true or false", dict: "a table"}
_LOCATION = re.compile(r"\s*\(at line (\d+), column \d+\)$")


def _describe_toml_error(path: Path, message: str) -> str:
    match = _LOCATION.search(message)
    if match:
        return f"{path} line {match.group(1)}: {_strip_location(message)} — fix or delete it"
    return f"{path}: {message} — fix or delete it"


def _strip_location(message: str) -> str:
    # tomllib says "(at line 3, column 5)", tomlkit "at line 3 col 5"; we name the line ourselves.
    message = _LOCATION.sub("", message)
    return re.sub(r"\s+at line \d+ col \d+$", "", message)


def _open_to_others(path: Path) -> bool:
    """Group or others may read it (the key) or write it (point the key at another server)."""
    if os.name != "posix":
        return False
    return bool(path.stat().st_mode & (stat.S_IRWXG | stat.S_IRWXO))


def _is_loopback(host: str) -> bool:
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def theme_problem(theme: str, themes: Collection[str], source: str) -> str | None:
    """None if `theme` is one of `themes` (the app's, which only Textual knows: the caller passes
    them); else what is wrong, where it was set, and the themes there are."""
    if theme in themes:
        return None
    where = _describe_source(source, option="--theme", setting="theme")
    return f"Theme {theme!r} ({where}) is not one of: {', '.join(sorted(themes))}"


def _describe_source(source: str, option: str = "--api-url", setting: str = "api_url") -> str:
    return {
        "cli": f"from {option}",
        "env": f"from {ENV_VARS[setting]}",
        "config": "from the config file",
        "profile": "from the profile in the config file",
        "prompt": "typed at the login prompt",
    }.get(source, source)


LOG_MAX_BYTES = 1_000_000
LOG_BACKUPS = 3
LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


def configure_logging(settings: Settings, *, for_app: bool) -> None:
    """Log the app's records (each API request at INFO; retries and more with --debug).

    To `log_file` if set, rotated and 0600; else, with --debug, to stderr for a command, or to
    the log folder's `kaspr-tui.log` for the app (its terminal is the screen). Nothing otherwise.
    """
    if settings.log_file is None and not settings.debug:
        return
    import logging
    import logging.handlers

    class PrivateRotatingFileHandler(logging.handlers.RotatingFileHandler):
        """Every file it opens, the first and each one after a rotation, is 0600 from its first byte."""

        def _open(self) -> io.TextIOWrapper:
            descriptor = os.open(self.baseFilename, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
            os.fchmod(descriptor, 0o600)  # a file someone created before with other modes
            return open(descriptor, "a", encoding=self.encoding, errors=self.errors)

    path = settings.log_file or (default_log_dir() / "kaspr-tui.log" if for_app else None)
    handler: logging.Handler
    if path is None:
        handler = logging.StreamHandler()
    else:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            handler = PrivateRotatingFileHandler(
                path, maxBytes=LOG_MAX_BYTES, backupCount=LOG_BACKUPS, encoding="utf-8"
            )
        except OSError as error:
            raise ConfigError(f"log file {path}: cannot write it ({error.strerror})") from None
    handler.setFormatter(logging.Formatter(LOG_FORMAT))
    logger = logging.getLogger("kaspr_tui")
    logger.setLevel(logging.DEBUG if settings.debug else logging.INFO)
    logger.addHandler(handler)
