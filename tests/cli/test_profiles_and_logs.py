"""Profiles and read-only on the command line; the request log; no card number or key anywhere."""

from __future__ import annotations

import os
import re
import tomllib

from kaspr_tui.server.testing import ADMIN_KEY, GLOBEX_KEY, SUPPORT_KEY

from .helpers import CARD_NUMBERS, Kaspr, credits_of


def write_profiles(env: dict[str, str], url: str) -> str:
    path = os.path.join(env["XDG_CONFIG_HOME"], "kaspr-tui", "config.toml")
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as config:
        config.write(
            f'api_url = "{url}"\napi_key = "{ADMIN_KEY}"\n\n'
            f'[profiles.globex]\napi_url = "{url}"\napi_key = "{GLOBEX_KEY}"\n\n'
            f'[profiles.looking]\napi_url = "{url}"\napi_key = "{ADMIN_KEY}"\nread_only = true\n\n'
            f'[profiles.staff]\napi_url = "{url}"\napi_key = "{SUPPORT_KEY}"\nread_only = true\n'
        )
    os.chmod(path, 0o600)
    return path


def test_profile_chosen_with_p_or_kaspr_profile(live_server, env):
    write_profiles(env, live_server.url)
    kaspr = Kaspr(env)
    assert kaspr("status").stdout.startswith("Acme Corp")
    assert kaspr("-p", "globex", "status").stdout.startswith("Globex")
    assert kaspr("status", "--profile", "globex").stdout.startswith("Globex")  # after the command too
    assert kaspr("status", KASPR_PROFILE="globex").stdout.startswith("Globex")
    missing = kaspr("-p", "nope", "status")
    assert missing.code == 2
    assert "profile 'nope' is not in" in missing.stderr


def test_a_read_only_profile_refuses_every_write_with_exit_2_and_still_reads(live_server, env, admin):
    write_profiles(env, live_server.url)
    kaspr = Kaspr(env)
    before = credits_of(admin, "phone"), admin.get("/v1/members", params={"limit": 100}).json()
    for name, *arguments in (
        ("credits buy", "phone", "100", "--yes"),
        ("licenses set", "12", "--yes"),
        ("plan change", "organization", "--yes"),
        ("members invite", "new@acme.example"),
        ("members remove", "hugo@acme.example", "--yes"),
        ("members role", "bastien@acme.example", "admin", "--yes"),
        ("members resend", "hugo@acme.example"),
        ("card update",),
        ("support request email-change", "alice@new.example"),
    ):
        refused = kaspr("-p", "looking", *name.split(), *arguments)
        assert refused.code == 2, name
        assert refused.stderr.startswith("kaspr-tui: Read-only: profile 'looking' sets read_only = true in ")
        assert refused.stderr.endswith(f"so nothing can be changed. `kaspr-tui {name}` changes something.\n")
    assert (credits_of(admin, "phone"), admin.get("/v1/members", params={"limit": 100}).json()) == before
    assert kaspr("-p", "looking", "status").code == 0
    assert kaspr("-p", "looking", "quote", "--seats", "12").code == 0  # pricing changes nothing
    transfer = kaspr(
        "-p",
        "staff",
        "support",
        "transfer",
        "--from",
        "bastien@acme.example",
        "--to",
        "gina@globex.example",
        "--license",
        "--reason",
        "moving",
        "--yes",
    )
    assert transfer.code == 2
    assert kaspr("-p", "staff", "support", "lookup", "bastien@acme.example").code == 0


def test_read_only_from_the_command_line(kaspr, admin):
    before = credits_of(admin, "phone")
    result = kaspr("--read-only", "credits", "buy", "phone", "100", "--yes")
    assert result.code == 2
    assert "--read-only was given" in result.stderr
    assert credits_of(admin, "phone") == before


def test_login_with_a_profile_writes_its_table(live_server, env):
    path = write_profiles(env, live_server.url)
    result = Kaspr(env)("login", "--profile", "eu", input=f"{live_server.url}\n{GLOBEX_KEY}\n")
    assert result.code == 0, result.stderr
    assert "[profiles.eu]" in result.stdout
    with open(path, "rb") as config:
        data = tomllib.load(config)
    assert data["profiles"]["eu"] == {"api_url": live_server.url, "api_key": GLOBEX_KEY}
    assert data["api_key"] == ADMIN_KEY
    assert Kaspr(env)("-p", "eu", "status").stdout.startswith("Globex")


def test_log_file_has_each_request_and_is_0600(kaspr, tmp_path):
    log = tmp_path / "logs" / "kaspr.log"
    result = kaspr("--log-file", str(log), "status")
    assert result.code == 0, result.stderr
    assert os.stat(log).st_mode & 0o777 == 0o600
    lines = log.read_text().splitlines()
    assert any(" GET /v1/subscription 200 " in line and " req_" in line for line in lines)
    assert any(" GET /v1/credits 200 " in line for line in lines)
    assert result.stderr == ""


def test_debug_logs_to_stderr_and_keeps_stdout_for_data(kaspr):
    result = kaspr("--debug", "credits", "--json")
    assert result.code == 0
    assert isinstance(result.json(), list)
    assert "GET /v1/credits 200" in result.stderr


def test_no_card_number_cvc_or_key_in_output_or_logs(kaspr, tmp_path, env):
    log = tmp_path / "secrets.log"
    outputs = []
    for card in ("4242424242424242", "4100000000000019", "4000002760003184"):
        outputs.append(kaspr("--debug", "--log-file", str(log), "card", "update", input=f"{card}\n12/30\n987\nAlice\n"))
    outputs.append(
        kaspr("--debug", "--log-file", str(log), "card", "update", input="4242424242424241\n12/30\n987\nA\n")
    )
    outputs.append(
        kaspr("--debug", "--log-file", str(log), "credits", "buy", "phone", "100", "--yes", input="approve\n")
    )
    assert [result.code for result in outputs] == [0, 3, 0, 2, 0]
    everything = log.read_text() + "".join(result.stdout + result.stderr for result in outputs)
    for secret in (*CARD_NUMBERS, "4242424242424241", ADMIN_KEY):
        assert secret not in everything, secret
    # The CVC, as a word of its own once each log line's time ("17:55:22,987") and the durations
    # ("987 ms") are left out: a line logged at 17:55:22,987 once made this fail.
    without_times = re.sub(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} ", "", everything, flags=re.MULTILINE)
    assert not re.search(r"(?<!\w)987(?!\w)", re.sub(r"\b\d+ ms\b", "", without_times))
    assert "POST /v1/payment_methods" in everything
