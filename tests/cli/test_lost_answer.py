"""A purchase whose answer is lost, run again with `--idempotency-key`, is charged once.

Between the command and the bundled server sits a proxy that forwards every request but, while
told to, drops the answer to `POST /v1/checkouts` after the server has handled it: the payment
is made, the command never hears of it (nor do its own retries, which drop too).
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx
import pytest

from .helpers import credits_of, paid_invoices

HOP_HEADERS = {"host", "content-length", "connection", "transfer-encoding", "content-encoding", "keep-alive"}


class AnswerDroppingProxy:
    def __init__(self, upstream: str) -> None:
        self.drop_checkout_answers = True
        self.dropped = 0
        proxy = self
        client = httpx.Client(base_url=upstream, timeout=10)

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: object) -> None:  # quiet
                return None

            def _forward(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                headers = {name: value for name, value in self.headers.items() if name.lower() not in HOP_HEADERS}
                answer = client.request(self.command, self.path, content=body, headers=headers)
                if proxy.drop_checkout_answers and self.command == "POST" and self.path == "/v1/checkouts":
                    proxy.dropped += 1
                    self.close_connection = True  # done on the server; the answer never comes back
                    return
                self.send_response(answer.status_code)
                for name, value in answer.headers.items():
                    if name.lower() not in HOP_HEADERS:
                        self.send_header(name, value)
                self.send_header("Content-Length", str(len(answer.content)))
                self.end_headers()
                self.wfile.write(answer.content)

            do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = _forward

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self._client = client
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> AnswerDroppingProxy:
        self._thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.server.shutdown()
        self.server.server_close()
        self._client.close()


@pytest.fixture
def proxy(live_server) -> Iterator[AnswerDroppingProxy]:
    with AnswerDroppingProxy(live_server.url) as running:
        yield running


def test_a_lost_answer_rerun_with_its_idempotency_key_is_charged_once(kaspr, admin, proxy):
    phone_before, paid_before = credits_of(admin, "phone")["remaining"], len(paid_invoices(admin))

    lost = kaspr("credits", "buy", "phone", "100", "--yes", KASPR_API_URL=proxy.url)
    assert lost.code == 1
    assert proxy.dropped == 4  # the first try and the client's three retries, all with the same key
    assert "We couldn't confirm your payment" in lost.stderr
    match = re.search(r"--idempotency-key (\S+) to continue this same payment", lost.stderr)
    assert match, lost.stderr
    key = match.group(1)
    # The server did take the payment, once, though nobody heard of it.
    assert credits_of(admin, "phone")["remaining"] == phone_before + 100
    assert len(paid_invoices(admin)) == paid_before + 1

    proxy.drop_checkout_answers = False
    rerun = kaspr("credits", "buy", "phone", "100", "--yes", "--idempotency-key", key, KASPR_API_URL=proxy.url)
    assert rerun.code == 0, rerun.stderr
    assert "Charged €48.00 to Visa •••• 4242." in rerun.stdout
    assert credits_of(admin, "phone")["remaining"] == phone_before + 100
    assert len(paid_invoices(admin)) == paid_before + 1


def test_the_same_key_for_another_purchase_is_refused_with_exit_2(kaspr, admin):
    assert kaspr("credits", "buy", "phone", "100", "--yes", "--idempotency-key", "kt_script_1").code == 0
    phone = credits_of(admin, "phone")["remaining"]
    other = kaspr("credits", "buy", "phone", "200", "--yes", "--idempotency-key", "kt_script_1")
    assert other.code == 2
    assert "already used for a different request" in other.stderr
    assert credits_of(admin, "phone")["remaining"] == phone
