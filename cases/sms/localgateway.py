"""A local stand-in for a Mitake-style gateway: a real HTTP server on 127.0.0.1 (tests, the benchmark).

It answers like the real one (HTTP 200 and an INI-like body), keeps every request it was sent, and
remembers client ids: a repeated clientid is not "sent" again but answered with Duplicate=Y, as the
gateway contract says. Tests script other answers with `replies` (a queue, used first) or `handler`.
"""

from __future__ import annotations

import itertools
import threading
import time
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Reply:
    body: str = ""
    status: int = 200
    delay: float = 0.0  # seconds before answering (a slow or hanging gateway)
    drop: bool = False  # close the connection without any answer


def accepted(msgid: str, code: str = "1") -> Reply:
    return Reply(f"[1]\nmsgid={msgid}\nstatuscode={code}\nAccountPoint=98\n")


@dataclass
class LocalGateway:
    replies: list[Reply] = field(default_factory=list)
    handler: Callable[[dict], Reply | None] | None = None  # may also act, e.g. kill a worker
    requests: list[dict] = field(default_factory=list)

    def __post_init__(self):
        self.cpu_seconds = 0.0  # CPU its request threads spent (the benchmark counts it apart)
        self._lock = threading.Lock()
        self._ids = itertools.count(1010079522)
        self._seen: dict[str, str] = {}  # clientid -> msgid of what was really "sent"
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler_class())
        self.server.daemon_threads = True
        self._thread = threading.Thread(target=self.server.serve_forever, args=(0.05,), daemon=True)

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}/api/mtk/SmSend?CharsetURL=UTF-8"

    @property
    def sent(self) -> list[dict]:
        """Requests that resulted in a message to a phone (first time for their clientid, accepted)."""
        with self._lock:
            return [r for r in self.requests if r.get("_delivered")]

    def start(self) -> LocalGateway:
        self._thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def __enter__(self) -> LocalGateway:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    def _answer(self, form: dict) -> Reply:
        with self._lock:
            self.requests.append(form)
            scripted = self.replies.pop(0) if self.replies else None
        if scripted is None and self.handler is not None:
            scripted = self.handler(form)
        if scripted is not None:
            return scripted
        client_id = form.get("clientid", "")
        with self._lock:
            if client_id and client_id in self._seen:
                return Reply(f"[1]\nmsgid={self._seen[client_id]}\nstatuscode=1\nDuplicate=Y\n")
            msgid = str(next(self._ids))
            if client_id:
                self._seen[client_id] = msgid
            form["_delivered"] = True
        return accepted(msgid)

    def _handler_class(self):
        gateway = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"  # keep-alive, like the real gateway: the sender reuses it
            # The answer goes out in two writes (headers, body): with Nagle's algorithm the body waited
            # for the client's delayed ACK, up to 40 ms a request. Web servers set TCP_NODELAY too.
            disable_nagle_algorithm = True

            def handle_one_request(self):
                started = time.thread_time()
                try:
                    super().handle_one_request()
                finally:
                    spent = time.thread_time() - started
                    with gateway._lock:
                        gateway.cpu_seconds += spent

            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length).decode("ascii")
                form = {k: v[0] for k, v in urllib.parse.parse_qs(raw, keep_blank_values=True).items()}
                form["_content_type"] = self.headers.get("Content-Type", "")
                form["_connection"] = self.client_address[1]  # the sender's port: one per connection
                reply = gateway._answer(form)
                if reply.delay:
                    time.sleep(reply.delay)
                if reply.drop:
                    self.close_connection = True
                    self.connection.close()
                    return
                payload = reply.body.encode("utf-8")
                self.send_response(reply.status)
                self.send_header("Content-Type", "text/plain; charset=utf-8")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def log_message(self, format, *args):  # noqa: A002 (quiet: requests carry numbers)
                pass

        return Handler
